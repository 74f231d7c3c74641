package dev.plinto.security;

import dev.plinto.admin.AdminPageRoutes;
import dev.plinto.admin.DashboardAccess;
import dev.plinto.admin.ApiKeyAuthentication;
import dev.plinto.admin.ApiKeyScope;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.oidc.BrowserPrincipalFilter;
import dev.plinto.oidc.OidcEndpoints;
import dev.plinto.pages.BrowserSessionFilter;
import dev.plinto.pages.BrowserSessions;
import dev.plinto.pages.ErrorPages;
import dev.plinto.pages.OriginCheckFilter;
import dev.plinto.pages.FormActionOrigins;
import dev.plinto.pages.PageHeadersFilter;
import dev.plinto.pages.PageRoutes;
import dev.plinto.pages.RedirectPolicy;
import dev.plinto.scim.ScimResponses;
import dev.plinto.scim.ScimTokens;
import dev.plinto.session.SessionRevocations;
import dev.plinto.session.SignInService;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.token.AccessTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.ProblemRenderer;
import dev.plinto.web.RequestRejections;
import dev.plinto.web.SecurityHeaders;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP security for the whole API, with Spring Security:
 * <ul>
 * <li>Bearer access tokens (RFC 6750) verified by {@link AccessTokens}; a token whose session was revoked, does not
 * exist or belongs to another user is refused ({@link SessionRevocations#accepts}). Missing or bad tokens get 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3).</li>
 * <li>Stateless: no HTTP session and no cookies, so CSRF protection is not needed for this API (OWASP CSRF
 * Prevention Cheat Sheet: token-based APIs that do not use cookies are not exposed to CSRF).</li>
 * <li>Security headers on every response (OWASP HTTP Headers Cheat Sheet), as {@link SecurityHeaders} defines them:
 * {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} with CSP {@code frame-ancestors 'none'},
 * {@code Referrer-Policy: no-referrer}, and HSTS (RFC 6797) whenever the issuer is https, whatever the proxy in
 * front says; plus Spring Security's cache headers.</li>
 * <li>A strict request firewall ({@link RequestRejections}): non-canonical paths and unimplemented methods are
 * refused before any route rule is matched.</li>
 * <li>CORS only for the origins in {@code PLINTO_CORS_ORIGINS}, never with a wildcard (OWASP HTML5 Security Cheat
 * Sheet, "Cross Origin Resource Sharing").</li>
 * <li>The rules per route, declared here once and enforced by Spring Security before any controller runs: public,
 * optional bearer ({@link #OPTIONAL_BEARER}), bearer ({@link #PROTECTED}), a recent sign-in on top
 * ({@link #RECENT_SIGN_IN}, {@link RecentSignIn}), and the few routes an enrolment token may call
 * ({@link #ENROLLMENT}). {@code RouteRulesTests} lists every route with its rule.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class WebSecurityConfiguration {

	/**
	 * The endpoints that need an access token. Only there is a bearer token read, so a stale
	 * {@code Authorization} header a client sends everywhere cannot break sign-in or refresh.
	 */
	private static final RequestMatcher PROTECTED = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern("/v1/me"), PathPatternRequestMatcher.pathPattern("/v1/me/**"),
			PathPatternRequestMatcher.pathPattern("/v1/sign-out"),
			PathPatternRequestMatcher.pathPattern("/v1/organizations"),
			PathPatternRequestMatcher.pathPattern("/v1/organizations/**"));

	/**
	 * Endpoints that read a bearer token when one is sent but also serve callers without one: accepting an
	 * invitation as a signed-in user or as a new one. A token that is sent must be valid, and may not be an
	 * enrolment token.
	 */
	private static final RequestMatcher OPTIONAL_BEARER = PathPatternRequestMatcher
		.pathPattern("/v1/invitations/accept");

	/**
	 * What the restricted enrolment token of {@code PLINTO_MFA=required} may call (docs/mfa.md): reading the
	 * account and its factors, and enrolling TOTP or a passkey. Every other protected endpoint answers it 403
	 * {@code mfa_enrollment_required}.
	 */
	private static final RequestMatcher ENROLLMENT = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/me"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/me/mfa"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/mfa/totp"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/mfa/totp/confirm"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/passkeys/options"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/passkeys"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/me/passkeys"));

	/**
	 * The routes that change how an account signs in and so need a recent sign-in ({@link RecentSignIn}): starting
	 * a TOTP enrolment, regenerating recovery codes, registering and deleting passkeys. Three of them are also
	 * {@link #ENROLLMENT} routes, where the enrolment token counts as recent. The export of all of a user's data
	 * needs one too: it hands out everything at once, sessions and their addresses included, so a token taken from
	 * an unattended session must not be enough (OWASP Authentication Cheat Sheet, "Reauthentication after risk
	 * events"; ASVS 4.0 V3.7.1).
	 */
	private static final RequestMatcher RECENT_SIGN_IN = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/mfa/totp"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/mfa/recovery-codes"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/passkeys/options"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/me/passkeys"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.DELETE, "/v1/me/passkeys/{id}"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.DELETE, "/v1/me/identities/{id}"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/me/export"));

	/**
	 * The page requests that need the CSRF token: every method but GET, HEAD, OPTIONS and TRACE, unless the body
	 * is JSON. A cross-site page can only send JSON with a CORS preflight, which the pages never allow (OWASP
	 * Cross-Site Request Forgery Prevention Cheat Sheet, "Employing custom request headers for AJAX/API"), and the
	 * page routes take forms only, so such a request is answered 415 saying so rather than as a forged form.
	 */
	private static final RequestMatcher PAGE_FORM_POSTS = request -> {
		if (List.of("GET", "HEAD", "OPTIONS", "TRACE").contains(request.getMethod())) {
			return false;
		}
		String type = request.getContentType();
		if (type == null) {
			return true;
		}
		try {
			return !org.springframework.http.MediaType.APPLICATION_JSON
				.isCompatibleWith(org.springframework.http.MediaType.parseMediaType(type));
		}
		catch (org.springframework.http.InvalidMediaTypeException e) {
			return true;
		}
	};

	/** A route of the Backend API and the scope an API key needs for it. */
	private record ScopedRoute(RequestMatcher matcher, ApiKeyScope scope) {
	}

	/**
	 * The Backend API's routes ({@code /v1/admin/…}), each with the one scope it needs; the first match wins. A key
	 * without it is refused 403 {@code insufficient_scope} with {@code WWW-Authenticate: Bearer
	 * error="insufficient_scope", scope="…"} (RFC 6750 §3.1), before the controller runs (OWASP API Security Top 10
	 * 2023, API5 "Broken Function Level Authorization": deny by default, one place declares who may call what).
	 * Reading and writing are separate scopes; a route not listed needs only a live key (and answers 404).
	 */
	private static final List<ScopedRoute> ADMIN_ROUTES = List.of(
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/keys/**"),
					ApiKeyScope.KEYS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/keys/**"), ApiKeyScope.KEYS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/clients/**"),
					ApiKeyScope.CLIENTS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/clients/**"), ApiKeyScope.CLIENTS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/webhooks/**"),
					ApiKeyScope.WEBHOOKS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/webhooks/**"),
					ApiKeyScope.WEBHOOKS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/audit/**"),
					ApiKeyScope.AUDIT_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/stats/**"),
					ApiKeyScope.STATS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/capacity/**"),
					ApiKeyScope.STATS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/settings/**"),
					ApiKeyScope.SETTINGS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/settings/**"),
					ApiKeyScope.SETTINGS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.DELETE, "/v1/admin/users/{id}/sessions"),
					ApiKeyScope.SESSIONS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/sessions/**"), ApiKeyScope.SESSIONS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/admin/users/{id}/impersonate"),
					ApiKeyScope.USERS_IMPERSONATE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/users/{id}/security-events"),
					ApiKeyScope.AUDIT_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/users"),
					ApiKeyScope.USERS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/users/**"),
					ApiKeyScope.USERS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/organizations"),
					ApiKeyScope.ORGANIZATIONS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/admin/organizations/**"),
					ApiKeyScope.ORGANIZATIONS_READ),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/organizations/**"),
					ApiKeyScope.ORGANIZATIONS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/users"), ApiKeyScope.USERS_WRITE),
			new ScopedRoute(PathPatternRequestMatcher.pathPattern("/v1/admin/users/**"), ApiKeyScope.USERS_WRITE));

	/** Every route of the Backend API. */
	private static final RequestMatcher ADMIN_API = PathPatternRequestMatcher.pathPattern("/v1/admin/**");

	/**
	 * Sign-in through identity providers on the hosted pages (docs/federation.md): the start, the callback, and the
	 * account page's link and unlink buttons, all on the pages' chain; and the SAML 2.0 service provider's SP metadata
	 * and the start of its sign-ins ({@code /saml/**}; its ACS is a {@link #FEDERATION_FORM_POSTS} route).
	 */
	private static final RequestMatcher FEDERATION_PAGES = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern("/sso/**"), PathPatternRequestMatcher.pathPattern("/saml/**"));

	/**
	 * The account page's federation routes, which need a signed-in browser: linking another account at a provider
	 * also needs a recent sign-in, like adding a passkey (a new way to sign in is a sensitive change, OWASP
	 * Authentication Cheat Sheet, "Reauthentication after risk events").
	 */
	private static final RequestMatcher FEDERATION_LINK = PathPatternRequestMatcher.pathPattern(HttpMethod.GET,
			"/sso/{provider}/link");

	private static final RequestMatcher FEDERATION_UNLINK = PathPatternRequestMatcher.pathPattern(HttpMethod.POST,
			"/sso/identities/{id}/unlink");

	/**
	 * The form-post callbacks of identity providers ({@code response_mode=form_post}, Apple's): cross-site posts that
	 * carry neither the pages' CSRF token nor their {@code SameSite=Lax} cookies. They are protected instead by the
	 * flow's single-use {@code state} and the flow's own binding cookie (RFC 9700 §4.7.1), checked by
	 * {@code federation.SsoFlows}; so they have a chain of their own, without CSRF token, Origin check or browser
	 * session. The SAML Assertion Consumer Service is one of them (SAML 2.0 Bindings §3.5, HTTP-POST: the identity
	 * provider's page posts the response from its own origin); what protects it is the protocol, checked by
	 * {@code federation.SamlSignIns}: an assertion signed by the connection's identity provider that answers, once, a
	 * pending AuthnRequest of this same browser (its {@code InResponseTo}, bound to the browser's SAML cookie), with
	 * unsolicited responses refused by default (OWASP SAML Security Cheat Sheet, "Validate Protocol Usage" and
	 * "Unsolicited Response (ie. IdP Initiated SSO) Considerations for Service Providers").
	 */
	private static final RequestMatcher FEDERATION_FORM_POSTS = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/sso/{provider}/callback"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/sso/connections/{id}/callback"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/saml/{connectionId}/acs"));

	/** The authority of an enrolment token (its {@code scope} claim, mapped by Spring Security). */
	private static final String ENROLLMENT_AUTHORITY = "SCOPE_mfa_enrollment";

	private final BearerTokenResolver bearer = new DefaultBearerTokenResolver();

	/**
	 * UserInfo's token: in the {@code Authorization} header (RFC 6750 §2.1), or as the {@code access_token} of a
	 * form-encoded POST body (§2.2), which OpenID Connect Core §5.3.1 allows for UserInfo and the OpenID Foundation's
	 * Basic OP profile checks. Never in the query (§2.3: it would be logged), and never two at once (§2).
	 */
	private final BearerTokenResolver userInfoBearer = userInfoBearer();

	private static BearerTokenResolver userInfoBearer() {
		DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
		resolver.setAllowFormEncodedBodyParameter(true);
		return resolver;
	}

	/**
	 * No Micrometer observation around each security filter: HTTP metrics come from the server observation
	 * already, and wrapping every filter of every request costs measurable throughput.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Access tokens, and the opaque enrolment tokens of {@code PLINTO_MFA=required} (prefix {@code enr_}), which
	 * are looked up on their sign-in flow and become a principal with {@code scope: mfa_enrollment} and no session.
	 * They are not JWTs, so no backend that verifies Plinto's access tokens can mistake one for a session.
	 */
	@Bean
	JwtDecoder accessTokenDecoder(AccessTokens tokens, SessionRevocations revocations, SignInService signIn) {
		return token -> {
			if (token.startsWith(SignInService.ENROLLMENT_TOKEN_PREFIX)) {
				String userId = signIn.enrollingUser(token)
					.orElseThrow(() -> new BadJwtException("the enrolment token is unknown or expired"));
				return Jwt.withTokenValue(token)
					.header("alg", "none")
					.subject(userId)
					.claim("scope", "mfa_enrollment")
					.claim("amr", List.of("pwd"))
					.build();
			}
			Jwt jwt = tokens.verify(token);
			if (!revocations.accepts(jwt.getClaimAsString("sid"), jwt.getSubject())) {
				throw new BadJwtException("the session of this token has ended or is not the subject's");
			}
			return jwt;
		};
	}

	/**
	 * Spring Security's strict firewall, allowing only the methods the server implements, and the answer to what it
	 * refuses ({@link RequestRejections}): a problem with the security headers instead of a bare 400.
	 */
	@Bean
	WebSecurityCustomizer firewall(RequestRejections rejections) {
		return web -> web.httpFirewall(RequestRejections.firewall()).requestRejectedHandler(rejections);
	}

	/**
	 * The hosted pages (docs/hosted-pages.md), a chain of their own so the JSON API's rules stay as they are. A
	 * browser is authenticated from its session cookies ({@link BrowserSessionFilter}), never from an
	 * {@code Authorization} header. Because cookies are sent automatically, every state-changing form carries
	 * Spring Security's synchronizer token (OWASP Cross-Site Request Forgery Prevention Cheat Sheet, "Synchronizer
	 * Token Pattern"), kept in a {@code __Host-} cookie rather than an HTTP session so the server stays stateless,
	 * and {@link OriginCheckFilter} refuses posts from other origins before that. The token endpoint
	 * {@code POST /session/refresh} is exempt from the token (a same-site app calls it without a page) but not from
	 * the Origin check. The pages' Content-Security-Policy with nonces comes from {@link PageHeadersFilter};
	 * {@code Referrer-Policy: same-origin}, because {@code no-referrer} would make browsers send {@code Origin: null}
	 * on form posts (Fetch standard, "serializing a request origin"). A page that needs a signed-in browser sends
	 * anyone else to sign-in with a {@code redirect_url} back; the posts that change how an account signs in
	 * ({@link PageRoutes#RECENT_SIGN_IN}) need a recent sign-in like their API routes ({@link RecentSignIn}), and an
	 * older one is sent to sign in again ({@code /sign-in?prompt=login}) and back to the account page (the passkey
	 * script's JSON requests get 403 and go there themselves).
	 */
	/** The pages' CSRF token in a cookie, shared with the consent form of the OpenID provider. */
	private static CookieCsrfTokenRepository csrfTokens(BrowserSessions browser, boolean https) {
		CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
		csrfTokens.setCookieName(browser.csrfCookieName());
		csrfTokens.setCookieCustomizer(cookie -> cookie.secure(https).sameSite("Lax").path("/").httpOnly(true));
		return csrfTokens;
	}

	/**
	 * The OpenID provider (docs/oidc.md): Spring Authorization Server's endpoints (authorization, pushed authorization
	 * requests, device authorization and verification, token, introspection, revocation, UserInfo, logout,
	 * discovery) in a chain of their own, ahead of the pages' and the JSON API's, matching only those endpoints.
	 * Clients authenticate at the token, introspection, revocation, device authorization and pushed authorization
	 * request endpoints with their secret (RFC 6749 §2.3.1), with a signed JWT ({@code private_key_jwt}, RFC 7523)
	 * or as public clients with PKCE (with the device code grant, with their {@code client_id}: RFC 8628 §3.1); the
	 * library answers their errors
	 * in the RFC 6749 §5.2 form. At the authorization and logout endpoints the browser is the hosted pages' signed-in
	 * browser, from the same session cookies ({@link BrowserSessionFilter}, wrapped by
	 * {@link BrowserPrincipalFilter}); a signed-out browser is sent to the sign-in page, which returns it to the
	 * authorization request; the device verification endpoint, where the "enter the code" page posts, reads the same
	 * browser. The consent form's and the code form's posts carry the pages' CSRF token (same cookie repository). The
	 * UserInfo endpoint takes the provider's access tokens as bearer tokens (RFC 6750). Stateless like the other
	 * chains; the same security headers as the JSON API, and CORS for {@code PLINTO_CORS_ORIGINS} so a single-page
	 * app can use the token endpoint as a public client.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain openIdProvider(HttpSecurity http, OidcEndpoints oidc, JwtDecoder decoder,
			BrowserSessions browser, PlintoSettings settings, SecurityHeaders securityHeaders, ErrorPages errors)
			throws Exception {
		boolean https = "https".equals(settings.issuer().getScheme());
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		// Spring Authorization Server exempts all its endpoints from the CSRF configurer, so the consent form's
		// token is checked by a CsrfFilter of its own, for those posts only, with the pages' token repository.
		CsrfFilter consentCsrf = new CsrfFilter(csrfTokens(browser, https));
		consentCsrf.setRequireCsrfProtectionMatcher(oidc.consentPosts());
		consentCsrf.setAccessDeniedHandler((request, response, e) -> errors.render(request, response,
				HttpStatus.FORBIDDEN, "error.csrf"));
		http.securityMatcher(server.getEndpointsMatcher())
			.with(server, oidc.server())
			.csrf(csrf -> csrf.disable())
			.addFilterAt(consentCsrf, CsrfFilter.class)
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.cors(cors -> cors.configurationSource(cors(settings.corsOrigins())))
			.headers(headers -> headers.contentTypeOptions(options -> options.disable())
				.frameOptions(frame -> frame.disable())
				.httpStrictTransportSecurity(hsts -> hsts.disable())
				.addHeaderWriter(securityHeaders))
			.addFilterAfter(new BrowserPrincipalFilter(new BrowserSessionFilter(browser, decoder),
					oidc.browserEndpoints()), SecurityContextHolderFilter.class)
			// The JWKS is the key controller's (token.KeyDiscoveryController); the library's endpoint matcher
			// names it only because discovery points at it.
			.authorizeHttpRequests(authorize -> authorize
				.requestMatchers(PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/.well-known/jwks.json"))
				.permitAll()
				.anyRequest()
				.authenticated())
			// Only UserInfo reads a bearer token, so a stale Authorization header sent to the JWKS or discovery is
			// ignored there, as on the JSON API's public routes.
			.oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(oidc.accessTokenDecoder(settings)))
				.bearerTokenResolver(request -> oidc.userInfoEndpoint().matches(request)
						? userInfoBearer.resolve(request) : null))
			.exceptionHandling(exceptions -> exceptions
				.defaultAuthenticationEntryPointFor(oidc.signIn(), oidc.authorizationEndpoint())
				.defaultAuthenticationEntryPointFor(oidc.deviceSignIn(), oidc.deviceVerificationEndpoint())
				.defaultAuthenticationEntryPointFor(oidc.clientAuthenticationRequired(), oidc.clientEndpoints()));
		return http.build();
	}

	/**
	 * The headers of every page answer, beside the Content-Security-Policy of {@link PageHeadersFilter}: no framing
	 * (OWASP Clickjacking Defense Cheat Sheet), {@code Referrer-Policy: same-origin} (see {@link #pages}), and HSTS
	 * (RFC 6797) whenever the issuer is https.
	 */
	private static HeadersConfigurer<HttpSecurity> pageHeaders(HeadersConfigurer<HttpSecurity> headers,
			boolean https) {
		headers.frameOptions(frame -> frame.deny());
		headers.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN));
		if (https) {
			headers.httpStrictTransportSecurity(hsts -> hsts.requestMatcher(AnyRequestMatcher.INSTANCE)
				.maxAgeInSeconds(31_536_000)
				.includeSubDomains(true));
		}
		else {
			headers.httpStrictTransportSecurity(hsts -> hsts.disable());
		}
		return headers;
	}

	/** The identity providers' form-post callbacks ({@link #FEDERATION_FORM_POSTS}), ahead of every other chain. */
	@Bean
	@Order(-1)
	SecurityFilterChain federationFormPosts(HttpSecurity http, PlintoSettings settings, LiveSettings live,
			RedirectPolicy redirects, ObjectProvider<FormActionOrigins> formActionOrigins) throws Exception {
		boolean https = "https".equals(settings.issuer().getScheme());
		http.securityMatcher(FEDERATION_FORM_POSTS)
			.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> { })
			.headers(headers -> pageHeaders(headers, https))
			.addFilterBefore(new PageHeadersFilter(live, redirects,
					formActionOrigins.getIfAvailable(() -> FormActionOrigins.NONE)), AuthorizationFilter.class)
			.authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(1)
	SecurityFilterChain pages(HttpSecurity http, JwtDecoder decoder, PlintoSettings settings, LiveSettings live,
			BrowserSessions browser,
			RedirectPolicy redirects, ErrorPages errors, Clock clock,
			ObjectProvider<FormActionOrigins> formActionOrigins, DashboardAccess dashboard) throws Exception {
		boolean https = "https".equals(settings.issuer().getScheme());
		CookieCsrfTokenRepository csrfTokens = csrfTokens(browser, https);
		RequestMatcher pages = new OrRequestMatcher(new OrRequestMatcher(java.util.stream.Stream
			.concat(PageRoutes.PATTERNS.stream(), AdminPageRoutes.PATTERNS.stream())
			.<RequestMatcher>map(PathPatternRequestMatcher::pathPattern)
			.toList()), FEDERATION_PAGES);
		RequestMatcher admin = new OrRequestMatcher(
				AdminPageRoutes.PATTERNS.stream().<RequestMatcher>map(PathPatternRequestMatcher::pathPattern).toList());
		RequestMatcher adminRecentSignIn = new OrRequestMatcher(AdminPageRoutes.RECENT_SIGN_IN.stream()
			.<RequestMatcher>map(path -> PathPatternRequestMatcher.pathPattern(HttpMethod.POST, path))
			.toList());
		RequestMatcher signedIn = new OrRequestMatcher(
				PageRoutes.SIGNED_IN.stream().<RequestMatcher>map(PathPatternRequestMatcher::pathPattern).toList());
		RequestMatcher recentSignIn = new OrRequestMatcher(PageRoutes.RECENT_SIGN_IN.stream()
			.<RequestMatcher>map(path -> PathPatternRequestMatcher.pathPattern(HttpMethod.POST, path))
			.toList());
		RecentSignIn recent = new RecentSignIn(clock, settings.mfa().reauthenticationWindow(), ENROLLMENT_AUTHORITY);
		http.securityMatcher(pages)
			.cors(cors -> cors.configurationSource(refreshCors(redirects.origins())))
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
				.requireCsrfProtectionMatcher(PAGE_FORM_POSTS)
				.ignoringRequestMatchers(PathPatternRequestMatcher.pathPattern(PageRoutes.REFRESH)))
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> { })
			.headers(headers -> pageHeaders(headers, https).contentSecurityPolicy(csp -> csp
				.policyDirectives("frame-ancestors 'none'")))
			.addFilterBefore(new PageHeadersFilter(live, redirects,
					formActionOrigins.getIfAvailable(() -> FormActionOrigins.NONE)), CsrfFilter.class)
			.addFilterBefore(new OriginCheckFilter(settings, redirects, errors), CsrfFilter.class)
			.addFilterBefore(new BrowserSessionFilter(browser, decoder), AuthorizationFilter.class)
			// The admin dashboard (docs/admin.md): an instance role and a second factor (DashboardAccess), and for its
			// dangerous posts a recent sign-in on top.
			.authorizeHttpRequests(authorize -> authorize.requestMatchers(adminRecentSignIn)
				.access(AuthorizationManagers.allOf(dashboard, recent))
				.requestMatchers(admin).access(dashboard)
				.requestMatchers(recentSignIn, FEDERATION_LINK)
				.access(AuthorizationManagers.allOf(AuthenticatedAuthorizationManager.authenticated(), recent))
				.requestMatchers(signedIn, FEDERATION_UNLINK).authenticated()
				.anyRequest().permitAll())
			.exceptionHandling(exceptions -> exceptions
				.authenticationEntryPoint((request, response, e) -> {
					// A page read comes back with its query (the device page's code from verification_uri_complete).
					String back = request.getRequestURI() + ("GET".equals(request.getMethod())
							&& request.getQueryString() != null ? "?" + request.getQueryString() : "");
					response.setStatus(HttpStatus.SEE_OTHER.value());
					response.setHeader(HttpHeaders.LOCATION, PageRoutes.SIGN_IN + "?redirect_url="
							+ java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8));
				})
				.accessDeniedHandler((request, response, e) -> {
					if (e instanceof AuthorizationDeniedException refused
							&& refused.getAuthorizationResult() instanceof DashboardAccess.Refusal dashboardRefusal) {
						if (dashboardRefusal.redirect() != null) {
							response.setStatus(HttpStatus.SEE_OTHER.value());
							response.setHeader(HttpHeaders.LOCATION, dashboardRefusal.redirect());
						}
						else {
							errors.render(request, response, HttpStatus.FORBIDDEN, dashboardRefusal.messageKey());
						}
						return;
					}
					if (e instanceof AuthorizationDeniedException refused
							&& refused.getAuthorizationResult() instanceof RecentSignIn.Impersonating) {
						errors.render(request, response, HttpStatus.FORBIDDEN, "error.impersonation");
						return;
					}
					if (e instanceof AuthorizationDeniedException refused && admin.matches(request)
							&& refused.getAuthorizationResult() instanceof RecentSignIn.Required) {
						// A dangerous dashboard action: sign in again, then back to the dashboard.
						response.setStatus(HttpStatus.SEE_OTHER.value());
						response.setHeader(HttpHeaders.LOCATION, PageRoutes.SIGN_IN + "?prompt=login&redirect_url="
								+ java.net.URLEncoder.encode(AdminPageRoutes.OVERVIEW,
										java.nio.charset.StandardCharsets.UTF_8));
						return;
					}
					if (e instanceof AuthorizationDeniedException refused
							&& refused.getAuthorizationResult() instanceof RecentSignIn.Required) {
						String accept = request.getHeader(HttpHeaders.ACCEPT);
						if (accept != null && accept.contains(MediaType.APPLICATION_JSON_VALUE)) {
							errors.render(request, response, HttpStatus.FORBIDDEN, "passkeys.sign_in_again");
							return;
						}
						// Sign in again on the same page, then back to the account page (a form post cannot be replayed).
						response.setStatus(HttpStatus.SEE_OTHER.value());
						response.setHeader(HttpHeaders.LOCATION, PageRoutes.SIGN_IN + "?prompt=login&redirect_url="
								+ java.net.URLEncoder.encode(PageRoutes.ACCOUNT, java.nio.charset.StandardCharsets.UTF_8));
						return;
					}
					errors.render(request, response, HttpStatus.FORBIDDEN, "error.csrf");
				}));
		return http.build();
	}

	/**
	 * SCIM 2.0 provisioning (RFC 7644; docs/federation.md), a chain of its own for {@code /scim/v2/**}: stateless,
	 * no cookies and so no CSRF token, the same security headers as the JSON API, no CORS (identity providers call
	 * it from their servers). The only credential is a connection's SCIM bearer token (RFC 6750 §2.1, RFC 7644 §2),
	 * looked up by its hash ({@link ScimTokens#connectionOf}); an access token of a user is not one. The token is
	 * good for its own connection's paths only, {@code /scim/v2/{thatConnection}/**}: on any other connection's, as
	 * without a token or with an unknown one, the answer is the same 401 with {@code WWW-Authenticate: Bearer}
	 * (RFC 6750 §3), so a token reveals nothing about other connections, not even whether they exist (OWASP API
	 * Security Top 10 2023, API1 "Broken Object Level Authorization"). Refusals are SCIM errors (RFC 7644 §3.12).
	 */
	@Bean
	@Order(1)
	SecurityFilterChain scim(HttpSecurity http, ScimTokens tokens, SecurityHeaders securityHeaders) throws Exception {
		AuthenticationEntryPoint unauthorized = (request, response, e) -> {
			boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented ? "Bearer error=\"invalid_token\"" : "Bearer");
			ScimResponses.write(response, HttpStatus.UNAUTHORIZED.value(), presented
					? "The token is not a valid SCIM token of this connection."
					: "Send the connection's SCIM token as Authorization: Bearer <token>.");
		};
		AccessDeniedHandler otherConnection = (request, response, e) -> unauthorized.commence(request, response,
				null);
		OpaqueTokenIntrospector introspector = token -> tokens.connectionOf(token)
			.map(id -> (OAuth2AuthenticatedPrincipal) new DefaultOAuth2AuthenticatedPrincipal(id,
					java.util.Map.of(SCIM_CONNECTION, id), AuthorityUtils.createAuthorityList(SCIM_AUTHORITY)))
			.orElseThrow(() -> new BadOpaqueTokenException("not a SCIM token of any connection"));
		AuthorizationManager<RequestAuthorizationContext> ownConnection = (authentication, context) -> {
			Authentication auth = authentication.get();
			boolean own = auth != null && auth.getPrincipal() instanceof OAuth2AuthenticatedPrincipal principal
					&& auth.getAuthorities().stream().anyMatch(a -> SCIM_AUTHORITY.equals(a.getAuthority()))
					&& principal.getName().equals(context.getVariables().get("connection"));
			return new AuthorizationDecision(own);
		};
		http.securityMatcher(PathPatternRequestMatcher.pathPattern("/scim/v2/**"))
			.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> { })
			.headers(headers -> headers.contentTypeOptions(options -> options.disable())
				.frameOptions(frame -> frame.disable())
				.httpStrictTransportSecurity(hsts -> hsts.disable())
				.addHeaderWriter(securityHeaders))
			.authorizeHttpRequests(authorize -> authorize
				.requestMatchers(PathPatternRequestMatcher.pathPattern("/scim/v2/{connection}/**"))
				.access(ownConnection)
				.anyRequest().denyAll())
			.oauth2ResourceServer(resource -> resource.opaqueToken(opaque -> opaque.introspector(introspector))
				.bearerTokenResolver(bearer)
				.authenticationEntryPoint(unauthorized)
				.accessDeniedHandler(otherConnection))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized)
				.accessDeniedHandler(otherConnection));
		return http.build();
	}

	/** The authority of a SCIM token's principal, whose name is its connection's id. */
	private static final String SCIM_AUTHORITY = "SCIM_CONNECTION";

	private static final String SCIM_CONNECTION = "connection_id";

	/**
	 * The Backend API ({@code /v1/admin/…}, docs/api.md "Backend API"), a chain of its own ahead of the JSON API's.
	 * Its callers are servers holding a secret API key, never browsers or users:
	 * <ul>
	 * <li>The key is a bearer token in the {@code Authorization} header only (RFC 6750 §2.1; never in the query,
	 * §2.3), checked by {@link ApiKeyAuthentication} on every request against the database, so a revoked key fails
	 * at once on every node. A session's access token (a JWT) is not an API key and is refused 401
	 * {@code invalid_api_key}, so a user's token, an impersonation token included, never reaches the Backend API
	 * (OWASP API Security Top 10 2023, API2 "Broken Authentication"). A missing key is 401 {@code unauthenticated};
	 * both carry {@code WWW-Authenticate: Bearer} (RFC 6750 §3).</li>
	 * <li>Each route needs its scope ({@link #ADMIN_ROUTES}); a key without it gets 403 {@code insufficient_scope}
	 * (RFC 6750 §3.1).</li>
	 * <li>Every authenticated request counts toward the key's rate limit ({@code PLINTO_RATE_LIMIT_ADMIN_API}), 429
	 * {@code rate_limited} with {@code Retry-After} beyond it (OWASP API Security Top 10 2023, API4).</li>
	 * <li>No CORS: a secret key never belongs in a browser (OWASP Secrets Management Cheat Sheet), so no origin is
	 * allowed to call these routes from one. Stateless, no cookies, no CSRF token needed; the security headers of
	 * every answer.</li>
	 * </ul>
	 */
	@Bean
	@Order(2)
	SecurityFilterChain adminApi(HttpSecurity http, ApiKeyAuthentication apiKeys, ProblemRenderer problems,
			SecurityHeaders securityHeaders, RateLimiter rateLimiter) throws Exception {
		String realm = "Bearer realm=\"plinto-admin\"";
		AuthenticationEntryPoint entryPoint = (request, response, e) -> {
			boolean presented = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, presented ? realm + ", error=\"invalid_token\"" : realm);
			problems.write(response, presented ? ErrorCode.INVALID_API_KEY : ErrorCode.UNAUTHENTICATED,
					presented ? "The API key is unknown, revoked or expired, or the token is not an API key (session "
							+ "access tokens are not accepted here)."
							: "Send a secret API key as `Authorization: Bearer sk_live_…`.");
		};
		AccessDeniedHandler denied = (request, response, e) -> {
			String scope = ADMIN_ROUTES.stream()
				.filter(route -> route.matcher().matches(request))
				.findFirst()
				.map(route -> route.scope().wireName())
				.orElse(null);
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, realm + ", error=\"insufficient_scope\""
					+ (scope == null ? "" : ", scope=\"" + scope + "\""));
			problems.write(response, ErrorCode.INSUFFICIENT_SCOPE,
					scope == null ? null : "This endpoint needs an API key with the scope " + scope + ".");
		};
		OncePerRequestFilter perKeyLimit = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(jakarta.servlet.http.HttpServletRequest request,
					jakarta.servlet.http.HttpServletResponse response, jakarta.servlet.FilterChain chain)
					throws jakarta.servlet.ServletException, java.io.IOException {
				var keyId = ApiKeyAuthentication.keyId(SecurityContextHolder.getContext().getAuthentication());
				if (keyId.isPresent()) {
					try {
						rateLimiter.consume(RateLimiter.Limit.ADMIN_API, keyId.get());
					}
					catch (ApiException refused) {
						problems.write(response, refused);
						return;
					}
				}
				chain.doFilter(request, response);
			}
		};
		http.securityMatcher(ADMIN_API)
			.csrf(csrf -> csrf.disable())
			.cors(cors -> cors.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> { })
			.headers(headers -> headers.contentTypeOptions(options -> options.disable())
				.frameOptions(frame -> frame.disable())
				.httpStrictTransportSecurity(hsts -> hsts.disable())
				.addHeaderWriter(securityHeaders))
			.authorizeHttpRequests(authorize -> {
				for (ScopedRoute route : ADMIN_ROUTES) {
					authorize.requestMatchers(route.matcher()).hasAuthority(route.scope().authority());
				}
				authorize.anyRequest().authenticated();
			})
			.oauth2ResourceServer(resource -> resource.opaqueToken(opaque -> opaque.introspector(apiKeys))
				.bearerTokenResolver(bearer)
				.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(denied))
			.addFilterAfter(perKeyLimit, BearerTokenAuthenticationFilter.class)
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(denied));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, ProblemRenderer problems, PlintoSettings settings,
			Clock clock, SecurityHeaders securityHeaders) throws Exception {
		AuthenticationEntryPoint entryPoint = (request, response, e) -> {
			boolean presented = (PROTECTED.matches(request) || OPTIONAL_BEARER.matches(request))
					&& request.getHeader(HttpHeaders.AUTHORIZATION) != null;
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
					presented ? "Bearer error=\"invalid_token\"" : "Bearer");
			problems.write(response, presented ? ErrorCode.INVALID_TOKEN : ErrorCode.UNAUTHENTICATED,
					presented ? "The access token is invalid, expired or its session has ended." : null);
		};
		// The one place that renders a refusal by a route rule (403 problem+json).
		AccessDeniedHandler denied = (request, response, e) -> {
			if (e instanceof AuthorizationDeniedException refused
					&& refused.getAuthorizationResult() instanceof RecentSignIn.Required reauthenticate) {
				problems.write(response, ErrorCode.REAUTHENTICATION_REQUIRED, reauthenticate.detail());
				return;
			}
			if (e instanceof AuthorizationDeniedException refused
					&& refused.getAuthorizationResult() instanceof RecentSignIn.Impersonating) {
				problems.write(response, ErrorCode.FORBIDDEN, RecentSignIn.Impersonating.DETAIL);
				return;
			}
			Authentication auth = SecurityContextHolder.getContext().getAuthentication();
			boolean enrolling = auth != null && auth.getAuthorities().stream()
				.anyMatch(a -> ENROLLMENT_AUTHORITY.equals(a.getAuthority()));
			problems.write(response, enrolling ? ErrorCode.MFA_ENROLLMENT_REQUIRED : ErrorCode.FORBIDDEN,
					enrolling ? "This token only allows enrolling a second factor; enrol one, then sign in again."
							: null);
		};
		AuthorizationManager<RequestAuthorizationContext> signedIn = AuthenticatedAuthorizationManager.authenticated();
		// An enrolment token proves only the password: it may enrol a factor, nothing else (OWASP Multifactor
		// Authentication Cheat Sheet: no access before the second factor), so it is refused even where a bearer
		// token is optional.
		AuthorizationManager<RequestAuthorizationContext> notEnrolling = AuthorizationManagers
			.not(AuthorityAuthorizationManager.hasAuthority(ENROLLMENT_AUTHORITY));
		RecentSignIn recent = new RecentSignIn(clock, settings.mfa().reauthenticationWindow(), ENROLLMENT_AUTHORITY);
		http.csrf(csrf -> csrf.disable())
			.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.securityContext(context -> context.requireExplicitSave(true))
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.anonymous(anonymous -> { })
			.cors(cors -> cors.configurationSource(cors(settings.corsOrigins())))
			// The headers of every answer, from the one definition the answers this chain never sees use too.
			.headers(headers -> headers.contentTypeOptions(options -> options.disable())
				.frameOptions(frame -> frame.disable())
				.httpStrictTransportSecurity(hsts -> hsts.disable())
				.addHeaderWriter(securityHeaders))
			.authorizeHttpRequests(authorize -> authorize
				// First match wins: the enrolment routes that are also sensitive changes, then the rest.
				.requestMatchers(new AndRequestMatcher(ENROLLMENT, RECENT_SIGN_IN))
				.access(AuthorizationManagers.allOf(signedIn, recent))
				.requestMatchers(ENROLLMENT).access(signedIn)
				.requestMatchers(RECENT_SIGN_IN).access(AuthorizationManagers.allOf(signedIn, notEnrolling, recent))
				.requestMatchers(PROTECTED).access(AuthorizationManagers.allOf(signedIn, notEnrolling))
				.requestMatchers(OPTIONAL_BEARER).access(notEnrolling)
				.anyRequest().permitAll())
			.oauth2ResourceServer(resource -> resource.jwt(jwt -> jwt.decoder(decoder))
				.bearerTokenResolver(request -> PROTECTED.matches(request) || OPTIONAL_BEARER.matches(request)
						? bearer.resolve(request) : null)
				.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(denied))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(denied));
		return http.build();
	}

	/**
	 * CORS of the pages: only {@code POST /session/refresh}, only for the origins of {@code PLINTO_REDIRECT_URLS}, with
	 * credentials, so a single-page app on the same site renews the session JWT cookie without a page load
	 * (docs/hosted-pages.md). No other page answers a cross-origin request.
	 */
	private static CorsConfigurationSource refreshCors(List<String> origins) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!origins.isEmpty()) {
			CorsConfiguration config = new CorsConfiguration();
			config.setAllowedOrigins(origins);
			config.setAllowedMethods(List.of("POST"));
			config.setAllowCredentials(true);
			config.setMaxAge(600L);
			source.registerCorsConfiguration(PageRoutes.REFRESH, config);
		}
		return source;
	}

	private static CorsConfigurationSource cors(List<String> origins) {
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!origins.isEmpty()) {
			CorsConfiguration config = new CorsConfiguration();
			config.setAllowedOrigins(origins);
			config.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"));
			config.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "X-Request-Id"));
			config.setExposedHeaders(List.of("X-Request-Id", HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE));
			config.setAllowCredentials(false);
			config.setMaxAge(600L);
			source.registerCorsConfiguration("/**", config);
		}
		return source;
	}

}
