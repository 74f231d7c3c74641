package dev.plinto.account;

import dev.plinto.web.ClientInfo;

/**
 * What a feature above {@code account} does when an account is deleted ({@link AccountDeletion}); Spring wires in
 * every implementation. {@link #check} may refuse the deletion; {@link #delete} ends or removes what the feature
 * holds for the account, in the deletion's transaction, before the account's row goes, and publishes the feature's
 * own events (so webhooks report each membership or session that ends).
 */
public interface AccountDeletionHook {

	/**
	 * Throws an {@link dev.plinto.web.ApiException} when the account may not be deleted yet (for example: the last
	 * owner of an organization). Called before re-authentication, so a refusal spends no code, and again inside the
	 * deletion's transaction.
	 */
	default void check(String userId) {
	}

	/** Ends or removes the feature's data of the account, inside the deletion's transaction. */
	void delete(String userId, String sessionId, ClientInfo client);
}
