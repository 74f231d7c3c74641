package dev.plinto.audit;

import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Records security-relevant events with time, user, session, IP and user agent (OWASP Logging Cheat Sheet,
 * "Which events to log"; OWASP ASVS v4 §7.2). Details never contain a password, token, code or key.
 * Events are written in the same transaction as the change they describe when the caller has one.
 */
@Component
public final class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("dev.plinto.audit");

	/** Length of the {@code detail} column (V1). */
	static final int DETAIL_MAX = 1000;

	private final AuditRepository repository;

	private final Clock clock;

	public AuditLog(AuditRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	/** An audit log writing straight to a database, for the command-line tools that run without the server. */
	public static AuditLog of(DataSource dataSource) {
		return new AuditLog(new JdbcAuditRepository(JdbcClient.create(dataSource)), Clock.systemUTC());
	}

	/**
	 * The actor of the work running on this thread inside {@link #actingAs}: every event recorded meanwhile, by
	 * whichever feature records it, carries it (OWASP Logging Cheat Sheet, "Which events to log": who performed the
	 * action; OWASP API Security Top 10 2023, API2 "Broken Authentication": every use of a credential attributable).
	 */
	private static final ThreadLocal<String> ACTOR = new ThreadLocal<>();

	/**
	 * Runs {@code work} on behalf of {@code actorId} (e.g. a Backend API key's id): every event recorded on this
	 * thread until it returns carries the actor, including those the features below record for the changes they
	 * make. Nested calls keep the outer actor.
	 */
	public static <T> T actingAs(String actorId, Supplier<T> work) {
		String outer = ACTOR.get();
		ACTOR.set(outer != null ? outer : actorId);
		try {
			return work.get();
		}
		finally {
			if (outer == null) {
				ACTOR.remove();
			}
		}
	}

	public void record(AuditEvent.Type type, String userId, String sessionId, ClientInfo client, String detail) {
		ClientInfo c = client == null ? ClientInfo.none() : client;
		String actor = ACTOR.get();
		AuditEvent event = new AuditEvent(SecureTokens.newId("evt"), type, clock.instant(), userId, sessionId,
				c.ip(), c.userAgent(), fit(detail), null, actor);
		repository.insert(event);
		log.info("audit {} user={} session={} actor={} ip={}", type.wireName(), userId, sessionId, actor, c.ip());
	}

	/**
	 * Records an organization change: {@code actorId} is the user who made it, {@code organizationId} the
	 * organization it belongs to; {@code detail} names the target (member, role, invitation).
	 */
	public void recordForOrganization(AuditEvent.Type type, String actorId, String sessionId, ClientInfo client,
			String organizationId, String detail) {
		ClientInfo c = client == null ? ClientInfo.none() : client;
		repository.insert(new AuditEvent(SecureTokens.newId("evt"), type, clock.instant(), actorId, sessionId, c.ip(),
				c.userAgent(), fit(detail), organizationId, ACTOR.get()));
		log.info("audit {} user={} session={} organization={} ip={}", type.wireName(), actorId, sessionId,
				organizationId, c.ip());
	}

	/** The detail shortened to the column's 1,000 characters, so that a long one cannot fail the change it records. */
	private static String fit(String detail) {
		return detail == null || detail.length() <= DETAIL_MAX ? detail : detail.substring(0, DETAIL_MAX - 1) + "…";
	}

	public List<AuditEvent> forUser(String userId, Instant beforeTime, String beforeId, int limit) {
		return repository.findByUser(userId, beforeTime, beforeId, limit);
	}
}
