package dev.plinto.throttle;

import java.time.Instant;
import java.util.Optional;

/** The {@code sign_in_failures} table: consecutive failed password attempts per subject (a hash of the email). */
interface SignInFailureRepository {

	/** The count of consecutive failures, the last one's time, and the lock they caused (null when none). */
	record Failures(int failures, Instant lastFailureAt, Instant lockedUntil) {
	}

	/** The subject's row, locked until the caller's transaction ends ({@code for update}). */
	Optional<Failures> findForUpdate(String subject);

	/**
	 * Creates the subject's row.
	 * @throws org.springframework.dao.DuplicateKeyException when another transaction created it first
	 */
	void insert(String subject, Failures failures);

	void update(String subject, Failures failures);

	/** The subject's lock, whether or not it has passed. */
	Optional<Instant> findLockedUntil(String subject);

	void delete(String subject);

	/**
	 * Deletes the rows whose last failure is before {@code lastFailureBefore} and whose lock, if any, ended before
	 * {@code now}; returns how many it deleted.
	 */
	int deleteStale(Instant lastFailureBefore, Instant now);
}
