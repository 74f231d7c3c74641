package dev.plinto.pages;

import dev.plinto.mfa.MfaService;
import dev.plinto.session.SessionService;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/**
 * What the hosted pages do after a first factor that a feature above them verified (sign-in through an identity
 * provider, docs/federation.md): the same as after a password on the sign-in page. A completed sign-in replaces the
 * browser's session with the new one in cookies ({@link BrowserSessions}) and answers 303 to the allowed
 * {@code redirect_url} ({@link RedirectPolicy}); a second factor shows the sign-in page's factor step; with
 * {@code PLINTO_MFA=required} and no factor, the enrolment step.
 */
@Component
public final class SignInSteps {

	private final BrowserSessions browser;

	private final SessionService sessions;

	private final RedirectPolicy redirects;

	private final PageContexts contexts;

	private final MfaService mfa;

	SignInSteps(BrowserSessions browser, SessionService sessions, RedirectPolicy redirects, PageContexts contexts,
			MfaService mfa) {
		this.browser = browser;
		this.sessions = sessions;
		this.redirects = redirects;
		this.contexts = contexts;
		this.mfa = mfa;
	}

	/** The page or redirect that follows a verified first factor of a browser sign-in flow. */
	public ModelAndView finish(SignInService.SignInResult result, String redirectUrl, Caller caller,
			HttpServletRequest request, HttpServletResponse response) {
		String allowed = allowedOrNull(redirectUrl);
		if (result instanceof SignInService.Completed completed) {
			TokenResponse tokens = completed.tokens();
			if (caller.signedIn() && !caller.sessionId().equals(tokens.sessionId())) {
				// one session per browser (OWASP Session Management Cheat Sheet, "Renew the Session ID ...")
				sessions.signOut(caller.userId(), caller.sessionId(), caller.client());
			}
			browser.store(tokens, response);
			return SignInPages.seeOther(redirects.target(redirectUrl));
		}
		PageContext ctx = contexts.of(request, response);
		if (result instanceof SignInService.MfaRequired required) {
			return SignInPages.view(ctx, "sign-in-factor", HttpStatus.OK, "form", FormState.empty(), "mfaToken",
					required.mfaToken(), "factors", required.factors(), "redirectUrl", allowed);
		}
		return SignInPages.enrollmentStep(ctx, mfa, (SignInService.EnrollmentRequired) result, allowed);
	}

	/**
	 * A page with a sentence in the user's language and a way forward (the sign-in page, or {@code linkHref}).
	 *
	 * @param message the sentence, already in the page's language (see {@link #context})
	 */
	public ModelAndView message(PageContext ctx, HttpStatusCode status, String title, String message,
			String linkHref, String linkText) {
		return SignInPages.view(ctx, "message", status, "title", title, "message", message, "linkHref", linkHref,
				"linkText", linkText);
	}

	/** The page context of a response (language, CSRF token, nonce), for {@link #message}. */
	public PageContext context(HttpServletRequest request, HttpServletResponse response) {
		return contexts.of(request, response);
	}

	/** 303 to a URL. */
	public ModelAndView seeOther(URI target) {
		return SignInPages.seeOther(target);
	}

	/** The {@code redirect_url} when {@code PLINTO_REDIRECT_URLS} allows it, else empty. */
	public Optional<URI> allowedTarget(String redirectUrl) {
		return redirects.allowedTarget(redirectUrl);
	}

	private String allowedOrNull(String redirectUrl) {
		return redirects.allowedTarget(redirectUrl).map(u -> redirectUrl).orElse(null);
	}
}
