package dev.plinto.pages;

import dev.plinto.account.AccountService;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.mfa.MfaService;
import dev.plinto.mfa.MfaSignInService;
import dev.plinto.org.DomainRouting;
import dev.plinto.session.SessionService;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Sign-in, the second-factor step, sign-up, forgot password and sign-out as server-rendered forms that work without
 * JavaScript, on the same services as the JSON API (stored flows, rate limits, lockout, audit). A completed sign-in
 * or sign-up puts the new session into the browser's cookies ({@link BrowserSessions}) and answers 303 to the
 * allowed {@code redirect_url} ({@link RedirectPolicy}). An email address of a verified domain routed to an
 * enterprise connection ({@link DomainRouting}) is sent on to that connection's start route instead. The mfa_token of a second-factor step travels in a hidden
 * field of a {@code no-store} page, never in a URL.
 */
@Controller
@Hidden
final class SignInPages {

	private static final int MAX_EMAIL = 320;

	private static final String PROMPT_LOGIN = "login";

	/** OpenID Connect's {@code prompt=select_account}: the signed-in account, or another one. */

	private static final String PROMPT_SELECT_ACCOUNT = "select_account";

	private final SignInService signIn;

	private final MfaSignInService mfaSignIn;

	private final MfaService mfa;

	private final AccountService accounts;

	private final SessionService sessions;

	private final BrowserSessions browser;

	private final RedirectPolicy redirects;

	private final PageContexts contexts;

	private final DomainRouting routing;

	private final PasswordPolicy passwords;

	SignInPages(SignInService signIn, MfaSignInService mfaSignIn, MfaService mfa, AccountService accounts,
			SessionService sessions, BrowserSessions browser, RedirectPolicy redirects, PageContexts contexts,
			DomainRouting routing, PasswordPolicy passwords) {
		this.routing = routing;
		this.passwords = passwords;
		this.signIn = signIn;
		this.mfaSignIn = mfaSignIn;
		this.mfa = mfa;
		this.accounts = accounts;
		this.sessions = sessions;
		this.browser = browser;
		this.redirects = redirects;
		this.contexts = contexts;
	}

	/**
	 * The sign-in form; a signed-in browser goes straight on to {@code redirect_url}, unless {@code prompt=login}
	 * asks it to sign in again (OpenID Connect Core §3.1.2.1), as a change that needs a recent sign-in does: the form
	 * then names the account, and the new session replaces the browser's old one. With {@code prompt=select_account}
	 * the page offers to continue as the signed-in account (a link to {@code redirect_url}) or to sign in with
	 * another one.
	 */
	@GetMapping(PageRoutes.SIGN_IN)
	ModelAndView signInForm(@RequestParam(name = "redirect_url", required = false) String redirectUrl,
			@RequestParam(required = false) String prompt, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		boolean again = caller.signedIn() && PROMPT_LOGIN.equals(prompt);
		boolean choose = caller.signedIn() && PROMPT_SELECT_ACCOUNT.equals(prompt) && allowedOrNull(redirectUrl) != null;
		if (caller.signedIn() && !again && !choose) {
			return seeOther(redirects.target(redirectUrl));
		}
		PageContext ctx = contexts.of(request, response);
		if (choose) {
			// One account per browser: continue as it, or sign in with another one (which replaces the session).
			return view(ctx, "sign-in", HttpStatus.OK, "form", FormState.empty(), "redirectUrl",
					allowedOrNull(redirectUrl), "reauthenticate", true, "continueAs",
					accounts.get(caller.userId()).email());
		}
		FormState form = again ? FormState.of(ctx.messages(), "email", accounts.get(caller.userId()).email()).build()
				: FormState.empty();
		return view(ctx, "sign-in", HttpStatus.OK, "form", form, "redirectUrl", allowedOrNull(redirectUrl),
				"reauthenticate", again);
	}

