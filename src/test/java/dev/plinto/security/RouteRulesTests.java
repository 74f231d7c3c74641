package dev.plinto.security;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.account.UserRepository;
import dev.plinto.session.SignInService;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route of Plinto and the rule the security filter chain applies to it (docs/security.md, "Who may call
 * what"). A new route fails {@link #routesWhenListedThenEachHasARule} until it is listed here with its rule, and
 * {@link #routesWhenCalledThenTheFilterChainAppliesTheirRule} checks each rule by calling the route without a
 * token, with an MFA enrolment token, with a token of a recent sign-in and with one of an old sign-in.
 */
class RouteRulesTests extends ApiTestSupport {

	/** What a route demands of its caller, enforced by {@code WebSecurityConfiguration}. */
	enum Rule {

		/** Anyone; a bearer token is not even read. */
		PUBLIC,
		/** Anyone; a bearer token that is sent must be valid and not an enrolment token. */
		OPTIONAL_BEARER,
		/** A valid access token; an enrolment token is refused (403 mfa_enrollment_required). */
		BEARER,
		/** {@link #BEARER} and a sign-in within PLINTO_REAUTHENTICATION_WINDOW (403 reauthentication_required). */
		BEARER_RECENT_SIGN_IN,
		/** A valid access token or an enrolment token. */
		ENROLLMENT,
		/** {@link #ENROLLMENT} and a recent sign-in; an enrolment token counts as recent. */
		ENROLLMENT_RECENT_SIGN_IN,
		/**
		 * A hosted page (the pages' filter chain): anyone may read it; a post needs the form's CSRF token (403
		 * without it) and a same-origin {@code Origin}; a bearer token is never read.
		 */
		PAGE,
		/** {@link #PAGE} for a signed-in browser: without its session cookies a read is sent to sign-in (303). */
		PAGE_SIGNED_IN,
		/**
		 * {@link #PAGE_SIGNED_IN} and a sign-in within PLINTO_REAUTHENTICATION_WINDOW: an older one is sent to sign in
		 * again ({@code /sign-in?prompt=login}, checked in {@code pages.AccountMfaPagesTests} and
		 * {@code pages.PasskeyPagesTests}).
		 */
		PAGE_RECENT_SIGN_IN,
		/** The browser session's refresh: the refresh cookie instead of a CSRF token (401 without it). */
		PAGE_REFRESH,
		/**
		 * SCIM provisioning (its own filter chain): only the SCIM token of the connection in the path; without it,
		 * and with any access or enrolment token, 401 in the SCIM error form. The token's own connection and other
		 * connections are checked in {@code scim.ScimTenancyTests}.
		 */
		SCIM_TOKEN,
		/**
		 * The Backend API: a secret API key with the route's scope (every route against its documented scope in
		 * {@code admin.AdminScopesTests});
		 * no token is 401 {@code unauthenticated}, a session's access token or an enrolment token 401
		 * {@code invalid_api_key}.
		 */
		API_KEY,
		/**
		 * An identity provider's form-post callback (docs/federation.md): a cross-site post without CSRF token or
		 * session cookies, protected by the flow's single-use state and binding cookie; without them, 400.
		 */
		SSO_FORM_POST,
		/**
		 * A page of the admin dashboard: {@link #PAGE_SIGNED_IN} with an instance role and a second factor
		 * ({@code admin.DashboardAccess}); without a role 403, support may only read (checked in
		 * {@code admin.DashboardAccessTests}).
		 */
		ADMIN_PAGE,
		/** {@link #ADMIN_PAGE} and a recent sign-in (checked in {@code admin.DashboardAccessTests}). */
		ADMIN_PAGE_RECENT_SIGN_IN
	}

	/** Every route, as "METHOD /path" ("ANY" for a mapping without a method), with its rule. */
	private static final Map<String, Rule> ROUTES = Map.ofEntries(
			// operations and key discovery
			entry("GET /", Rule.PUBLIC), entry("GET /health", Rule.PUBLIC), entry("GET /health/ready", Rule.PUBLIC),
			entry("GET /health/db", Rule.PUBLIC), entry("GET /health/redis", Rule.PUBLIC),
			entry("GET /health/backup", Rule.PUBLIC), entry("GET /.well-known/jwks.json", Rule.PUBLIC),
			entry("ANY /error", Rule.PUBLIC),
			// sign-up, sign-in, refresh, email links and their pages
			entry("POST /v1/sign-up", Rule.PUBLIC), entry("POST /v1/sign-in", Rule.PUBLIC),
			entry("POST /v1/sign-in/mfa", Rule.PUBLIC), entry("POST /v1/sign-in/passkey/options", Rule.PUBLIC),
			entry("POST /v1/sign-in/passkey", Rule.PUBLIC), entry("POST /v1/token/refresh", Rule.PUBLIC),
			entry("POST /v1/sign-in/email-code", Rule.PUBLIC), entry("POST /v1/sign-in/email-code/verify", Rule.PUBLIC),
			entry("POST /v1/sign-in/email-link", Rule.PUBLIC),
			entry("POST /v1/email-verification", Rule.PUBLIC),
			entry("POST /v1/email-verification/confirm", Rule.PUBLIC), entry("POST /v1/password-reset", Rule.PUBLIC),
			entry("POST /v1/password-reset/confirm", Rule.PUBLIC), entry("GET /verify-email", Rule.PAGE),
			entry("POST /verify-email", Rule.PAGE), entry("GET /reset-password", Rule.PAGE),
			entry("POST /reset-password", Rule.PAGE), entry("POST /verify-email/new-link", Rule.PAGE),
			entry("POST /reset-password/new-link", Rule.PAGE), entry("GET /accept-invitation", Rule.PAGE),
			entry("POST /accept-invitation", Rule.PAGE),
			entry("POST /v1/invitations/accept", Rule.OPTIONAL_BEARER),
			// the account and its sessions
			entry("GET /v1/me", Rule.ENROLLMENT), entry("PATCH /v1/me", Rule.BEARER),
			entry("POST /v1/me/password", Rule.BEARER), entry("POST /v1/sign-out", Rule.BEARER),
			entry("DELETE /v1/me", Rule.BEARER), entry("POST /v1/me/email", Rule.BEARER),
			entry("GET /v1/me/sessions", Rule.BEARER), entry("DELETE /v1/me/sessions", Rule.BEARER),
			entry("DELETE /v1/me/sessions/{id}", Rule.BEARER), entry("GET /v1/me/security-events", Rule.BEARER),
			entry("GET /v1/me/export", Rule.BEARER_RECENT_SIGN_IN),
			// second factors
			entry("GET /v1/me/mfa", Rule.ENROLLMENT), entry("POST /v1/me/mfa/totp", Rule.ENROLLMENT_RECENT_SIGN_IN),
			entry("POST /v1/me/mfa/totp/confirm", Rule.ENROLLMENT), entry("DELETE /v1/me/mfa/totp", Rule.BEARER),
			entry("POST /v1/me/mfa/recovery-codes", Rule.BEARER_RECENT_SIGN_IN),
			entry("POST /v1/me/passkeys/options", Rule.ENROLLMENT_RECENT_SIGN_IN),
			entry("POST /v1/me/passkeys", Rule.ENROLLMENT_RECENT_SIGN_IN), entry("GET /v1/me/passkeys", Rule.ENROLLMENT),
			entry("PATCH /v1/me/passkeys/{id}", Rule.BEARER),
			entry("DELETE /v1/me/passkeys/{id}", Rule.BEARER_RECENT_SIGN_IN),
			// organizations
			entry("POST /v1/me/active-organization", Rule.BEARER), entry("POST /v1/organizations", Rule.BEARER),
			entry("GET /v1/organizations", Rule.BEARER), entry("GET /v1/organizations/{id}", Rule.BEARER),
			entry("PATCH /v1/organizations/{id}", Rule.BEARER), entry("DELETE /v1/organizations/{id}", Rule.BEARER),
			entry("GET /v1/organizations/{id}/members", Rule.BEARER),
			entry("PATCH /v1/organizations/{id}/members/{user_id}", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/members/{user_id}", Rule.BEARER),
			entry("POST /v1/organizations/{id}/leave", Rule.BEARER),
			entry("GET /v1/organizations/{id}/roles", Rule.BEARER),
			entry("POST /v1/organizations/{id}/roles", Rule.BEARER),
			entry("PATCH /v1/organizations/{id}/roles/{key}", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/roles/{key}", Rule.BEARER),
			entry("GET /v1/organizations/{id}/invitations", Rule.BEARER),
			entry("POST /v1/organizations/{id}/invitations", Rule.BEARER),
			entry("POST /v1/organizations/{id}/invitations/{invitation_id}/resend", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/invitations/{invitation_id}", Rule.BEARER),
			// enterprise connections, email domains and sign-in discovery (docs/federation.md)
			entry("POST /v1/organizations/{id}/connections", Rule.BEARER),
			entry("GET /v1/organizations/{id}/connections", Rule.BEARER),
			entry("GET /v1/organizations/{id}/connections/{connection_id}", Rule.BEARER),
			entry("PATCH /v1/organizations/{id}/connections/{connection_id}", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/connections/{connection_id}", Rule.BEARER),
			entry("POST /v1/organizations/{id}/domains", Rule.BEARER),
			entry("GET /v1/organizations/{id}/domains", Rule.BEARER),
			entry("GET /v1/organizations/{id}/domains/{domain}", Rule.BEARER),
			entry("PUT /v1/organizations/{id}/domains/{domain}", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/domains/{domain}", Rule.BEARER),
			entry("POST /v1/organizations/{id}/domains/{domain}/verify", Rule.BEARER),
			entry("POST /v1/sign-in/discover", Rule.PUBLIC),
			entry("GET /v1/me/invitations", Rule.BEARER), entry("POST /v1/me/invitations/{id}/accept", Rule.BEARER),
			entry("POST /v1/me/invitations/{id}/decline", Rule.BEARER),
			entry("POST /v1/organizations/{id}/connections/{connection_id}/scim-token", Rule.BEARER),
			entry("DELETE /v1/organizations/{id}/connections/{connection_id}/scim-token", Rule.BEARER),
			// SCIM provisioning (docs/federation.md)
			entry("GET /scim/v2/{connection}/ServiceProviderConfig", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/ResourceTypes", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/ResourceTypes/{name}", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Schemas", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Schemas/{id}", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Users", Rule.SCIM_TOKEN),
			entry("POST /scim/v2/{connection}/Users", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Users/{id}", Rule.SCIM_TOKEN),
			entry("PUT /scim/v2/{connection}/Users/{id}", Rule.SCIM_TOKEN),
			entry("PATCH /scim/v2/{connection}/Users/{id}", Rule.SCIM_TOKEN),
			entry("DELETE /scim/v2/{connection}/Users/{id}", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Groups", Rule.SCIM_TOKEN),
			entry("POST /scim/v2/{connection}/Groups", Rule.SCIM_TOKEN),
			entry("GET /scim/v2/{connection}/Groups/{id}", Rule.SCIM_TOKEN),
			entry("PUT /scim/v2/{connection}/Groups/{id}", Rule.SCIM_TOKEN),
			entry("PATCH /scim/v2/{connection}/Groups/{id}", Rule.SCIM_TOKEN),
			entry("DELETE /scim/v2/{connection}/Groups/{id}", Rule.SCIM_TOKEN),
			// the Backend API (docs/api.md, "Backend API")
			entry("GET /v1/admin/users", Rule.API_KEY), entry("POST /v1/admin/users", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}", Rule.API_KEY), entry("PATCH /v1/admin/users/{id}", Rule.API_KEY),
			entry("DELETE /v1/admin/users/{id}", Rule.API_KEY), entry("POST /v1/admin/users/{id}/ban", Rule.API_KEY),
			entry("POST /v1/admin/users/{id}/unban", Rule.API_KEY),
			entry("POST /v1/admin/users/{id}/lock", Rule.API_KEY),
			entry("POST /v1/admin/users/{id}/unlock", Rule.API_KEY),
			entry("POST /v1/admin/users/{id}/mfa/reset", Rule.API_KEY),
			entry("POST /v1/admin/users/{id}/impersonate", Rule.API_KEY),
			entry("GET /v1/admin/settings", Rule.API_KEY), entry("PATCH /v1/admin/settings", Rule.API_KEY),
			entry("GET /v1/admin/webhooks", Rule.API_KEY), entry("POST /v1/admin/webhooks", Rule.API_KEY),
			entry("GET /v1/admin/webhooks/{id}", Rule.API_KEY), entry("PATCH /v1/admin/webhooks/{id}", Rule.API_KEY),
			entry("DELETE /v1/admin/webhooks/{id}", Rule.API_KEY),
			entry("GET /v1/admin/webhooks/{id}/deliveries", Rule.API_KEY),
			entry("POST /v1/admin/webhooks/{id}/rotate-secret", Rule.API_KEY),
			entry("POST /v1/admin/webhooks/{id}/replay", Rule.API_KEY),
			entry("POST /v1/admin/webhooks/{id}/replay-failed", Rule.API_KEY),
			entry("GET /v1/admin/organizations", Rule.API_KEY), entry("GET /v1/admin/organizations/{id}", Rule.API_KEY),
			entry("PATCH /v1/admin/organizations/{id}", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/members", Rule.API_KEY),
			entry("POST /v1/admin/organizations", Rule.API_KEY), entry("DELETE /v1/admin/organizations/{id}", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/members", Rule.API_KEY),
			entry("PATCH /v1/admin/organizations/{id}/members/{user_id}", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/members/{user_id}", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/invitations", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/invitations", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/invitations/{invitation_id}", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/invitations/{invitation_id}/resend", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/roles", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/roles", Rule.API_KEY),
			entry("PATCH /v1/admin/organizations/{id}/roles/{key}", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/roles/{key}", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/connections", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/connections", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/connections/{connection_id}", Rule.API_KEY),
			entry("PATCH /v1/admin/organizations/{id}/connections/{connection_id}", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/connections/{connection_id}", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/connections/{connection_id}/scim-token", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/connections/{connection_id}/scim-token", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/domains", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/domains", Rule.API_KEY),
			entry("GET /v1/admin/organizations/{id}/domains/{domain}", Rule.API_KEY),
			entry("PUT /v1/admin/organizations/{id}/domains/{domain}", Rule.API_KEY),
			entry("DELETE /v1/admin/organizations/{id}/domains/{domain}", Rule.API_KEY),
			entry("POST /v1/admin/organizations/{id}/domains/{domain}/verify", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}/sessions", Rule.API_KEY),
			entry("DELETE /v1/admin/users/{id}/sessions", Rule.API_KEY),
			entry("DELETE /v1/admin/sessions/{id}", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}/identities", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}/export", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}/organizations", Rule.API_KEY),
			entry("GET /v1/admin/users/{id}/security-events", Rule.API_KEY),
			entry("GET /v1/admin/keys", Rule.API_KEY), entry("POST /v1/admin/keys/rotate", Rule.API_KEY),
			entry("POST /v1/admin/keys/{kid}/withdraw", Rule.API_KEY), entry("GET /v1/admin/audit", Rule.API_KEY),
			entry("GET /v1/admin/audit/export", Rule.API_KEY), entry("GET /v1/admin/stats", Rule.API_KEY),
			entry("GET /v1/admin/capacity", Rule.API_KEY),
			entry("GET /v1/admin/clients", Rule.API_KEY), entry("POST /v1/admin/clients", Rule.API_KEY),
			entry("GET /v1/admin/clients/{id}", Rule.API_KEY), entry("PATCH /v1/admin/clients/{id}", Rule.API_KEY),
			entry("DELETE /v1/admin/clients/{id}", Rule.API_KEY),
			entry("POST /v1/admin/clients/{id}/rotate-secret", Rule.API_KEY),
			// hosted pages (docs/hosted-pages.md)
			entry("GET /sign-in", Rule.PAGE), entry("POST /sign-in", Rule.PAGE),
			entry("POST /sign-in/factor", Rule.PAGE), entry("POST /sign-in/enroll", Rule.PAGE),
			entry("GET /sign-in/forgot-password", Rule.PAGE),
			entry("POST /sign-in/email-code", Rule.PAGE), entry("POST /sign-in/email-code/verify", Rule.PAGE),
			entry("POST /sign-in/email-link", Rule.PAGE), entry("GET /sign-in/email-link", Rule.PAGE),
			entry("POST /sign-in/email-link/confirm", Rule.PAGE), entry("GET /sign-in/email-code", Rule.PAGE),
			entry("GET /sign-in/email-code/verify", Rule.PAGE), entry("GET /sign-in/email-link/confirm", Rule.PAGE),
			entry("POST /sign-in/forgot-password", Rule.PAGE), entry("GET /sign-up", Rule.PAGE),
			entry("POST /sign-up", Rule.PAGE), entry("GET /sign-out", Rule.PAGE), entry("POST /sign-out", Rule.PAGE),
			entry("GET /assets/{name}", Rule.PAGE), entry("POST /session/refresh", Rule.PAGE_REFRESH),
			entry("GET /account", Rule.PAGE_SIGNED_IN), entry("POST /account/name", Rule.PAGE_SIGNED_IN),
			entry("POST /account/password", Rule.PAGE_SIGNED_IN),
			entry("POST /account/sessions/revoke", Rule.PAGE_SIGNED_IN),
			entry("POST /account/totp", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /account/totp/confirm", Rule.PAGE_SIGNED_IN),
			entry("POST /account/totp/remove", Rule.PAGE_SIGNED_IN),
			entry("POST /account/recovery-codes", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /account/recovery-codes/download", Rule.PAGE_SIGNED_IN),
			// passkeys on the hosted pages
			entry("POST /sign-in/passkey/options", Rule.PAGE), entry("POST /sign-in/passkey", Rule.PAGE),
			entry("POST /sign-in/factor/passkey", Rule.PAGE),
			entry("POST /account/passkeys/options", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /account/passkeys", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /account/passkeys/rename", Rule.PAGE_SIGNED_IN),
			entry("POST /account/passkeys/remove", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /account/organizations", Rule.PAGE_SIGNED_IN),
			entry("POST /account/organizations/active", Rule.PAGE_SIGNED_IN),
			entry("POST /account/organizations/leave", Rule.PAGE_SIGNED_IN),
			entry("POST /account/invitations/accept", Rule.PAGE_SIGNED_IN),
			entry("POST /account/invitations/decline", Rule.PAGE_SIGNED_IN),
			entry("POST /account/email", Rule.PAGE_SIGNED_IN), entry("POST /account/delete", Rule.PAGE_SIGNED_IN),
			entry("POST /account/apps/revoke", Rule.PAGE_SIGNED_IN),
			// sign-in through identity providers (docs/federation.md) and its JSON API
			entry("GET /sso/{provider}/start", Rule.PAGE), entry("GET /sso/connections/{connectionId}/start", Rule.PAGE),
			entry("GET /sso/{provider}/callback", Rule.PAGE),
			entry("GET /sso/connections/{connectionId}/callback", Rule.PAGE),
			entry("POST /sso/{provider}/callback", Rule.SSO_FORM_POST),
			entry("GET /sso/{provider}/link", Rule.PAGE_RECENT_SIGN_IN),
			entry("POST /sso/identities/{identityId}/unlink", Rule.PAGE_SIGNED_IN),
			entry("GET /v1/sign-in/oauth/providers", Rule.PUBLIC), entry("POST /v1/sign-in/oauth", Rule.PUBLIC),
			entry("POST /v1/sign-in/oauth/complete", Rule.PUBLIC), entry("GET /v1/me/identities", Rule.BEARER),
			entry("DELETE /v1/me/identities/{id}", Rule.BEARER_RECENT_SIGN_IN),
			// dynamic client registration (404 unless PLINTO_OIDC_REGISTRATION=true); its initial access token is
			// checked by the endpoint itself, tested in oidc.ClientAuthenticationTests
			entry("POST /oauth2/register", Rule.PUBLIC),
			// the OpenID provider's consent page; its protocol endpoints are filters of the provider's own chain
			// (WebSecurityConfiguration.openIdProvider), tested in oidc.OidcProviderTests
			entry("GET /oauth2/consent", Rule.PAGE_SIGNED_IN),
			// the device authorization grant's "enter the code" page; it posts to the provider's own endpoint
			entry("GET /device", Rule.PAGE_SIGNED_IN),
			// the SAML 2.0 service provider of enterprise connections (docs/federation.md): metadata and start are
			// pages; the ACS is an identity provider's cross-site form post, without CSRF token (the signed,
			// browser-bound response protects it) and without bearer token; tested in
			// federation.SamlServiceProviderTests
			entry("GET /saml/{connectionId}/metadata", Rule.PAGE), entry("GET /saml/{connectionId}/start", Rule.PAGE),
			entry("POST /saml/{connectionId}/acs", Rule.PUBLIC),
			// the admin dashboard (docs/admin.md); its bootstrap page needs only a signed-in browser
			entry("GET /admin", Rule.ADMIN_PAGE), entry("GET /admin/users", Rule.ADMIN_PAGE),
			entry("POST /admin/users", Rule.ADMIN_PAGE),
			entry("GET /admin/users/{id}", Rule.ADMIN_PAGE), entry("POST /admin/users/{id}/ban", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/unban", Rule.ADMIN_PAGE), entry("POST /admin/users/{id}/lock", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/unlock", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/sessions/revoke", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/mfa/reset", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/metadata", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/name", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/email", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/users/{id}/sessions/{sessionId}/revoke", Rule.ADMIN_PAGE),
			entry("POST /admin/users/{id}/delete", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/users/{id}/impersonate", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("GET /admin/organizations", Rule.ADMIN_PAGE), entry("GET /admin/organizations/{id}", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/edit", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/members", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/invitations", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/members/{userId}/role", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/members/{userId}/remove", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/invitations/{invitationId}/revoke", Rule.ADMIN_PAGE),
			entry("POST /admin/organizations/{id}/delete", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("GET /admin/system", Rule.ADMIN_PAGE), entry("GET /admin/keys", Rule.ADMIN_PAGE),
			entry("POST /admin/keys/rotate", Rule.ADMIN_PAGE),
			entry("GET /admin/settings", Rule.ADMIN_PAGE), entry("POST /admin/settings", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/keys/withdraw", Rule.ADMIN_PAGE_RECENT_SIGN_IN), entry("GET /admin/audit", Rule.ADMIN_PAGE),
			entry("GET /admin/webhooks", Rule.ADMIN_PAGE), entry("GET /admin/webhooks/{id}", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks/{id}/enable", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks/{id}/disable", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks", Rule.ADMIN_PAGE), entry("POST /admin/webhooks/{id}/update", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks/{id}/replay", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks/{id}/replay-failed", Rule.ADMIN_PAGE),
			entry("POST /admin/webhooks/{id}/rotate-secret", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/webhooks/{id}/delete", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("GET /admin/api-keys", Rule.ADMIN_PAGE), entry("POST /admin/api-keys", Rule.ADMIN_PAGE),
			entry("POST /admin/api-keys/{id}/rotate", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/api-keys/{id}/revoke", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("GET /admin/clients", Rule.ADMIN_PAGE), entry("POST /admin/clients", Rule.ADMIN_PAGE),
			entry("GET /admin/clients/new", Rule.ADMIN_PAGE), entry("GET /admin/clients/{id}", Rule.ADMIN_PAGE),
			entry("POST /admin/clients/{id}/update", Rule.ADMIN_PAGE),
			entry("POST /admin/clients/{id}/rotate-secret", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("POST /admin/clients/{id}/delete", Rule.ADMIN_PAGE_RECENT_SIGN_IN),
			entry("GET /admin/bootstrap", Rule.PAGE_SIGNED_IN), entry("POST /admin/bootstrap", Rule.PAGE_SIGNED_IN));

	/** The codes a route rule answers with; a route that lets a caller through answers none of them. */
	private static final Set<String> RULE_CODES = Set.of("unauthenticated", "invalid_token", "mfa_enrollment_required",
			"reauthentication_required", "invalid_api_key", "insufficient_scope");

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	@Autowired
	private SignInService signIn;

	@Autowired
	private UserRepository users;

	@Test
	void routesWhenListedThenEachHasARule() {
		assertThat(routes().keySet()).as("the routes of Plinto's controllers, each listed in ROUTES with its rule")
			.containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
	}

	@Test
	void routesWhenCalledThenTheFilterChainAppliesTheirRule() {
		Map<String, String> routes = routes();
		Instant start = clock.instant();
		SoftAssertions softly = new SoftAssertions();
		ROUTES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(route -> {
			clock.set(start);
			String contentType = routes.getOrDefault(route.getKey(), MediaType.APPLICATION_JSON_VALUE);
			ApiClient.Response signedUp = signUp(newEmail());
			ApiClient.Response none = call(route.getKey(), contentType, null);
			ApiClient.Response enrolling = call(route.getKey(), contentType, enrollmentToken(signedUp));
			// Only where the rule needs it: with the same session, signing out would end the old sign-in too.
			boolean recentRule = route.getValue() == Rule.BEARER_RECENT_SIGN_IN
					|| route.getValue() == Rule.ENROLLMENT_RECENT_SIGN_IN;
			ApiClient.Response fresh = recentRule ? call(route.getKey(), contentType, signedUp.text("access_token"))
					: null;
			ApiClient.Response old = call(route.getKey(), contentType, signedInLongAgo(signedUp));
			String as = route.getKey() + " (" + route.getValue() + ")";
			switch (route.getValue()) {
				case PUBLIC -> {
					allowed(softly, as + " without a token", none);
					allowed(softly, as + " with an enrolment token", enrolling);
					allowed(softly, as + " with an old sign-in", old);
				}
				case OPTIONAL_BEARER -> {
					allowed(softly, as + " without a token", none);
					refused(softly, as + " with an enrolment token", enrolling, 403, "mfa_enrollment_required");
					allowed(softly, as + " with an old sign-in", old);
				}
				case BEARER -> {
					refused(softly, as + " without a token", none, 401, "unauthenticated");
					refused(softly, as + " with an enrolment token", enrolling, 403, "mfa_enrollment_required");
					allowed(softly, as + " with an old sign-in", old);
				}
				case BEARER_RECENT_SIGN_IN -> {
					refused(softly, as + " without a token", none, 401, "unauthenticated");
					refused(softly, as + " with an enrolment token", enrolling, 403, "mfa_enrollment_required");
					allowed(softly, as + " with a recent sign-in", fresh);
					refused(softly, as + " with an old sign-in", old, 403, "reauthentication_required");
				}
				case ENROLLMENT -> {
					refused(softly, as + " without a token", none, 401, "unauthenticated");
					allowed(softly, as + " with an enrolment token", enrolling);
					allowed(softly, as + " with an old sign-in", old);
				}
				case ENROLLMENT_RECENT_SIGN_IN -> {
					refused(softly, as + " without a token", none, 401, "unauthenticated");
					allowed(softly, as + " with an enrolment token", enrolling);
					allowed(softly, as + " with a recent sign-in", fresh);
					refused(softly, as + " with an old sign-in", old, 403, "reauthentication_required");
				}
				case PAGE, PAGE_SIGNED_IN, PAGE_RECENT_SIGN_IN, ADMIN_PAGE, ADMIN_PAGE_RECENT_SIGN_IN -> {
					boolean read = route.getKey().startsWith("GET ");
					for (ApiClient.Response r : new ApiClient.Response[] { none, old }) {
						if (!read) {
							softly.assertThat(r.status()).as(as + " posted without a CSRF token: " + r).isEqualTo(403);
							softly.assertThat(r.raw()).as(as + ": the error page").contains("This form has expired");
						}
						else if (route.getValue() != Rule.PAGE) {
							softly.assertThat(r.status()).as(as + " without session cookies: " + r).isEqualTo(303);
							softly.assertThat(r.header("Location")).as(as).startsWith("/sign-in?redirect_url=");
						}
						else {
							softly.assertThat(r.status()).as(as + ": " + r).isIn(200, 400, 404);
						}
					}
				}
				case SCIM_TOKEN -> {
					for (ApiClient.Response r : new ApiClient.Response[] { none, enrolling, old }) {
						softly.assertThat(r.status()).as(as + ": " + r).isEqualTo(401);
						softly.assertThat(r.header("Content-Type")).as(as).startsWith("application/scim+json");
						softly.assertThat(r.header("WWW-Authenticate")).as(as).startsWith("Bearer");
					}
				}
				case API_KEY -> {
					refused(softly, as + " without a token", none, 401, "unauthenticated");
					refused(softly, as + " with an enrolment token", enrolling, 401, "invalid_api_key");
					refused(softly, as + " with a session's access token", old, 401, "invalid_api_key");
				}
				case SSO_FORM_POST -> {
					for (ApiClient.Response r : new ApiClient.Response[] { none, old }) {
						softly.assertThat(r.status()).as(as + " without a flow's state: " + r).isEqualTo(400);
						softly.assertThat(r.raw()).as(as + ": the sign-in error page").contains("Start again");
					}
				}
				case PAGE_REFRESH -> {
					softly.assertThat(none.status()).as(as + " without the refresh cookie: " + none).isEqualTo(401);
					softly.assertThat(old.status()).as(as + " with a bearer token only: " + old).isEqualTo(401);
				}
			}
		});
		softly.assertAll();
	}

	/** An enrolment token of the user, as PLINTO_MFA=required hands out after the password step. */
	private String enrollmentToken(ApiClient.Response signedUp) {
		return signIn.startEnrollment(users.findById(signedUp.json().get("user").get("id").asString()).orElseThrow(),
				ClientInfo.none()).enrollmentToken();
	}

	/**
	 * A valid access token of a sign-in older than the 15-minute window: the clock moves on and the session is
	 * refreshed, which keeps its {@code auth_time}. Each route gets a new user, so that what one route does (signing
	 * out, revoking the other sessions) cannot change another's answer.
	 */
	private String signedInLongAgo(ApiClient.Response signedUp) {
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", signedUp.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		return refreshed.text("access_token");
	}

	/** Calls a route with an empty body of its content type and unknown ids in its path. */
	private ApiClient.Response call(String route, String contentType, String bearer) {
		String[] methodAndPath = route.split(" ", 2);
		String method = methodAndPath[0].equals("ANY") ? "GET" : methodAndPath[0];
		String path = methodAndPath[1].replaceAll("\\{[^}]+}", "unknown");
		HttpRequest.Builder request = api.request(path, bearer);
		if (method.equals("GET")) {
			request.GET();
		}
		else {
			String body = contentType.equals(MediaType.APPLICATION_JSON_VALUE) ? "{}" : "";
			request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
		}
		return api.send(request.build());
	}

	private static void allowed(SoftAssertions softly, String as, ApiClient.Response r) {
		softly.assertThat(r.status()).as(as + ": " + r).isNotEqualTo(401);
		softly.assertThat(r.code()).as(as + ": " + r).isNotIn(RULE_CODES);
	}

	private static void refused(SoftAssertions softly, String as, ApiClient.Response r, int status, String code) {
		softly.assertThat(r.status()).as(as + ": " + r).isEqualTo(status);
		softly.assertThat(r.code()).as(as + ": " + r).isEqualTo(code);
	}

	/** The routes of Plinto's own controllers as "METHOD /path", each with the content type its body takes. */
	private Map<String, String> routes() {
		Map<String, String> routes = new TreeMap<>();
		mappings.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod handler) -> {
			if (!handler.getBeanType().getPackageName().startsWith("dev.plinto")) {
				return;
			}
			Set<String> methods = new TreeSet<>();
			info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
			if (methods.isEmpty()) {
				methods.add("ANY");
			}
			String contentType = info.getConsumesCondition().getConsumableMediaTypes().stream()
				.findFirst()
				.map(MediaType::toString)
				.orElse(MediaType.APPLICATION_JSON_VALUE);
			for (String path : info.getPatternValues()) {
				for (String method : methods) {
					routes.put(method + " " + path, contentType);
				}
			}
		});
		return routes;
	}
}
