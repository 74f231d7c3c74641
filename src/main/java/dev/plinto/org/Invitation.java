package dev.plinto.org;

import java.time.Instant;

/** An invitation to join an organization; its single-use token is kept only as a SHA-256 hash. */
public record Invitation(String id, String organizationId, String email, String role, String tokenHash,
		String invitedBy, Instant createdAt, Instant expiresAt, Instant acceptedAt, String acceptedBy,
		Instant revokedAt) {

	/** Neither accepted nor revoked (it may still have expired). */
	public boolean open() {
		return acceptedAt == null && revokedAt == null;
	}

	/** {@code pending}, {@code expired}, {@code accepted} or {@code revoked}. */
	public String status(Instant now) {
		if (revokedAt != null) {
			return "revoked";
		}
		if (acceptedAt != null) {
			return "accepted";
		}
		return now.isBefore(expiresAt) ? "pending" : "expired";
	}
}
