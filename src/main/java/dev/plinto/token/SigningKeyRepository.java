package dev.plinto.token;

import java.time.Instant;
import java.util.List;

/** Stores signing keys shared by every node; private parts are encrypted at rest by the implementation. */
public interface SigningKeyRepository {

	void insert(SigningKey key);

	/** All keys, oldest activation first. */
	List<SigningKey> findAll();

	/** Deletes the key with this kid; false if there is none. */
	boolean delete(String kid);

	/** Deletes keys created before {@code createdBefore} whose kids are not in {@code keep}. */
	int deleteExcept(List<String> keep, Instant createdBefore);
}
