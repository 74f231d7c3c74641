package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.PlintoApplication;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.TestDatabases;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.token.SigningKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A PostgreSQL installation populated through the real API is backed up, restored into H2 and into a fresh
 * PostgreSQL database, and each restored database holds exactly the same rows and serves the same users: a user
 * signs in with the old password and an old session refreshes, on a server started on the restored database.
 */
class BackupRestoreTests extends PostgresApiTestSupport {

	@Autowired
	DataSource dataSource;

	@Autowired
	SigningKeys signingKeys;

	@TempDir
	Path dir;

	@Test
	void restoreWhenPostgresBackupIntoH2AndIntoFreshPostgresThenEveryRowEqualAndUsersSignInAndRefresh()
			throws Exception {
		// Populate through the API: accounts, sessions and refresh tokens, a signed-out session, failed sign-ins,
		// a password reset (request, mail, one-time token), a rotated key and the audit trail of all that.
		String alice = newEmail();
		String bob = newEmail();
		signUp(alice);
		signUp(bob);
		ApiClient.Response aliceSession = signIn(alice, PASSWORD);
		ApiClient.Response rotated = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", aliceSession.text("refresh_token")));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		String oldRefreshToken = rotated.text("refresh_token");
		ApiClient.Response bobSession = signIn(bob, PASSWORD);
		assertThat(api.post("/v1/sign-out", "", bobSession.text("access_token")).status()).isEqualTo(204);
		// refresh_tokens holds only tokens of the form issued before V20__refresh_generations.sql.
		JdbcClient.create(dataSource)
			.sql("insert into refresh_tokens (token_hash, session_id, created_at) values (?, ?, ?)")
			.params(SecureTokens.hash(SecureTokens.newSecret()), bobSession.text("session_id"),
					OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
			.update();
		assertThat(signIn(bob, "wrong password, twice").status()).isEqualTo(401);
		assertThat(api.post("/v1/password-reset", ApiClient.map("email", bob)).status()).isEqualTo(202);
		signingKeys.rotate(false);
		awaitRows("one_time_tokens", 1);
		// The mail job delivers (here: logs) the outbox in the background; a delivery between the snapshot below and
		// the backup would make them differ, so the snapshot waits until every mail has been delivered.
		awaitNoRows("select count(*) from mail_outbox where sent_at is null");

		Map<String, List<String>> source = DatabaseContents.of(dataSource);
		for (String table : List.of("users", "sessions", "refresh_tokens", "signing_keys", "audit_events",
				"sign_in_failures", "one_time_tokens", "mail_outbox", "sign_in_flows")) {
			assertThat(source.get(table)).as("the source has rows in " + table).isNotEmpty();
		}

		BackupKey key = BackupKey.fromKey(randomKey());
		Path file = dir.resolve("plinto.backup");
		DatabaseBackup.Result backup = DatabaseBackup.write(dataSource, file, key, clock.instant(),
				BackupProgress.silent());
		assertThat(backup.tables()).isEqualTo(source.size());
		assertThat(backup.rows()).isEqualTo(source.values().stream().mapToLong(List::size).sum());

		String h2Url = "jdbc:h2:file:" + dir.resolve("restored") + ";DB_CLOSE_ON_EXIT=FALSE";
		try (HikariDataSource h2 = pool(h2Url, "sa", "")) {
			DatabaseRestore.Result restored = DatabaseRestore.restore(file, h -> key, h2, BackupProgress.silent(),
					BackupProgress.silent());
			assertThat(restored.rows()).isEqualTo(backup.rows());
			assertThat(DatabaseContents.of(h2)).isEqualTo(source);
		}
		assertServesTheSameUsers(h2Url, alice, oldRefreshToken, aliceSession.text("session_id"));

		try (TestDatabases.Postgres fresh = TestDatabases.newPostgres()) {
			try (HikariDataSource pg = pool(fresh.jdbcUrl(), fresh.admin().username(), fresh.admin().password())) {
				DatabaseRestore.restore(file, h -> key, pg, BackupProgress.silent(), BackupProgress.silent());
				assertThat(DatabaseContents.of(pg)).isEqualTo(source);
			}
			assertServesTheSameUsers(fresh.url(), alice, oldRefreshToken, aliceSession.text("session_id"));
		}
	}

	/** Starts a server on the restored database: the old password signs in, the old refresh token refreshes. */
	private void assertServesTheSameUsers(String databaseUrl, String email, String refreshToken, String sessionId) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("PLINTO_DATABASE_URL", databaseUrl);
		properties.put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		properties.put("PLINTO_DATA_DIR", dir.resolve("data").toString());
		properties.put("PLINTO_ISSUER", "http://localhost");
		properties.put("server.port", "0");
		properties.put("plinto.scheduling.enabled", "false");
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(PlintoApplication.class)
			.properties(properties)
			.run()) {
			ApiClient restored = new ApiClient(
					"http://localhost:" + server.getEnvironment().getProperty("local.server.port"));
			ApiClient.Response signIn = restored.post("/v1/sign-in", ApiClient.map("email", email, "password",
					PASSWORD));
			assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
			ApiClient.Response refresh = restored.post("/v1/token/refresh",
					ApiClient.map("refresh_token", refreshToken));
			assertThat(refresh.status()).as(refresh.toString()).isEqualTo(200);
			assertThat(refresh.text("session_id")).isEqualTo(sessionId);
			assertThat(restored.get("/v1/me", refresh.text("access_token")).text("email")).isEqualTo(email);
		}
	}

	private void awaitRows(String table, int atLeast) {
		await("rows in " + table).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> DatabaseContents.count(dataSource, table) >= atLeast);
	}

	private void awaitNoRows(String countQuery) {
		await("no rows for: " + countQuery).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				try (var c = dataSource.getConnection(); var rs = c.createStatement().executeQuery(countQuery)) {
					rs.next();
					return rs.getLong(1) == 0;
				}
			});
	}

	static HikariDataSource pool(String url, String user, String password) {
		HikariDataSource ds = new HikariDataSource();
		ds.setJdbcUrl(url);
		ds.setUsername(user);
		ds.setPassword(password);
		ds.setMaximumPoolSize(2);
		return ds;
	}

	static byte[] randomKey() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return key;
	}
}
