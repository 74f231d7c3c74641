package dev.plinto.org;

import java.time.Instant;

/** A membership with the member's account details, as listed to members with {@code org:members:read}. */
public record Member(String userId, String email, String name, String role, Instant joinedAt) {
}
