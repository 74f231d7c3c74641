package dev.plinto.pages;

import dev.plinto.mfa.MfaSignInService;
import dev.plinto.mfa.PasskeyService;
import dev.plinto.mfa.WebAuthnJson;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

/**
 * Passkeys on the hosted pages: the passwordless sign-in (a button, and the browser's autofill through conditional
 * mediation), the passkey as a second factor, and registering, renaming and removing passkeys on the account page.
 * <p>
 * The WebAuthn ceremonies run in the pages' same-origin script ({@code assets/plinto.js}), the only flow that needs
 * one: it fetches options from the {@code …/options} posts below (JSON answers), hands them to
 * {@code navigator.credentials}, and posts the credential's {@code toJSON()} back in the {@code credential} field of
 * an ordinary form. Every post here is a form post ({@code application/x-www-form-urlencoded}), so it carries the
 * page's CSRF token and passes the pages' Origin check like any other form (OWASP Cross-Site Request Forgery
 * Prevention Cheat Sheet, "Synchronizer Token Pattern" and "Verifying Origin With Standard Headers"). Challenges,
 * flows, lockout, rate limits, audit and the verification itself (webauthn4j) are the JSON API's: the options of a
 * passwordless sign-in start a stored browser flow whose challenge only a browser page can complete, and a completed
 * sign-in puts the new session into the browser's cookies ({@link BrowserSessions}) and answers 303 to the allowed
 * {@code redirect_url} ({@link RedirectPolicy}). Registering and removing need a recent sign-in, declared with the
 * pages' route rules ({@link PageRoutes#PASSKEYS_RECENT_SIGN_IN}).
 */
@Controller
@Hidden
final class PasskeyPages {

	static final String SIGN_IN_OPTIONS = PageRoutes.SIGN_IN + "/passkey/options";

	static final String SIGN_IN = PageRoutes.SIGN_IN + "/passkey";

	static final String SECOND_FACTOR = PageRoutes.SIGN_IN_FACTOR + "/passkey";

	static final String REGISTRATION_OPTIONS = PageRoutes.ACCOUNT + "/passkeys/options";

	static final String REGISTER = PageRoutes.ACCOUNT + "/passkeys";

	static final String RENAME = PageRoutes.ACCOUNT + "/passkeys/rename";

	static final String REMOVE = PageRoutes.ACCOUNT + "/passkeys/remove";

	/** The longest passkey name, as on the JSON API. */
	static final int MAX_NAME = 100;

	private final MfaSignInService signIn;

	private final PasskeyService passkeys;

	private final BrowserSessions browser;

	private final RedirectPolicy redirects;

	private final PageContexts contexts;

	private final AccountPages account;

	PasskeyPages(MfaSignInService signIn, PasskeyService passkeys, BrowserSessions browser, RedirectPolicy redirects,
			PageContexts contexts, AccountPages account) {
		this.signIn = signIn;
		this.passkeys = passkeys;
		this.browser = browser;
		this.redirects = redirects;
		this.contexts = contexts;
		this.account = account;
	}

	/** A refused options request, for the script to show: the sentence in the page's language. */
	record Refusal(String message) {
	}

	/**
	 * Options for an assertion: with {@code mfa_token}, for the second-factor step of that sign-in (listing the
	 * user's passkeys); without, for a new passwordless browser flow (listing none, so the authenticator offers its
	 * discoverable credentials).
	 */
	@PostMapping(path = SIGN_IN_OPTIONS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<WebAuthnJson.RequestOptions> signInOptions(
			@RequestParam(name = "mfa_token", defaultValue = "") String mfaToken, ClientInfo client) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(signIn.passkeyOptions(mfaToken.isBlank() ? null : mfaToken, SignInFlow.Type.BROWSER, client));
	}

	@PostMapping(path = SIGN_IN, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView signIn(@RequestParam(defaultValue = "") String credential,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			return signedIn(signIn.signInWithPasskey(credential, SignInFlow.Type.BROWSER, client), redirectUrl,
					response);
		}
		catch (ApiException e) {
			FormState refused = refusal(ctx.messages(), FormState.of(ctx.messages(), "email", ""), e).build();
			return SignInPages.view(ctx, "sign-in", e.code().status(), "form", refused, "redirectUrl",
					allowedOrNull(redirectUrl));
		}
	}

