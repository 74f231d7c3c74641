package dev.plinto.account;

import java.time.Instant;

/**
 * Published inside the transaction that links an account at an identity provider to a user, or unlinks it
 * (docs/federation.md), so that webhooks record {@code identity.linked} and {@code identity.unlinked} in that same
 * transaction (docs/webhooks.md). {@code provider} is the key of a social provider ({@code google}) or
 * {@code connection:} and the id of an organization's connection; {@code subject} is the provider's id of the
 * account; {@code email} is the address the provider gave, or null.
 */
public record IdentityEvent(Kind kind, String identityId, String userId, String provider, String subject,
		String email, boolean emailVerified, Instant at) {

	public enum Kind { LINKED, UNLINKED }
}
