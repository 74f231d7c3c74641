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
}
