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
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
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
import org.springframework.security.oauth2.server.authorization.web.OAuth2AuthorizationEndpointFilter;
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
			"acr", "amr", "sid", "azp", "at_hash", "email", "email_verified", "name", "org_id", "org_slug", "org_role",
			"org_permissions");

	private final AuthorizationServerSettings serverSettings;

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationService authorizations;

	private final OAuth2AuthorizationConsentService consents;

	private final ProviderTokens tokens;

	private final SigningKeys keys;

	private final ErrorPages errors;

	private final SessionService sessions;

	private final BrowserSessions browser;

	private final ClientAssertions assertions;

	private final ClientRegistration registration;

	private final AuthenticationRequests requests;

	private final RefreshTokenReuse reuse;

	private final DeviceGrant device;

	private final AuditLog audit;

	private final PlintoSettings settings;

	OidcEndpoints(AuthorizationServerSettings serverSettings, RegisteredClientRepository clients,
			OAuth2AuthorizationService authorizations, OAuth2AuthorizationConsentService consents,
			ProviderTokens tokens, SigningKeys keys, ErrorPages errors, SessionService sessions,
			BrowserSessions browser, ClientAssertions assertions, ClientRegistration registration,
			AuthenticationRequests requests, RefreshTokenReuse reuse, DeviceGrant device, AuditLog audit,
			PlintoSettings settings) {
		this.assertions = assertions;
		this.registration = registration;
		this.requests = requests;
		this.reuse = reuse;
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
	 * No HTTP session for an authorization request. With OpenID Connect on, the library's authorization endpoint
	 * creates a servlet session for every request with the {@code openid} scope and records it, for its principal,
	 * in an in-memory session registry (emptied only by servlet session events, which Plinto does not publish), and
	 * its code exchange finds the "current" one again by sorting all of the principal's entries: memory that grows
	 * with every authorization, code exchanges that slow down with it, a {@code JSESSIONID} cookie from a server
	 * that keeps its sessions in the database, and an answer that differs from node to node. Plinto's tokens take
	 * {@code sid} and {@code auth_time} from the Plinto session of the sign-in ({@link ProviderTokens}), so the
	 * endpoint records nothing: no memory per request that a client can make the server hold (OWASP API Security Top
	 * 10 2023, API4 "Unrestricted Resource Consumption"), and {@code sid} names the one OP session (OpenID Connect
	 * Back-Channel Logout 1.0 §2.1), Plinto's.
	 */
	private static final ObjectPostProcessor<OAuth2AuthorizationEndpointFilter> NO_HTTP_SESSION =
			// The type argument spelled out: the library applies a post-processor to the objects of that type.
			new ObjectPostProcessor<OAuth2AuthorizationEndpointFilter>() {

		@Override
		public <O extends OAuth2AuthorizationEndpointFilter> O postProcess(O filter) {
			filter.setSessionAuthenticationStrategy((authentication, request, response) -> {
			});
			return filter;
		}
	};

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
		return server -> server.withObjectPostProcessor(NO_HTTP_SESSION)
			.registeredClientRepository(clients)
			.authorizationService(authorizations)
			.authorizationConsentService(consents)
			.authorizationServerSettings(serverSettings)
			.authorizationEndpoint(endpoint -> endpoint.consentPage(CONSENT)
				.errorResponseHandler(authorizationErrors())
				.authenticationProviders(providers -> providers.forEach(provider -> {
					if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
						codeRequests.setAuthenticationValidator(requests.validator());
						codeRequests.setAuthorizationConsentRequired(AuthenticationRequests::consentRequired);
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
			// One consumer per list: the library keeps only the last one given to each configurer.
			.clientAuthentication(auth -> auth
				.authenticationConverters(converters -> converters.add(device.publicClients()))
				.authenticationProviders(providers -> {
					assertions.configure(providers);
					providers.add(0, device.publicClientAuthentication());
				}))
			.tokenEndpoint(token -> token.authenticationProviders(providers -> providers.replaceAll(p -> {
				if (p instanceof OAuth2DeviceCodeAuthenticationProvider) {
					return device.polling(p);
				}
				if (p instanceof OAuth2TokenExchangeAuthenticationProvider) {
					return new TokenExchanges(p, accessTokenDecoder(settings), audit);
				}
				return reuse.guard(p);
			})))
			.authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
					builder -> builder.claims(this::clientMetadata).grantTypes(g -> {
						g.clear();
						g.addAll(GRANTS);
					}).codeChallengeMethods(m -> {
						m.clear();
						m.add("S256");
					}).claim("require_pushed_authorization_requests", false)))
			.oidc(oidc -> oidc
				.providerConfigurationEndpoint(provider -> provider.providerConfigurationCustomizer(builder -> builder
					.claims(this::clientMetadata)
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
						s.addAll(List.of("openid", "profile", "email", "offline_access", ProviderTokens.ORG_SCOPE));
					})
					.claim("claims_supported", settings.tokenPublicMetadata()
							? java.util.stream.Stream.concat(CLAIMS.stream(), java.util.stream.Stream.of("public_metadata"))
								.toList()
							: CLAIMS)
					.claim("acr_values_supported", AuthenticationRequests.ACR_VALUES)
					.claim("prompt_values_supported", AuthenticationRequests.PROMPT_VALUES)
					.claim("claims_parameter_supported", false)
					.claim("backchannel_logout_supported", true)
					.claim("backchannel_logout_session_supported", true)
					.claim("response_modes_supported", List.of("query"))
					.claim("require_pushed_authorization_requests", false)))
				.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(tokens::userInfo))
				.logoutEndpoint(logout -> logout.logoutRequestConverter(logoutRequests())
					.logoutResponseHandler(logoutResponse())
					.errorResponseHandler(logoutErrors())));
	}

	/**
	 * What both discovery documents say about clients: how they authenticate at the token, introspection and
	 * revocation endpoints (secrets, {@code private_key_jwt} with RS256/ES256/PS256; a public client sends only its
	 * id to the token endpoint), that request objects are not accepted (OpenID Connect Discovery 1.0 §3: both
	 * {@code request_parameter_supported} and {@code request_uri_parameter_supported}, whose default would be true),
	 * and, only when registration is switched on, the registration endpoint (RFC 8414 §2, RFC 7591 §3).
	 */
	private void clientMetadata(java.util.Map<String, Object> claims) {
		List<String> withKeys = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
				ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
				ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue());
		List<String> token = new java.util.ArrayList<>(withKeys);
		token.add(ClientAuthenticationMethod.NONE.getValue());
		claims.put("token_endpoint_auth_methods_supported", token);
		claims.put("introspection_endpoint_auth_methods_supported", withKeys);
		claims.put("revocation_endpoint_auth_methods_supported", withKeys);
		claims.put("token_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
		claims.put("introspection_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
		claims.put("revocation_endpoint_auth_signing_alg_values_supported", ClientAssertions.ALGORITHMS);
		claims.put("request_parameter_supported", false);
		claims.put("request_uri_parameter_supported", false);
		if (registration.enabled()) {
			claims.put("registration_endpoint", serverSettings.getIssuer() + ClientRegistration.PATH);
		}
		else {
			claims.remove("registration_endpoint");
		}
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
			String loginRequired = loginRequired(request);
			if (loginRequired != null) {
				response.setStatus(HttpStatus.FOUND.value());
				response.setHeader(HttpHeaders.LOCATION, loginRequired);
				return;
			}
			String back = request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
			response.setStatus(HttpStatus.FOUND.value());
			response.setHeader(HttpHeaders.LOCATION,
					PageRoutes.SIGN_IN + "?redirect_url=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
		};
	}

	/**
	 * {@code prompt=none} from a signed-out browser (OpenID Connect Core §3.1.2.6): no sign-in page, but
	 * {@code login_required} ({@code invalid_request} when {@code none} comes with another value, §3.1.2.1) to the
	 * client, once its {@code client_id} and {@code redirect_uri} are known to be
	 * registered (the same exact comparison as the library's, RFC 9700 §4.1.3); null when the request is not such a
	 * request or cannot be answered to the client (the library then answers it after the sign-in, with a page).
	 */
	private String loginRequired(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		String scope = request.getParameter(OAuth2ParameterNames.SCOPE);
		if (prompt == null || !List.of(prompt.split(" ")).contains("none") || scope == null
				|| !List.of(scope.split(" ")).contains("openid")
				|| request.getParameterValues(OAuth2ParameterNames.CLIENT_ID) == null
				|| request.getParameterValues(OAuth2ParameterNames.CLIENT_ID).length != 1) {
			return null;
		}
		var client = clients.findByClientId(request.getParameter(OAuth2ParameterNames.CLIENT_ID));
		if (client == null) {
			return null;
		}
		String redirectUri = request.getParameter(OAuth2ParameterNames.REDIRECT_URI);
		if (!StringUtils.hasText(redirectUri)) {
			if (client.getRedirectUris().size() != 1) {
				return null;
			}
			redirectUri = client.getRedirectUris().iterator().next();
		}
		else if (!client.getRedirectUris().contains(redirectUri)) {
			return null;
		}
		boolean combined = java.util.Arrays.stream(prompt.split(" ")).filter(StringUtils::hasText).count() > 1;
		UriComponentsBuilder target = UriComponentsBuilder.fromUriString(redirectUri)
			.queryParam(OAuth2ParameterNames.ERROR, combined ? OAuth2ErrorCodes.INVALID_REQUEST : "login_required")
			.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION, encode(combined
					? "prompt=none cannot be combined with another value." : "The user is not signed in."));
		String state = request.getParameter(OAuth2ParameterNames.STATE);
		if (StringUtils.hasText(state)) {
			target.queryParam(OAuth2ParameterNames.STATE, encode(state));
		}
		target.queryParam("iss", encode(serverSettings.getIssuer()));
		return target.build(true).toUriString();
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
					"Client authentication is required (client_secret_basic, client_secret_post, private_key_jwt, "
							+ "or client_id with PKCE for a public client).", null), null, out);
		};
	}

	/**
	 * Verifies the provider's access tokens at the UserInfo endpoint: signed by a published key whose algorithm the
	 * header names, {@code typ: at+jwt} (RFC 9068 §4), issued by Plinto, within its lifetime. The library then looks
	 * the token up among the stored authorizations, so a revoked one is refused too.
	 */
	public JwtDecoder accessTokenDecoder(PlintoSettings settings) {
		return accessTokenDecoder(keys, settings);
	}

	static JwtDecoder accessTokenDecoder(SigningKeys keys, PlintoSettings settings) {
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
			if (AuthenticationRequests.SIGN_IN_AGAIN.equals(error.getErrorCode())) {
				signInAgain(request, response, AuthenticationRequests.SELECT_ACCOUNT.equals(error.getDescription())
						? "select_account" : "login");
				return;
			}
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

	/**
	 * A signed-in browser whose request wants a new sign-in ({@code prompt=login} or {@code select_account}, a
	 * {@code max_age} that has passed, a second factor: {@link AuthenticationRequests}) goes to the hosted sign-in
	 * page with {@code prompt=login}, which signs it in again (the new session replaces the old one), and comes back
	 * to the same request without {@code login}/{@code select_account} and {@code max_age}, which the fresh sign-in
	 * has answered. With {@code prompt=select_account} alone the page offers to continue as the signed-in account
	 * (back to the request, no new sign-in) or to sign in with another one.
	 */
	private static void signInAgain(HttpServletRequest request, HttpServletResponse response, String prompt) {
		UriComponentsBuilder back = UriComponentsBuilder.fromPath(request.getRequestURI());
		request.getParameterMap().forEach((name, values) -> {
			if ("max_age".equals(name)) {
				return;
			}
			for (String value : values) {
				String kept = "prompt".equals(name) ? java.util.Arrays.stream(value.split(" "))
					.filter(p -> !p.isBlank() && !"login".equals(p) && !"select_account".equals(p))
					.collect(java.util.stream.Collectors.joining(" ")) : value;
				if (!"prompt".equals(name) || !kept.isEmpty()) {
					back.queryParam(name, encode(kept));
				}
			}
		});
		response.setStatus(HttpStatus.FOUND.value());
		response.setHeader(HttpHeaders.LOCATION, PageRoutes.SIGN_IN + "?prompt=" + prompt + "&redirect_url="
				+ URLEncoder.encode(back.build(true).toUriString(), StandardCharsets.UTF_8));
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
