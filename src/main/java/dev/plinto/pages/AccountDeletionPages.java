package dev.plinto.pages;

import dev.plinto.account.AccountDeletion;
import dev.plinto.account.AccountService;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.EmailChanges;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The account page's email change and account deletion forms (fragments {@code account-email.jte} and
 * {@code account-delete.jte}): both go through the same services as {@code POST /v1/me/email} and
 * {@code DELETE /v1/me}, with the same re-authentication, refusals, audit and webhooks. A refused form is shown
 * again on its own page with its problems. A deleted account's browser is signed out (its cookies cleared; the
 * session itself ended with the account) and lands on a page that says so.
 */
@Controller
@Hidden
final class AccountDeletionPages {

	static final String EMAIL = PageRoutes.ACCOUNT + "/email";

	static final String DELETE = PageRoutes.ACCOUNT + "/delete";

	private final AccountService accounts;

	private final EmailChanges emailChanges;

	private final AccountDeletion deletion;

	private final BrowserSessions browser;

	private final PageContexts contexts;

	private final PlintoSettings settings;

	AccountDeletionPages(AccountService accounts, EmailChanges emailChanges, AccountDeletion deletion,
			BrowserSessions browser, PageContexts contexts, PlintoSettings settings) {
		this.accounts = accounts;
		this.emailChanges = emailChanges;
		this.deletion = deletion;
		this.browser = browser;
		this.contexts = contexts;
		this.settings = settings;
	}

	@PostMapping(path = EMAIL, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView changeEmail(@RequestParam(name = "new_email", defaultValue = "") String newEmail,
			@RequestParam(name = "email_password", defaultValue = "") String password, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		String current = accounts.get(caller.userId()).email();
		FormState.Builder form = FormState.of(ctx.messages(), "new_email", newEmail, "email_password", "");
		if (!SignInPages.plausibleEmail(newEmail) || EmailAddress.canonical(newEmail).isEmpty()) {
			return emailPage(ctx, HttpStatus.BAD_REQUEST, current, form.field("new_email", "error.email_invalid"));
		}
		if (EmailAddress.same(newEmail, current)) {
			return emailPage(ctx, HttpStatus.BAD_REQUEST, current,
					form.field("new_email", "account.email_change.same"));
		}
		if (password.isEmpty()) {
			return emailPage(ctx, HttpStatus.BAD_REQUEST, current,
					form.field("email_password", "error.password_missing"));
		}
		String sentTo;
		try {
			sentTo = emailChanges.request(caller.userId(), caller.sessionId(), newEmail, password, ctx.lang(),
					caller.client());
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.WRONG_PASSWORD) {
				form.field("email_password", "error.wrong_password");
			}
			else if (e.code() == ErrorCode.EMAIL_TAKEN) {
				form.field("new_email", "error.email_taken");
			}
			else if (e.code() == ErrorCode.VALIDATION_FAILED) {
				form.field("new_email", "error.email_invalid");
			}
			else {
				form.refusal(e, null);
			}
			return emailPage(ctx, e.code().status(), current, form);
		}
		Duration ttl = settings.emailVerificationTtl();
		String within = ttl.toHours() >= 1 ? ctx.t("link.hours", ttl.toHours()) : ctx.t("link.minutes", ttl.toMinutes());
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("account.email_change.sent_title"),
				"message", ctx.t("account.email_change.sent", sentTo, within), "linkHref", PageRoutes.ACCOUNT,
				"linkText", ctx.t("account.email_change.back"));
	}

	@PostMapping(path = DELETE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView delete(@RequestParam(name = "delete_password", defaultValue = "") String password,
			@RequestParam(name = "delete_code", defaultValue = "") String code, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		FormState.Builder form = FormState.of(ctx.messages(), "delete_password", "", "delete_code", "");
		if (password.isEmpty()) {
			return deletePage(ctx, HttpStatus.BAD_REQUEST, caller, form.field("delete_password",
					"error.password_missing"));
		}
		try {
			deletion.delete(caller.userId(), caller.sessionId(), password, code.isBlank() ? null : code, ctx.lang(),
					caller.client());
		}
		catch (ApiException e) {
			switch (e.code()) {
				case WRONG_PASSWORD -> form.field("delete_password", "error.wrong_password");
				case MFA_CODE_REQUIRED -> form.field("delete_code", "account.delete.code_required");
				case WRONG_MFA_CODE -> form.field("delete_code", "error.invalid_mfa_code");
				case LAST_OWNER -> form.alert("account.delete.last_owner");
				default -> form.refusal(e, null);
			}
			return deletePage(ctx, e.code().status(), caller, form);
		}
		browser.clear(response);
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("account.delete.done_title"),
				"message", ctx.t("account.delete.done"), "linkHref", PageRoutes.SIGN_UP, "linkText",
				ctx.t("account.delete.sign_up"));
	}

	private static ModelAndView emailPage(PageContext ctx, HttpStatus status, String current,
			FormState.Builder form) {
		return SignInPages.view(ctx, "account-email-change", status, "form", form.build(), "email", current);
	}

	private ModelAndView deletePage(PageContext ctx, org.springframework.http.HttpStatusCode status, Caller caller,
			FormState.Builder form) {
		return SignInPages.view(ctx, "account-delete", status, "form", form.build(), "codeRequired",
				deletion.codeRequired(caller.userId()));
	}
}
