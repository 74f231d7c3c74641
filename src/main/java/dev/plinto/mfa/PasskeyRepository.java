package dev.plinto.mfa;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores passkeys (WebAuthn credentials) and the server-side ceremony challenges. */
interface PasskeyRepository {

	/** A registered credential; {@code attestedData} is webauthn4j's binary attested credential data, base64url. */
	record Passkey(String id, String userId, String credentialId, String attestedData, long signCount,
			List<String> transports, String name, Instant createdAt, Instant lastUsedAt) {
	}

	/** What a ceremony is for. */
	enum Purpose { REGISTRATION, AUTHENTICATION }

	/** A stored challenge: for whom (null user for a discoverable sign-in) and for which sign-in flow. */
	record Challenge(String hash, Purpose purpose, String userId, String flowId, Instant createdAt,
			Instant expiresAt) {
	}

	/** Inserts a passkey; false when its credential id is already registered. */
	boolean insert(Passkey passkey);

	List<Passkey> findByUser(String userId);

	Optional<Passkey> findByCredentialId(String credentialId);

	int countByUser(String userId);

	boolean rename(String userId, String id, String name);

	boolean delete(String userId, String id);

	/**
	 * Records a successful assertion: the new counter and the time, only if the stored counter is still
	 * {@code expectedCount} (so two concurrent assertions cannot both pass with the same counter).
	 */
	boolean recordUse(String id, long expectedCount, long newCount, Instant at);

	void insertChallenge(Challenge challenge);

	/** Removes and returns a live challenge of this purpose: each challenge is taken at most once. */
	Optional<Challenge> takeChallenge(String hash, Purpose purpose, Instant now);

	int deleteExpiredChallenges(Instant before);
}
