package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.PlintoSettings.SignInMethod;

/**
 * The first factors the sign-in page offers ({@code PLINTO_SIGN_IN_METHODS}), given to the {@code sign-in} template
 * and its fragments as {@code methods}: part of the stable template contract (docs/hosted-pages.md, "Templates").
 */
public record SignInOptions(boolean password, boolean passkey, boolean emailCode, boolean emailLink) {

	static SignInOptions of(PlintoSettings settings) {
		PlintoSettings.SignIn s = settings.signIn();
		return new SignInOptions(s.enabled(SignInMethod.PASSWORD), s.enabled(SignInMethod.PASSKEY),
				s.enabled(SignInMethod.EMAIL_CODE), s.enabled(SignInMethod.EMAIL_LINK));
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
