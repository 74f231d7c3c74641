package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.DatabaseContract;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link MasterKeyRotation} with {@link JdbcSealedValueRepository} on H2 and PostgreSQL: every sealed column
 * (signing keys, TOTP secrets, queued mail) is re-sealed under the new key, whatever form and previous key a value
 * was in; an interrupted run resumes; values no key opens are left untouched.
 */
class MasterKeyRotationTests {

	// The columns the features declare (JdbcSigningKeyRepository, JdbcMfaRepository, Mailer).
	static final SealedColumn SIGNING_KEYS = new SealedColumn("signing_keys", "kid", "private_jwk", "signing_key:");

	static final SealedColumn TOTP = new SealedColumn("totp_factors", "user_id", "secret", "totp:");

	static final SealedColumn MAIL = new SealedColumn("mail_outbox", "id", "body", "mail:");

	static byte[] key(int fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return key;
	}

	static final byte[] OLD = key(11);

	static final byte[] NEW = key(12);

	static final byte[] OLDER = key(13);

	/** The form written before keys had ids (0x01 | nonce | AES-GCM output), built with the JDK's cipher. */
	static String legacySeal(byte[] key, String plaintext, String associatedData) throws Exception {
		byte[] nonce = SecureTokens.randomBytes(12);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
		cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
		byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
		return Base64.getEncoder()
			.encodeToString(ByteBuffer.allocate(1 + 12 + body.length).put((byte) 1).put(nonce).put(body).array());
	}

	abstract static class Contract extends DatabaseContract {

		private final SecretBox oldBox = new SecretBox(OLD);

		private final SecretBox rotating = new SecretBox(new MasterKeys(NEW, List.of(OLD, OLDER)));

		private final SecretBox newOnly = new SecretBox(NEW);

