package dev.plinto.pages;

import java.util.List;

/** The paths of the hosted pages (docs/hosted-pages.md), for the controllers and the pages' filter chain. */
public final class PageRoutes {

	public static final String SIGN_IN = "/sign-in";

	public static final String SIGN_IN_FACTOR = "/sign-in/factor";

	public static final String FORGOT_PASSWORD = "/sign-in/forgot-password";

	/** The enrolment step of a sign-in when {@code PLINTO_MFA=required} and the account has no second factor. */
	public static final String SIGN_IN_ENROLL = "/sign-in/enroll";

	/** The emailed first factors (docs/hosted-pages.md, "Sign-in with an emailed code or link"). */
	public static final String EMAIL_CODE = "/sign-in/email-code";

	public static final String EMAIL_CODE_VERIFY = "/sign-in/email-code/verify";

	public static final String EMAIL_LINK = dev.plinto.session.EmailSignInService.LINK_PATH;

	public static final String EMAIL_LINK_CONFIRM = "/sign-in/email-link/confirm";

	public static final String SIGN_UP = "/sign-up";

	public static final String SIGN_OUT = "/sign-out";

	public static final String ACCOUNT = "/account";

	public static final String REFRESH = "/session/refresh";

	/** The pages of the emailed links (the default {@code PLINTO_EMAIL_VERIFICATION_URL} and reset URL). */
	public static final String VERIFY_EMAIL = "/verify-email";

	public static final String RESET_PASSWORD = "/reset-password";

	/** The page an invitation link opens by default ({@code PLINTO_ORG_INVITATION_URL}). */
	public static final String ACCEPT_INVITATION = "/accept-invitation";

	/** The OpenID provider's consent page (docs/oidc.md), a page of this chain for a signed-in browser. */
	public static final String OIDC_CONSENT = "/oauth2/consent";

	/**
	 * The OpenID provider's "enter the code" page of the device authorization grant (docs/oidc.md), its verification
	 * URI: a page of this chain for a signed-in browser.
	 */
	public static final String OIDC_DEVICE = "/device";

	/** Every path pattern the pages' filter chain owns; everything else is the JSON API's. */
	public static final List<String> PATTERNS = List.of(SIGN_IN, "/sign-in/**", SIGN_UP, "/sign-up/**", SIGN_OUT,
			ACCOUNT, "/account/**", REFRESH, "/assets/**", VERIFY_EMAIL, "/verify-email/**", RESET_PASSWORD,
			"/reset-password/**", ACCEPT_INVITATION, OIDC_CONSENT, OIDC_DEVICE);

	/**
	 * The page posts that change how the account signs in, and so need a recent sign-in like their JSON API routes
	 * (docs/mfa.md, "Re-authentication for changes"): starting a TOTP enrolment, making new recovery codes, and
	 * registering or removing a passkey.
	 */
	public static final List<String> RECENT_SIGN_IN = List.of(ACCOUNT + "/totp", ACCOUNT + "/recovery-codes",
			ACCOUNT + "/passkeys/options", ACCOUNT + "/passkeys", ACCOUNT + "/passkeys/remove");

	/** The patterns that need a signed-in browser. */
	public static final List<String> SIGNED_IN = List.of(ACCOUNT, "/account/**", OIDC_CONSENT, OIDC_DEVICE);

	private PageRoutes() {
	}
}
