package dev.plinto.account;

import dev.plinto.account.OneTimeTokenRepository.Purpose;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
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
 * form; the token is spent by the form's POST, so mail scanners that prefetch links do not consume it. Opening a
 * link checks its token without spending it (peek): a link that is invalid, expired or already used says so at
 * once and offers a form that mails a new link, rather than a form whose answer would only then say the link is
 * dead. The new-link forms answer the same whether or not an account has the address (OWASP Forgot Password Cheat
 * Sheet, "Forgot password request": consistent message, no account enumeration) and share the JSON calls' rate
 * limits. Pages send
 * {@code Referrer-Policy: no-referrer} (the token is in the URL; OWASP Forgot Password Cheat Sheet), a strict
 * Content-Security-Policy and {@code Cache-Control: no-store}.
 */
@RestController
@Hidden
final class EmailLinkPages {

	private final AccountService accounts;

	private final PlintoSettings settings;

	private final EmailLinks links;

	private final UserRepository users;

	EmailLinkPages(AccountService accounts, PlintoSettings settings, EmailLinks links, UserRepository users) {
		this.accounts = accounts;
		this.settings = settings;
		this.links = links;
		this.users = users;
	}

	@GetMapping("/verify-email")
	ResponseEntity<String> verifyForm(@RequestParam(defaultValue = "") String token) {
		if (!live(token, Purpose.EMAIL_VERIFICATION)) {
			return deadLink("This verification link is invalid, expired or already used. If your email is not "
					+ "confirmed yet, ask for a new link:", "verify-email/new-link");
		}
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
		if (!live(token, Purpose.PASSWORD_RESET)) {
			return deadLink("This reset link is invalid, expired or already used. Ask for a new one:",
					"reset-password/new-link");
		}
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

	@PostMapping(path = "/verify-email/new-link", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> newVerificationLink(@RequestParam(defaultValue = "") String email, ClientInfo client) {
		return newLink("new-link", email, () -> accounts.resendVerification(email, client),
				"If an account with an unconfirmed email uses this address, a new link is on its way. It works for "
						+ hours(settings.emailVerificationTtl()) + ".");
	}

	@PostMapping(path = "/reset-password/new-link", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> newResetLink(@RequestParam(defaultValue = "") String email, ClientInfo client) {
		return newLink("new-link", email, () -> accounts.requestPasswordReset(email, client),
				"If an account uses this address, a link to choose a new password is on its way. It works for "
						+ hours(settings.passwordResetTtl()) + ".");
	}

	private ResponseEntity<String> newLink(String action, String email, Runnable request, String sent) {
		if (email.isBlank() || email.length() > 320 || !email.contains("@")) {
			return page(HttpStatus.BAD_REQUEST, "Email address needed", "<p>Enter the email address of your "
					+ "account.</p>" + newLinkForm(action));
		}
		try {
			request.run();
		}
		catch (ApiException e) {
			return page(e.code().status(), "No new link yet", "<p>" + HtmlUtils.htmlEscape(e.getMessage())
					+ "</p>");
		}
		return page(HttpStatus.OK, "Check your email", "<p>" + HtmlUtils.htmlEscape(sent) + "</p>");
	}

	/** Whether a link's token can still be used, without spending it. */
	private boolean live(String token, Purpose purpose) {
		if (token.isBlank() || token.length() > 200) {
			return false;
		}
		return links.peek(SecureTokens.hash(token), purpose)
			.flatMap(t -> users.findById(t.userId())
				.filter(u -> purpose != Purpose.EMAIL_VERIFICATION || u.email().equals(t.email())))
			.isPresent();
	}

	/** A dead link: the sentence, and a form that mails a new link to the address typed in. */
	private ResponseEntity<String> deadLink(String sentence, String action) {
		return page(HttpStatus.BAD_REQUEST, "Link not valid", "<p>" + HtmlUtils.htmlEscape(sentence) + "</p>"
				+ newLinkForm(action));
	}

	/** The form that asks for a new link; {@code action} is relative to the page showing it. */
	private static String newLinkForm(String action) {
		return "<form method=\"post\" action=\"" + action + "\">"
				+ "<label for=\"e\">Email address</label>"
				+ "<input id=\"e\" type=\"email\" name=\"email\" autocomplete=\"email\" maxlength=\"320\" "
				+ "required><button type=\"submit\">Send a new link</button></form>";
	}

	private static String hours(java.time.Duration d) {
		return d.toHours() >= 1 ? d.toHours() + " hours" : d.toMinutes() + " minutes";
	}

	private ResponseEntity<String> page(HttpStatus status, String title, String body) {
		return HtmlPages.page(settings.appName(), status, title, body);
	}
}
