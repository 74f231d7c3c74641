package dev.plinto.federation;

import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.PageContext;
import dev.plinto.pages.PageRoutes;
import dev.plinto.pages.SignInSteps;
import dev.plinto.session.SignInFlow;
import dev.plinto.session.SignInService;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.Duration;
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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The browser side of sign-in through an identity provider ({@link SsoFlows}, docs/federation.md): the start
 * (the sign-in and sign-up pages' buttons, and the enterprise connections' domain routing), the callback (GET, and
 * POST for providers that answer with {@code response_mode=form_post}, as Apple does), and on the account page the
 * linking and unlinking of accounts at providers.
 * <p>
 * The flow's binding cookie ({@code __Host-plinto_sso} over https) holds 256 random bits whose hash the flow keeps;
 * it is {@code HttpOnly}, lives as long as the flow and is {@code SameSite=None} over https so that a form-post
 * callback, a cross-site POST, still carries it (a {@code Lax} cookie would not be sent). Its value is useless
 * without the state of the same flow, which only the provider's redirect carries.
 */
@Controller
@Hidden
final class SsoPages {

	/** The prefix of the routes. */
	static final String BASE = "/sso";

	private final SsoFlows flows;

	private final FederatedSignIn federated;

	private final SignInSteps steps;

	private final boolean secure;

	private final String cookieName;

	SsoPages(SsoFlows flows, FederatedSignIn federated, SignInSteps steps, BrowserSessions browser) {
		this.flows = flows;
		this.federated = federated;
		this.steps = steps;
		this.secure = browser.secure();
		this.cookieName = secure ? "__Host-plinto_sso" : "plinto_sso";
	}

	@GetMapping(BASE + "/{provider}/start")
	ModelAndView start(@PathVariable String provider,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		return begin(provider, FederationFlow.Type.BROWSER, redirectUrl, null, client, request, response);
	}

	@GetMapping(BASE + "/connections/{connectionId}/start")
	ModelAndView startConnection(@PathVariable String connectionId,
			@RequestParam(name = "redirect_url", required = false) String redirectUrl, ClientInfo client,
			HttpServletRequest request, HttpServletResponse response) {
		return begin(ExternalIdentity.connectionProvider(connectionId), FederationFlow.Type.BROWSER, redirectUrl,
				null, client, request, response);
	}

	/**
	 * The account page's "Link" button: a signed-in user links another account at a provider. A link (GET), not a
	 * form: browsers apply the pages' CSP {@code form-action} to the redirect after a post (CSP Level 3 §6.4.1), which
	 * would stop the way to the provider; starting a flow changes nothing the user could lose, and the flow only
	 * ever links an account the same browser proves at the provider.
	 */
	@GetMapping(BASE + "/{provider}/link")
	ModelAndView link(@PathVariable String provider, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		return begin(provider, FederationFlow.Type.LINK, null, caller.userId(), caller.client(), request, response);
	}

