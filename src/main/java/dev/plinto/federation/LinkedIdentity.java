package dev.plinto.federation;

import java.time.Instant;
import java.util.Map;

/**
 * An account at an identity provider linked to a user ({@code user_identities}): what the account page lists and
 * what {@link FederatedSignIn} finds a returning user by ({@code provider} and {@code subject}).
 */
public record LinkedIdentity(String id, String userId, String provider, String subject, String email,
		boolean emailVerified, Map<String, String> profile, Instant createdAt, Instant lastUsedAt) {
}
