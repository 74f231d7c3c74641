package dev.plinto.oidc;

import dev.plinto.throttle.RateLimiter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What Plinto adds to Spring Authorization Server's device authorization grant (RFC 8628), which does the protocol
 * itself (device and user codes, polling answers, consent state):
 * <ul>
 * <li>the verification URI is the hosted "enter the code" page ({@link DevicePage}, {@link #PAGE}), whose form posts
 * the code with the pages' CSRF token to the library's verification endpoint; a GET of that endpoint with a code
 * only opens the page with the code filled in, so a link can never connect a device without the user confirming
 * it (RFC 8628 §5.4, "Remote Phishing"; OWASP Cross-Site Request Forgery Prevention Cheat Sheet);</li>
 * <li>entered codes are rate-limited per user ({@link RateLimiter.Limit#DEVICE_CODE}, RFC 8628 §5.1 "User Code
 * Brute Forcing"), and a signed-out browser learns nothing about a code before it has signed in;</li>
 * <li>a first-party client skips the consent screen, as in the code flow (the library asks every client);</li>
 * <li>polling faster than the interval is answered {@code slow_down} (RFC 8628 §3.5; the library leaves it out);</li>
 * <li>a public client (a TV, a command line) authenticates with its {@code client_id} alone at the device
 * authorization and token endpoints (RFC 8628 §3.1 and §5.6), as the library's documentation shows how;</li>
 * <li>the device authorization response names {@code interval} (RFC 8628 §3.2).</li>
 * </ul>
 * Tokens are bound to the browser session that approved the device, like the code flow's ({@link ProviderTokens}).
 */
final class DeviceGrant {

	/** The hosted "enter the code" page: the verification URI. */
	static final String PAGE = dev.plinto.pages.PageRoutes.OIDC_DEVICE;

	/** The polling interval the device authorization response names, in seconds (RFC 8628 §3.2). */
	static final long INTERVAL_SECONDS = 5;

	/** The error the verification endpoint answers a user who entered too many codes. */
	static final String RATE_LIMITED = "rate_limited";

	private static final OAuth2TokenType USER_CODE = new OAuth2TokenType(OAuth2ParameterNames.USER_CODE);

	/** Marks a public device client's authentication made by {@link #publicClients}. */
	private static final String PUBLIC_DEVICE_CLIENT = "plinto.public_device_client";

	private final AuthorizationServerSettings serverSettings;

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationService authorizations;

	private final RateLimiter limiter;

	DeviceGrant(AuthorizationServerSettings serverSettings, RegisteredClientRepository clients,
			OAuth2AuthorizationService authorizations, RateLimiter limiter) {
		this.serverSettings = serverSettings;
		this.clients = clients;
		this.authorizations = authorizations;
		this.limiter = limiter;
	}

	/** The verification URI on the issuer, as discovery's other URLs are. */
	String verificationUri() {
		return serverSettings.getIssuer() + PAGE;
	}

	/** The device authorization response with the verification URIs of the page and the polling interval. */
	AuthenticationSuccessHandler authorizationResponse() {
		OAuth2DeviceAuthorizationResponseHttpMessageConverter json = new OAuth2DeviceAuthorizationResponseHttpMessageConverter();
		return (request, response, authentication) -> {
			OAuth2DeviceAuthorizationRequestAuthenticationToken device =
					(OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
			String uri = verificationUri();
			OAuth2DeviceAuthorizationResponse body = OAuth2DeviceAuthorizationResponse
				.with(device.getDeviceCode(), device.getUserCode())
				.verificationUri(uri)
				.verificationUriComplete(UriComponentsBuilder.fromUriString(uri)
					.queryParam(OAuth2ParameterNames.USER_CODE, device.getUserCode().getTokenValue())
					.build()
					.toUriString())
				.interval(INTERVAL_SECONDS)
				.build();
			json.write(body, null, new ServletServerHttpResponse(response));
		};
	}

	/**
	 * The verification requests as the library reads them, except a GET: a code in a link only fills in the page
	 * (answered by {@link #verificationErrors} with a redirect there), the user confirms it with a form post.
	 */
	AuthenticationConverter verificationRequests(AuthenticationConverter library) {
		return request -> {
			if (HttpMethod.GET.matches(request.getMethod())) {
				throw new OAuth2AuthenticationException(new OAuth2Error("confirm_code"));
			}
			return library.convert(request);
		};
	}

	/**
	 * The library's verification of an entered code, after the per-user limit; a browser that is not signed in is
	 * sent to sign in before any code is looked up, so the answer tells it nothing about the code.
	 */
	AuthenticationProvider verification(AuthenticationProvider library) {
		return new AuthenticationProvider() {

			@Override
			public Authentication authenticate(Authentication authentication) throws AuthenticationException {
				OAuth2DeviceVerificationAuthenticationToken entered =
						(OAuth2DeviceVerificationAuthenticationToken) authentication;
				if (!(entered.getPrincipal() instanceof Authentication user) || !user.isAuthenticated()
						|| user instanceof AnonymousAuthenticationToken) {
					return entered;
				}
				if (limiter.tryConsume(RateLimiter.Limit.DEVICE_CODE, "user:" + user.getName()).isPresent()) {
					throw new OAuth2AuthenticationException(new OAuth2Error(RATE_LIMITED));
				}
				Authentication result = library.authenticate(entered);
				if (result instanceof OAuth2DeviceAuthorizationConsentAuthenticationToken consent) {
					RegisteredClient client = clients.findByClientId(consent.getClientId());
					if (client != null && OidcClients.firstParty(client)) {
						return approveWithoutConsent(consent, user);
					}
				}
				return result;
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return library.supports(authentication);
			}
		};
	}

	/**
	 * A first-party client's device is approved for the scopes it asked for without a consent screen, as its
	 * authorization requests are (docs/oidc.md, "Consent"); what is stored is what the library stores after a
	 * consent: the user, the scopes, and the user code spent.
	 */
	private Authentication approveWithoutConsent(OAuth2DeviceAuthorizationConsentAuthenticationToken consent,
			Authentication user) {
		OAuth2Authorization authorization = authorizations.findByToken(consent.getUserCode(), USER_CODE);
		if (authorization == null) {
			throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
		}
		OAuth2UserCode code = authorization.getToken(OAuth2UserCode.class).getToken();
		authorizations.save(OAuth2Authorization.from(authorization)
			.principalName(user.getName())
			.authorizedScopes(consent.getRequestedScopes())
			.invalidate(code)
			.attribute(java.security.Principal.class.getName(), user)
			.attributes(attributes -> {
				attributes.remove(OAuth2ParameterNames.SCOPE);
				attributes.remove(OAuth2ParameterNames.STATE);
			})
			.build());
		return new OAuth2DeviceVerificationAuthenticationToken(user, consent.getUserCode(), consent.getClientId());
	}

	/** An approved device: the page says so and names the client. */
	AuthenticationSuccessHandler verified() {
		return (request, response, authentication) -> {
			String clientId = authentication instanceof OAuth2DeviceVerificationAuthenticationToken t
					? t.getClientId() : null;
			redirect(response, UriComponentsBuilder.fromPath(PAGE)
				.queryParam("result", "approved")
				.queryParamIfPresent(OAuth2ParameterNames.CLIENT_ID, Optional.ofNullable(clientId))
				.encode()
				.build()
				.toUriString());
		};
	}

	/**
	 * A refused code or consent, answered on the page: a wrong, used or expired code, too many codes, a denied
	 * consent (the library has then ended the device's authorization, and its polling answers
	 * {@code access_denied}), or a code from a link to be confirmed.
	 */
	AuthenticationFailureHandler verificationErrors() {
		return (request, response, exception) -> {
			String code = exception instanceof OAuth2AuthenticationException e ? e.getError().getErrorCode()
					: OAuth2ErrorCodes.INVALID_REQUEST;
			UriComponentsBuilder target = UriComponentsBuilder.fromPath(PAGE);
			String entered = request.getParameter(OAuth2ParameterNames.USER_CODE);
			switch (code) {
				case "confirm_code" -> target.queryParam(OAuth2ParameterNames.USER_CODE, entered);
				case OAuth2ErrorCodes.ACCESS_DENIED -> target.queryParam("result", "denied");
				case RATE_LIMITED -> target.queryParam("error", RATE_LIMITED);
				default -> target.queryParam("error", "invalid_code");
			}
			redirect(response, target.encode().build().toUriString());
		};
	}

	/**
	 * A signed-out browser posting a code (its sign-in ended after the page was shown) signs in and comes back to
	 * the page.
	 */
	AuthenticationEntryPoint signIn() {
		return (request, response, e) -> redirect(response, dev.plinto.pages.PageRoutes.SIGN_IN + "?redirect_url="
				+ java.net.URLEncoder.encode(PAGE, java.nio.charset.StandardCharsets.UTF_8));
	}

	private static void redirect(jakarta.servlet.http.HttpServletResponse response, String location)
			throws IOException {
		response.setStatus(HttpStatus.SEE_OTHER.value());
		response.setHeader(HttpHeaders.LOCATION, location);
	}

	/**
	 * Polling faster than the interval: {@code slow_down} instead of {@code authorization_pending} (RFC 8628 §3.5),
	 * counted per device code ({@link RateLimiter.Limit#DEVICE_POLL}, keyed by the code's hash, never the code).
	 * An approved, denied or expired device gets its answer however fast it asks.
	 */
	AuthenticationProvider polling(AuthenticationProvider library) {
		return new AuthenticationProvider() {

			@Override
			public Authentication authenticate(Authentication authentication) throws AuthenticationException {
				OAuth2DeviceCodeAuthenticationToken poll = (OAuth2DeviceCodeAuthenticationToken) authentication;
				Optional<Duration> tooSoon = limiter.tryConsume(RateLimiter.Limit.DEVICE_POLL,
						HashedTokens.hash(poll.getDeviceCode()));
				try {
					return library.authenticate(poll);
				}
				catch (OAuth2AuthenticationException e) {
					if (tooSoon.isPresent() && "authorization_pending".equals(e.getError().getErrorCode())) {
						throw new OAuth2AuthenticationException(new OAuth2Error("slow_down",
								"Poll at most every " + INTERVAL_SECONDS + " seconds, plus 5 for every slow_down.",
								"https://datatracker.ietf.org/doc/html/rfc8628#section-3.5"));
					}
					throw e;
				}
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return library.supports(authentication);
			}
		};
	}

	/**
	 * A public client's requests at the device authorization endpoint and its device code polls, which carry only
	 * its {@code client_id} (RFC 8628 §3.1, §3.4; RFC 6749 §2.3: a public client has no credentials): not a
	 * request with a secret, an assertion or PKCE, which the library's converters read.
	 */
	AuthenticationConverter publicClients() {
		RequestMatcher deviceAuthorization = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
				serverSettings.getDeviceAuthorizationEndpoint());
		RequestMatcher token = PathPatternRequestMatcher.pathPattern(HttpMethod.POST, serverSettings.getTokenEndpoint());
		return request -> {
			boolean device = deviceAuthorization.matches(request) || token.matches(request)
					&& AuthorizationGrantType.DEVICE_CODE.getValue()
						.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE));
			String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
			if (!device || !StringUtils.hasText(clientId) || request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			if (request.getParameterValues(OAuth2ParameterNames.CLIENT_ID).length != 1) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
			}
			return new OAuth2ClientAuthenticationToken(clientId, ClientAuthenticationMethod.NONE, null,
					Map.of(PUBLIC_DEVICE_CLIENT, true));
		};
	}

	/**
	 * Authenticates what {@link #publicClients} read: a registered public client with the device code grant. A
	 * confidential client must authenticate with its secret, and any other client is {@code invalid_client}.
	 */
	AuthenticationProvider publicClientAuthentication() {
		return new AuthenticationProvider() {

			@Override
			public Authentication authenticate(Authentication authentication) throws AuthenticationException {
				OAuth2ClientAuthenticationToken token = (OAuth2ClientAuthenticationToken) authentication;
				if (!Boolean.TRUE.equals(token.getAdditionalParameters().get(PUBLIC_DEVICE_CLIENT))) {
					return null;
				}
				RegisteredClient client = clients.findByClientId(String.valueOf(token.getPrincipal()));
				if (client == null
						|| !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
						|| !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.DEVICE_CODE)) {
					throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
							"Client authentication failed: " + OAuth2ParameterNames.CLIENT_ID, null));
				}
				return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
			}
		};
	}
}
