package dev.plinto.pages;

import java.time.Instant;
import java.util.List;

/**
 * The user's accounts at identity providers, for the account page's "Linked accounts" section: implemented by
 * social and enterprise sign-in (package {@code federation}), which the pages may not depend on. Absent when that
 * feature is not part of the server, and then the page shows no such section. The section links to the
 * federation route {@code /sso/{provider}/link} and posts to {@code /sso/identities/{id}/unlink}.
 */
public interface LinkedAccounts {

	/**
	 * An account at a provider linked to the user.
	 *
	 * @param id the link's id, posted back to unlink it
	 * @param providerName the provider's name (a configured provider's, or the connection's)
	 * @param label what identifies the account there: its email, else its username or name
	 * @param emailVerified whether the provider verified that email
	 * @param linkedAt when it was linked
	 */
	record Linked(String id, String providerName, String label, boolean emailVerified, Instant linkedAt) {
	}

	/** The user's linked accounts, oldest first. */
	List<Linked> linked(String userId);

	/** The configured providers the user has no account of linked yet: key and name, for the "Link" buttons. */
	List<SignInOptions.Provider> linkable(String userId);
}
