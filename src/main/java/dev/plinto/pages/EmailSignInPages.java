package dev.plinto.pages;

import dev.plinto.crypto.SecureTokens;
import dev.plinto.mfa.MfaService;
import dev.plinto.session.EmailSignInService;
import dev.plinto.session.EmailSignInService.LinkState;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * Sign-in with an emailed code or link on the hosted pages, without JavaScript ({@link EmailSignInService}). The
 * sign-in form's "Email me a code" and "Email me a link" buttons post its email field here.
 * <p>
 * <b>Same-browser check of a link.</b> Asking for a link from the pages puts 256 random bits into an
 * {@code HttpOnly}, {@code SameSite=Lax} cookie ({@code __Host-plinto_email_link} over https) that lives as long as
 * the link, and binds the SHA-256 hash of that value to the flow. Opening the link in the browser that holds the
 * cookie signs it in at once (a top-level navigation from a mail client carries a {@code Lax} cookie). Any other
 * browser, a link asked for through the API, and a mail scanner that prefetches the link get a page with a
 * confirmation button instead: the GET changes nothing, and the post of the button (with its CSRF token) signs in
 * the browser that pressed it. A link therefore never signs in the browser that asked for it from afar: the session
 * lands where the link was opened, which is what the owner of the mailbox chose (OWASP Session Management Cheat
 * Sheet, "Session fixation": a session is never handed to a browser other than the one completing the sign-in).
 */
@Controller
@Hidden
final class EmailSignInPages {

	private final EmailSignInService emailSignIn;

	private final BrowserSessions browser;

	private final RedirectPolicy redirects;

	private final PageContexts contexts;

	private final String linkCookie;

	private final MfaService mfa;

	EmailSignInPages(EmailSignInService emailSignIn, MfaService mfa, BrowserSessions browser,
			RedirectPolicy redirects, PageContexts contexts) {
		this.emailSignIn = emailSignIn;
		this.mfa = mfa;
		this.browser = browser;
		this.redirects = redirects;
		this.contexts = contexts;
		this.linkCookie = browser.secure() ? "__Host-plinto_email_link" : "plinto_email_link";
	}

