package dev.plinto.pages;

import java.util.List;

/**
 * What the account page's section of connected apps shows ({@code fragments/account-apps.jte}); part of the stable
 * template contract.
 *
 * @param apps the apps the user granted access to, most recent first
 */
public record AccountApps(List<App> apps) {

	/**
	 * One app.
	 *
	 * @param clientId the client id, posted as {@code client_id} to revoke its access
	 * @param name the app's name
	 * @param logoUri its https logo, or null
	 * @param scopeTexts what it may do, a sentence per scope in the page's language
	 * @param granted when access was granted, ISO-8601 UTC to the minute
	 */
	public record App(String clientId, String name, String logoUri, List<String> scopeTexts, String granted) {
	}
}
