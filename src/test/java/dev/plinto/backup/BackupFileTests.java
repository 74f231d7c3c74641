package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The backup file format stays readable: files written by earlier Plinto versions (format version 1, kept in
 * {@code src/test/resources/backup/}, one per way of obtaining the key) restore with every row intact.
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