	/** The account page's "Unlink" button. */
	@PostMapping(path = BASE + "/identities/{identityId}/unlink",
			consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView unlink(@PathVariable String identityId, Caller caller, HttpServletRequest request,
			HttpServletResponse response) {
		try {
			federated.unlink(caller.userId(), identityId, caller.sessionId(), caller.client());
		}
		catch (ApiException e) {
			return failure(e, request, response, PageRoutes.ACCOUNT);
		}
		return steps.seeOther(URI.create(PageRoutes.ACCOUNT));
	}

	@GetMapping(BASE + "/{provider}/callback")
	ModelAndView callback(@PathVariable String provider, @RequestParam(required = false) String state,
			@RequestParam(required = false) String code, @RequestParam(required = false) String error, Caller caller,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		return complete(provider, state, code, error, null, caller, client, request, response);
	}

	/** The form-post callback ({@code response_mode=form_post}): Apple's, with its {@code user} field. */
	@PostMapping(path = BASE + "/{provider}/callback", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView formPostCallback(@PathVariable String provider, @RequestParam(required = false) String state,
			@RequestParam(required = false) String code, @RequestParam(required = false) String error,
			@RequestParam(required = false) String user, Caller caller, ClientInfo client, HttpServletRequest request,
			HttpServletResponse response) {
		return complete(provider, state, code, error, user, caller, client, request, response);
	}

	@GetMapping(BASE + "/connections/{connectionId}/callback")
	ModelAndView connectionCallback(@PathVariable String connectionId, @RequestParam(required = false) String state,
			@RequestParam(required = false) String code, @RequestParam(required = false) String error, Caller caller,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		return complete(ExternalIdentity.connectionProvider(connectionId), state, code, error, null, caller, client,
				request, response);
	}

	private ModelAndView begin(String provider, FederationFlow.Type type, String redirectUrl, String linkUserId,
			ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		String allowed = steps.allowedTarget(redirectUrl).map(u -> redirectUrl).orElse(null);
		SsoFlows.Started started;
		try {
			started = flows.start(provider, type, allowed, linkUserId, client);
		}
		catch (ApiException e) {
			return failure(e, request, response, null);
		}
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(started.browserSecret(), SsoFlows.FLOW_LIFETIME));
		return steps.seeOther(started.authorizationUri());
	}

	private ModelAndView complete(String provider, String state, String code, String error, String appleUser,
			Caller caller, ClientInfo client, HttpServletRequest request, HttpServletResponse response) {
		String browserSecret = BrowserSessions.read(request, cookieName).orElse(null);
		SsoFlows.Verified verified;
		try {
			verified = flows.callback(provider, state, code, error, browserSecret, appleUser, client);
		}
		catch (ApiException e) {
			return failure(e, request, response, null);
		}
		FederationFlow flow = verified.flow();
		if (flow.type() == FederationFlow.Type.API) {
			// The app's browser goes back to the app with a single-use code for the app's own flow id.
			String result = flows.hold(flow, verified.identity());
			return steps.seeOther(UriComponentsBuilder.fromUriString(flow.redirectUrl())
				.queryParam("sso_flow_id", flow.id())
				.queryParam("sso_code", result)
				.build()
				.encode()
				.toUri());
		}
		response.addHeader(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO));
		if (flow.type() == FederationFlow.Type.LINK) {
			try {
				federated.link(flow.linkUserId(), verified.identity(), client);
			}
			catch (ApiException e) {
				return failure(e, request, response, PageRoutes.ACCOUNT);
			}
			return steps.seeOther(URI.create(PageRoutes.ACCOUNT + "#linked-accounts"));
		}
		SignInService.SignInResult result;
		try {
			result = federated.signIn(verified.identity(), SignInFlow.Type.BROWSER, client);
		}
		catch (ApiException e) {
			return failure(e, request, response, null);
		}
		return steps.finish(result, flow.redirectUrl(), caller, request, response);
	}

	/** The page of a refused step: a sentence in the user's language and the way back. */
	private ModelAndView failure(ApiException e, HttpServletRequest request, HttpServletResponse response,
			String back) {
		PageContext ctx = steps.context(request, response);
		String key = switch (e.code()) {
			case UNKNOWN_PROVIDER -> "sso.error.unknown_provider";
			case INVALID_SSO_FLOW -> "sso.error.invalid_flow";
			case IDENTITY_NOT_LINKED -> "sso.error.not_linked";
			case SSO_SIGN_UP_DISABLED -> "sso.error.sign_up_disabled";
			case IDENTITY_EMAIL_MISSING -> "sso.error.email_missing";
			case EMAIL_NOT_VERIFIED -> "sso.error.email_not_verified";
			case IDENTITY_LINKED_ELSEWHERE -> "sso.error.linked_elsewhere";
			case LAST_SIGN_IN_METHOD -> "sso.error.last_method";
			case RATE_LIMITED -> "sso.error.rate_limited";
			case EMAIL_TAKEN -> "sso.error.not_linked";
			default -> "sso.error.failed";
		};
		String href = back != null ? back : PageRoutes.SIGN_IN;
		return steps.message(ctx, e.code() == ErrorCode.RATE_LIMITED ? HttpStatus.TOO_MANY_REQUESTS : e.code().status(),
				ctx.t("sso.error.title"), ctx.t(key), href,
				ctx.t(back != null ? "sso.back_to_account" : "sso.back_to_sign_in"));
	}

	private String cookie(String value, Duration maxAge) {
		return ResponseCookie.from(cookieName, value)
			.httpOnly(true)
			.secure(secure)
			.path("/")
			.sameSite(secure ? "None" : "Lax")
			.maxAge(maxAge)
			.build()
			.toString();
	}
}
