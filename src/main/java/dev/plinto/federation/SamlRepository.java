package dev.plinto.federation;

import java.time.Instant;
import java.util.Optional;

/**
 * Storage of the SAML 2.0 service provider (V23): its signing key per connection, the AuthnRequests awaiting their
 * response, and the IDs of the assertions already accepted.
 */
interface SamlRepository {

	/** A connection's SP key: the certificate in PEM and the PKCS#8 private key in PEM, sealed. */
	record SpKey(String connectionId, String certificatePem, String sealedPrivateKey, Instant createdAt) {
	}

	/** An AuthnRequest sent and not yet answered. */
	record PendingRequest(String id, String connectionId, String browserHash, String redirectUrl, Instant createdAt,
			Instant expiresAt) {
	}

	Optional<SpKey> findKey(String connectionId);

	/** Stores a new key; false when the connection already has one (another node made it first). */
	boolean insertKey(SpKey key);

	void insertRequest(PendingRequest request);

	/**
	 * Removes and returns the pending request with this ID: a second call for the same ID finds nothing, so a
	 * request is answered at most once.
	 */
	Optional<PendingRequest> consumeRequest(String id);

	/**
	 * Records an accepted assertion's ID; false when the connection has already accepted an assertion with this ID
	 * (a replay).
	 */
	boolean rememberAssertion(String connectionId, String assertionId, Instant expiresAt);

	/** Deletes the expired pending requests and the replay records that can no longer matter. */
	int purgeExpired(Instant now);
}
