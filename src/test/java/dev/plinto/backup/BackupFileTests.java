package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The backup file format stays readable: files written by earlier Plinto versions (format version 1, kept in
 * {@code src/test/resources/backup/}, one per way of obtaining the key) restore with every row intact, and a
 * payload of several 1 MiB segments comes back unchanged and fails authentication when one byte is changed.
 */
class BackupFileTests {

	/** The {@code PLINTO_BACKUP_KEY} the key fixture was written with (test data only). */
	static final byte[] FIXTURE_KEY = HexFormat.of()
		.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

	/** The passphrase the passphrase fixture was written with (Argon2id, RFC 9106 second option, test data only). */
	static final String FIXTURE_PASSPHRASE = "correct horse battery staple";

	@TempDir
	Path dir;

	@Test
	void restoreWhenFileWrittenByEarlierFormatThenRestores() throws Exception {
		assertFixtureRestores("format-1-key.backup", BackupKey.fromKey(FIXTURE_KEY), BackupKey.Kind.KEY);
		assertFixtureRestores("format-1-passphrase.backup", null, BackupKey.Kind.PASSPHRASE);
	}

	@Test
	void decryptWhenPayloadSpansSeveralSegmentsThenSameBytesAndAChangedByteFails() throws Exception {
		byte[] payload = new byte[BackupFile.SEGMENT_BYTES * 5 / 2];
		new Random(42).nextBytes(payload); // incompressible, so the ciphertext spans three segments
		BackupKey key = BackupKey.fromKey(BackupRestoreTests.randomKey());
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		try (OutputStream out = BackupFile.encrypt(file, key)) {
			out.write(payload);
		}
		byte[] bytes = file.toByteArray();
		assertThat(bytes.length).isGreaterThan(2 * BackupFile.SEGMENT_BYTES);
		assertThat(decrypt(bytes, key)).isEqualTo(payload);

		byte[] changed = bytes.clone();
		changed[BackupFile.SEGMENT_BYTES + 100] ^= 0x01;
		assertThatThrownBy(() -> decrypt(changed, key)).isInstanceOf(IOException.class);
	}

	/** RFC 5869 Appendix A, test cases 1 (salt and info) and 3 (no salt, no info): HKDF-SHA256 of the key check. */
	@Test
	void hkdfSha256WhenRfc5869TestVectorsThenExpectedOutput() {
		HexFormat hex = HexFormat.of();
		byte[] ikm = hex.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
		assertThat(hex.formatHex(BackupKey.hkdfSha256(ikm, hex.parseHex("000102030405060708090a0b0c"),
				hex.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42)))
			.isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
		assertThat(hex.formatHex(BackupKey.hkdfSha256(ikm, new byte[0], new byte[0], 42)))
			.isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
	}

	/** The key-check value of the fixture key, as written into the fixture's header by format version 1. */
	@Test
	void checkWhenFixtureKeyThenSameValueAsTheFixtureHeader() throws Exception {
		BackupFile.Header header;
		try (InputStream in = BackupFileTests.class.getResourceAsStream("/backup/format-1-key.backup")) {
			header = BackupFile.readHeader(in);
		}
		assertThat(BackupKey.fromKey(FIXTURE_KEY).check()).isEqualTo(header.keyCheck());
		assertThat(header.bytes()).startsWith("PLINTOBK".getBytes(StandardCharsets.US_ASCII));
	}

	private static byte[] decrypt(byte[] file, BackupKey key) throws IOException {
		InputStream in = new ByteArrayInputStream(file);
		BackupFile.Header header = BackupFile.readHeader(in);
		try (InputStream plain = new GZIPInputStream(BackupFile.decrypt(in, header, key))) {
			return plain.readAllBytes();
		}
	}

	private void assertFixtureRestores(String name, BackupKey key, BackupKey.Kind kind) throws Exception {
		Path file = dir.resolve(name);
		try (var in = BackupFileTests.class.getResourceAsStream("/backup/" + name)) {
			assertThat(in).as(name).isNotNull();
			Files.copy(in, file);
		}
		try (HikariDataSource target = BackupRestoreTests.pool(TestDatabases.newH2Url(), "sa", "")) {
			DatabaseRestore.Result result = DatabaseRestore.restore(file, header -> {
				assertThat(header.kind()).isEqualTo(kind);
				return key != null ? key
						: BackupKey.fromPassphrase(FIXTURE_PASSPHRASE.toCharArray(), header.argon2());
			}, target, BackupProgress.silent(), BackupProgress.silent());
			assertThat(result.rows()).isEqualTo(6);
			assertThat(result.schemaVersion()).isEqualTo("5");
			assertThat(result.createdAt()).isEqualTo("2026-12-06T12:00:00.123456Z");

			JdbcClient jdbc = JdbcClient.create(target);
			List<Map<String, Object>> users = jdbc.sql("select id, email, email_verified, name from users order by id")
				.query()
				.listOfRows();
			assertThat(users).extracting(u -> u.get("ID"), u -> u.get("EMAIL"), u -> u.get("EMAIL_VERIFIED"),
					u -> u.get("NAME"))
				.containsExactly(
						org.assertj.core.groups.Tuple.tuple("usr_fixture_1", "ada@example.com", true, "Ada Lovelace"),
						org.assertj.core.groups.Tuple.tuple("usr_fixture_2", "zoe@example.com", false, "Zoë Ünïcødé"),
						org.assertj.core.groups.Tuple.tuple("usr_fixture_3", "nameless@example.com", true, null));
			assertThat(jdbc.sql("select id || ' ' || user_id || ' ' || amr || ' ' || coalesce(revoke_reason, '-') "
					+ "from sessions order by id").query(String.class).list())
				.containsExactly("ses_fixture_1 usr_fixture_1 pwd -", "ses_fixture_2 usr_fixture_2 pwd mfa sign_out");
			assertThat(jdbc.sql("select failures from sign_in_failures where subject = 'email:zoe@example.com'")
				.query(Integer.class)
				.single()).isEqualTo(2);
		}
	}
}
