package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.PlintoSettings.SignInMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first factors the sign-in page offers ({@code PLINTO_SIGN_IN_METHODS}), and the identity providers whose
 * buttons the sign-in and sign-up pages show ({@code PLINTO_OAUTH_*}, docs/federation.md), given to the
 * {@code sign-in} and {@code sign-up} templates and their fragments as {@code methods}: part of the stable template
 * contract (docs/hosted-pages.md, "Templates").
 */
public record SignInOptions(boolean password, boolean passkey, boolean emailCode, boolean emailLink,
		List<Provider> providers) {

	/** An identity provider's button: its key ({@code /sso/{key}/start}) and its name. */
	public record Provider(String key, String name) {

		/** Where the button goes: the start of the provider's sign-in, back to {@code redirectUrl} (nullable). */
		public String startUrl(String redirectUrl) {
			return "/sso/" + key + "/start" + (redirectUrl == null ? ""
					: "?redirect_url=" + URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8));
		}
	}

	static SignInOptions of(PlintoSettings settings) {
		PlintoSettings.SignIn s = settings.signIn();
		return new SignInOptions(s.enabled(SignInMethod.PASSWORD), s.enabled(SignInMethod.PASSKEY),
				s.enabled(SignInMethod.EMAIL_CODE), s.enabled(SignInMethod.EMAIL_LINK),
				settings.federation().providers().stream().map(p -> new Provider(p.key(), p.name())).toList());
	}

	/** Whether the page has a form with an email field: for the password or an emailed code or link. */
	public boolean emailForm() {
		return password || emailCode || emailLink;
	}

	/** Where the email form posts when Enter is pressed: the password sign-in, else the first emailed method. */
	public String formAction() {
		return password ? PageRoutes.SIGN_IN : emailCode ? PageRoutes.EMAIL_CODE : PageRoutes.EMAIL_LINK;
	}
}
