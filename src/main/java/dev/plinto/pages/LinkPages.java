package dev.plinto.pages;

import dev.plinto.account.AccountService;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The pages the emailed links open by default ({@code PLINTO_EMAIL_VERIFICATION_URL},
 * {@code PLINTO_PASSWORD_RESET_URL}), on the pages' layout. Opening a link only shows a form, so mail scanners that
 * prefetch links do not spend it; the form's post does. Opening a link checks its token without spending it: a link
 * that is invalid, expired or already used says so at once and offers a form that mails a new one, rather than a
 * form whose answer would only then say the link is dead. The new-link forms answer the same whether or not an
 * account has the address (OWASP Forgot Password Cheat Sheet: consistent message, no account enumeration) and share
 * the JSON calls' rate limits. Like every page, the forms carry a CSRF token and the pages send
 * {@code Referrer-Policy: same-origin}, so the token in the URL never leaves Plinto's origin.
 */
@Controller
@Hidden
final class LinkPages {

	private final AccountService accounts;

	private final PageContexts contexts;

	private final PlintoSettings settings;

	private final PasswordPolicy passwords;

	LinkPages(AccountService accounts, PageContexts contexts, PlintoSettings settings, PasswordPolicy passwords) {
		this.passwords = passwords;
		this.accounts = accounts;
		this.contexts = contexts;
		this.settings = settings;
	}

	@GetMapping(PageRoutes.VERIFY_EMAIL)
	ModelAndView verifyForm(@RequestParam(defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (!accounts.verificationLinkLive(token)) {
			return deadLink(ctx, "link.verification_dead", PageRoutes.VERIFY_EMAIL + "/new-link", FormState.empty());
		}
		return SignInPages.view(ctx, "verify-email", HttpStatus.OK, "token", token);
	}

	@PostMapping(path = PageRoutes.VERIFY_EMAIL, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView verify(@RequestParam(defaultValue = "") String token, ClientInfo client, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			accounts.confirmEmail(token, ctx.lang(), client);
		}
		catch (ApiException e) {
			return deadLink(ctx, "link.verification_dead", PageRoutes.VERIFY_EMAIL + "/new-link", FormState.empty());
		}
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("link.confirmed_title"), "message",
				ctx.t("link.confirmed", ctx.brand().appName()), "linkHref", PageRoutes.SIGN_IN, "linkText",
				ctx.t("sign_up.to_sign_in"));
	}

	@GetMapping(PageRoutes.RESET_PASSWORD)
	ModelAndView resetForm(@RequestParam(defaultValue = "") String token, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (!accounts.resetLinkLive(token)) {
			return deadLink(ctx, "link.reset_dead", PageRoutes.RESET_PASSWORD + "/new-link", FormState.empty());
		}
		return resetPage(ctx, HttpStatus.OK, token, FormState.empty());
	}

	@PostMapping(path = PageRoutes.RESET_PASSWORD, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView reset(@RequestParam(defaultValue = "") String token,
			@RequestParam(name = "new_password", defaultValue = "") String newPassword, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			accounts.resetPassword(token, newPassword, client);
		}
		catch (ApiException e) {
			if (e.code().status() == HttpStatus.UNPROCESSABLE_CONTENT) {
				return resetPage(ctx, HttpStatus.UNPROCESSABLE_CONTENT, token,
						FormState.of(ctx.messages(), "new_password", "").refusal(e, "new_password").build());
			}
			if (e.code() == ErrorCode.PASSWORDS_DISABLED) {
				// the organization switched passwords off for this address's domain: say so, not "dead link"
				return resetPage(ctx, HttpStatus.FORBIDDEN, token,
						FormState.of(ctx.messages(), "new_password", "").refusal(e, null).build());
			}
			return deadLink(ctx, "link.reset_dead", PageRoutes.RESET_PASSWORD + "/new-link", FormState.empty());
		}
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("link.reset_done_title"), "message",
				ctx.t("link.reset_done", ctx.brand().appName()), "linkHref", PageRoutes.SIGN_IN, "linkText",
				ctx.t("sign_up.to_sign_in"));
	}

	@PostMapping(path = PageRoutes.VERIFY_EMAIL + "/new-link", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView newVerificationLink(@RequestParam(defaultValue = "") String email, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		return newLink(ctx, email, "link.verification_dead", PageRoutes.VERIFY_EMAIL + "/new-link",
				() -> accounts.resendVerification(email, client),
				ctx.t("link.verification_sent", hours(ctx, settings.emailVerificationTtl())));
	}

	@PostMapping(path = PageRoutes.RESET_PASSWORD + "/new-link", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView newResetLink(@RequestParam(defaultValue = "") String email, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		return newLink(ctx, email, "link.reset_dead", PageRoutes.RESET_PASSWORD + "/new-link",
				() -> accounts.requestPasswordReset(email, client),
				ctx.t("link.reset_sent", hours(ctx, settings.passwordResetTtl())));
	}

	private ModelAndView newLink(PageContext ctx, String email, String deadKey, String action, Runnable request,
			String sent) {
		if (!SignInPages.plausibleEmail(email)) {
			return deadLink(ctx, deadKey, action,
					FormState.of(ctx.messages(), "email", email).field("email", "error.email_invalid").build());
		}
		try {
			request.run();
		}
		catch (ApiException e) {
			return deadLink(ctx, deadKey, action, FormState.of(ctx.messages(), "email", email).refusal(e, null).build());
		}
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("forgot.sent_title"), "message", sent,
				"linkHref", null, "linkText", null);
	}

	private ModelAndView resetPage(PageContext ctx, HttpStatus status, String token, FormState form) {
		return SignInPages.view(ctx, "reset-password", status, "token", token, "form", form, "minLength",
				passwords.minLength(), "maxLength", PasswordPolicy.MAX_LENGTH);
	}

	/** A dead link: the sentence, and a form that mails a new link to the address typed in. */
	private static ModelAndView deadLink(PageContext ctx, String sentenceKey, String action, FormState form) {
		return SignInPages.view(ctx, "link-dead", HttpStatus.BAD_REQUEST,
				"message", ctx.t(sentenceKey), "action", action, "form", form);
	}

	private static String hours(PageContext ctx, Duration d) {
		return d.toHours() >= 1 ? ctx.t("link.hours", d.toHours()) : ctx.t("link.minutes", d.toMinutes());
	}
}
