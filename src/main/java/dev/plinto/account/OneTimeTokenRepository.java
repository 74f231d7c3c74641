package dev.plinto.account;

import java.time.Instant;
import java.util.Optional;

/**
 * Single-use link tokens (email verification, password reset, email change), stored only as SHA-256 hashes. The
 * email is the address the link was mailed to: the account's address, or for an email change the new one.
 */
interface OneTimeTokenRepository {

	enum Purpose { EMAIL_VERIFICATION, PASSWORD_RESET, EMAIL_CHANGE }

	record OneTimeToken(String tokenHash, Purpose purpose, String userId, String email, Instant createdAt,
			Instant expiresAt, Instant usedAt) {
	}

	void insert(OneTimeToken token);

	Optional<OneTimeToken> find(String tokenHash, Purpose purpose);

	/** Marks the token used if it was unused; false when another request used it first. */
	boolean markUsed(String tokenHash, Instant at);

	/** Invalidates every unused token of this purpose for the user (a newer link supersedes older ones). */
	void invalidateAll(String userId, Purpose purpose, Instant at);

	/** Deletes tokens that expired before {@code before}. */
	int deleteExpired(Instant before);
}
