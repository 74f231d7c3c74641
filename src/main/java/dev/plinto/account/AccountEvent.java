package dev.plinto.account;

/**
 * Published inside the transaction that creates an account, changes its profile or email, verifies its email or
 * deletes it, so that a
 * feature above (webhooks) records what happened in that same transaction: a committed change always announces
 * itself and a rolled-back one never does (the transactional outbox, docs/webhooks.md).
 *
 * @param kind what happened
 * @param user the account after the change (for {@code DELETED}: as it was just before), as the API returns it
 */
public record AccountEvent(Kind kind, UserView user) {

	public enum Kind { CREATED, UPDATED, EMAIL_VERIFIED, DELETED }
}
