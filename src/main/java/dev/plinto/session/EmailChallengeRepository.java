package dev.plinto.session;

import java.util.Optional;

/** The emailed part of {@code EMAIL_CODE} and {@code EMAIL_LINK} sign-in flows (one row per flow). */
public interface EmailChallengeRepository {

	/**
	 * @param flowId the flow it belongs to
	 * @param email the canonical address the mail went to (the lockout's subject)
	 * @param codeHash the SHA-256 hash of the code bound to the flow; null for a link
	 * @param attempts how many codes were tried
	 * @param browserHash the SHA-256 hash of the requesting browser's cookie value; null when requested by API
	 */
	record EmailChallenge(String flowId, String email, String codeHash, int attempts, String browserHash) {
	}

	void insert(EmailChallenge challenge);

	Optional<EmailChallenge> find(String flowId);

	/** Counts one more try if fewer than {@code max} were made; false when the tries are used up. */
	boolean countAttempt(String flowId, int max);
}
