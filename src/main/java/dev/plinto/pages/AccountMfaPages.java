package dev.plinto.pages;

import dev.plinto.mfa.MfaService;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * Two-step verification on the account page, on the same service as {@code /v1/me/mfa} (so the same rules,
 * lockout and audit): set up an authenticator app from its QR code and confirm it with a first code, remove it
 * with the password, and make new recovery codes. New recovery codes are shown once, on a {@code no-store} page,
 * with a plain-text download; only their hashes are kept (docs/mfa.md). Starting a set-up and making new codes
 * need a recent sign-in, like their API routes ({@link PageRoutes#RECENT_SIGN_IN}); confirming needs the code
 * and removing needs the password, which prove the user is present.
 */
@Controller
@Hidden
final class AccountMfaPages {

	/** What a recovery code looks like (MfaService: groups of lower-case letters and digits). */
	private static final Pattern RECOVERY_CODE = Pattern.compile("[0-9a-z]{1,12}(-[0-9a-z]{1,12}){0,3}");

	/** More than one set never needs writing. */
	private static final int MAX_CODES = 20;

	private final MfaService mfa;

	private final AccountPages account;

	private final PageContexts contexts;

	AccountMfaPages(MfaService mfa, AccountPages account, PageContexts contexts) {
		this.mfa = mfa;
		this.account = account;
		this.contexts = contexts;
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/totp", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView start(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		MfaService.TotpEnrollment setup;
		try {
			setup = mfa.startTotp(caller.userId());
		}
		catch (ApiException e) {
			return account.page(caller, ctx, e.code().status(), FormState.of(ctx.messages()).refusal(e, null).build(),
					null);
		}
		return setup(ctx, HttpStatus.OK, FormState.empty(), setup, PageRoutes.ACCOUNT + "/totp/confirm", null, null);
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/totp/confirm", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView confirm(@RequestParam(defaultValue = "") String code, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		List<String> codes;
		try {
			codes = mfa.confirmTotp(caller.userId(), code.strip(), caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			Optional<MfaService.TotpEnrollment> pending = mfa.pendingTotp(caller.userId());
			if (pending.isEmpty()) {
				return account.page(caller, ctx, e.code().status(),
						FormState.of(ctx.messages()).refusal(e, null).build(), null);
			}
			return setup(ctx, e.code().status(), FormState.of(ctx.messages(), "code", "").refusal(e, "code").build(),
					pending.get(), PageRoutes.ACCOUNT + "/totp/confirm", null, null);
		}
		return recoveryCodes(ctx, codes, PageRoutes.ACCOUNT);
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/totp/remove", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView remove(@RequestParam(name = "totp_password", defaultValue = "") String password, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (password.isEmpty()) {
			return account.page(caller, ctx, HttpStatus.BAD_REQUEST,
					FormState.of(ctx.messages(), "totp_password", "")
						.field("totp_password", "error.password_missing")
						.build(),
					null);
		}
		try {
			mfa.removeTotp(caller.userId(), password, null, caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			FormState refused = FormState.of(ctx.messages(), "totp_password", "")
				.refusal(e, e.code() == ErrorCode.WRONG_PASSWORD ? "totp_password" : null)
				.build();
			return account.page(caller, ctx, e.code().status(), refused, null);
		}
		return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("mfa.totp_removed"));
	}

	@PostMapping(path = PageRoutes.ACCOUNT + "/recovery-codes", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView regenerate(Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		List<String> codes;
		try {
			codes = mfa.regenerateRecoveryCodes(caller.userId(), caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			return account.page(caller, ctx, e.code().status(), FormState.of(ctx.messages()).refusal(e, null).build(),
					null);
		}
		return recoveryCodes(ctx, codes, PageRoutes.ACCOUNT);
	}

	/**
	 * The set-up page of an authenticator app: its QR code, the key to type instead, and the field for the first
	 * code, posted to {@code action} (with the enrolment token and {@code redirect_url} of a sign-in, when given).
	 */
	static ModelAndView setup(PageContext ctx, HttpStatusCode status, FormState form, MfaService.TotpEnrollment setup,
			String action, String enrollmentToken, String redirectUrl) {
		return SignInPages.view(ctx, "totp-setup", status, "form", form, "qrCode", setup.qrCode(), "secret",
				grouped(setup.secret()), "action", action, "enrollmentToken", enrollmentToken, "redirectUrl",
				redirectUrl);
	}

	/**
	 * The recovery codes just shown, as a text file to keep. Plinto holds only their hashes, so the page posts the
	 * codes it shows back here; only strings shaped like recovery codes are written, and the file is an attachment
	 * served {@code nosniff}, so nothing posted here can become a page.
	 */
	@PostMapping(path = PageRoutes.ACCOUNT + "/recovery-codes/download",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<String> download(@RequestParam(name = "code", defaultValue = "") List<String> codes,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		List<String> kept = codes.stream().filter(c -> RECOVERY_CODE.matcher(c).matches()).limit(MAX_CODES).toList();
		String text = ctx.t("mfa.codes_file_heading", ctx.brand().appName()) + "\n\n" + String.join("\n", kept)
				+ "\n";
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("recovery-codes.txt").build().toString())
			.header("X-Content-Type-Options", "nosniff")
			.body(text);
	}

	/** New recovery codes, shown once, with a plain-text download and the way on. */
	static ModelAndView recoveryCodes(PageContext ctx, List<String> codes, String continueHref) {
		return SignInPages.view(ctx, "recovery-codes", HttpStatus.OK, "codes", codes, "continueHref", continueHref);
	}

	/** The base32 key in groups of four, easier to type into an app by hand (apps ignore the spaces). */
	static String grouped(String secret) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < secret.length(); i += 4) {
			if (i > 0) {
				out.append(' ');
			}
			out.append(secret, i, Math.min(secret.length(), i + 4));
		}
		return out.toString();
	}
}
