package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import dev.plinto.DatabaseContract;
import dev.plinto.config.PlintoSettings.SigningAlgorithm;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcSigningKeyRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		final SecretBox box = new SecretBox(SecureTokens.randomBytes(32));

		SigningKeyRepository keys;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepository() {
			keys = new JdbcSigningKeyRepository(jdbc, box);
		}

		static SigningKey newKey(SigningAlgorithm alg, Instant createdAt, Instant activatesAt) {
			String kid = SecureTokens.newId("key");
			return new SigningKey(kid, SigningKeys.algorithm(alg), SigningKeys.generate(alg, kid), createdAt,
					activatesAt);
		}

		SigningKey find(String kid) {
			return keys.findAll().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
		}

		String column(String kid, String column) {
			return jdbc.sql("select " + column + " from signing_keys where kid = :kid")
				.param("kid", kid)
				.query(String.class)
				.single();
		}

		@ParameterizedTest
		@EnumSource(SigningAlgorithm.class)
		void insertWhenKeyStoredThenReadBackWithPrivatePartAndTimes(SigningAlgorithm alg) {
			SigningKey key = newKey(alg, T0, T0.plus(Duration.ofMinutes(10)));
			keys.insert(key);

			SigningKey read = find(key.kid());
			assertThat(read.algorithm()).isEqualTo(key.algorithm());
			assertThat(read.jwk().isPrivate()).isTrue();
			assertThat(read.jwk().toJSONObject()).isEqualTo(key.jwk().toJSONObject());
			assertThat(read.createdAt()).isEqualTo(key.createdAt());
			assertThat(read.activatesAt()).isEqualTo(key.activatesAt());
		}

		@Test
		void insertWhenKeyStoredThenPrivatePartIsNotInAnyColumnInClear() throws Exception {
			SigningKey key = newKey(SigningAlgorithm.ES256, T0, T0);
			keys.insert(key);
			String d = (String) key.jwk().toJSONObject().get("d");
			assertThat(d).isNotBlank();

			String storedPrivate = column(key.kid(), "private_jwk");
			String storedPublic = column(key.kid(), "public_jwk");
			assertThat(storedPrivate).doesNotContain(d).doesNotContain("\"kty\"");
			assertThat(storedPublic).doesNotContain(d);
			assertThat(JWK.parse(storedPublic)).isEqualTo(key.publicJwk());
			assertThat(JWK.parse(storedPublic).isPrivate()).isFalse();
		}

		@Test
		void findAllWhenOtherMasterKeyThenIllegalStateException() {
			SigningKey key = newKey(SigningAlgorithm.ES256, T0, T0);
			keys.insert(key);
			SigningKeyRepository wrongKey = new JdbcSigningKeyRepository(jdbc,
					new SecretBox(SecureTokens.randomBytes(32)));
			assertThatThrownBy(wrongKey::findAll).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("PLINTO_MASTER_KEY")
				.hasMessageNotContaining((String) key.jwk().toJSONObject().get("d"));
		}

		@Test
		void findAllWhenSealedCiphertextMovedToAnotherKidThenIllegalStateException() {
			SigningKey a = newKey(SigningAlgorithm.ES256, T0, T0);
			SigningKey b = newKey(SigningAlgorithm.ES256, T0, T0);
			keys.insert(a);
			keys.insert(b);
			jdbc.sql("update signing_keys set private_jwk = :sealed where kid = :kid")
				.param("sealed", column(a.kid(), "private_jwk"))
				.param("kid", b.kid())
				.update();
			try {
				assertThatThrownBy(keys::findAll).isInstanceOf(IllegalStateException.class);
			}
			finally {
				jdbc.sql("delete from signing_keys where kid = :kid").param("kid", b.kid()).update();
			}
		}

		@Test
		void findAllWhenInsertedOutOfOrderThenOldestActivationFirst() {
			SigningKey third = newKey(SigningAlgorithm.ES256, T0, T0.plus(Duration.ofDays(3)));
			SigningKey first = newKey(SigningAlgorithm.ES256, T0.plusSeconds(5), T0.plus(Duration.ofDays(1)));
			SigningKey second = newKey(SigningAlgorithm.ES256, T0.minusSeconds(5), T0.plus(Duration.ofDays(2)));
			keys.insert(third);
			keys.insert(first);
			keys.insert(second);
			List<String> mine = List.of(first.kid(), second.kid(), third.kid());

			List<String> kids = keys.findAll().stream().map(SigningKey::kid).filter(mine::contains).toList();

			assertThat(kids).containsExactly(first.kid(), second.kid(), third.kid());
		}

		@Test
		void deleteExceptWhenOldKeysThenOnlyOldUnkeptOnesDeleted() {
			// Creation times far from every other test's keys, so the count is this test's alone.
			Instant base = Instant.parse("2001-02-03T04:05:06.789012Z");
			SigningKey oldDropped = newKey(SigningAlgorithm.ES256, base.minus(Duration.ofDays(60)), base);
			SigningKey oldKept = newKey(SigningAlgorithm.ES256, base.minus(Duration.ofDays(59)), base);
			SigningKey createdAtCutoff = newKey(SigningAlgorithm.ES256, base, base);
			keys.insert(oldDropped);
			keys.insert(oldKept);
			keys.insert(createdAtCutoff);

			assertThat(keys.deleteExcept(List.of(oldKept.kid()), base)).isEqualTo(1);

			List<String> kids = keys.findAll().stream().map(SigningKey::kid).toList();
			assertThat(kids).contains(oldKept.kid(), createdAtCutoff.kid()).doesNotContain(oldDropped.kid());
		}

		@Test
		void deleteWhenKidGivenThenOnlyThatKeyGoesAndAgainIsFalse() {
			Instant base = Instant.parse("2002-03-04T05:06:07.000001Z");
			SigningKey a = newKey(SigningAlgorithm.ES256, base, base);
			SigningKey b = newKey(SigningAlgorithm.ES256, base, base);
			keys.insert(a);
			keys.insert(b);

			assertThat(keys.delete(a.kid())).isTrue();
			assertThat(keys.delete(a.kid())).isFalse();
			assertThat(keys.findAll().stream().map(SigningKey::kid)).contains(b.kid()).doesNotContain(a.kid());
		}

		@Test
		void deleteExceptWhenKeepIsEmptyThenEveryOldKeyDeleted() {
			Instant base = Instant.parse("2000-01-01T00:00:00.000001Z");
			SigningKey a = newKey(SigningAlgorithm.ES256, base.minus(Duration.ofDays(2)), base);
			SigningKey b = newKey(SigningAlgorithm.ES256, base.minus(Duration.ofDays(1)), base);
			keys.insert(a);
			keys.insert(b);

			assertThat(keys.deleteExcept(List.of(), base)).isEqualTo(2);
			assertThat(keys.findAll().stream().map(SigningKey::kid)).doesNotContain(a.kid(), b.kid());
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
