package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Scheduled backups in the running server, on a schedule of every second (runs are at least 30 s apart: the lock
 * is held that long): a run writes a restorable file into PLINTO_BACKUP_DIR and records itself; the metric and
 * /health/backup report it, and report "too old" once the last success is older than PLINTO_BACKUP_MAX_AGE;
 * retention deletes the scheduled backups it does not keep and nothing else.
 */
class ScheduledBackupTests extends ApiTestSupport {

	private static final byte[] KEY = BackupRestoreTests.randomKey();

	private static final Path DIR = tempDir();

	@DynamicPropertySource
	static void backups(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_BACKUP_DIR", DIR::toString);
		registry.add("PLINTO_BACKUP_KEY", () -> Base64.getEncoder().encodeToString(KEY));
		registry.add("PLINTO_BACKUP_SCHEDULE", () -> "* * * * * *");
		registry.add("PLINTO_BACKUP_KEEP", () -> "2 latest");
		registry.add("PLINTO_BACKUP_MAX_AGE", () -> "1h");
	}

	@Autowired
	ScheduledBackups scheduled;

	@Autowired
	JdbcClient jdbc;

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("plinto-scheduled-backups");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@AfterAll
	static void deleteDir() throws IOException {
		try (Stream<Path> files = Files.walk(DIR)) {
			for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(p);
			}
		}
	}

	private List<Path> backupFiles() throws IOException {
		try (Stream<Path> files = Files.list(DIR)) {
			return files.filter(f -> ScheduledBackups.FILE_NAME.matcher(f.getFileName().toString()).matches())
				.sorted()
				.toList();
		}
	}

	@Test
	void scheduleWhenDueThenRestorableBackupRecordedReportedAndRetentionApplied() throws Exception {
		String email = newEmail();
		signUp(email);
		await("a successful scheduled backup run").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> jdbc.sql("select count(*) from backup_runs where outcome = 'SUCCESS'")
				.query(Long.class)
				.single() > 0);
		assertThat(backupFiles()).as("a scheduled run wrote a backup").hasSize(1);

		// One more run now, after the sign-up (the scheduled one may have run before it): restorable, and holds it.
		clock.advance(Duration.ofMinutes(1));
		BackupRun run = scheduled.backUp();
		assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(BackupRun.Outcome.SUCCESS);
		assertThat(jdbc.sql("select file_name from backup_runs where outcome = 'SUCCESS'").query(String.class).list())
			.contains(run.fileName());
		assertThat(jdbc.sql("select detail from audit_events where type = 'BACKUP_CREATED'").query(String.class).list())
			.anySatisfy(detail -> assertThat(detail).contains(run.fileName()));
		try (HikariDataSource target = BackupRestoreTests.pool(TestDatabases.newH2Url(), "sa", "")) {
			DatabaseRestore.restore(DIR.resolve(run.fileName()), h -> BackupKey.fromKey(KEY), target,
					BackupProgress.silent(), BackupProgress.silent());
			assertThat(DatabaseContents.of(target).get("users")).anySatisfy(row -> assertThat(row).contains(email));
		}

		ApiClient.Response health = api.get("/health/backup");
		assertThat(health.status()).as(health.toString()).isEqualTo(200);
		assertThat(health.text("backup")).isEqualTo("ok");
		assertThat(health.json().get("max_age_seconds").asLong()).isEqualTo(3600);
		assertThat(api.get("/metrics").raw()).containsPattern("plinto_backup_last_success_timestamp_seconds\\{[^}]*\\} [0-9.E]+")
			.contains("plinto_backups_total{");

		Files.writeString(DIR.resolve("plinto-20200101T030000Z.backup"), "old");
		Files.writeString(DIR.resolve("plinto-20200102T030000Z.backup"), "old");
		Files.writeString(DIR.resolve("notes.txt"), "not a backup");
		List<Path> deleted = scheduled.applyRetention(DIR);
		assertThat(backupFiles()).hasSize(2).doesNotContain(DIR.resolve("plinto-20200101T030000Z.backup"));
		assertThat(deleted).contains(DIR.resolve("plinto-20200101T030000Z.backup"));
		assertThat(DIR.resolve("notes.txt")).exists();

		clock.advance(Duration.ofHours(2));
		ApiClient.Response stale = api.get("/health/backup");
		assertThat(stale.status()).as(stale.toString()).isEqualTo(503);
		assertThat(stale.text("status")).isEqualTo("DOWN");
		assertThat(stale.text("backup")).isEqualTo("too_old");
		assertThat(stale.header("Retry-After")).isNotNull();
	}
}
