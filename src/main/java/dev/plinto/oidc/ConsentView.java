package dev.plinto.oidc;

import java.util.List;

/**
 * What the consent template ({@code consent.jte}) receives besides {@code ctx}: a stable contract for custom
 * templates (docs/hosted-pages.md, "Templates").
 *
 * @param clientId the client asking, as the form posts it back
 * @param clientName its registered name
 * @param logoUri its registered logo (https), or null
 * @param email the signed-in user's email
 * @param state the authorization request's consent state, posted back unchanged
 * @param scopes the scopes asked for, as the form posts them back
 * @param scopeTexts a sentence per scope in the page's language
 * @param action where the form posts (the authorization endpoint, or the device verification endpoint)
 * @param userCode the device's user code, posted back unchanged, for a device's consent; null otherwise
 */
public record ConsentView(String clientId, String clientName, String logoUri, String email, String state,
		List<String> scopes, List<String> scopeTexts, String action, String userCode) {
}