	@PostMapping(path = SECOND_FACTOR, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView secondFactor(@RequestParam(name = "mfa_token", defaultValue = "") String mfaToken,
			@RequestParam(defaultValue = "") String credential,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			return signedIn(signIn.completeSecondFactor(mfaToken, "passkey", null, credential, client), redirectUrl,
					response);
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.INVALID_MFA_TOKEN) {
				FormState restart = FormState.of(ctx.messages(), "email", "").alert("error.invalid_mfa_token").build();
				return SignInPages.view(ctx, "sign-in", HttpStatus.UNAUTHORIZED, "form", restart, "redirectUrl",
						allowedOrNull(redirectUrl));
			}
			FormState refused = refusal(ctx.messages(), FormState.of(ctx.messages(), "code", ""), e).build();
			return SignInPages.view(ctx, "sign-in-factor", e.code().status(), "form", refused, "mfaToken", mfaToken,
					"factors", signIn.factors(mfaToken), "redirectUrl", allowedOrNull(redirectUrl));
		}
	}

	/** Options to register a new passkey for the signed-in user (a recent sign-in, by the route rules). */
	@PostMapping(path = REGISTRATION_OPTIONS, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
			produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	ResponseEntity<WebAuthnJson.CreationOptions> registrationOptions(Caller caller) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore())
			.body(passkeys.registrationOptions(caller.userId()));
	}

	@PostMapping(path = REGISTER, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView register(@RequestParam(defaultValue = "") String credential,
			@RequestParam(defaultValue = "") String name, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (name.strip().length() > MAX_NAME) {
			return account.page(caller, ctx, HttpStatus.BAD_REQUEST,
					FormState.of(ctx.messages(), "passkey-new-name", name)
						.field("passkey-new-name", "passkeys.name_too_long", MAX_NAME)
						.build(), null);
		}
		try {
			passkeys.register(caller.userId(), credential, name, caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			return account.page(caller, ctx, e.code().status(), refusal(ctx.messages(), FormState.of(ctx.messages()), e).build(),
					null);
		}
		return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("passkeys.added"));
	}

	@PostMapping(path = RENAME, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView rename(@RequestParam(name = "passkey_id", defaultValue = "") String id,
			@RequestParam(defaultValue = "") String name, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		String field = "passkey-name-" + id;
		if (name.isBlank() || name.strip().length() > MAX_NAME) {
			return account.page(caller, ctx, HttpStatus.BAD_REQUEST, FormState.of(ctx.messages(), field, name)
				.field(field, name.isBlank() ? "passkeys.name_missing" : "passkeys.name_too_long", MAX_NAME)
				.build(), null);
		}
		try {
			passkeys.rename(caller.userId(), id, name, caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			return account.page(caller, ctx, e.code().status(), refusal(ctx.messages(), FormState.of(ctx.messages()), e).build(),
					null);
		}
		return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("passkeys.renamed"));
	}

	@PostMapping(path = REMOVE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView remove(@RequestParam(name = "passkey_id", defaultValue = "") String id, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		try {
			passkeys.delete(caller.userId(), id, caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			return account.page(caller, ctx, e.code().status(), refusal(ctx.messages(), FormState.of(ctx.messages()), e).build(),
					null);
		}
		return account.page(caller, ctx, HttpStatus.OK, FormState.empty(), ctx.t("passkeys.removed"));
	}

	/**
	 * A refused options request (rate limit, lockout, an ended sign-in, no passkey for the step) as JSON for the
	 * script, with the sentence in the page's language; the form posts of this class answer their refusals with
	 * their page and never get here.
	 */
	@ExceptionHandler(ApiException.class)
	ResponseEntity<Refusal> refused(ApiException e, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		String message = e.retryAfter() != null ? FormState.waitSentence(ctx.messages(), e.retryAfter())
				: sentence(ctx.messages(), e);
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(e.code().status())
			.cacheControl(CacheControl.noStore());
		if (e.retryAfter() != null) {
			answer.header("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
		}
		return answer.contentType(MediaType.APPLICATION_JSON).body(new Refusal(message));
	}

	private ModelAndView signedIn(TokenResponse tokens, String redirectUrl, HttpServletResponse response) {
		browser.store(tokens, response);
		return SignInPages.seeOther(redirects.target(redirectUrl));
	}

	private String allowedOrNull(String redirectUrl) {
		return redirects.allowedTarget(redirectUrl).map(u -> redirectUrl).orElse(null);
	}

	/** The form's alert for a refusal: how long to wait, or the passkey sentence of its code. */
	private static FormState.Builder refusal(Messages messages, FormState.Builder form, ApiException e) {
		if (e.retryAfter() != null) {
			return form.refusal(e, null);
		}
		return form.alert(key(messages, e));
	}

	private static String sentence(Messages messages, ApiException e) {
		return messages.text(key(messages, e));
	}

	/** {@code passkeys.error.<code>}, or the general sentence for a code the passkey pages do not name. */
	private static String key(Messages messages, ApiException e) {
		String key = "passkeys.error." + e.code().code();
		return messages.has(key) ? key : "passkeys.error.failed";
	}
}
