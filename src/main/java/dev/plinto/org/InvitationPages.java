package dev.plinto.org;

import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
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
 * The page an invitation link opens by default ({@code PLINTO_ORG_INVITATION_URL}): a plain HTML form, without
 * JavaScript, with which someone who has no account yet creates one and joins. Opening the link only shows the
 * form, after checking the link without spending it: a live link shows what it is for (the organization, who
 * invited, the invited email), a dead one says why and what to do instead of a form whose answer would only then
 * say so (a mail scanner that prefetches it spends nothing); the POST accepts. Someone who already
 * has an account is told to accept from the app while signed in. Same headers as the email-link pages:
 * {@code Referrer-Policy: no-referrer} (the token is in the URL; OWASP Forgot Password Cheat Sheet), a strict
 * Content-Security-Policy and {@code Cache-Control: no-store}.
 */
@RestController
@Hidden
final class InvitationPages {

	private final InvitationService invitations;

	private final PlintoSettings settings;

	InvitationPages(InvitationService invitations, PlintoSettings settings) {
		this.invitations = invitations;
		this.settings = settings;
	}

	@GetMapping("/accept-invitation")
	ResponseEntity<String> form(@RequestParam(defaultValue = "") String token) {
		String app = HtmlUtils.htmlEscape(settings.appName());
		InvitationService.Preview preview;
		try {
			preview = invitations.preview(token);
		}
		catch (ApiException e) {
			return page(e.code().status(), "Invitation not valid", "<p>" + HtmlUtils.htmlEscape(e.getMessage())
					+ "</p><p>An invitation link works once and for a limited time. Ask the person who invited you "
					+ "to resend the invitation; if you already accepted it, sign in to " + app + ".</p>");
		}
		String organization = HtmlUtils.htmlEscape(preview.organizationName());
		return page(HttpStatus.OK, "Join " + organization, "<p>"
				+ (preview.inviter() == null ? "You are invited" : HtmlUtils.htmlEscape(preview.inviter())
						+ " invited you")
				+ " to join <strong>" + organization + "</strong> on " + app + " as <strong>"
				+ HtmlUtils.htmlEscape(preview.email()) + "</strong>.</p>"
				+ "<p>Create your " + app + " account to accept the invitation. If you already have an account, "
				+ "sign in to " + app + " and accept the invitation there instead.</p>"
				+ "<form method=\"post\" action=\"accept-invitation\">"
				+ HtmlPages.hiddenToken(token)
				+ "<label for=\"n\">Your name (optional)</label>"
				+ "<input id=\"n\" name=\"name\" autocomplete=\"name\" maxlength=\"200\">"
				+ "<label for=\"p\">Password (8 to 128 characters)</label>"
				+ "<input id=\"p\" type=\"password\" name=\"password\" autocomplete=\"new-password\" "
				+ "minlength=\"8\" maxlength=\"128\" required>"
				+ "<button type=\"submit\">Create account and join</button></form>");
	}

	@PostMapping(path = "/accept-invitation", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> accept(@RequestParam(defaultValue = "") String token,
			@RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String name,
			ClientInfo client) {
		try {
			String cleanName = name.length() > 200 || !name.matches(OrganizationController.ONE_LINE) ? null : name;
			InvitationService.Joined joined = invitations.acceptAsNewUser(token, password, cleanName, client);
			return page(HttpStatus.OK, "Welcome", "<p>Your account is ready and you are a member of "
					+ HtmlUtils.htmlEscape(joined.organization().organization().name()) + ". Sign in to "
					+ HtmlUtils.htmlEscape(settings.appName()) + " with your email and the password you chose.</p>");
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.EMAIL_TAKEN) {
				return page(HttpStatus.CONFLICT, "You already have an account", "<p>Sign in to "
						+ HtmlUtils.htmlEscape(settings.appName()) + " with this email address and accept the "
						+ "invitation there.</p>");
			}
			String retry = e.code().status() == HttpStatus.UNPROCESSABLE_CONTENT
					? "<p><a href=\"accept-invitation?token=" + HtmlUtils.htmlEscape(token) + "\">Try again</a></p>"
					: "";
			return page(e.code().status(), "Invitation not accepted",
					"<p>" + HtmlUtils.htmlEscape(e.getMessage()) + "</p>" + retry);
		}
	}

	private ResponseEntity<String> page(HttpStatus status, String title, String body) {
		return HtmlPages.page(settings.appName(), status, title, body);
	}
}
