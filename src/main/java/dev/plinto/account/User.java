package dev.plinto.account;

import java.time.Instant;

/**
 * An account. The email is stored in the canonical form of {@link EmailAddress} (accounts from before that rule: white
 * space stripped, lower case); the password only as an Argon2id hash. {@code bannedAt} is when the Backend API
 * banned the account (null when it is not banned): a banned account cannot sign in.
 */
public record User(String id, String email, boolean emailVerified, String name, String passwordHash,
		Instant createdAt, Instant updatedAt, Instant bannedAt) {

	/** An account that is not banned. */
	public User(String id, String email, boolean emailVerified, String name, String passwordHash, Instant createdAt,
			Instant updatedAt) {
		this(id, email, emailVerified, name, passwordHash, createdAt, updatedAt, null);
	}

	/** Whether the account is banned (it cannot sign in, and its sessions were revoked). */
	public boolean banned() {
		return bannedAt != null;
	}

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
