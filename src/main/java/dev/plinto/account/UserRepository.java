package dev.plinto.account;

import java.time.Instant;
import java.util.Optional;

/** Stores accounts. Emails are looked up in their normalised form. */
public interface UserRepository {

	/** Inserts a user; throws {@link org.springframework.dao.DuplicateKeyException} if the email is taken. */
	void insert(User user);

	Optional<User> findById(String id);

	Optional<User> findByEmail(String normalisedEmail);

	/**
	 * The account an address as sent names: looked up under each of {@link EmailAddress#lookupForms}, so accounts
	 * stored before the current rule are still found.
	 */
	default Optional<User> findByAddress(String rawEmail) {
		for (String form : EmailAddress.lookupForms(rawEmail)) {
			Optional<User> user = findByEmail(form);
			if (user.isPresent()) {
				return user;
			}
		}
		return Optional.empty();
	}

	void updateName(String id, String name, Instant at);

	void updatePasswordHash(String id, String passwordHash, Instant at);

	void markEmailVerified(String id, Instant at);

	/**
	 * Sets a new, verified email; throws {@link org.springframework.dao.DuplicateKeyException} if another account
	 * has it.
	 */
	void updateEmail(String id, String email, Instant at);

	/** Sets whether the email is verified (the Backend API), without changing it. */
	void setEmailVerified(String id, boolean verified, Instant at);

	/** Bans the account at {@code bannedAt}, or lifts its ban when null. */
	void setBanned(String id, Instant bannedAt, Instant at);

	/**
	 * The account with its metadata as stored (JSON object texts), in one statement; empty when the account does not
	 * exist.
	 */
	Optional<Profile> findProfile(String id);

	/** An account with its metadata. */
	record Profile(User user, UserMetadata metadata) {
	}

	/** Replaces the metadata objects that are not null (stored JSON texts, see {@link UserMetadata#store}). */
	void updateMetadata(String id, String publicMetadata, String privateMetadata, String unsafeMetadata, Instant at);

	/**
	 * Locks the account's row until the transaction ends ({@code select … for update}); false when it no longer
	 * exists.
	 */
	boolean lock(String id);

	/**
	 * Deletes the account's row. The rows that reference it go with it (foreign keys {@code on delete cascade}:
	 * sessions and refresh tokens, sign-in flows, link tokens, second factors, passkeys and their challenges,
	 * memberships) or lose the reference ({@code on delete set null}: organizations it created, invitations it sent
	 * or accepted); see docs/security.md, "Deleting an account".
	 */
	void delete(String id);
}