		private MasterKeyRotation rotation;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void emptyTablesAndRotation() {
			// Tests share the database within a class; rotation covers whole tables, so each starts from none.
			jdbc.sql("delete from mail_outbox").update();
			jdbc.sql("delete from totp_factors").update();
			jdbc.sql("delete from signing_keys").update();
			jdbc.sql("delete from users").update();
			rotation = new MasterKeyRotation(List.of(SIGNING_KEYS, TOTP, MAIL), new JdbcSealedValueRepository(jdbc),
					new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
		}

		private static OffsetDateTime now() {
			return OffsetDateTime.now(ZoneOffset.UTC);
		}

		private void signingKey(String kid, String sealed) {
			jdbc.sql("insert into signing_keys (kid, alg, public_jwk, private_jwk, created_at, activates_at) "
					+ "values (:kid, 'RS256', '{}', :priv, :now, :now)")
				.param("kid", kid)
				.param("priv", sealed)
				.param("now", now())
				.update();
		}

		private void totp(String userId, String sealed) {
			jdbc.sql("insert into users (id, email, password_hash, created_at, updated_at) "
					+ "values (:id, :email, 'x', :now, :now)")
				.param("id", userId)
				.param("email", userId + "@example.com")
				.param("now", now())
				.update();
			jdbc.sql("insert into totp_factors (user_id, secret, created_at) values (:user, :secret, :now)")
				.param("user", userId)
				.param("secret", sealed)
				.param("now", now())
				.update();
		}

		private void mail(String id, String sealedOrNull) {
			jdbc.sql("insert into mail_outbox (id, recipient, subject, body, created_at, next_attempt_at) "
					+ "values (:id, 'a@example.com', 'Hi', :body, :now, :now)")
				.param("id", id)
				.param("body", sealedOrNull)
				.param("now", now())
				.update();
		}

		private String value(SealedColumn c, String key) {
			return jdbc.sql("select " + c.valueColumn() + " from " + c.table() + " where " + c.keyColumn() + " = :k")
				.param("k", key)
				.query(String.class)
				.optional()
				.orElse(null);
		}

		/** Seven signing keys, three TOTP secrets and two mails in every form, plus a sent mail without a body. */
		private void seedUnderOldKeys() throws Exception {
			for (int i = 1; i <= 7; i++) {
				String kid = "kid-" + i;
				signingKey(kid, i % 2 == 0 ? legacySeal(OLD, "jwk " + i, SIGNING_KEYS.associatedData(kid))
						: oldBox.seal("jwk " + i, SIGNING_KEYS.associatedData(kid)));
			}
			totp("usr_a", oldBox.seal("totp a", TOTP.associatedData("usr_a")));
			totp("usr_b", legacySeal(OLDER, "totp b", TOTP.associatedData("usr_b")));
			totp("usr_c", newOnly.seal("totp c", TOTP.associatedData("usr_c")));
			mail("mail_1", new SecretBox(OLDER).seal("body 1", MAIL.associatedData("mail_1")));
			mail("mail_2", legacySeal(OLD, "body 2", MAIL.associatedData("mail_2")));
			mail("mail_sent", null);
		}

		private void assertEverythingOpensWithTheNewKeyAlone() {
			for (int i = 1; i <= 7; i++) {
				String sealed = value(SIGNING_KEYS, "kid-" + i);
				assertThat(SecretBox.keyIdOf(sealed)).hasValue(SecretBox.keyId(NEW));
				assertThat(newOnly.open(sealed, SIGNING_KEYS.associatedData("kid-" + i))).isEqualTo("jwk " + i);
			}
			for (String user : List.of("a", "b", "c")) {
				assertThat(newOnly.open(value(TOTP, "usr_" + user), TOTP.associatedData("usr_" + user)))
					.isEqualTo("totp " + user);
			}
			assertThat(newOnly.open(value(MAIL, "mail_1"), MAIL.associatedData("mail_1"))).isEqualTo("body 1");
			assertThat(newOnly.open(value(MAIL, "mail_2"), MAIL.associatedData("mail_2"))).isEqualTo("body 2");
			assertThat(value(MAIL, "mail_sent")).isNull();
			assertThat(rotation.remaining(newOnly)).isZero();
		}

		@Test
		void resealWhenValuesUnderPreviousKeysAndLegacyFormThenAllUnderTheNewKeyInBatches() throws Exception {
			seedUnderOldKeys();
			String alreadyNew = value(TOTP, "usr_c");
			assertThat(rotation.remaining(rotating)).isEqualTo(11);
			List<String> batches = new ArrayList<>();

			MasterKeyRotation.Result result = rotation.reseal(rotating, 3,
					(column, resealed, unreadable) -> batches.add(column + ":" + resealed));

			assertThat(result.resealed()).isEqualTo(11);
			assertThat(result.unreadable()).isZero();
			assertThat(batches).containsExactly("signing_keys.private_jwk:3", "signing_keys.private_jwk:3",
					"signing_keys.private_jwk:1", "totp_factors.secret:2", "mail_outbox.body:2");
			assertThat(value(TOTP, "usr_c")).as("a value already under the new key is not rewritten")
				.isEqualTo(alreadyNew);
			assertEverythingOpensWithTheNewKeyAlone();
		}

		@Test
		void resealWhenRunAgainThenNothingToDo() throws Exception {
			seedUnderOldKeys();
			rotation.reseal(rotating, 100, (c, r, u) -> {
			});
			String before = value(SIGNING_KEYS, "kid-1");

			MasterKeyRotation.Result again = rotation.reseal(rotating, 100, (c, r, u) -> {
			});

			assertThat(again.resealed()).isZero();
			assertThat(value(SIGNING_KEYS, "kid-1")).isEqualTo(before);
		}

		@Test
		void resealWhenInterruptedAfterOneBatchThenThatBatchIsCommittedAndASecondRunFinishes() throws Exception {
			seedUnderOldKeys();
			AtomicInteger batches = new AtomicInteger();

			assertThatThrownBy(() -> rotation.reseal(rotating, 2, (column, resealed, unreadable) -> {
				batches.incrementAndGet();
				throw new IllegalStateException("interrupted");
			})).hasMessage("interrupted");

			assertThat(batches).hasValue(1);
			assertThat(rotation.remaining(rotating)).isEqualTo(9);
			assertThat(SecretBox.keyIdOf(value(SIGNING_KEYS, "kid-1"))).hasValue(SecretBox.keyId(NEW));
			assertThat(SecretBox.keyIdOf(value(SIGNING_KEYS, "kid-3"))).hasValue(SecretBox.keyId(OLD));

			MasterKeyRotation.Result resumed = rotation.reseal(rotating, 2, (c, r, u) -> {
			});

			assertThat(resumed.resealed()).isEqualTo(9);
			assertEverythingOpensWithTheNewKeyAlone();
		}

		@Test
		void resealWhenAValueOpensUnderNoKeyInForceThenLeftAsItIsCountedAndTheRestDone() throws Exception {
			String foreign = new SecretBox(key(99)).seal("lost", SIGNING_KEYS.associatedData("kid-a"));
			signingKey("kid-a", foreign);
			signingKey("kid-b", oldBox.seal("jwk b", SIGNING_KEYS.associatedData("kid-b")));
			signingKey("kid-c", oldBox.seal("jwk c", SIGNING_KEYS.associatedData("kid-c")));

			MasterKeyRotation.Result result = rotation.reseal(rotating, 1, (c, r, u) -> {
			});

			assertThat(result.resealed()).isEqualTo(2);
			assertThat(result.unreadable()).isEqualTo(1);
			assertThat(value(SIGNING_KEYS, "kid-a")).isEqualTo(foreign);
			assertThat(newOnly.open(value(SIGNING_KEYS, "kid-c"), SIGNING_KEYS.associatedData("kid-c")))
				.isEqualTo("jwk c");
			assertThat(rotation.remaining(rotating)).isEqualTo(1);
		}

		@Test
		void replaceWhenTheRowChangedSinceItWasReadThenLeftAsTheServerWroteIt() {
			JdbcSealedValueRepository repository = new JdbcSealedValueRepository(jdbc);
			String read = oldBox.seal("v1", MAIL.associatedData("mail_x"));
			mail("mail_x", read);
			String written = rotating.seal("v2", MAIL.associatedData("mail_x"));
			jdbc.sql("update mail_outbox set body = :b where id = 'mail_x'").param("b", written).update();

			assertThat(repository.replace(MAIL, "mail_x", read, rotating.reseal(read, MAIL.associatedData("mail_x"))))
				.isFalse();
			assertThat(value(MAIL, "mail_x")).isEqualTo(written);
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
