package dev.plinto.pages;

import dev.plinto.web.ClientInfo;
import java.time.Instant;
import java.util.List;

/**
 * The apps a user let use their account through Plinto's OpenID provider, for the account page: implemented by the
 * provider (package {@code oidc}), which the pages may not depend on. Absent when the provider is not part of the
 * server, and then the page shows no such section.
 */
public interface ConnectedApps {

	/**
	 * One app the user granted access to.
	 *
	 * @param clientId the client's id, posted back to revoke the access
	 * @param name its registered name
	 * @param logoUri its registered https logo, or null
	 * @param scopes the scopes granted, as registered (e.g. {@code openid}, {@code email})
	 * @param grantedAt when the user first granted access
	 */
	record Grant(String clientId, String name, String logoUri, List<String> scopes, Instant grantedAt) {
	}

	/** The user's grants, most recent first. */
	List<Grant> granted(String userId);

	/**
	 * Withdraws the user's consent to the client and ends every authorization of the client for this user, so its
	 * refresh and access tokens stop being accepted; audited. False when the user had not granted this client.
	 */
	boolean revoke(String userId, String clientId, ClientInfo by);
}
