package dev.plinto.admin;

import dev.plinto.account.User;
import dev.plinto.audit.AuditEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log across all users, newest first, for the dashboard's audit page: filtered by user (id or email),
 * event type, UTC date range, IP address, organization and actor, in pages of {@link #PAGE} after a
 * {@code (time, id)} position. Read-only; the filters are bound parameters, never SQL text.
 */
@Component
final class DashboardAuditSearch {

	static final int PAGE = 50;

	private final JdbcClient jdbc;

	DashboardAuditSearch(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
	}

	/** The filters; blank ones do not filter. {@code from} and {@code to} are UTC days, both included. */
	record Filter(String user, String type, LocalDate from, LocalDate to, String ip, String organization) {
	}

	/** One page of events and the position after its last one (null when there is no more). */
	record Result(List<AuditEvent> events, String next) {
	}

	Result search(Filter f, String after) {
		StringBuilder sql = new StringBuilder("""
				select id, type, occurred_at, user_id, session_id, ip, user_agent, detail, organization_id, actor_id
				from audit_events where 1 = 1""");
		List<Object> params = new ArrayList<>();
		if (!blank(f.user())) {
			String user = f.user().strip();
			Optional<String> byEmail = user.contains("@") ? jdbc.sql("select id from users where email = ?")
				.param(User.normalizeEmail(user))
				.query(String.class)
				.optional() : Optional.empty();
			sql.append(" and (user_id = ? or actor_id = ?)");
			params.add(byEmail.orElse(user));
			params.add(byEmail.orElse(user));
		}
		if (!blank(f.type())) {
			Optional<AuditEvent.Type> type = Arrays.stream(AuditEvent.Type.values())
				.filter(t -> t.wireName().equals(f.type().strip()))
				.findFirst();
			sql.append(" and type = ?");
			params.add(type.map(Enum::name).orElse("-"));
		}
		if (f.from() != null) {
			sql.append(" and occurred_at >= ?");
			params.add(Timestamp.from(f.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
		}
		if (f.to() != null) {
			sql.append(" and occurred_at < ?");
			params.add(Timestamp.from(f.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
		}
		if (!blank(f.ip())) {
			sql.append(" and ip = ?");
			params.add(f.ip().strip());
		}
		if (!blank(f.organization())) {
			sql.append(" and organization_id = ?");
			params.add(f.organization().strip());
		}
		String[] position = after == null ? null : after.split("\\|", 2);
		if (position != null && position.length == 2) {
			try {
				Timestamp at = Timestamp.from(Instant.parse(position[0]));
				sql.append(" and (occurred_at < ? or (occurred_at = ? and id < ?))");
				params.add(at);
				params.add(at);
				params.add(position[1]);
			}
			catch (RuntimeException e) {
				// a forged position: the first page
			}
		}
		sql.append(" order by occurred_at desc, id desc limit ").append(PAGE + 1);
		List<AuditEvent> rows = jdbc.sql(sql.toString())
			.params(params)
			.query((rs, n) -> new AuditEvent(rs.getString("id"), type(rs.getString("type")),
					rs.getTimestamp("occurred_at").toInstant(), rs.getString("user_id"), rs.getString("session_id"),
					rs.getString("ip"), rs.getString("user_agent"), rs.getString("detail"),
					rs.getString("organization_id"), rs.getString("actor_id")))
			.list();
		rows = rows.stream().filter(e -> e.type() != null).toList();
		if (rows.size() <= PAGE) {
			return new Result(rows, null);
		}
		List<AuditEvent> page = rows.subList(0, PAGE);
		AuditEvent last = page.get(PAGE - 1);
		return new Result(page, last.occurredAt() + "|" + last.id());
	}

	private static AuditEvent.Type type(String name) {
		try {
			return AuditEvent.Type.valueOf(name);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}
}
