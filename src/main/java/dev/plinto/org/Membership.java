package dev.plinto.org;

import java.time.Instant;

/** A user's membership of an organization with the key of their role (built-in or custom). */
public record Membership(String organizationId, String userId, String role, Instant createdAt, Instant updatedAt) {
}
