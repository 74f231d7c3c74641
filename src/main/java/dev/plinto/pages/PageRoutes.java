package dev.plinto.pages;

import java.util.List;

/** The paths of the hosted pages (docs/hosted-pages.md), for the controllers and the pages' filter chain. */
public final class PageRoutes {

	public static final String SIGN_IN = "/sign-in";

	public static final String SIGN_IN_FACTOR = "/sign-in/factor";

	public static final String FORGOT_PASSWORD = "/sign-in/forgot-password";

	public static final String SIGN_UP = "/sign-up";

	public static final String SIGN_OUT = "/sign-out";

	public static final String ACCOUNT = "/account";

	public static final String REFRESH = "/session/refresh";

	/** The pages of the emailed links (the default {@code PLINTO_EMAIL_VERIFICATION_URL} and reset URL). */
	public static final String VERIFY_EMAIL = "/verify-email";

	public static final String RESET_PASSWORD = "/reset-password";

	/** The OpenID provider's consent page (docs/oidc.md), a page of this chain for a signed-in browser. */
	public static final String OIDC_CONSENT = "/oauth2/consent";

	/** Every path pattern the pages' filter chain owns; everything else is the JSON API's. */
	public static final List<String> PATTERNS = List.of(SIGN_IN, "/sign-in/**", SIGN_UP, "/sign-up/**", SIGN_OUT,
			ACCOUNT, "/account/**", REFRESH, "/assets/**", VERIFY_EMAIL, "/verify-email/**", RESET_PASSWORD,
			"/reset-password/**", OIDC_CONSENT);

	/** The patterns that need a signed-in browser. */
	public static final List<String> SIGNED_IN = List.of(ACCOUNT, "/account/**", OIDC_CONSENT);

	private PageRoutes() {
	}
}
