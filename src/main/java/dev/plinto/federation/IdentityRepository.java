package dev.plinto.federation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Storage of linked identities ({@code user_identities}, V21). */
interface IdentityRepository {

	/** Inserts a link; throws {@code DuplicateKeyException} when the provider's subject is linked already. */
	void insert(LinkedIdentity identity);

	Optional<LinkedIdentity> find(String provider, String subject);

	List<LinkedIdentity> findByUser(String userId);

	/** Records a sign-in with the identity: when, and the email and profile the provider gave this time. */
	void used(String id, String email, boolean emailVerified, String profileJson, Instant at);

	boolean delete(String userId, String id);
}
