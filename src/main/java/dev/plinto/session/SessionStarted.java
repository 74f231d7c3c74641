package dev.plinto.session;

/**
 * Published inside the transaction that starts a session (sign-up, sign-in, a second factor, an accepted
 * invitation), so that webhooks record {@code session.created} in that same transaction (docs/webhooks.md).
 */
public record SessionStarted(Session session) {
}
