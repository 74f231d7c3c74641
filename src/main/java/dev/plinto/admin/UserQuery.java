package dev.plinto.admin;

import java.time.Instant;

/**
 * Filters of a user search; null ones do not filter. {@code query} matches a part of the email or name (case
 * insensitive), {@code email} the whole stored address, {@code id} one user.
 */
public record UserQuery(String query, String id, String email, Instant createdAfter, Instant createdBefore,
		Instant lastSignInAfter, Instant lastSignInBefore, Boolean banned, Boolean hasMfa) {
}
