package dev.plinto.audit;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcAuditRepository implements AuditRepository {

	private final JdbcClient jdbc;

	JdbcAuditRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(AuditEvent e) {
		jdbc.sql("""
				insert into audit_events (id, type, occurred_at, user_id, session_id, ip, user_agent, detail,
				organization_id, actor_id)
				values (:id, :type, :at, :user, :session, :ip, :ua, :detail, :organization, :actor)""")
			.param("id", e.id())
			.param("type", e.type().name())
			.param("at", timestamp(e.occurredAt()))
			.param("user", e.userId())
			.param("session", e.sessionId())
			.param("ip", e.ip())
			.param("ua", e.userAgent())
			.param("detail", e.detail())
			.param("organization", e.organizationId())
			.param("actor", e.actorId())
			.update();
	}

	@Override
	public List<AuditEvent> findByUser(String userId, Instant beforeTime, String beforeId, int limit) {
		if (beforeTime == null) {
			return jdbc.sql("""
					select * from audit_events where user_id = :user
					order by occurred_at desc, id desc fetch first :limit rows only""")
				.param("user", userId)
				.param("limit", limit)
				.query(JdbcAuditRepository::map)
				.list();
		}
		return jdbc.sql("""
				select * from audit_events where user_id = :user
				and (occurred_at < :at or (occurred_at = :at and id < :id))
				order by occurred_at desc, id desc fetch first :limit rows only""")
			.param("user", userId)
			.param("at", timestamp(beforeTime))
			.param("id", beforeId)
			.param("limit", limit)
			.query(JdbcAuditRepository::map)
			.list();
	}

	@Override
	public int deleteOlderThan(Instant cutoff, int limit) {
		// In batches, so that a first run over years of events holds no long transaction or lock (index
		// audit_events_occurred_idx, V5).
		return jdbc.sql("""
				delete from audit_events where id in (
				select id from audit_events where occurred_at < :cutoff fetch first :limit rows only)""")
			.param("cutoff", timestamp(cutoff))
			.param("limit", limit)
			.update();
	}

	private static AuditEvent map(ResultSet rs, int row) throws SQLException {
		return new AuditEvent(rs.getString("id"), AuditEvent.Type.valueOf(rs.getString("type")),
				instant(rs, "occurred_at"), rs.getString("user_id"),
				rs.getString("session_id"), rs.getString("ip"), rs.getString("user_agent"), rs.getString("detail"),
				rs.getString("organization_id"), rs.getString("actor_id"));
	}
}
