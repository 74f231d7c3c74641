package dev.plinto.account;

import java.time.Instant;

/** An account. The email is stored normalised (trimmed, lower case); the password only as an Argon2id hash. */
public record User(String id, String email, boolean emailVerified, String name, String passwordHash,
		Instant createdAt, Instant updatedAt) {

	/** The form in which emails are stored and compared: trimmed, lower case (ROOT locale). */
	public static String normalizeEmail(String email) {
		return email == null ? "" : email.trim().toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public String toString() {
		return "User[" + id + "]";
	}
}
