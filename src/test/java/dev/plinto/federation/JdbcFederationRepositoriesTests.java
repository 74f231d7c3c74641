package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/** The linked identities' and the federation flows' repositories, on H2 and PostgreSQL. */
class JdbcFederationRepositoriesTests {

	static final Instant T0 = Instant.parse("2026-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		IdentityRepository identities;

		FederationFlowRepository flows;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositories() {
			identities = new JdbcIdentityRepository(jdbc);
			flows = new JdbcFederationFlowRepository(jdbc);
		}

		String newUser() {
			String id = SecureTokens.newId("usr");
			jdbc.sql("""
					insert into users (id, email, email_verified, name, password_hash, created_at, updated_at)
					values (:id, :email, true, null, 'x', :at, :at)""")
				.param("id", id)
				.param("email", "user-" + UUID.randomUUID() + "@example.com")
				.param("at", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC))
				.update();
			return id;
		}

		LinkedIdentity identity(String userId, String provider, String subject) {
			return new LinkedIdentity(SecureTokens.newId("idn"), userId, provider, subject, "ada@example.com", true,
					Map.of("name", "Ada", "username", "ada"), T0, T0);
		}

		@Test
		void insertWhenIdentityStoredThenFoundByProviderAndSubjectAndByUser() {
			String user = newUser();
			LinkedIdentity i = identity(user, "github", UUID.randomUUID().toString());
			identities.insert(i);

			assertThat(identities.find("github", i.subject())).hasValue(i);
			assertThat(identities.find("google", i.subject())).isEmpty();
			assertThat(identities.findByUser(user)).containsExactly(i);
		}

		@Test
		void insertWhenSubjectOfTheProviderLinkedAlreadyThenDuplicateKey() {
			String subject = UUID.randomUUID().toString();
			identities.insert(identity(newUser(), "google", subject));

			assertThatThrownBy(() -> identities.insert(identity(newUser(), "google", subject)))
				.isInstanceOf(DuplicateKeyException.class);
		}

		@Test
		void usedAndDeleteWhenCalledThenUpdatedThenGoneOnlyForItsUser() {
			String user = newUser();
			LinkedIdentity i = identity(user, "gitlab", UUID.randomUUID().toString());
			identities.insert(i);

			identities.used(i.id(), "new@example.com", false, "{\"name\":\"Ada L\"}", T0.plusSeconds(60));
			LinkedIdentity used = identities.find("gitlab", i.subject()).orElseThrow();

			assertThat(used.email()).isEqualTo("new@example.com");
			assertThat(used.emailVerified()).isFalse();
			assertThat(used.profile()).isEqualTo(Map.of("name", "Ada L"));
			assertThat(used.lastUsedAt()).isEqualTo(T0.plusSeconds(60));
			assertThat(identities.delete(newUser(), i.id())).isFalse();
			assertThat(identities.delete(user, i.id())).isTrue();
			assertThat(identities.findByUser(user)).isEmpty();
		}

		FederationFlow flow(FederationFlow.Type type, Instant expires) {
			return new FederationFlow(SecureTokens.newId("sso"), "google", type, SecureTokens.hash(UUID.randomUUID()
				.toString()), "sealed", SecureTokens.hash("browser"), "https://app.example.com/", null, null, null,
					T0, expires, null);
		}

		@Test
		void spendWhenTwiceThenOnlyTheFirstAndTheSecretsErased() {
			FederationFlow f = flow(FederationFlow.Type.BROWSER, T0.plusSeconds(600));
			flows.insert(f);

			assertThat(flows.findByStateHash(f.stateHash())).hasValueSatisfying(found -> {
				assertThat(found.sealedSecrets()).isEqualTo("sealed");
				assertThat(found.createdAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
			});
			assertThat(flows.spend(f.id(), T0.plusSeconds(1))).isTrue();
			assertThat(flows.spend(f.id(), T0.plusSeconds(2))).isFalse();
			FederationFlow spent = flows.findByStateHash(f.stateHash()).orElseThrow();
			assertThat(spent.sealedSecrets()).isNull();
			assertThat(spent.usedAt()).isEqualTo(T0.plusSeconds(1));
		}

		@Test
		void takeWhenHeldThenOnceAndOnlyWithItsFlowId() {
			FederationFlow f = flow(FederationFlow.Type.API, T0.plusSeconds(600));
			flows.insert(f);
			flows.hold(f.id(), "{\"provider\":\"google\"}", SecureTokens.hash("code"));

			assertThat(flows.take("sso_other", SecureTokens.hash("code"))).isEmpty();
			assertThat(flows.take(f.id(), SecureTokens.hash("code")))
				.hasValueSatisfying(t -> assertThat(t.identityJson()).isEqualTo("{\"provider\":\"google\"}"));
			assertThat(flows.take(f.id(), SecureTokens.hash("code"))).isEmpty();
		}

		@Test
		void deleteExpiredWhenOldAndLiveFlowsThenOnlyOldOnesGo() {
			FederationFlow old = flow(FederationFlow.Type.BROWSER, Instant.parse("1999-01-01T00:00:00Z"));
			FederationFlow live = flow(FederationFlow.Type.BROWSER, T0.plusSeconds(600));
			flows.insert(old);
			flows.insert(live);

			flows.deleteExpired(Instant.parse("2000-01-01T00:00:00Z"));

			assertThat(flows.findByStateHash(old.stateHash())).isEmpty();
			assertThat(flows.findByStateHash(live.stateHash())).isPresent();
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
