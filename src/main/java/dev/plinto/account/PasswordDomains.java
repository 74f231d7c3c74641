package dev.plinto.account;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Refuses a password for an address whose domain signs in through its organization's identity provider only
 * ({@link PasswordSignInPolicy}): 403 {@code passwords_disabled}, decided on the domain alone (OWASP Authentication
 * Cheat Sheet, "Authentication and Error Messages": the same answer whether or not an account exists).
 */
@Component
public final class PasswordDomains {

	private final ObjectProvider<PasswordSignInPolicy> policies;

	/** Every policy Spring knows; none (a context without {@code org}) allows passwords everywhere. */
	public PasswordDomains(ObjectProvider<PasswordSignInPolicy> policies) {
		this.policies = policies;
	}

	/** Whether passwords are switched off for this address's domain; false for an address that is not one. */
	public boolean passwordsDisabled(String rawEmail) {
		return EmailAddress.domainOf(rawEmail)
			.map(domain -> policies.orderedStream().anyMatch(p -> p.passwordsDisabled(domain)))
			.orElse(false);
	}

	/** 403 {@code passwords_disabled} when passwords are switched off for this address's domain. */
	public void requirePasswordsAllowed(String rawEmail) {
		if (passwordsDisabled(rawEmail)) {
			throw new ApiException(ErrorCode.PASSWORDS_DISABLED, "Passwords are switched off for this email "
					+ "domain: sign in through your organization's identity provider.");
		}
	}
}
