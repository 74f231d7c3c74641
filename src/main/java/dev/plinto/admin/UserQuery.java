package dev.plinto.admin;

import java.time.Instant;

/**
 * Filters of a user search; null ones do not filter, and the others combine. {@code query} matches a part of the
 * email or name (case insensitive), {@code id} one user, {@code email} the whole stored address (canonical, as
 * emails are stored), {@code name} a part of the name (case insensitive).
 */
public record UserQuery(String query, String id, String email, String name, Instant createdAfter,
		Instant createdBefore, Instant lastSignInAfter, Instant lastSignInBefore, Boolean banned, Boolean hasMfa) {
}
