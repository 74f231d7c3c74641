package dev.plinto.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A signed-in session. It ends when revoked (sign-out, revocation, reuse detection, password change), after
 * {@code PLINTO_SESSION_IDLE_TIMEOUT} without a refresh, or at {@code expiresAt} (the absolute lifetime).
 * {@code activeOrganizationId} is the organization whose claims its access tokens carry (docs/organizations.md).
 */
public record Session(String id, String userId, String flowId, List<String> amr, String ip, String userAgent,
		Instant createdAt, Instant lastActiveAt, Instant expiresAt, Instant revokedAt, String revokeReason,
		String activeOrganizationId, String impersonator) {

	/**
	 * A session the user started themselves ({@code impersonator} is the API key or administrator that started an
	 * impersonation session, whose access tokens carry it as {@code act.sub}).
	 */
	public Session(String id, String userId, String flowId, List<String> amr, String ip, String userAgent,
			Instant createdAt, Instant lastActiveAt, Instant expiresAt, Instant revokedAt, String revokeReason,
			String activeOrganizationId) {
		this(id, userId, flowId, amr, ip, userAgent, createdAt, lastActiveAt, expiresAt, revokedAt, revokeReason,
				activeOrganizationId, null);
	}

	/** A session without an active organization. */
	public Session(String id, String userId, String flowId, List<String> amr, String ip, String userAgent,
			Instant createdAt, Instant lastActiveAt, Instant expiresAt, Instant revokedAt, String revokeReason) {
		this(id, userId, flowId, amr, ip, userAgent, createdAt, lastActiveAt, expiresAt, revokedAt, revokeReason, null);
	}

	public boolean isLive(Instant now, Duration idleTimeout) {
		return revokedAt == null && now.isBefore(expiresAt) && now.isBefore(lastActiveAt.plus(idleTimeout));
	}
}
