package dev.plinto.webhook;

import dev.plinto.crypto.SecureTokens;
import dev.plinto.platform.SqlRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcWebhookRepository implements WebhookRepository {

	private static final String ENDPOINT_COLUMNS = """
			e.id, e.url, e.description, e.event_types, e.enabled, e.disabled_reason, e.secret, e.previous_secret,
			e.previous_secret_expires_at, e.failing_since, e.created_at, e.updated_at""";

	private final JdbcClient jdbc;

	JdbcWebhookRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insertEndpoint(Endpoint e) {
		jdbc.sql("""
				insert into webhook_endpoints (id, url, description, event_types, enabled, secret, created_at,
				    updated_at)
				values (:id, :url, :description, :types, :enabled, :secret, :now, :now)""")
			.param("id", e.id())
			.param("url", e.url())
			.param("description", e.description())
			.param("types", SqlRows.words(e.eventTypes()))
			.param("enabled", e.enabled())
			.param("secret", e.sealedSecret())
			.param("now", SqlRows.timestamp(e.createdAt()))
			.update();
		jdbc.sql("insert into webhook_endpoint_claims (endpoint_id) values (:id)").param("id", e.id()).update();
	}

	@Override
	public Optional<Endpoint> findEndpoint(String id) {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints e where e.id = :id")
			.param("id", id)
			.query((rs, i) -> endpoint(rs))
			.optional();
	}

	@Override
	public List<Endpoint> findEndpoints() {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints e order by e.created_at, e.id")
			.query((rs, i) -> endpoint(rs))
			.list();
	}

	@Override
	public List<Endpoint> findEnabledEndpoints() {
		return jdbc.sql("select " + ENDPOINT_COLUMNS + " from webhook_endpoints e where e.enabled = true")
			.query((rs, i) -> endpoint(rs))
			.list();
	}

	@Override
	public boolean updateEndpoint(String id, String url, String description, List<String> eventTypes, Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set url = :url, description = :description, event_types = :types,
				    updated_at = :now
				where id = :id""")
			.param("url", url)
			.param("description", description)
			.param("types", SqlRows.words(eventTypes))
			.param("now", SqlRows.timestamp(now))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean setEnabled(String id, boolean enabled, String reason, Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set enabled = :enabled, disabled_reason = :reason,
				    failing_since = case when :enabled = true then null else failing_since end, updated_at = :now
				where id = :id and enabled <> :enabled""")
			.param("enabled", enabled)
			.param("reason", enabled ? null : reason)
			.param("now", SqlRows.timestamp(now))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean updateSecrets(String id, String sealedSecret, String sealedPreviousSecret, Instant previousExpiresAt,
			Instant now) {
		return jdbc.sql("""
				update webhook_endpoints set secret = :secret, previous_secret = :previous,
				    previous_secret_expires_at = :expires, updated_at = :now
				where id = :id""")
			.param("secret", sealedSecret)
			.param("previous", sealedPreviousSecret)
			.param("expires", SqlRows.timestamp(previousExpiresAt))
			.param("now", SqlRows.timestamp(now))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean deleteEndpoint(String id) {
		return jdbc.sql("delete from webhook_endpoints where id = :id").param("id", id).update() == 1;
	}

	@Override
	public void insertEvent(String id, String type, String payload, Instant now) {
		jdbc.sql("insert into webhook_events (id, type, payload, created_at) values (:id, :type, :payload, :now)")
			.param("id", id)
			.param("type", type)
			.param("payload", payload)
			.param("now", SqlRows.timestamp(now))
			.update();
	}

	@Override
	public void insertMessages(String eventId, List<String> endpointIds, Instant now) {
		for (String endpointId : endpointIds) {
			insertMessage(eventId, endpointId, now);
		}
	}

	private void insertMessage(String eventId, String endpointId, Instant now) {
		jdbc.sql("""
				insert into webhook_messages (id, event_id, endpoint_id, status, attempts, claim, next_attempt_at,
				    created_at, updated_at, seq)
				values (:id, :event, :endpoint, 'pending', 0, 0, :now, :now, :now,
				    (select coalesce(max(q.seq), 0) + 1 from webhook_messages q
				     where q.endpoint_id = :endpoint and q.status = 'pending'))""")
			.param("id", SecureTokens.newId("whd"))
			.param("event", eventId)
			.param("endpoint", endpointId)
			.param("now", SqlRows.timestamp(now))
			.update();
	}

	/**
	 * Claims per endpoint, so that first attempts to one endpoint go out in the order of their events
	 * (docs/webhooks.md, "Order"):
	 * <ol>
	 * <li>The endpoints with due deliveries and none leased, the longest waiting first, are locked in
	 * {@code webhook_endpoint_claims} with {@code FOR UPDATE SKIP LOCKED}: two nodes never claim for one endpoint at
	 * the same time, and neither waits for the other (it takes the other endpoints). A table of its own, because
	 * locking the endpoint row would also conflict with every transaction queueing a delivery (PostgreSQL's foreign
	 * key check locks the referenced row {@code FOR KEY SHARE}). H2 accepts the same statement and never hands out a
	 * locked row either (it skips more while another claim is open); embedded storage is one process whose scheduler
	 * runs one poll at a time.</li>
	 * <li>Then, endpoint by endpoint, in statements started once those locks are held (so under READ COMMITTED they
	 * see every claim committed before), an endpoint that still has a delivery leased to a node ({@code leased_until}
	 * in the future) is left out: nothing is sent to it until that node has recorded its result or its lease is
	 * over.</li>
	 * <li>Of each remaining endpoint at most {@code perEndpoint} due deliveries are taken, lowest {@code seq} (queue
	 * order) first, until {@code limit}. They get one lease, {@code leaseFor(n)} for the endpoint's {@code n}
	 * deliveries, as the dispatcher sends them one after another.</li>
	 * </ol>
	 */
	@Override
	public List<Claimed> claimDue(Instant now, IntFunction<Instant> leaseFor, int limit, int perEndpoint) {
		List<String> endpoints = jdbc.sql("""
				select c.endpoint_id from webhook_endpoint_claims c
				where exists (select 1 from webhook_messages m
				    where m.endpoint_id = c.endpoint_id and m.status = 'pending' and m.next_attempt_at <= :now)
				and not exists (select 1 from webhook_messages f
				    where f.endpoint_id = c.endpoint_id and f.status = 'pending' and f.leased_until > :now)
				order by (select min(m.created_at) from webhook_messages m
				    where m.endpoint_id = c.endpoint_id and m.status = 'pending' and m.next_attempt_at <= :now)
				fetch first :limit rows only
				for update skip locked""")
			.param("now", SqlRows.timestamp(now))
			.param("limit", limit)
			.query(String.class)
			.list();
		List<String> ids = new ArrayList<>();
		for (String endpoint : endpoints) {
			if (ids.size() >= limit) {
				break;
			}
			boolean leased = jdbc.sql("""
					select count(*) from webhook_messages
					where endpoint_id = :endpoint and status = 'pending' and leased_until > :now""")
				.param("endpoint", endpoint)
				.param("now", SqlRows.timestamp(now))
				.query(Long.class)
				.single() > 0;
			if (leased) {
				continue;
			}
			List<String> messages = jdbc.sql("""
					select id from webhook_messages
					where endpoint_id = :endpoint and status = 'pending' and next_attempt_at <= :now
					order by seq, created_at, id
					fetch first :n rows only""")
				.param("endpoint", endpoint)
				.param("now", SqlRows.timestamp(now))
				.param("n", Math.min(perEndpoint, limit - ids.size()))
				.query(String.class)
				.list();
			if (messages.isEmpty()) {
				continue;
			}
			jdbc.sql("""
					update webhook_messages set next_attempt_at = :lease, leased_until = :lease, claim = claim + 1,
					    updated_at = :now
					where id in (:ids) and status = 'pending'""")
				.param("lease", SqlRows.timestamp(leaseFor.apply(messages.size())))
				.param("now", SqlRows.timestamp(now))
				.param("ids", messages)
				.update();
			ids.addAll(messages);
		}
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select m.id as message_id, m.event_id, v.type, v.payload, v.created_at as event_created_at, "
				+ "m.attempts, m.claim, " + ENDPOINT_COLUMNS + """

				from webhook_messages m
				join webhook_events v on v.id = m.event_id
				join webhook_endpoints e on e.id = m.endpoint_id
				where m.id in (:ids) and m.status = 'pending'
				order by m.endpoint_id, m.seq, m.created_at, m.id""")
			.param("ids", ids)
			.query((rs, i) -> new Claimed(rs.getString("message_id"), rs.getString("event_id"), rs.getString("type"),
					rs.getString("payload"), SqlRows.instant(rs, "event_created_at"), rs.getInt("attempts"),
					rs.getInt("claim"), endpoint(rs)))
			.list();
	}

	@Override
	public void insertAttempt(Attempt a) {
		jdbc.sql("""
				insert into webhook_attempts (id, message_id, endpoint_id, attempted_at, outcome, status_code,
				    latency_ms, response, error)
				values (:id, :message, :endpoint, :at, :outcome, :status, :latency, :response, :error)""")
			.param("id", a.id())
			.param("message", a.messageId())
			.param("endpoint", a.endpointId())
			.param("at", SqlRows.timestamp(a.attemptedAt()))
			.param("outcome", a.outcome())
			.param("status", a.statusCode())
			.param("latency", a.latencyMs())
			.param("response", a.response())
			.param("error", a.error())
			.update();
	}

	@Override
	public boolean finish(String messageId, int claim, String status, int attempts, Instant nextAttemptAt,
			String error, Instant now) {
		return jdbc.sql("""
				update webhook_messages set status = :status, attempts = :attempts, next_attempt_at = :next,
				    leased_until = null, last_error = :error, updated_at = :now
				where id = :id and claim = :claim and status = 'pending'""")
			.param("status", status)
			.param("attempts", attempts)
			.param("next", SqlRows.timestamp(nextAttemptAt))
			.param("error", error)
			.param("now", SqlRows.timestamp(now))
			.param("id", messageId)
			.param("claim", claim)
			.update() == 1;
	}

	@Override
	public Instant endpointFailed(String endpointId, Instant now) {
		jdbc.sql("update webhook_endpoints set failing_since = :now where id = :id and failing_since is null")
			.param("now", SqlRows.timestamp(now))
			.param("id", endpointId)
			.update();
		return jdbc.sql("select failing_since from webhook_endpoints where id = :id")
			.param("id", endpointId)
			.query((rs, i) -> SqlRows.instant(rs, 1))
			.optional()
			.orElse(now);
	}

	@Override
	public void endpointSucceeded(String endpointId) {
		jdbc.sql("update webhook_endpoints set failing_since = null where id = :id and failing_since is not null")
			.param("id", endpointId)
			.update();
	}

	@Override
	public int failPending(String endpointId, String error, Instant now) {
		return jdbc.sql("""
				update webhook_messages set status = 'failed', last_error = :error, updated_at = :now
				where endpoint_id = :endpoint and status = 'pending'""")
			.param("error", error)
			.param("now", SqlRows.timestamp(now))
			.param("endpoint", endpointId)
			.update();
	}

	@Override
	public boolean replay(String eventId, String endpointId, Instant now) {
		int updated = jdbc.sql("""
				update webhook_messages set status = 'pending', attempts = 0, next_attempt_at = :now,
				    last_error = null, updated_at = :now
				where event_id = :event and endpoint_id = :endpoint""")
			.param("now", SqlRows.timestamp(now))
			.param("event", eventId)
			.param("endpoint", endpointId)
			.update();
		if (updated > 0) {
			return true;
		}
		boolean stored = jdbc.sql("select count(*) from webhook_events where id = :id")
			.param("id", eventId)
			.query(Long.class)
			.single() > 0;
		if (stored) {
			insertMessage(eventId, endpointId, now);
		}
		return stored;
	}

	@Override
	public int replayFailed(String endpointId, Instant since, Instant now) {
		return jdbc.sql("""
				update webhook_messages set status = 'pending', attempts = 0, next_attempt_at = :now,
				    last_error = null, updated_at = :now
				where endpoint_id = :endpoint and status = 'failed' and created_at >= :since""")
			.param("now", SqlRows.timestamp(now))
			.param("endpoint", endpointId)
			.param("since", SqlRows.timestamp(since))
			.update();
	}

	@Override
	public List<LoggedAttempt> findAttempts(String endpointId, Instant beforeTime, String beforeId, int limit) {
		String after = beforeTime == null ? ""
				: " and (a.attempted_at < :beforeTime or (a.attempted_at = :beforeTime and a.id < :beforeId))";
		var statement = jdbc.sql("""
				select a.id, a.message_id, a.endpoint_id, a.attempted_at, a.outcome, a.status_code, a.latency_ms,
				    a.response, a.error, m.event_id, v.type, m.status
				from webhook_attempts a
				join webhook_messages m on m.id = a.message_id
				join webhook_events v on v.id = m.event_id
				where a.endpoint_id = :endpoint""" + after + """

				order by a.attempted_at desc, a.id desc
				fetch first :limit rows only""")
			.param("endpoint", endpointId)
			.param("limit", limit);
		if (beforeTime != null) {
			statement = statement.param("beforeTime", SqlRows.timestamp(beforeTime)).param("beforeId", beforeId);
		}
		return statement
			.query((rs, i) -> new LoggedAttempt(new Attempt(rs.getString("id"), rs.getString("message_id"),
					rs.getString("endpoint_id"), SqlRows.instant(rs, "attempted_at"), rs.getString("outcome"),
					(Integer) rs.getObject("status_code", Integer.class), rs.getLong("latency_ms"),
					rs.getString("response"), rs.getString("error")), rs.getString("event_id"), rs.getString("type"),
					rs.getString("status")))
			.list();
	}

	@Override
	public long countPending() {
		return jdbc.sql("select count(*) from webhook_messages where status = 'pending'").query(Long.class).single();
	}

	@Override
	public Optional<Instant> oldestPending() {
		return jdbc.sql("select min(created_at) from webhook_messages where status = 'pending'")
			.query((rs, i) -> SqlRows.instant(rs, 1))
			.optional();
	}

	@Override
	public int deleteBefore(Instant before) {
		int attempts = jdbc.sql("delete from webhook_attempts where attempted_at < :before")
			.param("before", SqlRows.timestamp(before))
			.update();
		jdbc.sql("delete from webhook_messages where status <> 'pending' and updated_at < :before")
			.param("before", SqlRows.timestamp(before))
			.update();
		jdbc.sql("""
				delete from webhook_events where created_at < :before
				and not exists (select 1 from webhook_messages m where m.event_id = webhook_events.id)""")
			.param("before", SqlRows.timestamp(before))
			.update();
		return attempts;
	}

	private static Endpoint endpoint(ResultSet rs) throws SQLException {
		return new Endpoint(rs.getString("id"), rs.getString("url"), rs.getString("description"),
				SqlRows.words(rs, "event_types"), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
				rs.getString("secret"), rs.getString("previous_secret"),
				SqlRows.instant(rs, "previous_secret_expires_at"), SqlRows.instant(rs, "failing_since"),
				SqlRows.instant(rs, "created_at"), SqlRows.instant(rs, "updated_at"));
	}
}
