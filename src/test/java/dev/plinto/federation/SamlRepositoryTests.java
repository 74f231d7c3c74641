package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract of the SAML service provider's storage ({@link JdbcSamlRepository}, V23) on H2 and PostgreSQL. */
class SamlRepositoryTests {

	static final Instant T0 = Instant.parse("2026-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		SamlRepository repository;

		String connection;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createConnection() {
			repository = new JdbcSamlRepository(jdbc);
			String user = SecureTokens.newId("usr");
			OffsetDateTime at = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
			jdbc.sql("insert into users (id, email, email_verified, name, password_hash, created_at, updated_at) "
					+ "values (:id, :email, true, null, 'x', :at, :at)")
				.param("id", user)
				.param("email", user + "@example.com")
				.param("at", at)
				.update();
			String org = SecureTokens.newId("org");
			jdbc.sql("insert into organizations (id, name, slug, public_metadata, private_metadata, created_by, "
					+ "created_at, updated_at) values (:id, 'Acme', :slug, '{}', '{}', :user, :at, :at)")
				.param("id", org)
				.param("slug", org)
				.param("user", user)
				.param("at", at)
				.update();
			connection = SecureTokens.newId("con");
			jdbc.sql("insert into organization_connections (id, organization_id, type, name, enabled, "
					+ "saml_metadata_xml, created_at, updated_at) values (:id, :org, 'saml', 'IdP', true, "
					+ "'<md/>', :at, :at)")
				.param("id", connection)
				.param("org", org)
				.param("at", at)
				.update();
		}

		@Test
		void insertKeyWhenTheConnectionHasOneThenTheFirstStays() {
			SamlRepository.SpKey first = new SamlRepository.SpKey(connection, "cert-1", "sealed-1", T0);

			assertThat(repository.insertKey(first)).isTrue();
			assertThat(repository.insertKey(new SamlRepository.SpKey(connection, "cert-2", "sealed-2", T0))).isFalse();
			assertThat(repository.findKey(connection)).contains(first);
		}

		@Test
		void consumeRequestWhenCalledTwiceThenOnlyTheFirstFindsIt() {
			String id = "PLINTO_" + SecureTokens.newSecret();
			SamlRepository.PendingRequest request = new SamlRepository.PendingRequest(id, connection,
					SecureTokens.hash("browser"), "https://app.example/after", T0, T0.plus(Duration.ofMinutes(10)));
			repository.insertRequest(request);

			assertThat(repository.consumeRequest(id)).contains(request);
			assertThat(repository.consumeRequest(id)).isEmpty();
		}

		@Test
		void rememberAssertionWhenTheIdWasSeenThenFalseUntilPurged() {
			String assertion = "_" + SecureTokens.newSecret();
			Instant expires = T0.plus(Duration.ofMinutes(8));

			assertThat(repository.rememberAssertion(connection, assertion, expires)).isTrue();
			assertThat(repository.rememberAssertion(connection, assertion, expires)).isFalse();
			repository.purgeExpired(expires.minusSeconds(1));
			assertThat(repository.rememberAssertion(connection, assertion, expires)).isFalse();
			repository.purgeExpired(expires.plusSeconds(1));
			assertThat(repository.rememberAssertion(connection, assertion, expires)).isTrue();
		}

		@Test
		void purgeExpiredWhenARequestHasExpiredThenItIsGone() {
			String id = "PLINTO_" + SecureTokens.newSecret();
			repository.insertRequest(new SamlRepository.PendingRequest(id, connection, SecureTokens.hash("b"), null,
					T0, T0.plus(Duration.ofMinutes(10))));

			repository.purgeExpired(T0.plus(Duration.ofMinutes(11)));

			assertThat(repository.consumeRequest(id)).isEmpty();
		}
	}

	@Nested
	class OnH2 extends Contract {

		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {

		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
