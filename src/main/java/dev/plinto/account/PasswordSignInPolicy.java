package dev.plinto.account;

/**
 * Whether passwords may be used for an email address, implemented by {@code org} (verified email domains whose
 * organization signs its people in through an enterprise connection, docs/federation.md "Domains"). Asked by
 * password sign-in, password sign-up and password reset, through {@link PasswordDomains}.
 * <p>
 * The answer depends on the address's domain only, never on whether an account exists, so it cannot tell anyone
 * which addresses have accounts (OWASP Authentication Cheat Sheet, "Authentication and Error Messages").
 */
public interface PasswordSignInPolicy {

	/** True when passwords are switched off for this domain (ASCII, lower case, e.g. {@code acme.com}). */
	boolean passwordsDisabled(String domain);
}
