package dev.plinto.backup;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcBackupRunRepository implements BackupRunRepository {

	private final JdbcClient jdbc;

	JdbcBackupRunRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(BackupRun run) {
		jdbc.sql("insert into backup_runs (id, node, started_at, finished_at, outcome, file_name, size_bytes, "
				+ "row_count, error) values (:id, :node, :started, :finished, :outcome, :file, :size, :rows, :error)")
			.param("id", run.id())
			.param("node", run.node())
			.param("started", timestamp(run.startedAt()))
			.param("finished", timestamp(run.finishedAt()))
			.param("outcome", run.outcome().name())
			.param("file", run.fileName())
			.param("size", run.sizeBytes())
			.param("rows", run.rowCount())
			.param("error", run.error())
			.update();
	}

	@Override
	public Optional<Instant> lastSuccess() {
		return jdbc.sql("select max(finished_at) from backup_runs where outcome = 'SUCCESS'")
			.query((rs, n) -> Optional.ofNullable(instant(rs, 1)))
			.single();
	}

	@Override
	public int deleteFinishedBefore(Instant before) {
		return jdbc.sql("delete from backup_runs where finished_at < :before").param("before", timestamp(before)).update();
	}
}
