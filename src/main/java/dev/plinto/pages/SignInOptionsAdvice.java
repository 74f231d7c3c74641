package dev.plinto.pages;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Gives every page of the sign-in controllers the switched-on first factors as {@code methods}, so the sign-in
 * template shows only those whichever controller renders it.
 */
@ControllerAdvice(assignableTypes = { SignInPages.class, EmailSignInPages.class, PasskeyPages.class })
final class SignInOptionsAdvice {

	private final LiveSettings settings;

	SignInOptionsAdvice(LiveSettings settings) {
		this.settings = settings;
	}

	@ModelAttribute("methods")
	SignInOptions methods() {
		return SignInOptions.of(settings.current());
	}
}
