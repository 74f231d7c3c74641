package dev.plinto.account;

import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.HtmlPages;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The pages the emailed links open by default ({@code PLINTO_EMAIL_VERIFICATION_URL},
 * {@code PLINTO_PASSWORD_RESET_URL}): plain HTML forms that work without JavaScript. Opening a link only shows a
 * form; the token is spent by the form's POST, so mail scanners that prefetch links do not consume it. Pages send
 * {@code Referrer-Policy: no-referrer} (the token is in the URL; OWASP Forgot Password Cheat Sheet), a strict
 * Content-Security-Policy and {@code Cache-Control: no-store}.
 */
@RestController
@Hidden
final class EmailLinkPages {

	private final AccountService accounts;

	private final PlintoSettings settings;

	EmailLinkPages(AccountService accounts, PlintoSettings settings) {
		this.accounts = accounts;
		this.settings = settings;
	}

	@GetMapping("/verify-email")
	ResponseEntity<String> verifyForm(@RequestParam(defaultValue = "") String token) {
		return page(HttpStatus.OK, "Confirm your email", "<p>Confirm that this email address belongs to you.</p>"
				+ "<form method=\"post\" action=\"verify-email\">" + HtmlPages.hiddenToken(token)
				+ "<button type=\"submit\">Confirm my email</button></form>");
	}

	@PostMapping(path = "/verify-email", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> verify(@RequestParam(defaultValue = "") String token, ClientInfo client) {
		try {
			accounts.confirmEmail(token, client);
			return page(HttpStatus.OK, "Email confirmed", "<p>Your email address is confirmed. You can close this "
					+ "page and return to " + HtmlUtils.htmlEscape(settings.appName()) + ".</p>");
		}
		catch (ApiException e) {
			return page(HttpStatus.BAD_REQUEST, "Link not valid", "<p>" + HtmlUtils.htmlEscape(e.getMessage())
					+ "</p>");
		}
	}

	@GetMapping("/reset-password")
	ResponseEntity<String> resetForm(@RequestParam(defaultValue = "") String token) {
		return page(HttpStatus.OK, "Choose a new password", "<form method=\"post\" action=\"reset-password\">"
				+ HtmlPages.hiddenToken(token) + "<label for=\"p\">New password (8 to 128 characters)</label>"
				+ "<input id=\"p\" type=\"password\" name=\"new_password\" autocomplete=\"new-password\" "
				+ "minlength=\"8\" maxlength=\"128\" required>"
				+ "<button type=\"submit\">Set password</button></form>");
	}

	@PostMapping(path = "/reset-password", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> reset(@RequestParam(defaultValue = "") String token,
			@RequestParam(name = "new_password", defaultValue = "") String newPassword, ClientInfo client) {
		try {
			accounts.resetPassword(token, newPassword, client);
			return page(HttpStatus.OK, "Password changed", "<p>Your password is changed and every session was "
					+ "signed out. Sign in to " + HtmlUtils.htmlEscape(settings.appName())
					+ " with the new password.</p>");
		}
		catch (ApiException e) {
			String retry = e.code().status() == HttpStatus.UNPROCESSABLE_CONTENT
					? "<p><a href=\"reset-password?token=" + HtmlUtils.htmlEscape(token) + "\">Try again</a></p>" : "";
			return page(HttpStatus.BAD_REQUEST, "Password not changed",
					"<p>" + HtmlUtils.htmlEscape(e.getMessage()) + "</p>" + retry);
		}
	}

	private ResponseEntity<String> page(HttpStatus status, String title, String body) {
		return HtmlPages.page(settings.appName(), status, title, body);
	}
}
