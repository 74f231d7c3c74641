package dev.plinto.federation;

import java.util.Map;

/**
 * An account at an identity provider, as the provider's verified answer describes it (an OpenID Connect ID token
 * whose signature, issuer, audience, expiry and nonce were checked, a UserInfo or API answer fetched with the
 * access token of that exchange, or a SAML assertion whose signature was checked): the input of
 * {@link FederatedSignIn}.
 *
 * @param provider the key of a configured social provider ({@code google}, {@code github}, a generic key), or
 *     {@link #connectionProvider(String) connection:<id>} for an organization's enterprise connection
 * @param subject the provider's stable id of the account (OpenID Connect {@code sub}, GitHub's numeric id, SAML
 *     NameID); never the email, which can change hands
 * @param email the address the provider gave, or null
 * @param emailVerified whether the provider says it verified the address (OpenID Connect {@code email_verified},
 *     GitHub's verified primary address); only a verified address may link to an existing account
 * @param name the person's display name, or null
 * @param profile the few claims kept for the account page ({@code name}, {@code username}, {@code picture}); at most
 *     a handful of short strings, never tokens
 * @param connectionId the organization connection the sign-in came through, or null for a social provider
 * @param organizationRole the organization role the connection's mapping gives (from a groups claim or attribute,
 *     else the connection's default role), or null for a social provider
 */
public record ExternalIdentity(String provider, String subject, String email, boolean emailVerified, String name,
		Map<String, String> profile, String connectionId, String organizationRole) {

	/** The longest subject stored ({@code user_identities.subject}). */
	public static final int MAX_SUBJECT = 255;

	public ExternalIdentity {
		if (provider == null || provider.isBlank() || subject == null || subject.isBlank()
				|| subject.length() > MAX_SUBJECT) {
			throw new IllegalArgumentException("an external identity needs a provider and a subject of 1-255 chars");
		}
		profile = profile == null ? Map.of() : Map.copyOf(profile);
		email = email == null || email.isBlank() ? null : email.strip();
		emailVerified = emailVerified && email != null;
	}

	/** A social sign-in's identity: no organization connection. */
	public static ExternalIdentity social(String provider, String subject, String email, boolean emailVerified,
			String name, Map<String, String> profile) {
		return new ExternalIdentity(provider, subject, email, emailVerified, name, profile, null, null);
	}

	/** The {@code provider} value of an organization connection's identities: {@code connection:} + id. */
	public static String connectionProvider(String connectionId) {
		return "connection:" + connectionId;
	}
}
