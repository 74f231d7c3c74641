package dev.plinto.backup;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
			.param("started", utc(run.startedAt()))
			.param("finished", utc(run.finishedAt()))
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
			.query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
			.single();
	}

	@Override
	public int deleteFinishedBefore(Instant before) {
		return jdbc.sql("delete from backup_runs where finished_at < :before").param("before", utc(before)).update();
	}

	private static OffsetDateTime utc(Instant t) {
		return t == null ? null : t.atOffset(ZoneOffset.UTC);
	}
}
