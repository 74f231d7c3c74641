package dev.plinto.audit;

import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

	public void record(AuditEvent.Type type, String userId, String sessionId, ClientInfo client, String detail) {
		ClientInfo c = client == null ? ClientInfo.none() : client;
		AuditEvent event = new AuditEvent(SecureTokens.newId("evt"), type, clock.instant(), userId, sessionId,
				c.ip(), c.userAgent(), fit(detail));
		repository.insert(event);
		log.info("audit {} user={} session={} ip={}", type.wireName(), userId, sessionId, c.ip());
	}

	/**
	 * Records an organization change: {@code actorId} is the user who made it, {@code organizationId} the
	 * organization it belongs to; {@code detail} names the target (member, role, invitation).
	 */
	public void recordForOrganization(AuditEvent.Type type, String actorId, String sessionId, ClientInfo client,
			String organizationId, String detail) {
		ClientInfo c = client == null ? ClientInfo.none() : client;
		repository.insert(new AuditEvent(SecureTokens.newId("evt"), type, clock.instant(), actorId, sessionId, c.ip(),
				c.userAgent(), fit(detail), organizationId));
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
