package dev.plinto.account;

import java.time.Instant;

/**
 * An account. The email is stored in the canonical form of {@link EmailAddress} (accounts from before that rule: white
 * space stripped, lower case); the password only as an Argon2id hash.
 */
public record User(String id, String email, boolean emailVerified, String name, String passwordHash,
		Instant createdAt, Instant updatedAt) {

	/**
	 * The form in which an email is compared: {@link EmailAddress#canonical(String) canonical} when it follows the
	 * rule, else white space stripped and lower case (the form of accounts stored before the rule).
	 */
	public static String normalizeEmail(String email) {
		return EmailAddress.lookupForms(email).get(0);
	}

	@Override
	public String toString() {
		return "User[" + id + "]";
	}
}
