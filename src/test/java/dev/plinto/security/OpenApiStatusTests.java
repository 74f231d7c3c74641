package dev.plinto.security;

import dev.plinto.federation.MockIdentityProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.mfa.SoftwareAuthenticator;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document tells the truth about success: each operation of {@code /openapi.json} is called once on
 * its happy path, and the status the server answers must be one of the 2xx statuses the document declares for it.
 * An operation without a call in {@link #CALLS} fails the test, so a new endpoint gets its call here.
 */
class OpenApiStatusTests extends ApiTestSupport implements WithMailCatcher {

	private static final String ORIGIN = "http://localhost:8080";

	@org.springframework.beans.factory.annotation.Autowired
	dev.plinto.org.OrganizationDomains domains;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_OAUTH_PROVIDERS", () -> "mock");
		registry.add("PLINTO_OAUTH_MOCK_ISSUER", () -> MockIdentityProvider.SERVER.issuerUrl("openapi").toString());
		registry.add("PLINTO_OAUTH_MOCK_CLIENT_ID", () -> "plinto-openapi");
		registry.add("PLINTO_OAUTH_MOCK_CLIENT_SECRET", () -> "openapi-secret");
		registry.add("PLINTO_REDIRECT_URLS", () -> "https://app.example.com/");
	}

	@Autowired
	dev.plinto.federation.FederatedSignIn federated;

	/** One happy-path call per operation, as "METHOD /path" of the OpenAPI document. */
	private static final Map<String, Function<OpenApiStatusTests, ApiClient.Response>> CALLS = Map.ofEntries(
			// operations and key discovery
			entry("GET /health", t -> t.api.get("/health")), entry("GET /health/ready", t -> t.api.get("/health/ready")),
			entry("GET /health/db", t -> t.api.get("/health/db")),
			entry("GET /health/redis", t -> t.api.get("/health/redis")),
			entry("GET /health/backup", t -> t.api.get("/health/backup")),
			entry("GET /.well-known/jwks.json", t -> t.api.get("/.well-known/jwks.json")),
			// sign-up, sign-in, tokens, email links
			entry("POST /v1/sign-up", t -> t.api.post("/v1/sign-up", t.example("SignUpRequest"))),
			entry("POST /v1/sign-in", t -> {
				String email = t.verified().email();
				return t.api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
			}),
			entry("POST /v1/sign-in/mfa", t -> {
				Person p = t.verified();
				MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(t.api, p.token(), t.clock.instant());
				t.clock.advance(Duration.ofSeconds(30));
				String mfaToken = t.signIn(p.email(), PASSWORD).text("mfa_token");
				return t.api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", mfaToken, "factor", "totp", "code",
						MfaSteps.code(enrolled.secret(), t.clock.instant())));
			}),
			entry("POST /v1/sign-in/passkey/options", t -> t.api.post("/v1/sign-in/passkey/options", Map.of())),
			entry("POST /v1/sign-in/passkey", t -> {
				SoftwareAuthenticator passkey = t.passkey(t.verified());
				JsonNode options = t.api.post("/v1/sign-in/passkey/options", Map.of()).json();
				return t.api.post("/v1/sign-in/passkey", Map.of("credential", passkey.get(options)));
			}),
			entry("POST /v1/sign-in/email-code", t -> {
				String email = newEmail();
				t.signUp(email);
				return t.api.post("/v1/sign-in/email-code", Map.of("email", email));
			}),
			entry("POST /v1/sign-in/email-code/verify", t -> {
				String email = newEmail();
				t.signUp(email);
				String flowId = t.api.post("/v1/sign-in/email-code", Map.of("email", email)).text("flow_id");
				return t.api.post("/v1/sign-in/email-code/verify",
						Map.of("flow_id", flowId, "code", MailCatcher.code(MAIL.awaitMessage(email, 2))));
			}),
			// sign-in through an identity provider: the mock provider of the test run
			entry("GET /v1/sign-in/oauth/providers", t -> t.api.get("/v1/sign-in/oauth/providers")),
			entry("POST /v1/sign-in/oauth", t -> t.api.post("/v1/sign-in/oauth",
					ApiClient.map("provider", "mock", "redirect_url", "https://app.example.com/cb"))),
			entry("POST /v1/sign-in/oauth/complete", t -> MockIdentityProvider.completeForApp(t.api, "mock", "openapi",
					"plinto-openapi", java.util.UUID.randomUUID().toString(), newEmail())),
			entry("GET /v1/me/identities", t -> t.api.get("/v1/me/identities", t.verified().token())),
			entry("DELETE /v1/me/identities/{id}", t -> {
				Person p = t.verified();
				String id = t.federated.link(p.id(), dev.plinto.federation.ExternalIdentity.social("mock",
						java.util.UUID.randomUUID().toString(), p.email(), true, null, Map.of()),
						dev.plinto.web.ClientInfo.none()).id();
				return t.api.delete("/v1/me/identities/" + id, p.token());
			}),
			entry("POST /v1/sign-in/email-link", t -> t.api.post("/v1/sign-in/email-link",
					Map.of("email", t.verified().email()))),
			entry("POST /v1/token/refresh", t -> t.refresh(t.verified().refreshToken())),
			entry("POST /v1/sign-out", t -> t.api.post("/v1/sign-out", "", t.verified().token())),
			entry("POST /v1/email-verification", t -> {
				ApiClient.Response signedUp = t.signUp(newEmail());
				return t.api.post("/v1/email-verification",
						Map.of("email", signedUp.json().get("user").get("email").asString()));
			}),
			entry("POST /v1/email-verification/confirm", t -> {
				String email = newEmail();
				t.signUp(email);
				return t.api.post("/v1/email-verification/confirm",
						Map.of("token", MailCatcher.token(MAIL.awaitMessage(email, 1))));
			}),
			entry("POST /v1/password-reset", t -> t.api.post("/v1/password-reset",
					Map.of("email", t.verified().email()))),
			entry("POST /v1/password-reset/confirm", t -> {
				Person p = t.verified();
				t.api.post("/v1/password-reset", Map.of("email", p.email()));
				return t.api.post("/v1/password-reset/confirm", Map.of("token",
						MailCatcher.token(MAIL.awaitMessage(p.email(), 2)), "new_password", "amber lantern meadow 7"));
			}),
			// the account and its sessions
			entry("GET /v1/me", t -> t.api.get("/v1/me", t.verified().token())),
			entry("PATCH /v1/me", t -> t.api.patch("/v1/me", Map.of("name", "Ada"), t.verified().token())),
			entry("POST /v1/me/password", t -> t.api.post("/v1/me/password", Map.of("current_password", PASSWORD,
					"new_password", "amber lantern meadow 7"), t.verified().token())),
			entry("POST /v1/me/email", t -> t.api.post("/v1/me/email", Map.of("email", newEmail(), "password",
					PASSWORD), t.verified().token())),
			entry("DELETE /v1/me", t -> t.api.send(t.api.request("/v1/me", t.verified().token())
				.header("Content-Type", "application/json")
				.method("DELETE", HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}"))
				.build())),
			entry("GET /v1/me/sessions", t -> t.api.get("/v1/me/sessions", t.verified().token())),
			entry("DELETE /v1/me/sessions", t -> t.api.delete("/v1/me/sessions", t.verified().token())),
			entry("DELETE /v1/me/sessions/{id}", t -> {
				Person p = t.verified();
				String other = t.signIn(p.email(), PASSWORD).text("session_id");
				return t.api.delete("/v1/me/sessions/" + other, p.token());
			}),
			entry("GET /v1/me/security-events", t -> t.api.get("/v1/me/security-events", t.verified().token())),
			entry("GET /v1/me/export", t -> t.api.get("/v1/me/export", t.verified().token())),
			// second factors
			entry("GET /v1/me/mfa", t -> t.api.get("/v1/me/mfa", t.verified().token())),
			entry("POST /v1/me/mfa/totp", t -> t.api.post("/v1/me/mfa/totp", "", t.verified().token())),
			entry("POST /v1/me/mfa/totp/confirm", t -> {
				Person p = t.verified();
				String secret = t.api.post("/v1/me/mfa/totp", "", p.token()).text("secret");
				return t.api.post("/v1/me/mfa/totp/confirm",
						Map.of("code", MfaSteps.code(secret, t.clock.instant())), p.token());
			}),
			entry("DELETE /v1/me/mfa/totp", t -> {
				Person p = t.verified();
				MfaSteps.enrolTotp(t.api, p.token(), t.clock.instant());
				return t.api.send(t.api.request("/v1/me/mfa/totp", p.token())
					.header("Content-Type", "application/json")
					.method("DELETE", HttpRequest.BodyPublishers.ofString("{\"password\":\"" + PASSWORD + "\"}"))
					.build());
			}),
			entry("POST /v1/me/mfa/recovery-codes", t -> {
				Person p = t.verified();
				MfaSteps.enrolTotp(t.api, p.token(), t.clock.instant());
				return t.api.post("/v1/me/mfa/recovery-codes", "", p.token());
			}),
			entry("POST /v1/me/passkeys/options", t -> t.api.post("/v1/me/passkeys/options", "",
					t.verified().token())),
			entry("POST /v1/me/passkeys", t -> {
				Person p = t.verified();
				JsonNode options = t.api.post("/v1/me/passkeys/options", "", p.token()).json();
				return t.api.post("/v1/me/passkeys",
						Map.of("credential", new SoftwareAuthenticator(ORIGIN).create(options)), p.token());
			}),
			entry("GET /v1/me/passkeys", t -> t.api.get("/v1/me/passkeys", t.verified().token())),
			entry("PATCH /v1/me/passkeys/{id}", t -> {
				Person p = t.verified();
				t.passkey(p);
				return t.api.patch("/v1/me/passkeys/" + t.passkeyId(p), Map.of("name", "Phone"), p.token());
			}),
			entry("DELETE /v1/me/passkeys/{id}", t -> {
				Person p = t.verified();
				t.passkey(p);
				return t.api.delete("/v1/me/passkeys/" + t.passkeyId(p), p.token());
			}),
			// organizations
			entry("POST /v1/organizations", t -> t.api.post("/v1/organizations", Map.of("name", "Acme"),
					t.verified().token())),
			entry("GET /v1/organizations", t -> t.api.get("/v1/organizations", t.verified().token())),
			entry("GET /v1/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.get(org, p.token()))),
			entry("PATCH /v1/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.patch(org,
					Map.of("name", "Renamed"), p.token()))),
			entry("DELETE /v1/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.delete(org, p.token()))),
			entry("POST /v1/me/active-organization", t -> t.withOrganization((p, org) -> t.api.post(
					"/v1/me/active-organization", Map.of("organization_id", org.substring(org.lastIndexOf('/') + 1)),
					p.token()))),
			entry("GET /v1/organizations/{id}/members", t -> t.withOrganization((p, org) -> t.api.get(org + "/members",
					p.token()))),
			entry("PATCH /v1/organizations/{id}/members/{user_id}", t -> t.withMember((owner, org, member) -> t.api
				.patch(org + "/members/" + member.id(), Map.of("role", "admin"), owner.token()))),
			entry("DELETE /v1/organizations/{id}/members/{user_id}", t -> t.withMember((owner, org, member) -> t.api
				.delete(org + "/members/" + member.id(), owner.token()))),
			entry("POST /v1/organizations/{id}/leave", t -> t.withMember((owner, org, member) -> t.api
				.post(org + "/leave", "", member.token()))),
			entry("POST /v1/organizations/{id}/connections/{connection_id}/scim-token", t -> t.withOrganization((p,
					org) -> t.api.post(org + "/connections/" + t.connection(org) + "/scim-token", "", p.token()))),
			entry("DELETE /v1/organizations/{id}/connections/{connection_id}/scim-token", t -> t.withOrganization((p,
					org) -> {
				String connection = t.connection(org);
				t.api.post(org + "/connections/" + connection + "/scim-token", "", p.token());
				return t.api.delete(org + "/connections/" + connection + "/scim-token", p.token());
			})),
			entry("GET /v1/organizations/{id}/roles", t -> t.withOrganization((p, org) -> t.api.get(org + "/roles",
					p.token()))),
			entry("POST /v1/organizations/{id}/roles", t -> t.withOrganization((p, org) -> t.role(p, org))),
			entry("PATCH /v1/organizations/{id}/roles/{key}", t -> t.withOrganization((p, org) -> {
				t.role(p, org);
				return t.api.patch(org + "/roles/billing", Map.of("name", "Invoices"), p.token());
			})),
			entry("DELETE /v1/organizations/{id}/roles/{key}", t -> t.withOrganization((p, org) -> {
				t.role(p, org);
				return t.api.delete(org + "/roles/billing", p.token());
			})),
			entry("GET /v1/organizations/{id}/invitations", t -> t.withOrganization((p, org) -> t.api
				.get(org + "/invitations", p.token()))),
			entry("POST /v1/organizations/{id}/invitations", t -> t.withOrganization((p, org) -> t.invite(p, org,
					newEmail()))),
			entry("POST /v1/organizations/{id}/invitations/{invitation_id}/resend", t -> t.withOrganization((p,
					org) -> t.api.post(org + "/invitations/" + t.invite(p, org, newEmail()).text("id") + "/resend", "",
							p.token()))),
			entry("DELETE /v1/organizations/{id}/invitations/{invitation_id}", t -> t.withOrganization((p,
					org) -> t.api.delete(org + "/invitations/" + t.invite(p, org, newEmail()).text("id"), p.token()))),
			// enterprise connections, email domains, sign-in discovery
			entry("POST /v1/organizations/{id}/connections", t -> t.withOrganization((p, org) -> t.connection(p, org))),
			entry("GET /v1/organizations/{id}/connections", t -> t.withOrganization((p, org) -> t.api
				.get(org + "/connections", p.token()))),
			entry("GET /v1/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p, org) -> t.api
				.get(org + "/connections/" + t.connection(p, org).text("id"), p.token()))),
			entry("PATCH /v1/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p, org) -> t.api
				.patch(org + "/connections/" + t.connection(p, org).text("id"), Map.of("enabled", false), p.token()))),
			entry("DELETE /v1/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p, org) -> t.api
				.delete(org + "/connections/" + t.connection(p, org).text("id"), p.token()))),
			entry("POST /v1/organizations/{id}/domains", t -> t.withOrganization((p, org) -> t.domain(p, org))),
			entry("GET /v1/organizations/{id}/domains", t -> t.withOrganization((p, org) -> t.api
				.get(org + "/domains", p.token()))),
			entry("GET /v1/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api
				.get(org + "/domains/" + t.domain(p, org).text("domain"), p.token()))),
			entry("PUT /v1/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api
				.send(t.api.request(org + "/domains/" + t.domain(p, org).text("domain"), p.token())
					.header("Content-Type", "application/json")
					.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"connection_id\":\""
							+ t.connection(p, org).text("id") + "\",\"passwords_disabled\":true}"))
					.build()))),
			entry("DELETE /v1/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api
				.delete(org + "/domains/" + t.domain(p, org).text("domain"), p.token()))),
			entry("POST /v1/organizations/{id}/domains/{domain}/verify", t -> t.withOrganization((p, org) -> {
				// verified by the operator first (no DNS server here): verifying it again answers it unchanged
				String domain = t.domain(p, org).text("domain");
				t.domains.verifyByOperator(org.substring(org.lastIndexOf('/') + 1), domain);
				return t.api.post(org + "/domains/" + domain + "/verify", "", p.token());
			})),
			entry("POST /v1/sign-in/discover", t -> t.api.post("/v1/sign-in/discover", Map.of("email",
					"ada@example.com"))),
			entry("GET /v1/me/invitations", t -> t.withOrganization((p, org) -> t.api.get("/v1/me/invitations",
					p.token()))),
			entry("POST /v1/me/invitations/{id}/accept", t -> t.withInvitee((owner, org, invitee, id) -> t.api
				.post("/v1/me/invitations/" + id + "/accept", "", invitee.token()))),
			entry("POST /v1/me/invitations/{id}/decline", t -> t.withInvitee((owner, org, invitee, id) -> t.api
				.post("/v1/me/invitations/" + id + "/decline", "", invitee.token()))),
			entry("POST /v1/invitations/accept", t -> t.withOrganization((p, org) -> {
				String email = newEmail();
				t.invite(p, org, email);
				return t.api.post("/v1/invitations/accept", Map.of("token",
						MailCatcher.token(MAIL.awaitMessage(email, 1)), "password", PASSWORD));
			})),
			// the Backend API
			entry("GET /v1/admin/users", t -> t.api.get("/v1/admin/users", t.adminKey())),
			entry("POST /v1/admin/users", t -> t.api.post("/v1/admin/users", Map.of("email", newEmail(), "password",
					"amber lantern meadow 7"), t.adminKey())),
			entry("GET /v1/admin/users/{id}", t -> t.api.get(t.adminUser(), t.adminKey())),
			entry("PATCH /v1/admin/users/{id}", t -> t.api.patch(t.adminUser(), Map.of("name", "Ada"), t.adminKey())),
			entry("DELETE /v1/admin/users/{id}", t -> t.api.delete(t.adminUser(), t.adminKey())),
			entry("POST /v1/admin/users/{id}/ban", t -> t.api.post(t.adminUser() + "/ban", "", t.adminKey())),
			entry("POST /v1/admin/users/{id}/unban", t -> t.api.post(t.adminUser() + "/unban", "", t.adminKey())),
			entry("POST /v1/admin/users/{id}/lock", t -> t.api.post(t.adminUser() + "/lock", "", t.adminKey())),
			entry("POST /v1/admin/users/{id}/unlock", t -> t.api.post(t.adminUser() + "/unlock", "", t.adminKey())),
			entry("POST /v1/admin/users/{id}/mfa/reset", t -> t.api.post(t.adminUser() + "/mfa/reset", "",
					t.adminKey())),
			entry("GET /v1/admin/users/{id}/sessions", t -> t.api.get(t.adminUser() + "/sessions", t.adminKey())),
			entry("POST /v1/admin/users/{id}/impersonate", t -> t.api.post(t.adminUser() + "/impersonate", "",
					t.adminKey())),
			entry("GET /v1/admin/organizations", t -> t.api.get("/v1/admin/organizations", t.adminKey())),
			entry("GET /v1/admin/settings", t -> t.api.get("/v1/admin/settings", t.adminKey())),
			// an empty change: the happy path's status without changing the server other tests share
			entry("PATCH /v1/admin/settings", t -> t.api.patch("/v1/admin/settings", Map.of(), t.adminKey())),
			entry("GET /v1/admin/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.get(
					org.replace("/v1/", "/v1/admin/"), t.adminKey()))),
			entry("PATCH /v1/admin/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.patch(
					org.replace("/v1/", "/v1/admin/"), Map.of("private_metadata", Map.of("tier", 2)), t.adminKey()))),
			entry("GET /v1/admin/organizations/{id}/members", t -> t.withOrganization((p, org) -> t.api.get(
					org.replace("/v1/", "/v1/admin/") + "/members", t.adminKey()))),
			entry("POST /v1/admin/organizations", t -> t.api.post("/v1/admin/organizations", Map.of("name", "Acme"),
					t.adminKey())),
			entry("DELETE /v1/admin/organizations/{id}", t -> t.withOrganization((p, org) -> t.api.delete(
					org.replace("/v1/", "/v1/admin/"), t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/members", t -> t.withOrganization((p, org) -> t.api.post(
					org.replace("/v1/", "/v1/admin/") + "/members", Map.of("user_id", t.verified().id(), "role",
							"member"), t.adminKey()))),
			entry("PATCH /v1/admin/organizations/{id}/members/{user_id}", t -> t.withMember((owner, org, member) -> t
				.api.patch(org.replace("/v1/", "/v1/admin/") + "/members/" + member.id(), Map.of("role", "admin"),
						t.adminKey()))),
			entry("DELETE /v1/admin/organizations/{id}/members/{user_id}", t -> t.withMember((owner, org, member) -> t
				.api.delete(org.replace("/v1/", "/v1/admin/") + "/members/" + member.id(), t.adminKey()))),
			entry("GET /v1/admin/organizations/{id}/invitations", t -> t.withOrganization((p, org) -> t.api.get(
					org.replace("/v1/", "/v1/admin/") + "/invitations", t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/invitations", t -> t.withOrganization((p, org) -> t.api.post(
					org.replace("/v1/", "/v1/admin/") + "/invitations", Map.of("email", newEmail(), "role", "member"),
					t.adminKey()))),
			entry("DELETE /v1/admin/organizations/{id}/invitations/{invitation_id}", t -> t.withOrganization((p,
					org) -> {
				String invitations = org.replace("/v1/", "/v1/admin/") + "/invitations";
				String id = t.api.post(invitations, Map.of("email", newEmail(), "role", "member"), t.adminKey())
					.text("id");
				return t.api.delete(invitations + "/" + id, t.adminKey());
			})),
			entry("POST /v1/admin/organizations/{id}/invitations/{invitation_id}/resend", t -> t.withOrganization((p,
					org) -> {
				String invitations = t.admin(org) + "/invitations";
				String id = t.api.post(invitations, Map.of("email", newEmail(), "role", "member"), t.adminKey())
					.text("id");
				return t.api.post(invitations + "/" + id + "/resend", "", t.adminKey());
			})),
			entry("GET /v1/admin/organizations/{id}/roles", t -> t.withOrganization((p, org) -> t.api.get(
					t.admin(org) + "/roles", t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/roles", t -> t.withOrganization((p, org) -> t.adminRole(org))),
			entry("PATCH /v1/admin/organizations/{id}/roles/{key}", t -> t.withOrganization((p, org) -> {
				t.adminRole(org);
				return t.api.patch(t.admin(org) + "/roles/billing", Map.of("name", "Invoices"), t.adminKey());
			})),
			entry("DELETE /v1/admin/organizations/{id}/roles/{key}", t -> t.withOrganization((p, org) -> {
				t.adminRole(org);
				return t.api.delete(t.admin(org) + "/roles/billing", t.adminKey());
			})),
			entry("GET /v1/admin/organizations/{id}/connections", t -> t.withOrganization((p, org) -> t.api.get(
					t.admin(org) + "/connections", t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/connections", t -> t.withOrganization((p, org) -> t
				.adminConnection(org))),
			entry("GET /v1/admin/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p, org) -> t
				.api.get(t.admin(org) + "/connections/" + t.adminConnection(org).text("id"), t.adminKey()))),
			entry("PATCH /v1/admin/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p,
					org) -> t.api.patch(t.admin(org) + "/connections/" + t.adminConnection(org).text("id"),
							Map.of("enabled", false), t.adminKey()))),
			entry("DELETE /v1/admin/organizations/{id}/connections/{connection_id}", t -> t.withOrganization((p,
					org) -> t.api.delete(t.admin(org) + "/connections/" + t.adminConnection(org).text("id"),
							t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/connections/{connection_id}/scim-token", t -> t.withOrganization(
					(p, org) -> t.api.post(t.admin(org) + "/connections/" + t.adminConnection(org).text("id")
							+ "/scim-token", "", t.adminKey()))),
			entry("DELETE /v1/admin/organizations/{id}/connections/{connection_id}/scim-token", t -> t
				.withOrganization((p, org) -> t.api.delete(t.admin(org) + "/connections/"
						+ t.adminConnection(org).text("id") + "/scim-token", t.adminKey()))),
			entry("GET /v1/admin/organizations/{id}/domains", t -> t.withOrganization((p, org) -> t.api.get(
					t.admin(org) + "/domains", t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/domains", t -> t.withOrganization((p, org) -> t.adminDomain(org))),
			entry("GET /v1/admin/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api.get(
					t.admin(org) + "/domains/" + t.adminDomain(org).text("domain"), t.adminKey()))),
			entry("PUT /v1/admin/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api
				.send(t.api.request(t.admin(org) + "/domains/" + t.adminDomain(org).text("domain"), t.adminKey())
					.header("Content-Type", "application/json")
					.PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"connection_id\":\""
							+ t.adminConnection(org).text("id") + "\",\"passwords_disabled\":true}"))
					.build()))),
			entry("DELETE /v1/admin/organizations/{id}/domains/{domain}", t -> t.withOrganization((p, org) -> t.api
				.delete(t.admin(org) + "/domains/" + t.adminDomain(org).text("domain"), t.adminKey()))),
			entry("POST /v1/admin/organizations/{id}/domains/{domain}/verify", t -> t.withOrganization((p, org) -> {
				// verified by the operator's command line first (no DNS server here): verifying it again answers it
				String domain = t.adminDomain(org).text("domain");
				t.domains.verifyByOperator(org.substring(org.lastIndexOf('/') + 1), domain);
				return t.api.post(t.admin(org) + "/domains/" + domain + "/verify", "", t.adminKey());
			})),
			entry("DELETE /v1/admin/users/{id}/sessions", t -> t.api.delete(t.adminUser() + "/sessions",
					t.adminKey())),
			entry("DELETE /v1/admin/sessions/{id}", t -> t.api.delete("/v1/admin/sessions/"
					+ ApiClient.claims(t.verified().token()).get("sid").asString(), t.adminKey())),
			entry("GET /v1/admin/users/{id}/identities", t -> t.api.get(t.adminUser() + "/identities", t.adminKey())),
			entry("GET /v1/admin/users/{id}/export", t -> t.api.get(t.adminUser() + "/export", t.adminKey())),
			entry("GET /v1/admin/users/{id}/organizations", t -> t.api.get(t.adminUser() + "/organizations",
					t.adminKey())),
			entry("GET /v1/admin/users/{id}/security-events", t -> t.api.get(t.adminUser() + "/security-events",
					t.adminKey())),
			entry("GET /v1/admin/keys", t -> t.api.get("/v1/admin/keys", t.adminKey())),
			entry("POST /v1/admin/keys/rotate", t -> t.api.post("/v1/admin/keys/rotate", Map.of(), t.adminKey())),
			entry("POST /v1/admin/keys/{kid}/withdraw", t -> {
				String kid = t.api.post("/v1/admin/keys/rotate", Map.of(), t.adminKey()).text("kid");
				return t.api.post("/v1/admin/keys/" + kid + "/withdraw", "", t.adminKey());
			}),
			entry("GET /v1/admin/audit", t -> t.api.get("/v1/admin/audit?type=sign_up&limit=5", t.adminKey())),
			// a filter nothing matches: ApiClient reads a JSON body as one document, JSON Lines are several
			entry("GET /v1/admin/audit/export", t -> t.api.get("/v1/admin/audit/export?user=usr_nobody",
					t.adminKey())),
			entry("GET /v1/admin/stats", t -> t.api.get("/v1/admin/stats?days=7", t.adminKey())),
			entry("GET /v1/admin/capacity", t -> t.api.get("/v1/admin/capacity", t.adminKey())),
			entry("GET /v1/admin/webhooks", t -> t.api.get("/v1/admin/webhooks", t.adminKey())),
			entry("POST /v1/admin/webhooks", t -> t.api.post("/v1/admin/webhooks", Map.of("url",
					"https://hooks.example.com/openapi"), t.adminKey())),
			entry("GET /v1/admin/webhooks/{id}", t -> t.api.get(t.adminWebhook(), t.adminKey())),
			entry("PATCH /v1/admin/webhooks/{id}", t -> t.api.patch(t.adminWebhook(), Map.of("event_types",
					List.of("user.created")), t.adminKey())),
			entry("DELETE /v1/admin/webhooks/{id}", t -> t.api.delete(t.adminWebhook(), t.adminKey())),
			entry("POST /v1/admin/webhooks/{id}/rotate-secret", t -> t.api.post(t.adminWebhook() + "/rotate-secret",
					"", t.adminKey())),
			entry("GET /v1/admin/webhooks/{id}/deliveries", t -> t.api.get(t.adminWebhook() + "/deliveries",
					t.adminKey())),
			entry("POST /v1/admin/webhooks/{id}/replay", t -> {
				String endpoint = t.adminWebhook();
				t.verified(); // its user.created event is stored for the endpoint
				String event = t.jdbc.sql("select id from webhook_events order by created_at desc fetch first 1 rows only")
					.query(String.class)
					.single();
				return t.api.post(endpoint + "/replay", Map.of("event_id", event), t.adminKey());
			}),
			entry("POST /v1/admin/webhooks/{id}/replay-failed", t -> t.api.post(t.adminWebhook() + "/replay-failed",
					Map.of("since", "2026-01-01T00:00:00Z"), t.adminKey())),
			entry("GET /v1/admin/clients", t -> t.api.get("/v1/admin/clients", t.adminKey())),
			entry("POST /v1/admin/clients", t -> t.api.post("/v1/admin/clients", Map.of("name", "Reports",
					"grants", List.of("client_credentials")), t.adminKey())),
			entry("GET /v1/admin/clients/{id}", t -> t.api.get(t.adminClient(), t.adminKey())),
			entry("PATCH /v1/admin/clients/{id}", t -> t.api.patch(t.adminClient(), Map.of("name", "Renamed"),
					t.adminKey())),
			entry("POST /v1/admin/clients/{id}/rotate-secret", t -> t.api.post(t.adminClient() + "/rotate-secret", "",
					t.adminKey())),
			entry("DELETE /v1/admin/clients/{id}", t -> t.api.delete(t.adminClient(), t.adminKey())));

	@org.springframework.beans.factory.annotation.Autowired
	private dev.plinto.admin.ApiKeys apiKeys;

	/** A Backend API key with every scope the users and sessions endpoints need. */
	private String adminKey() {
		return apiKeys.create("openapi", List.of("users:read", "users:write", "sessions:write", "audit:read",
				"users:impersonate", "organizations:read", "organizations:write", "keys:read", "keys:write",
				"stats:read", "webhooks:read", "webhooks:write", "clients:read", "clients:write", "settings:read", "settings:write"), null,
				"test", dev.plinto.web.ClientInfo.none()).secret();
	}

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	/** The Backend API path of a new webhook endpoint, subscribed to every event type. */
	private String adminWebhook() {
		return "/v1/admin/webhooks/" + api.post("/v1/admin/webhooks", Map.of("url", "https://hooks.example.com/"
				+ java.util.UUID.randomUUID()), adminKey()).json().get("endpoint").get("id").asString();
	}

	/** The Backend API path of a new OIDC client with a secret. */
	private String adminClient() {
		return "/v1/admin/clients/" + api.post("/v1/admin/clients", Map.of("name", "Jobs", "grants",
				List.of("client_credentials")), adminKey()).json().get("client").get("id").asString();
	}

	/** The Backend API path of the organization at this member API path. */
	private String admin(String organizationPath) {
		return organizationPath.replace("/v1/", "/v1/admin/");
	}

	private ApiClient.Response adminRole(String org) {
		return api.post(admin(org) + "/roles", Map.of("key", "billing", "name", "Billing", "permissions",
				List.of("app:invoices.read")), adminKey());
	}

	private ApiClient.Response adminConnection(String org) {
		ApiClient.Response r = api.post(admin(org) + "/connections", Map.of("type", "oidc", "name", "Acme Okta",
				"issuer", "https://acme.okta.example", "client_id", "plinto", "client_secret", "secret"), adminKey());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r;
	}

	private ApiClient.Response adminDomain(String org) {
		ApiClient.Response r = api.post(admin(org) + "/domains", Map.of("domain",
				"acme-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".example.com"), adminKey());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r;
	}

	/** The Backend API path of a new user. */
	private String adminUser() {
		return "/v1/admin/users/" + verified().id();
	}

	@Test
	void operationsWhenCalledOnTheirHappyPathThenAnswerADocumentedSuccessStatus() {
		JsonNode paths = api.get("/openapi.json").json().get("paths");
		Map<String, Set<Integer>> documented = new TreeMap<>();
		paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			Set<Integer> success = new TreeSet<>();
			operation.getValue().get("responses").propertyNames().forEach(code -> {
				if (code.startsWith("2")) {
					success.add(Integer.parseInt(code));
				}
			});
			documented.put(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), success);
		}));

		assertThat(CALLS.keySet()).as("a happy-path call for each operation of /openapi.json")
			.containsExactlyInAnyOrderElementsOf(documented.keySet());
		SoftAssertions softly = new SoftAssertions();
		documented.forEach((operation, statuses) -> {
			softly.assertThat(statuses).as(operation + " documents a success status").isNotEmpty();
			ApiClient.Response r = CALLS.get(operation).apply(this);
			softly.assertThat(r.status()).as(operation + " -> " + r).isIn(statuses.toArray());
		});
		softly.assertAll();
	}

	@Test
	void signUpWhenSentTheDocumentedExampleThenCreated() {
		Map<String, Object> example = example("SignUpRequest");

		ApiClient.Response r = api.post("/v1/sign-up", example);

		assertThat(example).containsKeys("email", "password");
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
	}

	@Test
	void passwordFieldsWhenDocumentedThenCarryThePolicyBounds() {
		JsonNode schemas = api.get("/openapi.json").json().get("components").get("schemas");

		for (String[] field : List.of(new String[] { "SignUpRequest", "password" },
				new String[] { "ChangePasswordRequest", "new_password" }, new String[] { "ResetRequest", "new_password" },
				new String[] { "AcceptRequest", "password" })) {
			JsonNode property = schemas.get(field[0]).get("properties").get(field[1]);
			assertThat(property.get("minLength").asInt()).as(field[0] + "." + field[1]).isEqualTo(8);
			assertThat(property.get("maxLength").asInt()).as(field[0] + "." + field[1]).isEqualTo(128);
			assertThat(property.get("example").asString()).as(field[0] + "." + field[1]).hasSizeGreaterThan(8)
				.isNotEqualTo("string");
		}
	}

	@Test
	void healthChecksWhenDocumentedThenDeclareTheir503() {
		JsonNode paths = api.get("/openapi.json").json().get("paths");

		for (String check : List.of("/health", "/health/ready", "/health/db", "/health/redis", "/health/backup")) {
			assertThat(paths.get(check).get("get").get("responses").propertyNames()).as(check)
				.contains("200", "503");
		}
	}

	// --- fixtures ------------------------------------------------------------------------------------------------

	private record Person(String id, String email, String token, String refreshToken) {
	}

	private interface InOrganization {

		ApiClient.Response call(Person owner, String organizationPath);
	}

	private interface WithMember {

		ApiClient.Response call(Person owner, String organizationPath, Person member);
	}

	private interface WithInvitee {

		ApiClient.Response call(Person owner, String organizationPath, Person invitee, String invitationId);
	}

	/** The request body the OpenAPI document gives as example for a schema, with a fresh email. */
	private Map<String, Object> example(String schema) {
		JsonNode properties = api.get("/openapi.json").json().get("components").get("schemas").get(schema)
			.get("properties");
		Map<String, Object> body = new TreeMap<>();
		properties.properties().forEach(p -> {
			if (p.getValue().has("example")) {
				body.put(p.getKey(), p.getValue().get("example").asString());
			}
		});
		body.computeIfPresent("email", (k, v) -> newEmail());
		return body;
	}

	/** A new user with a confirmed email and a session of a sign-in just now. */
	private Person verified() {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		ApiClient.Response confirmed = api.post("/v1/email-verification/confirm",
				Map.of("token", MailCatcher.token(MAIL.awaitMessage(email, 1))));
		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		return new Person(r.json().get("user").get("id").asString(), email, r.text("access_token"),
				r.text("refresh_token"));
	}

	private SoftwareAuthenticator passkey(Person p) {
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);
		JsonNode options = api.post("/v1/me/passkeys/options", "", p.token()).json();
		ApiClient.Response r = api.post("/v1/me/passkeys", Map.of("credential", authenticator.create(options)),
				p.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return authenticator;
	}

	private String passkeyId(Person p) {
		return api.get("/v1/me/passkeys", p.token()).json().get("data").get(0).get("id").asString();
	}

	private ApiClient.Response withOrganization(InOrganization call) {
		Person owner = verified();
		ApiClient.Response created = api.post("/v1/organizations", Map.of("name", "Acme"), owner.token());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return call.call(owner, "/v1/organizations/" + created.text("id"));
	}

	/** A connection of the organization at this path, stored directly (its management API is not this test's). */
	private String connection(String org) {
		java.time.Instant now = clock.instant();
		String id = dev.plinto.crypto.SecureTokens.newId("con");
		connections.insert(new dev.plinto.org.OrganizationConnection(id, org.substring(org.lastIndexOf('/') + 1),
				dev.plinto.org.OrganizationConnection.Type.OIDC, "IdP", true, "https://idp.example.com", "plinto", null,
				null, null, "{}", "member", null, null, now, now));
		return id;
	}

	@org.springframework.beans.factory.annotation.Autowired
	private dev.plinto.org.ConnectionRepository connections;

	private ApiClient.Response withMember(WithMember call) {
		return withOrganization((owner, org) -> {
			Person member = verified();
			ApiClient.Response invited = invite(owner, org, member.email());
			assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
			ApiClient.Response accepted = api.post("/v1/invitations/accept",
					Map.of("token", MailCatcher.token(MAIL.awaitMessage(member.email(), 2))), member.token());
			assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
			return call.call(owner, org, member);
		});
	}

	/** An organization and a verified user with an invitation to it waiting (its id). */
	private ApiClient.Response withInvitee(WithInvitee call) {
		return withOrganization((owner, org) -> {
			Person invitee = verified();
			ApiClient.Response invited = invite(owner, org, invitee.email());
			assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
			return call.call(owner, org, invitee, invited.text("id"));
		});
	}

	private ApiClient.Response invite(Person owner, String org, String email) {
		return api.post(org + "/invitations", Map.of("email", email, "role", "member"), owner.token());
	}

	private ApiClient.Response connection(Person owner, String org) {
		ApiClient.Response r = api.post(org + "/connections", Map.of("type", "oidc", "name", "Acme Okta", "issuer",
				"https://acme.okta.example", "client_id", "plinto", "client_secret", "secret"), owner.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r;
	}

	private ApiClient.Response domain(Person owner, String org) {
		ApiClient.Response r = api.post(org + "/domains", Map.of("domain",
				"acme-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".example.com"), owner.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r;
	}

	private ApiClient.Response role(Person owner, String org) {
		return api.post(org + "/roles", Map.of("key", "billing", "name", "Billing", "permissions",
				List.of("app:invoices.read")), owner.token());
	}
}
