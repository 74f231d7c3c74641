package dev.plinto.security;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records security-relevant events with time, user, session, IP and user agent (OWASP Logging Cheat Sheet,
 * "Which events to log"; OWASP ASVS v4 §7.2). Details never contain a password, token, code or key.
 * Events are written in the same transaction as the change they describe when the caller has one.
 */
@Component
public final class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("dev.plinto.audit");

	private final AuditRepository repository;

	private final Clock clock;

	public AuditLog(AuditRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	public void record(AuditEvent.Type type, String userId, String sessionId, ClientInfo client, String detail) {
		ClientInfo c = client == null ? ClientInfo.none() : client;
		AuditEvent event = new AuditEvent(SecureTokens.newId("evt"), type, clock.instant(), userId, sessionId,
				c.ip(), c.userAgent(), detail);
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
				c.userAgent(), detail, organizationId));
		log.info("audit {} user={} session={} organization={} ip={}", type.wireName(), actorId, sessionId,
				organizationId, c.ip());
	}

	public List<AuditEvent> forUser(String userId, Instant beforeTime, String beforeId, int limit) {
		return repository.findByUser(userId, beforeTime, beforeId, limit);
	}
}
