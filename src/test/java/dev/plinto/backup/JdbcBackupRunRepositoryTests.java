package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcBackupRunRepositoryTests {

	abstract static class Contract extends DatabaseContract {

		BackupRunRepository runs;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepository() {
			runs = new JdbcBackupRunRepository(jdbc);
			jdbc.sql("delete from backup_runs").update();
		}

		static BackupRun run(Instant finished, BackupRun.Outcome outcome) {
			return new BackupRun(SecureTokens.newId("bkp"), "node-1", finished.minusSeconds(5), finished, outcome,
					outcome == BackupRun.Outcome.SUCCESS ? "plinto-20260101T030000Z.backup" : null,
					outcome == BackupRun.Outcome.SUCCESS ? 5_000_000_000L : null,
					outcome == BackupRun.Outcome.SUCCESS ? 12L : null,
					outcome == BackupRun.Outcome.FAILURE ? "disk full" : null);
		}

		@Test
		void lastSuccessWhenNoRunsThenEmpty() {
			assertThat(runs.lastSuccess()).isEmpty();
		}

		@Test
		void lastSuccessWhenSuccessesAndALaterFailureThenTheNewestSuccess() {
			Instant t = Instant.parse("2026-01-01T03:00:05.123456Z");
			runs.insert(run(t.minus(Duration.ofDays(1)), BackupRun.Outcome.SUCCESS));
			runs.insert(run(t, BackupRun.Outcome.SUCCESS));
			runs.insert(run(t.plus(Duration.ofDays(1)), BackupRun.Outcome.FAILURE));
			assertThat(runs.lastSuccess()).contains(t);
			assertThat(jdbc.sql("select size_bytes from backup_runs where outcome = 'SUCCESS' order by finished_at")
				.query(Long.class)
				.list()).containsExactly(5_000_000_000L, 5_000_000_000L);
		}

		@Test
		void deleteFinishedBeforeWhenOldAndNewRunsThenOnlyOldDeleted() {
			Instant t = Instant.parse("2026-01-01T03:00:00Z");
			runs.insert(run(t.minus(Duration.ofDays(100)), BackupRun.Outcome.SUCCESS));
			runs.insert(run(t, BackupRun.Outcome.FAILURE));
			assertThat(runs.deleteFinishedBefore(t.minus(Duration.ofDays(90)))).isEqualTo(1);
			assertThat(jdbc.sql("select count(*) from backup_runs").query(Long.class).single()).isEqualTo(1);
			assertThat(runs.lastSuccess()).isEmpty();
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
