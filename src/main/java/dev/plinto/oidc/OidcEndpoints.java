package dev.plinto.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.ErrorPages;
import dev.plinto.pages.PageRoutes;
import dev.plinto.session.SessionService;
import dev.plinto.token.SigningKey;
import dev.plinto.token.SigningKeys;
import dev.plinto.web.ClientInfo;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.DelegatingAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * What the provider's security filter chain (composed in {@code security.WebSecurityConfiguration}) takes from this
 * package: the Spring Authorization Server configuration with Plinto's storage, tokens, consent page, errors and
 * logout ({@link #server}), the endpoints a browser visits with its session cookies ({@link #browserEndpoints}), the
 * way a signed-out browser is sent to the hosted sign-in page ({@link #signIn}), the consent form posts that need
 * the pages' CSRF token ({@link #consentPosts}), and the verifier of the provider's access tokens at the UserInfo
 * endpoint ({@link #accessTokenDecoder}).
 */
public final class OidcEndpoints {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OidcEndpoints.class);

	/** The consent page (a hosted page, served by the pages' chain). */
	public static final String CONSENT = PageRoutes.OIDC_CONSENT;

	/** The grants Plinto's clients can be registered for, published in discovery. */
	private static final List<String> GRANTS = List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
			AuthorizationGrantType.REFRESH_TOKEN.getValue(), AuthorizationGrantType.CLIENT_CREDENTIALS.getValue(),
			AuthorizationGrantType.DEVICE_CODE.getValue(), AuthorizationGrantType.TOKEN_EXCHANGE.getValue());

	private static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce",
			"amr", "sid", "azp", "at_hash", "email", "email_verified", "name");

	private final AuthorizationServerSettings serverSettings;

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationService authorizations;

	private final OAuth2AuthorizationConsentService consents;

	private final ProviderTokens tokens;

	private final SigningKeys keys;

	private final ErrorPages errors;

	private final SessionService sessions;

	private final BrowserSessions browser;

	private final DeviceGrant device;

	private final AuditLog audit;

	private final PlintoSettings settings;

	OidcEndpoints(AuthorizationServerSettings serverSettings, RegisteredClientRepository clients,
			OAuth2AuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
			ProviderTokens tokens, SigningKeys keys, ErrorPages errors, SessionService sessions,
			BrowserSessions browser, DeviceGrant device, AuditLog audit, PlintoSettings settings) {
		this.serverSettings = serverSettings;
		this.clients = clients;
		this.authorizations = authorizations;
		this.consents = consents;
		this.tokens = tokens;
		this.keys = keys;
		this.errors = errors;
		this.sessions = sessions;
		this.browser = browser;
		this.device = device;
		this.audit = audit;
		this.settings = settings;
	}

	/**
	 * Spring Authorization Server with OpenID Connect 1.0, over Plinto's clients, hashed authorizations, consents
	 * and token claims; the consent page of the hosted pages; authorization errors as RFC 6749 §4.1.2.1 wants them
	 * (to the client's registered redirect URI, or a page when that URI is unknown or not the registered one: never
	 * a redirect to an unverified address); UserInfo from the account; logout that ends the Plinto session; the
	 * device authorization grant with the hosted "enter the code" page ({@link DeviceGrant}); pushed authorization
	 * requests (RFC 9126), optional for every client ({@code require_pushed_authorization_requests: false}, §5);
	 * token exchange (RFC 8693) for the clients registered for it ({@link TokenExchanges}).
	 */
	public Customizer<OAuth2AuthorizationServerConfigurer> server() {
		return server -> server.registeredClientRepository(clients)
			.authorizationService(authorizations)
			.authorizationConsentService(consents)
			.authorizationServerSettings(serverSettings)
			.authorizationEndpoint(endpoint -> endpoint.consentPage(CONSENT)
				.errorResponseHandler(authorizationErrors())
				.authenticationProviders(providers -> providers.forEach(provider -> {
					if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider requests) {
						requests.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
							.andThen(RequestObjects::refuse));
					}
				})))
			.pushedAuthorizationRequestEndpoint(par -> par.authenticationProviders(providers -> providers.forEach(p -> {
				if (p instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider pushed) {
					pushed.setAuthenticationValidator(new OAuth2AuthorizationCodeRequestAuthenticationValidator()
						.andThen(RequestObjects::refuse));
				}
			})))
			.deviceAuthorizationEndpoint(endpoint -> endpoint.verificationUri(device.verificationUri())
				.deviceAuthorizationResponseHandler(device.authorizationResponse()))
			.deviceVerificationEndpoint(endpoint -> endpoint.consentPage(CONSENT)
				.deviceVerificationRequestConverters(converters -> {
					AuthenticationConverter library = new DelegatingAuthenticationConverter(List.copyOf(converters));
					converters.clear();
					converters.add(device.verificationRequests(library));
				})
				.authenticationProviders(providers -> providers.replaceAll(
						p -> p instanceof OAuth2DeviceVerificationAuthenticationProvider ? device.verification(p) : p))
				.deviceVerificationResponseHandler(device.verified())
				.errorResponseHandler(device.verificationErrors()))
			.clientAuthentication(auth -> auth
				.authenticationConverters(converters -> converters.add(device.publicClients()))
				.authenticationProviders(providers -> providers.add(0, device.publicClientAuthentication())))
			.tokenEndpoint(token -> token.authenticationProviders(providers -> providers.replaceAll(p -> {
				if (p instanceof OAuth2DeviceCodeAuthenticationProvider) {
					return device.polling(p);
				}
				if (p instanceof OAuth2TokenExchangeAuthenticationProvider) {
					return new TokenExchanges(p, accessTokenDecoder(settings), audit);
				}
				return p;
			})))
			.authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
					builder -> builder.grantTypes(g -> {
						g.clear();
						g.addAll(GRANTS);
					}).codeChallengeMethods(m -> {
						m.clear();
						m.add("S256");
					}).claim("require_pushed_authorization_requests", false)))
			.oidc(oidc -> oidc
				.providerConfigurationEndpoint(provider -> provider.providerConfigurationCustomizer(builder -> builder
					.grantTypes(g -> {
						g.clear();
						g.addAll(GRANTS);
					})
					.codeChallengeMethods(m -> {
						m.clear();
						m.add("S256");
					})
					.idTokenSigningAlgorithms(a -> {
						a.clear();
						a.addAll(signingAlgorithms());
					})
					.scopes(s -> {
						s.clear();
						s.addAll(List.of("openid", "profile", "email", "offline_access"));
					})
					.claim("claims_supported", CLAIMS)
					.claim("response_modes_supported", List.of("query"))
					.claim("require_pushed_authorization_requests", false)))
				.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(tokens::userInfo))
				.logoutEndpoint(logout -> logout.logoutRequestConverter(logoutRequests())
					.logoutResponseHandler(logoutResponse())
					.errorResponseHandler(logoutErrors())));
	}

	/** The algorithms of the published keys, the active one first: what ID tokens may be signed with. */
	private List<String> signingAlgorithms() {
		return keys.published().stream().map(SigningKey::algorithm).map(JWSAlgorithm::getName).distinct().toList();
	}

	/**
	 * The authorization, device verification and logout endpoints: where the browser's session cookies are read.
	 */
	public RequestMatcher browserEndpoints() {
		return new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(serverSettings.getAuthorizationEndpoint()),
				deviceVerificationEndpoint(), PathPatternRequestMatcher.pathPattern(serverSettings.getOidcLogoutEndpoint()));
	}

	/** The device verification endpoint, where the "enter the code" page and its consent post (RFC 8628 §3.3). */
	public RequestMatcher deviceVerificationEndpoint() {
		return PathPatternRequestMatcher.pathPattern(serverSettings.getDeviceVerificationEndpoint());
	}

	/** Where a browser whose sign-in ended while it was entering a code goes: sign in, then back to the page. */
	public AuthenticationEntryPoint deviceSignIn() {
		return device.signIn();
	}

	/** The authorization endpoint, where a signed-out browser is sent to sign in. */
	public RequestMatcher authorizationEndpoint() {
		return PathPatternRequestMatcher.pathPattern(serverSettings.getAuthorizationEndpoint());
	}

	/**
	 * The consent form's posts to the authorization endpoint (a post without {@code response_type}, which is how
	 * Spring Authorization Server tells consent from an authorization request): a browser form with cookies, so it
	 * needs the pages' CSRF token (OWASP Cross-Site Request Forgery Prevention Cheat Sheet, "Synchronizer Token
	 * Pattern"). Authorization requests sent by POST (OpenID Connect Core §3.1.2.1) do not change state and need none.
	 * Every post to the device verification endpoint is a form of the hosted pages (the entered code, which connects a
	 * device to the account, and the consent) and needs it too.
	 */
	public RequestMatcher consentPosts() {
		RequestMatcher post = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
				serverSettings.getAuthorizationEndpoint());
		RequestMatcher devicePost = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
				serverSettings.getDeviceVerificationEndpoint());
		return request -> devicePost.matches(request)
				|| post.matches(request) && request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) == null
						&& request.getParameter("request_uri") == null;
	}

	/**
	 * A browser without a Plinto session at the authorization endpoint goes to the hosted sign-in page, which
	 * returns it to the same authorization request (a relative URL, which the pages' redirect policy accepts).
	 */
	public AuthenticationEntryPoint signIn() {
		return (request, response, e) -> {
			String back = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
			response.setStatus(HttpStatus.FOUND.value());
			response.setHeader(HttpHeaders.LOCATION,
					PageRoutes.SIGN_IN + "?redirect_url=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
		};
	}

	/** The UserInfo endpoint, the one endpoint of the provider that reads a bearer token (RFC 6750). */
	public RequestMatcher userInfoEndpoint() {
		return PathPatternRequestMatcher.pathPattern(serverSettings.getOidcUserInfoEndpoint());
	}

	/**
	 * The endpoints where a client authenticates: token, introspection, revocation, device authorization and pushed
	 * authorization requests.
	 */
	public RequestMatcher clientEndpoints() {
		return new OrRequestMatcher(PathPatternRequestMatcher.pathPattern(serverSettings.getTokenEndpoint()),
				PathPatternRequestMatcher.pathPattern(serverSettings.getTokenIntrospectionEndpoint()),
				PathPatternRequestMatcher.pathPattern(serverSettings.getTokenRevocationEndpoint()),
				PathPatternRequestMatcher.pathPattern(serverSettings.getDeviceAuthorizationEndpoint()),
				PathPatternRequestMatcher.pathPattern(serverSettings.getPushedAuthorizationRequestEndpoint()));
	}

	/**
	 * A request to a client endpoint without any client authentication: 401 {@code invalid_client} with
	 * {@code WWW-Authenticate: Basic} (RFC 6749 §5.2), in the protocol's JSON error form.
	 */
	public AuthenticationEntryPoint clientAuthenticationRequired() {
		return (request, response, e) -> {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + serverSettings.getIssuer() + "\"");
			ServletServerHttpResponse out = new ServletServerHttpResponse(response);
			out.setStatusCode(HttpStatus.UNAUTHORIZED);
			new OAuth2ErrorHttpMessageConverter().write(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
					"Client authentication is required (client_secret_basic, client_secret_post, or client_id with "
							+ "PKCE for a public client).", null), null, out);
		};
	}

	/**
	 * Verifies the provider's access tokens at the UserInfo endpoint: signed by a published key whose algorithm the
	 * header names, {@code typ: at+jwt} (RFC 9068 §4), issued by Plinto, within its lifetime. The library then looks
	 * the token up among the stored authorizations, so a revoked one is refused too.
	 */
	public JwtDecoder accessTokenDecoder(PlintoSettings settings) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
				Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA), keys.publicKeys()));
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		// The system clock, as the library's own expiry checks of stored tokens and codes use it (it has no clock
		// of its own to share), so a token's lifetime means the same at issue and here.
		JwtTimestampValidator timestamps = new JwtTimestampValidator(java.time.Duration.ofMinutes(1));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps,
				new JwtIssuerValidator(settings.baseUrl())));
		return decoder;
	}

	private AuthenticationFailureHandler authorizationErrors() {
		return (request, response, exception) -> {
			OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
			OAuth2AuthorizationCodeRequestAuthenticationToken rejected =
					exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException e
							? e.getAuthorizationCodeRequestAuthentication() : null;
			if (rejected == null || !StringUtils.hasText(rejected.getRedirectUri())) {
				errors.render(request, response, HttpStatus.BAD_REQUEST, errorKey(error));
				return;
			}
			UriComponentsBuilder target = UriComponentsBuilder.fromUriString(rejected.getRedirectUri())
				.queryParam(OAuth2ParameterNames.ERROR, encode(error.getErrorCode()));
			if (StringUtils.hasText(error.getDescription())) {
				target.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(error.getDescription()));
			}
			if (StringUtils.hasText(rejected.getState())) {
				target.queryParam(OAuth2ParameterNames.STATE, encode(rejected.getState()));
			}
			target.queryParam("iss", encode(serverSettings.getIssuer()));
			response.setStatus(HttpStatus.FOUND.value());
			response.setHeader(HttpHeaders.LOCATION, target.build(true).toUriString());
		};
	}

	/** The page sentence for an authorization request that cannot be answered to the client. */
	private static String errorKey(OAuth2Error error) {
		String description = error.getDescription() == null ? "" : error.getDescription();
		if (description.contains(OAuth2ParameterNames.CLIENT_ID)) {
			return "oidc.error.client";
		}
		if (description.contains(OAuth2ParameterNames.REDIRECT_URI)) {
			return "oidc.error.redirect_uri";
		}
		return "oidc.error.request";
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2-§3): the library has checked the
	 * {@code id_token_hint} (issued by Plinto to this client, for the signed-in user when one is signed in) and the
	 * {@code post_logout_redirect_uri} against the client's registered ones; here the browser's Plinto session ends
	 * (the same sign-out as the pages', audited, its tokens stopped) and the browser goes back to the client with its
	 * {@code state}, or to the sign-in page without a registered address.
	 */
	private AuthenticationSuccessHandler logoutResponse() {
		return (request, response, authentication) -> {
			OidcLogoutAuthenticationToken logout = (OidcLogoutAuthenticationToken) authentication;
			if (logout.getPrincipal() instanceof Authentication user) {
				String sid = BrowserPrincipalFilter.sessionId(user);
				if (sid != null) {
					sessions.signOut(user.getName(), sid, client(request));
					browser.clear(response);
				}
			}
			String target = PageRoutes.SIGN_IN;
			if (StringUtils.hasText(logout.getPostLogoutRedirectUri())) {
				UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(logout.getPostLogoutRedirectUri());
				if (StringUtils.hasText(logout.getState())) {
					uri.queryParam(OAuth2ParameterNames.STATE, encode(logout.getState()));
				}
				target = uri.build(true).toUriString();
			}
			response.setStatus(HttpStatus.FOUND.value());
			response.setHeader(HttpHeaders.LOCATION, target);
		};
	}

	/**
	 * Logout requests as the library reads them, without the HTTP session id it would take from the principal's
	 * details: Plinto has no HTTP session, the details hold the Plinto session id, and the library would compare a
	 * hash of it with the ID token's {@code sid}, which is the Plinto session id itself. What the logout ends is the
	 * browser's current Plinto session, for the user the ID token names (the library checks {@code sub}).
	 */
	private static AuthenticationConverter logoutRequests() {
		OidcLogoutAuthenticationConverter library = new OidcLogoutAuthenticationConverter();
		return request -> {
			if (!(library.convert(request) instanceof OidcLogoutAuthenticationToken read)) {
				return null;
			}
			return new OidcLogoutAuthenticationToken(read.getIdTokenHint(), (Authentication) read.getPrincipal(), null,
					read.getClientId(), read.getPostLogoutRedirectUri(), read.getState());
		};
	}

	/**
	 * A logout request the library refuses (an unknown or foreign {@code id_token_hint}, an unregistered
	 * {@code post_logout_redirect_uri}) is answered with a page: the user is in a browser, and the address to return
	 * to is not trusted.
	 */
	private AuthenticationFailureHandler logoutErrors() {
		return (request, response, exception) -> {
			OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
			log.debug("Logout request refused: {} ({})", error.getErrorCode(), error.getDescription());
			errors.render(request, response, HttpStatus.BAD_REQUEST, "oidc.error.logout");
		};
	}

	private static ClientInfo client(HttpServletRequest request) {
		return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
	}
}