	@PostMapping(path = PageRoutes.SIGN_IN, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView signIn(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl,
			@RequestParam(required = false) String prompt, Caller caller, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		if (plausibleEmail(email)) {
			// Domain routing: an address of a verified domain goes to its organization's identity provider, whether
			// or not a password was typed, and whether or not an account exists (decided on the domain alone).
			Optional<DomainRouting.Route> route = routing.route(email);
			if (route.isPresent()) {
				return seeOther(enterpriseStart(route.get(), redirectUrl));
			}
		}
		PageContext ctx = contexts.of(request, response);
		boolean again = caller.signedIn() && PROMPT_LOGIN.equals(prompt);
		FormState.Builder form = FormState.of(ctx.messages(), "email", email);
		if (!plausibleEmail(email)) {
			form.field("email", "error.email_invalid");
		}
		if (password.isEmpty()) {
			form.field("password", "error.password_missing");
		}
		FormState state = form.build();
		if (state.hasErrors()) {
			return view(ctx, "sign-in", HttpStatus.BAD_REQUEST, "form", state, "redirectUrl", allowedOrNull(redirectUrl),
					"reauthenticate", again);
		}
		SignInService.SignInResult result;
		try {
			result = signIn.signInWithPassword(email, password, SignInFlow.Type.BROWSER, client);
		}
		catch (ApiException e) {
			FormState refused = FormState.of(ctx.messages(), "email", email, "password", "")
				.refusal(e, e.code() == ErrorCode.INVALID_CREDENTIALS ? "password" : null)
				.build();
			return view(ctx, "sign-in", e.code().status(), "form", refused, "redirectUrl", allowedOrNull(redirectUrl),
					"reauthenticate", again);
		}
		if (result instanceof SignInService.Completed completed) {
			return signedIn(completed.tokens(), redirectUrl, caller, response);
		}
		if (result instanceof SignInService.MfaRequired required) {
			return view(ctx, "sign-in-factor", HttpStatus.OK, "form", FormState.empty(), "mfaToken",
					required.mfaToken(), "factors", required.factors(), "redirectUrl", allowedOrNull(redirectUrl));
		}
		return enrollment(ctx, (SignInService.EnrollmentRequired) result, redirectUrl);
	}

	@PostMapping(path = PageRoutes.SIGN_IN_FACTOR, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView secondFactor(@RequestParam(name = "mfa_token", defaultValue = "") String mfaToken,
			@RequestParam(defaultValue = "totp") String factor, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, Caller caller,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		String chosen = "recovery_code".equals(factor) ? "recovery_code" : "totp";
		try {
			TokenResponse tokens = mfaSignIn.completeSecondFactor(mfaToken, chosen, code.strip(), null, client);
			return signedIn(tokens, redirectUrl, caller, response);
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.INVALID_MFA_TOKEN) {
				FormState restart = FormState.of(ctx.messages(), "email", "").alert("error.invalid_mfa_token").build();
				return view(ctx, "sign-in", HttpStatus.UNAUTHORIZED, "form", restart, "redirectUrl",
						allowedOrNull(redirectUrl));
			}
			FormState refused = FormState.of(ctx.messages(), "code", "").refusal(e, "code").build();
			List<String> factors = mfaSignIn.factors(mfaToken);
			return view(ctx, "sign-in-factor", e.code().status(), "form", refused, "mfaToken", mfaToken, "factors",
					factors, "redirectUrl", allowedOrNull(redirectUrl));
		}
	}

	/**
	 * The enrolment step of a sign-in with {@code PLINTO_MFA=required}: the authenticator set up in the previous
	 * step is confirmed with a current code, which completes the sign-in
	 * ({@link MfaSignInService#enrollTotpAndSignIn}); the new recovery codes are then shown once, with the way on.
	 * A mistyped code shows the same QR code again; an expired step starts over at sign-in.
	 */
	@PostMapping(path = PageRoutes.SIGN_IN_ENROLL, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView enroll(@RequestParam(name = "enrollment_token", defaultValue = "") String enrollmentToken,
			@RequestParam(defaultValue = "") String code,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, Caller caller,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		MfaSignInService.EnrolledSignIn done;
		try {
			done = mfaSignIn.enrollTotpAndSignIn(enrollmentToken, code.strip(), client);
		}
		catch (ApiException e) {
			Optional<String> userId = e.code() == ErrorCode.INVALID_MFA_TOKEN ? Optional.empty()
					: signIn.enrollingUser(enrollmentToken);
			Optional<MfaService.TotpEnrollment> pending = userId.flatMap(mfa::pendingTotp);
			if (pending.isEmpty()) {
				FormState restart = FormState.of(ctx.messages(), "email", "").alert("error.invalid_mfa_token").build();
				return view(ctx, "sign-in", HttpStatus.UNAUTHORIZED, "form", restart, "redirectUrl",
						allowedOrNull(redirectUrl));
			}
			FormState refused = FormState.of(ctx.messages(), "code", "").refusal(e, "code").build();
			return AccountMfaPages.setup(ctx, e.code().status(), refused, pending.get(), PageRoutes.SIGN_IN_ENROLL,
					enrollmentToken, allowedOrNull(redirectUrl));
		}
		replaceBrowserSession(done.tokens(), caller);
		browser.store(done.tokens(), response);
		return AccountMfaPages.recoveryCodes(ctx, done.recoveryCodes(), redirects.target(redirectUrl).toString());
	}

	@GetMapping(PageRoutes.SIGN_UP)
	ModelAndView signUpForm(@RequestParam(name = "redirect_url", required = false) String redirectUrl,
			HttpServletRequest request, HttpServletResponse response) {
		return view("sign-up", HttpStatus.OK, request, response, "form", FormState.empty(), "redirectUrl",
				allowedOrNull(redirectUrl), "minLength", passwords.minLength(), "maxLength",
				PasswordPolicy.MAX_LENGTH);
	}

	@PostMapping(path = PageRoutes.SIGN_UP, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView signUp(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String password,
			@RequestParam(defaultValue = "") String name,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		FormState.Builder form = FormState.of(ctx.messages(), "email", email, "name", name, "password", "");
		if (!plausibleEmail(email)) {
			form.field("email", "error.email_invalid");
		}
		if (name.length() > 200) {
			form.field("name", "error.name_too_long");
		}
		FormState state = form.build();
		Object[] common = { "redirectUrl", allowedOrNull(redirectUrl), "minLength", passwords.minLength(),
				"maxLength", PasswordPolicy.MAX_LENGTH };
		if (state.hasErrors()) {
			return view(ctx, "sign-up", HttpStatus.BAD_REQUEST, concat(common, "form", state));
		}
		SignInService.SignUpResult result;
		try {
			result = signIn.signUp(email, password, name, client);
		}
		catch (ApiException e) {
			FormState refused = FormState.of(ctx.messages(), "email", email, "name", name, "password", "")
				.refusal(e, null)
				.build();
			return view(ctx, "sign-up", e.code().status(), concat(common, "form", refused));
		}
		if (result.tokens() != null) {
			return signedIn(result.tokens(), redirectUrl, caller, response);
		}
		if (result.verificationRequired()) {
			return view(ctx, "message", HttpStatus.OK, "title", ctx.t("sign_up.check_email_title"), "message",
					ctx.t("sign_up.check_email", result.user().email()), "linkHref", signInLink(redirectUrl),
					"linkText", ctx.t("sign_up.to_sign_in"));
		}
		return enrollment(ctx, result.enrollment(), redirectUrl);
	}

	@GetMapping(PageRoutes.FORGOT_PASSWORD)
	ModelAndView forgotForm(HttpServletRequest request, HttpServletResponse response) {
		return view("forgot-password", HttpStatus.OK, request, response, "form", FormState.empty());
	}

	@PostMapping(path = PageRoutes.FORGOT_PASSWORD, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView forgot(@RequestParam(defaultValue = "") String email, ClientInfo client, HttpServletRequest request,
			HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (!plausibleEmail(email)) {
			return view(ctx, "forgot-password", HttpStatus.BAD_REQUEST, "form",
					FormState.of(ctx.messages(), "email", email).field("email", "error.email_invalid").build());
		}
		try {
			accounts.requestPasswordReset(email, client);
		}
		catch (ApiException e) {
			return view(ctx, "forgot-password", e.code().status(), "form",
					FormState.of(ctx.messages(), "email", email).refusal(e, null).build());
		}
		// The same answer whether or not an account has this address (OWASP Forgot Password Cheat Sheet).
		return view(ctx, "message", HttpStatus.OK, "title", ctx.t("forgot.sent_title"), "message",
				ctx.t("forgot.sent"), "linkHref", PageRoutes.SIGN_IN, "linkText", ctx.t("sign_up.to_sign_in"));
	}

	@GetMapping(PageRoutes.SIGN_OUT)
	ModelAndView signOutForm(@RequestParam(name = "redirect_url", required = false) String redirectUrl,
			Caller caller, HttpServletRequest request, HttpServletResponse response) {
		return view("sign-out", HttpStatus.OK, request, response, "signedIn", caller.signedIn(), "redirectUrl",
				allowedOrNull(redirectUrl));
	}

	@PostMapping(path = PageRoutes.SIGN_OUT, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView signOut(@RequestParam(name = "redirect_url", required = false) String redirectUrl, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		if (caller.signedIn()) {
			sessions.signOut(caller.userId(), caller.sessionId(), caller.client());
		}
		browser.clear(response);
		Optional<URI> target = redirects.allowedTarget(redirectUrl);
		if (target.isPresent()) {
			return seeOther(target.get());
		}
		PageContext ctx = contexts.of(request, response);
		return view(ctx, "message", HttpStatus.OK, "title", ctx.t("sign_out.done_title"), "message",
				ctx.t("sign_out.done"), "linkHref", PageRoutes.SIGN_IN, "linkText", ctx.t("sign_out.sign_in_again"));
	}

	/**
	 * Rotates the browser session's refresh token and sets fresh cookies: 204, or 401 with both cookies cleared
	 * when the session has ended. For pages and same-site apps whose session JWT cookie has expired; it changes
	 * nothing an attacker could use, and the pages' Origin check still applies.
	 */
	@PostMapping(PageRoutes.REFRESH)
	ResponseEntity<Void> refresh(ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		Optional<String> token = BrowserSessions.read(request, browser.refreshCookieName());
		if (token.isEmpty()) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		try {
			browser.refresh(token.get(), client, response);
			return ResponseEntity.noContent().build();
		}
		catch (ApiException e) {
			browser.clear(response);
			return ResponseEntity.status(e.code() == ErrorCode.RATE_LIMITED ? HttpStatus.TOO_MANY_REQUESTS
					: HttpStatus.UNAUTHORIZED).build();
		}
	}

	private ModelAndView signedIn(TokenResponse tokens, String redirectUrl, Caller caller,
			HttpServletResponse response) {
		replaceBrowserSession(tokens, caller);
		browser.store(tokens, response);
		return seeOther(redirects.target(redirectUrl));
	}

	/**
	 * A browser holds one session: when it signs in again (e.g. {@code prompt=login} before a sensitive change)
	 * the session it held is signed out rather than left alive without a holder (OWASP Session Management Cheat
	 * Sheet, "Renew the Session ID After Any Privilege Level Change": the old identifier must not stay usable).
	 */
	private void replaceBrowserSession(TokenResponse tokens, Caller caller) {
		if (caller.signedIn() && !caller.sessionId().equals(tokens.sessionId())) {
			sessions.signOut(caller.userId(), caller.sessionId(), caller.client());
		}
	}

	private ModelAndView enrollment(PageContext ctx, SignInService.EnrollmentRequired required, String redirectUrl) {
		return enrollmentStep(ctx, mfa, required, allowedOrNull(redirectUrl));
	}

	/**
	 * The enrolment step of any first factor: a new authenticator to set up, whose first code completes the sign-in
	 * ({@link #enroll}).
	 */
	static ModelAndView enrollmentStep(PageContext ctx, MfaService mfa, SignInService.EnrollmentRequired required,
			String allowedRedirectUrl) {
		MfaService.TotpEnrollment setup = mfa.startTotp(required.user().id());
		return AccountMfaPages.setup(ctx, HttpStatus.OK, FormState.empty(), setup, PageRoutes.SIGN_IN_ENROLL,
				required.enrollmentToken(), allowedRedirectUrl);
	}

	private String allowedOrNull(String redirectUrl) {
		return redirects.allowedTarget(redirectUrl).map(u -> redirectUrl).orElse(null);
	}

	/**
	 * Where a browser starts the enterprise sign-in of a routed domain: the connection's start route with the
	 * {@code redirect_url} kept when it is allowed ({@link RedirectPolicy}), so the user lands where they were going.
	 */
	private URI enterpriseStart(DomainRouting.Route route, String redirectUrl) {
		String allowed = allowedOrNull(redirectUrl);
		return URI.create(route.startPath() + (allowed == null ? ""
				: "?redirect_url=" + java.net.URLEncoder.encode(allowed, java.nio.charset.StandardCharsets.UTF_8)));
	}

	private String signInLink(String redirectUrl) {
		String allowed = allowedOrNull(redirectUrl);
		return allowed == null ? PageRoutes.SIGN_IN
				: PageRoutes.SIGN_IN + "?redirect_url=" + java.net.URLEncoder.encode(allowed,
						java.nio.charset.StandardCharsets.UTF_8);
	}

	static boolean plausibleEmail(String email) {
		return email.length() <= MAX_EMAIL && email.strip().matches("[^@\\s]+@[^@\\s]+");
	}

	static ModelAndView seeOther(URI target) {
		RedirectView redirect = new RedirectView(target.toString());
		redirect.setStatusCode(HttpStatus.SEE_OTHER);
		redirect.setExposeModelAttributes(false);
		return new ModelAndView(redirect);
	}

	private ModelAndView view(String template, HttpStatus status, HttpServletRequest request,
			HttpServletResponse response, Object... model) {
		return view(contexts.of(request, response), template, status, model);
	}

	static ModelAndView view(PageContext ctx, String template, org.springframework.http.HttpStatusCode status,
			Object... model) {
		Map<String, Object> map = new HashMap<>();
		map.put("ctx", ctx);
		for (int i = 0; i + 1 < model.length; i += 2) {
			map.put((String) model[i], model[i + 1]);
		}
		return new ModelAndView(template, map, status);
	}

	private static Object[] concat(Object[] a, Object... b) {
		Object[] all = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}
}
