package dev.plinto.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores API keys; the key itself only as the SHA-256 hash of its text. */
interface ApiKeyRepository {

	void insert(ApiKey key, String tokenHash);

	/** The key whose hash this is, whatever its state. */
	Optional<ApiKey> findByHash(String tokenHash);

	Optional<ApiKey> findById(String id);

	/** Every key, newest first. */
	List<ApiKey> findAll();

	/** Replaces the key's hash and prefix (rotation); false when it does not exist or is revoked. */
	boolean replaceSecret(String id, String tokenHash, String prefix);

	/** Marks the key revoked at {@code at}; false when it does not exist or was revoked already. */
	boolean revoke(String id, Instant at);

	/** Sets {@code last_used_at} unless it is already after {@code notBefore} (one write a minute at most). */
	void touch(String id, Instant at, Instant notBefore);
}
