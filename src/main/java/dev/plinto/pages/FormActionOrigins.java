package dev.plinto.pages;

import java.util.Set;

/**
 * More origins a page's forms may lead to, for one page: the origins the redirect chain after the page's form post
 * may end at, beyond Plinto and {@code PLINTO_REDIRECT_URLS}. Browsers apply the Content-Security-Policy's
 * {@code form-action} to every redirect that follows a form submission (CSP Level 3 §6.4.1 "form-action", Chromium
 * does), so a sign-in page whose {@code redirect_url} leads on, through Plinto, to another origin must name that
 * origin or the browser stops the last hop. Implemented by a higher package that knows where such a
 * {@code redirect_url} leads (the OpenID provider: an authorization request, to its client's redirect URIs).
 */
@FunctionalInterface
public interface FormActionOrigins {

	/** No more origins. */
	FormActionOrigins NONE = redirectUrl -> Set.of();

	/**
	 * The origins ({@code scheme://host[:port]}) the given {@code redirect_url} of a page may lead to after Plinto,
	 * or none. Called only with a relative URL on Plinto (one starting with a single {@code /}); never throws for a
	 * malformed one.
	 */
	Set<String> after(String redirectUrl);
}