	@PostMapping(path = PageRoutes.EMAIL_CODE, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView sendCode(@RequestParam(defaultValue = "") String email,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (!SignInPages.plausibleEmail(email)) {
			return signInPage(ctx, FormState.of(ctx.messages(), "email", email).field("email", "error.email_invalid")
				.build(), HttpStatus.BAD_REQUEST, redirectUrl);
		}
		EmailSignInService.EmailSent sent;
		try {
			sent = emailSignIn.sendCode(email, ctx.lang(), SignInFlow.Type.BROWSER, client);
		}
		catch (ApiException e) {
			return signInPage(ctx, FormState.of(ctx.messages(), "email", email).refusal(e, "email").build(),
					e.code().status(), redirectUrl);
		}
		return codePage(ctx, HttpStatus.OK, sent.flowId(), email.strip(), FormState.empty(), redirectUrl);
	}

	@PostMapping(path = PageRoutes.EMAIL_CODE_VERIFY, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView verifyCode(@RequestParam(name = "flow_id", defaultValue = "") String flowId,
			@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String code,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		SignInService.SignInResult result;
		try {
			result = emailSignIn.verifyCode(flowId, code, client);
		}
		catch (ApiException e) {
			FormState refused = FormState.of(ctx.messages(), "code", "").refusal(e, "code").build();
			return codePage(ctx, e.code().status(), flowId, email, refused, redirectUrl);
		}
		return finish(ctx, result, redirectUrl, response);
	}

	@PostMapping(path = PageRoutes.EMAIL_LINK, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView sendLink(@RequestParam(defaultValue = "") String email,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		if (!SignInPages.plausibleEmail(email)) {
			return signInPage(ctx, FormState.of(ctx.messages(), "email", email).field("email", "error.email_invalid")
				.build(), HttpStatus.BAD_REQUEST, redirectUrl);
		}
		String browserSecret = SecureTokens.newSecret();
		try {
			emailSignIn.sendLink(email, ctx.lang(), allowedOrNull(redirectUrl), SecureTokens.hash(browserSecret),
					SignInFlow.Type.BROWSER, client);
		}
		catch (ApiException e) {
			return signInPage(ctx, FormState.of(ctx.messages(), "email", email).refusal(e, "email").build(),
					e.code().status(), redirectUrl);
		}
		setLinkCookie(response, browserSecret, EmailSignInService.LINK_LIFETIME);
		return SignInPages.view(ctx, "message", HttpStatus.OK, "title", ctx.t("email_sign_in.link_sent_title"),
				"message", ctx.t("email_sign_in.link_sent", email.strip(),
						ctx.t("link.minutes", EmailSignInService.LINK_LIFETIME.toMinutes())),
				"linkHref", null, "linkText", null);
	}

	/**
	 * The page a sign-in link opens: signs in the browser that asked for the link, asks any other one to confirm,
	 * and says so when the link is dead (see the class comment).
	 */
	@GetMapping(PageRoutes.EMAIL_LINK)
	ModelAndView openLink(@RequestParam(defaultValue = "") String token,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		PageContext ctx = contexts.of(request, response);
		LinkState state = emailSignIn.linkState(token,
				BrowserSessions.read(request, linkCookie).orElse(null));
		if (state == LinkState.DEAD) {
			return deadLink(ctx);
		}
		if (state == LinkState.OTHER_BROWSER) {
			return SignInPages.view(ctx, "sign-in-email-link", HttpStatus.OK, "token", token, "redirectUrl",
					allowedOrNull(redirectUrl));
		}
		return completeLink(ctx, token, redirectUrl, client, response);
	}

	@PostMapping(path = PageRoutes.EMAIL_LINK_CONFIRM, consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView confirmLink(@RequestParam(defaultValue = "") String token,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		return completeLink(contexts.of(request, response), token, redirectUrl, client, response);
	}

	private ModelAndView completeLink(PageContext ctx, String token, String redirectUrl, ClientInfo client,
			HttpServletResponse response) {
		SignInService.SignInResult result;
		try {
			result = emailSignIn.completeLink(token, client);
		}
		catch (ApiException e) {
			if (e.code() == ErrorCode.RATE_LIMITED) {
				return SignInPages.view(ctx, "message", e.code().status(), "title", ctx.t("email_sign_in.link_title"),
						"message", FormState.waitSentence(ctx.messages(), e.retryAfter()), "linkHref", null,
						"linkText", null);
			}
			return deadLink(ctx);
		}
		setLinkCookie(response, "", Duration.ZERO);
		return finish(ctx, result, redirectUrl, response);
	}

	/**
	 * The code and confirmation steps answer posts; opened with a GET (the language switcher links to the current
	 * path) they show the sign-in form again, in the chosen language.
	 */
	@GetMapping({ PageRoutes.EMAIL_CODE, PageRoutes.EMAIL_CODE_VERIFY, PageRoutes.EMAIL_LINK_CONFIRM })
	ModelAndView signInAgain(@RequestParam(name = "redirect_url", required = false) String redirectUrl,
			HttpServletRequest request, HttpServletResponse response) {
		return signInPage(contexts.of(request, response), FormState.empty(), HttpStatus.OK, redirectUrl);
	}

	/** After the first factor: the session in cookies and back to the app, the second-factor step, or enrolment. */
	private ModelAndView finish(PageContext ctx, SignInService.SignInResult result, String redirectUrl,
			HttpServletResponse response) {
		if (result instanceof SignInService.Completed completed) {
			browser.store(completed.tokens(), response);
			return SignInPages.seeOther(redirects.target(redirectUrl));
		}
		if (result instanceof SignInService.MfaRequired required) {
			return SignInPages.view(ctx, "sign-in-factor", HttpStatus.OK, "form", FormState.empty(), "mfaToken",
					required.mfaToken(), "factors", required.factors(), "redirectUrl", allowedOrNull(redirectUrl));
		}
		return SignInPages.enrollmentStep(ctx, mfa, (SignInService.EnrollmentRequired) result,
				allowedOrNull(redirectUrl));
	}

	private ModelAndView codePage(PageContext ctx, HttpStatus status, String flowId, String email, FormState form,
			String redirectUrl) {
		return SignInPages.view(ctx, "sign-in-email-code", status, "form", form, "flowId", flowId, "email", email,
				"validFor", ctx.t("link.minutes", EmailSignInService.CODE_LIFETIME.toMinutes()), "redirectUrl",
				allowedOrNull(redirectUrl));
	}

	private ModelAndView signInPage(PageContext ctx, FormState form, HttpStatus status, String redirectUrl) {
		return SignInPages.view(ctx, "sign-in", status, "form", form, "redirectUrl", allowedOrNull(redirectUrl));
	}

	private ModelAndView deadLink(PageContext ctx) {
		return SignInPages.view(ctx, "message", HttpStatus.BAD_REQUEST, "title", ctx.t("link.dead_title"), "message",
				ctx.t("email_sign_in.link_dead"), "linkHref", PageRoutes.SIGN_IN, "linkText",
				ctx.t("email_sign_in.link_dead_action"));
	}

	private void setLinkCookie(HttpServletResponse response, String value, Duration maxAge) {
		response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(linkCookie, value)
			.httpOnly(true)
			.secure(browser.secure())
			.path("/")
			.sameSite("Lax")
			.maxAge(maxAge)
			.build()
			.toString());
	}

	private String allowedOrNull(String redirectUrl) {
		return redirects.allowedTarget(redirectUrl).map(u -> redirectUrl).orElse(null);
	}
}
