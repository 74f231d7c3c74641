package dev.plinto.mfa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores TOTP authenticators (secret sealed, last accepted step) and recovery codes (hashes only). */
interface MfaRepository {

	/** A user's authenticator: the sealed secret, whether enrolment was confirmed, the newest step accepted. */
	record TotpFactor(String userId, String sealedSecret, Instant createdAt, Instant confirmedAt, long lastUsedStep) {

		boolean confirmed() {
			return confirmedAt != null;
		}
	}

	/** Inserts or replaces the user's unconfirmed authenticator; false if a confirmed one exists. */
	boolean savePendingTotp(String userId, String sealedSecret, Instant at);

	Optional<TotpFactor> findTotp(String userId);

	/** Marks the pending authenticator confirmed at {@code step}; false if it is gone or already confirmed. */
	/**
	 * Activates the pending secret the code was checked against; false when there is none, it is already active,
	 * or enrolment was restarted with another secret in the meantime.
	 */
	boolean confirmTotp(String userId, String sealedSecret, Instant at, long step);

	/**
	 * Records {@code step} as used if it is newer than every step accepted before (RFC 6238 §5.2: a code is
	 * accepted once); false when that step or a later one was already used, e.g. by a concurrent request.
	 */
	boolean useTotpStep(String userId, long step);

	boolean deleteTotp(String userId);

	/** Replaces the user's recovery codes with these hashes; call within a transaction. */
	void replaceRecoveryCodes(String userId, List<String> hashes, Instant at);

	/** Spends an unused code; false when no unused code of this user has this hash. */
	boolean useRecoveryCode(String userId, String hash, Instant at);

	int countUnusedRecoveryCodes(String userId);

	void deleteRecoveryCodes(String userId);
}
