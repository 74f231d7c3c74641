package dev.plinto.admin;

import dev.plinto.account.User;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit log across all users, newest first, for the dashboard's audit page and the Backend API's
 * {@code GET /v1/admin/audit} and its export: filtered by user (id or email, as the subject or the actor), event
 * type, time range, IP address and organization, read in pages after a {@code (time, id)} position (keyset
 * pagination on the {@code occurred_at} index, so a deep page costs what the first one does). Read-only; the
 * filters are bound parameters, never SQL text.
 */
@Component
final class DashboardAuditSearch {

	/** The dashboard's page size. */
	static final int PAGE = 50;

	/** Rows per query while {@link #forEach exporting}: memory stays bounded whatever the log's size. */
	static final int EXPORT_BATCH = 500;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	DashboardAuditSearch(DataSource dataSource, AuditLog audit) {
		this.jdbc = JdbcClient.create(dataSource);
		this.audit = audit;
	}

	/** An event as the Backend API answers it. */
	record EventView(String id, String type, Instant occurredAt, @Schema(nullable = true) String userId,
			@Schema(nullable = true) String sessionId, @Schema(nullable = true) String ip,
			@Schema(nullable = true) String userAgent, @Schema(nullable = true) String detail,
			@Schema(nullable = true) String organizationId,
			@Schema(description = "Who made the change when not the user: an API key's id or an administrator's user id", nullable = true)
			String actorId) {

		static EventView of(AuditEvent e) {
			return new EventView(e.id(), e.type().wireName(), e.occurredAt(), e.userId(), e.sessionId(), e.ip(),
					e.userAgent(), e.detail(), e.organizationId(), e.actorId());
		}
	}

	/**
	 * The filters; blank or null ones do not filter. {@code from} is included, {@code to} excluded. A {@code type}
	 * that is not an {@link AuditEvent.Type#wireName()} matches nothing.
	 */
	record Filter(String user, String type, Instant from, Instant to, String ip, String organization) {
	}

	/** Where a page starts: after the event with this time and id (the previous page's last). */
	record Position(Instant at, String id) {

		/** The position as text, {@code <time>|<id>}, for a link or a cursor. */
		String text() {
			return at + "|" + id;
		}

		/** A position made by {@link #text()}; empty for anything else. */
		static Optional<Position> parse(String text) {
			if (text == null) {
				return Optional.empty();
			}
			String[] parts = text.split("\\|", 2);
			if (parts.length != 2 || !parts[1].matches("[a-z]+_[0-9A-Za-z]+")) {
				return Optional.empty();
			}
			try {
				return Optional.of(new Position(Instant.parse(parts[0]), parts[1]));
			}
			catch (RuntimeException e) {
				return Optional.empty();
			}
		}

		static Position of(AuditEvent e) {
			return new Position(e.occurredAt(), e.id());
		}
	}

	/** One page of events and the position after its last one (null when there is no more). */
	record Result(List<AuditEvent> events, String next) {
	}

	/** The dashboard's page of {@link #PAGE} events after a position as text (a forged one means the first page). */
	Result search(Filter f, String after) {
		List<AuditEvent> rows = events(f, Position.parse(after).orElse(null), PAGE + 1);
		if (rows.size() <= PAGE) {
			return new Result(rows, null);
		}
		List<AuditEvent> page = rows.subList(0, PAGE);
		return new Result(page, Position.of(page.get(PAGE - 1)).text());
	}

	/**
	 * The Backend API's page: {@code limit} events after the position a {@code cursor} (a {@code next_cursor} of an
	 * earlier page) names; 400 {@code validation_failed} on a cursor Plinto did not make.
	 */
	Page<EventView> page(Filter f, String cursor, int limit) {
		String after = PageCursor.decode(cursor);
		Position position = after == null ? null : Position.parse(after).orElseThrow(PageCursor::forged);
		return Page.of(events(f, position, Page.rowsFor(limit)), limit, e -> Position.of(e).text(), EventView::of);
	}

