package dev.plinto.federation;

import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageRoutes;
import dev.plinto.pages.RedirectPolicy;
import dev.plinto.pages.SignInSteps;
import dev.plinto.session.SignInService;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The SAML 2.0 service provider's routes of each SAML connection (docs/federation.md, "SAML 2.0"):
 * <ul>
 * <li>{@code GET /saml/{connectionId}/metadata}: the SP metadata, whose URL is also the SP's entity ID;</li>
 * <li>{@code GET /saml/{connectionId}/start?redirect_url=}: starts an SP-initiated sign-in, redirecting the
 * browser to the identity provider with a signed AuthnRequest (HTTP-Redirect binding);</li>
 * <li>{@code POST /saml/{connectionId}/acs}: the Assertion Consumer Service, where the identity provider's
 * response arrives (HTTP-POST binding).</li>
 * </ul>
 * The sign-in is bound to the browser by the cookie {@code __Host-plinto_saml} ({@code plinto_saml} on a plain-http
 * issuer): a random value whose SHA-256 is stored with the AuthnRequest. The response is posted to the ACS from
 * the identity provider's page, a cross-site request, so on https the cookie is {@code SameSite=None; Secure}
 * (RFC 6265bis §5.4.7: a {@code Lax} cookie would not come along with a cross-site POST); it carries no session
 * and grants nothing by itself, only which pending request this browser may finish. Refusals render the error
 * page with one sentence per reason; the details go to the log, never to the browser.
 */
@Controller
@Hidden
final class SamlController {

	private static final Logger log = LoggerFactory.getLogger(SamlController.class);

	private final SamlSignIns signIns;

	private final RedirectPolicy redirects;

	private final SignInSteps steps;

	private final SamlCompletion completion;

	private final boolean secure;

	private final String cookieName;

	SamlController(SamlSignIns signIns, RedirectPolicy redirects, SignInSteps steps, SamlCompletion completion,
			PlintoSettings settings) {
		this.signIns = signIns;
		this.redirects = redirects;
		this.steps = steps;
		this.completion = completion;
		this.secure = "https".equals(settings.issuer().getScheme());
		this.cookieName = secure ? "__Host-plinto_saml" : "plinto_saml";
	}

	@GetMapping("/saml/{connectionId}/metadata")
	ModelAndView metadata(@PathVariable String connectionId, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		try {
			String xml = signIns.metadata(connectionId);
			response.setStatus(HttpStatus.OK.value());
			response.setContentType("application/samlmetadata+xml;charset=UTF-8");
			response.getWriter().write(xml);
			return null;
		}
		catch (SamlRefusal e) {
			return refuse(connectionId, e, request, response);
		}
	}

	@GetMapping("/saml/{connectionId}/start")
	ModelAndView start(@PathVariable String connectionId,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, HttpServletRequest request,
			HttpServletResponse response) {
		try {
			SamlSignIns.Redirect redirect = signIns.start(connectionId, redirects.target(redirectUrl).toString(),
					BrowserSessions.read(request, cookieName));
			response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(cookieName, redirect.browserValue())
				.httpOnly(true)
				.secure(secure)
				.path("/")
				.sameSite(secure ? "None" : "Lax")
				.maxAge(SamlSignIns.REQUEST_TTL)
				.build()
				.toString());
			return steps.seeOther(java.net.URI.create(redirect.location()));
		}
		catch (SamlRefusal e) {
			return refuse(connectionId, e, request, response);
		}
	}

	@PostMapping(value = "/saml/{connectionId}/acs", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView acs(@PathVariable String connectionId,
			@RequestParam(name = "SAMLResponse", required = false) String samlResponse, Caller caller,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		ExternalIdentity identity;
		String redirectUrl;
		try {
			SamlSignIns.Assertion assertion = signIns.complete(connectionId, samlResponse,
					BrowserSessions.read(request, cookieName));
			identity = completion.identity(assertion);
			redirectUrl = assertion.redirectUrl();
		}
		catch (SamlRefusal e) {
			return refuse(connectionId, e, request, response);
		}
		SignInService.SignInResult result;
		try {
			result = completion.signIn(identity, client);
		}
		catch (ApiException e) {
			log.info("SAML sign-in through connection {} not completed: {}", connectionId, e.code().code());
			PageContext ctx = steps.context(request, response);
			String key = switch (e.code()) {
				case IDENTITY_EMAIL_MISSING -> "sso.error.email_missing";
				case IDENTITY_LINKED_ELSEWHERE -> "sso.error.linked_elsewhere";
				case EMAIL_TAKEN, IDENTITY_NOT_LINKED -> "sso.error.not_linked";
				case RATE_LIMITED -> "sso.error.rate_limited";
				default -> "sso.error.failed";
			};
			return steps.message(ctx, e.code() == ErrorCode.RATE_LIMITED ? HttpStatus.TOO_MANY_REQUESTS
					: e.code().status(), ctx.t("sso.error.title"), ctx.t(key), PageRoutes.SIGN_IN,
					ctx.t("sso.back_to_sign_in"));
		}
		return steps.finish(result, redirectUrl, caller, request, response);
	}

	private ModelAndView refuse(String connectionId, SamlRefusal e, HttpServletRequest request,
			HttpServletResponse response) {
		log.info("SAML sign-in through connection {} refused ({}): {}", connectionId, e.reason(), e.getMessage());
		PageContext ctx = steps.context(request, response);
		return steps.message(ctx, HttpStatus.valueOf(e.reason().status()), ctx.t("sso.error.title"),
				ctx.t(e.reason().messageKey()), PageRoutes.SIGN_IN, ctx.t("sso.back_to_sign_in"));
	}
}
