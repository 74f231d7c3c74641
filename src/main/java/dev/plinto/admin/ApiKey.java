package dev.plinto.admin;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A secret API key of the Backend API as lists show it: never the key itself, which exists only in the answer
 * that created or rotated it, but its first characters ({@code prefix}) so an operator can tell keys apart.
 */
public record ApiKey(String id, String name, String prefix, List<String> scopes, Instant createdAt,
		@Schema(nullable = true) String createdBy, @Schema(nullable = true) Instant lastUsedAt,
		@Schema(nullable = true) Instant expiresAt, @Schema(nullable = true) Instant revokedAt) {

	/** Whether the key authenticates at {@code now}: not revoked and not expired. */
	public boolean live(Instant now) {
		return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
	}

	/** {@code active}, {@code expired} or {@code revoked}. */
	public String status(Instant now) {
		return revokedAt != null ? "revoked" : live(now) ? "active" : "expired";
	}
}