	/**
	 * The Backend API's export: records {@code audit.exported} with the key as the actor and the filters as its
	 * detail first (so an export cut short is on record too, and as the newest event it is the export's first line
	 * when it matches the filters), then hands every matching event to {@code sink}, newest first
	 * ({@link #forEach}). OWASP Logging Cheat Sheet, "Which events to log": reading audit data in bulk is itself
	 * an event to record.
	 *
	 * @return how many events were handed over
	 */
	long export(AdminCaller caller, Filter f, Consumer<EventView> sink) {
		AuditLog.actingAs(caller.keyId(), () -> {
			audit.record(AuditEvent.Type.AUDIT_EXPORTED, null, null, caller.client(), describe(f));
			return null;
		});
		return forEach(f, e -> sink.accept(EventView.of(e)));
	}

	/** The filters as the export event's detail, e.g. {@code type=sign_in.failed from=2026-12-01T00:00:00Z}. */
	static String describe(Filter f) {
		StringBuilder d = new StringBuilder();
		for (String[] part : new String[][] { { "user", f.user() }, { "type", f.type() },
				{ "from", f.from() == null ? null : f.from().toString() },
				{ "to", f.to() == null ? null : f.to().toString() }, { "ip", f.ip() },
				{ "organization", f.organization() } }) {
			if (!blank(part[1])) {
				d.append(d.isEmpty() ? "" : " ").append(part[0]).append('=').append(part[1].strip());
			}
		}
		return d.isEmpty() ? "all events" : d.toString();
	}

	/** At most {@code rows} events matching the filter, newest first, after {@code after} (null: from the newest). */
	List<AuditEvent> events(Filter f, Position after, int rows) {
		return rows(f, after, rows).stream().filter(e -> e.type() != null).toList();
	}

	/** As {@link #events}, with the rows whose type this version does not know (type null) left in. */
	private List<AuditEvent> rows(Filter f, Position after, int rows) {
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
			sql.append(" and type = ?");
			params.add(type(f.type()).map(Enum::name).orElse("-"));
		}
		if (f.from() != null) {
			sql.append(" and occurred_at >= ?");
			params.add(Timestamp.from(f.from()));
		}
		if (f.to() != null) {
			sql.append(" and occurred_at < ?");
			params.add(Timestamp.from(f.to()));
		}
		if (!blank(f.ip())) {
			sql.append(" and ip = ?");
			params.add(f.ip().strip());
		}
		if (!blank(f.organization())) {
			sql.append(" and organization_id = ?");
			params.add(f.organization().strip());
		}
		if (after != null) {
			Timestamp at = Timestamp.from(after.at());
			sql.append(" and (occurred_at < ? or (occurred_at = ? and id < ?))");
			params.add(at);
			params.add(at);
			params.add(after.id());
		}
		sql.append(" order by occurred_at desc, id desc limit ").append(rows);
		return jdbc.sql(sql.toString())
			.params(params)
			.query((rs, n) -> new AuditEvent(rs.getString("id"), storedType(rs.getString("type")),
					rs.getTimestamp("occurred_at").toInstant(), rs.getString("user_id"), rs.getString("session_id"),
					rs.getString("ip"), rs.getString("user_agent"), rs.getString("detail"),
					rs.getString("organization_id"), rs.getString("actor_id")))
			.list();
	}

	/**
	 * Every event matching the filter, newest first, handed to {@code sink} one by one: read {@link #EXPORT_BATCH}
	 * at a time after the last one handed over, so neither the server's memory nor a database cursor is held for
	 * the whole export, and a slow reader holds no connection between batches.
	 *
	 * @return how many events were handed over
	 */
	long forEach(Filter f, Consumer<AuditEvent> sink) {
		long count = 0;
		Position after = null;
		while (true) {
			List<AuditEvent> batch = rows(f, after, EXPORT_BATCH);
			for (AuditEvent e : batch) {
				if (e.type() != null) {
					sink.accept(e);
					count++;
				}
			}
			if (batch.size() < EXPORT_BATCH) {
				return count;
			}
			after = Position.of(batch.get(batch.size() - 1));
		}
	}

	/** The type with this wire name ({@code sign_in.failed}), if there is one. */
	static Optional<AuditEvent.Type> type(String wireName) {
		String name = wireName == null ? "" : wireName.strip();
		return Arrays.stream(AuditEvent.Type.values()).filter(t -> t.wireName().equals(name)).findFirst();
	}

	private static AuditEvent.Type storedType(String name) {
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
