package dev.plinto.federation;

import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.ErrorPages;
import dev.plinto.pages.RedirectPolicy;
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

	private final ErrorPages errors;

	private final SamlCompletion completion;

	private final boolean secure;

	private final String cookieName;

	SamlController(SamlSignIns signIns, RedirectPolicy redirects, ErrorPages errors, SamlCompletion completion,
			PlintoSettings settings) {
		this.signIns = signIns;
		this.redirects = redirects;
		this.errors = errors;
		this.completion = completion;
		this.secure = "https".equals(settings.issuer().getScheme());
		this.cookieName = secure ? "__Host-plinto_saml" : "plinto_saml";
	}

	@GetMapping("/saml/{connectionId}/metadata")
	void metadata(@PathVariable String connectionId, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		try {
			String xml = signIns.metadata(connectionId);
			response.setStatus(HttpStatus.OK.value());
			response.setContentType("application/samlmetadata+xml;charset=UTF-8");
			response.getWriter().write(xml);
		}
		catch (SamlRefusal e) {
			refuse(connectionId, e, request, response);
		}
	}

	@GetMapping("/saml/{connectionId}/start")
	void start(@PathVariable String connectionId,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
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
			response.setStatus(HttpStatus.SEE_OTHER.value());
			response.setHeader(HttpHeaders.LOCATION, redirect.location());
		}
		catch (SamlRefusal e) {
			refuse(connectionId, e, request, response);
		}
	}

	@PostMapping(value = "/saml/{connectionId}/acs", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	void acs(@PathVariable String connectionId,
			@RequestParam(name = "SAMLResponse", required = false) String samlResponse, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		Optional<String> browser = BrowserSessions.read(request, cookieName);
		try {
			SamlSignIns.Assertion assertion = signIns.complete(connectionId, samlResponse, browser);
			completion.complete(assertion, request, response);
		}
		catch (SamlRefusal e) {
			refuse(connectionId, e, request, response);
		}
	}

	private void refuse(String connectionId, SamlRefusal e, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		log.info("SAML sign-in through connection {} refused ({}): {}", connectionId, e.reason(), e.getMessage());
		errors.render(request, response, HttpStatus.valueOf(e.reason().status()), e.reason().messageKey());
	}
}
