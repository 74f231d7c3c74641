package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The Backend API's OIDC clients ({@code /v1/admin/clients…}) through the real server: every endpoint, the scopes,
 * the command line's rules as problem+json, the audit with the key as actor, and that a client registered here
 * really gets tokens from {@code /oauth2/token} with the secret it was given, and not with the rotated-out one.
 */
class AdminClientsApiTests extends ApiTestSupport {

	private static final String REDIRECT = "https://app.example/callback";

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private OidcClients oidcClients;

	@Autowired
	private JdbcClient jdbc;

	private ApiKeys.WithSecret newKey(String... scopes) {
		return apiKeys.create("clients test " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none());
	}

	private String writer() {
		return newKey("clients:read", "clients:write").secret();
	}

	private ApiClient.Response create(String key, Map<String, ?> body) {
		return api.post("/v1/admin/clients", body, key);
	}

	private static Map<String, Object> machine(String name) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("name", name);
		body.put("grants", List.of("client_credentials"));
		body.put("scopes", List.of("reports.read"));
		return body;
	}

	/** A client-credentials token request with HTTP Basic authentication (RFC 6749 §2.3.1, §4.4). */
	private ApiClient.Response clientCredentials(String clientId, String secret) {
		String basic = Base64.getEncoder()
			.encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
					+ URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
		return api.send(HttpRequest.newBuilder(URI.create(api.base() + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=reports.read"))
			.build());
	}

	private long auditRows(String type, String actor, String detailPart) {
		return jdbc.sql("select count(*) from audit_events where type = :type and actor_id = :actor and detail like :d")
			.param("type", type)
			.param("actor", actor)
			.param("d", "%" + detailPart + "%")
			.query(Long.class)
			.single();
	}

	private static void assertNoSecretMaterial(ApiClient.Response r) {
		assertThat(r.raw()).doesNotContain("sha256$").doesNotContain("client_secret_hash");
	}

	@Test
	void createWhenConfidentialThenSecretOnceNoStoreAndItGetsClientCredentialsTokens() {
		ApiKeys.WithSecret key = newKey("clients:read", "clients:write");
		ApiClient.Response created = create(key.secret(), machine("Nightly report"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Cache-Control")).contains("no-store");
		String id = created.json().get("client").get("id").asString();
		String secret = created.text("client_secret");
		assertThat(created.header("Location")).isEqualTo("/v1/admin/clients/" + id);
		assertThat(id).startsWith("cli_");
		assertThat(secret).hasSize(43);
		assertThat(created.json().get("client").get("type").asString()).isEqualTo("confidential");
		assertThat(created.json().get("client").get("auth_method").asString()).isEqualTo("client_secret_basic");
		assertNoSecretMaterial(created);

		ApiClient.Response token = clientCredentials(id, secret);
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		assertThat(token.text("access_token")).isNotBlank();
		assertThat(clientCredentials(id, secret + "x").status()).isEqualTo(401);

		ApiClient.Response shown = api.get("/v1/admin/clients/" + id, key.secret());
		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.raw()).doesNotContain(secret);
		assertNoSecretMaterial(shown);
		assertThat(shown.json().has("client_secret")).isFalse();
		assertThat(auditRows("OIDC_CLIENT_CREATED", key.key().id(), id)).isEqualTo(1);
	}

	@Test
	void rotateSecretWhenDoneThenOldSecretRefusedNewOneWorksAndAudited() {
		ApiKeys.WithSecret key = newKey("clients:write");
		ApiClient.Response created = create(key.secret(), machine("Rotating job"));
		String id = created.json().get("client").get("id").asString();
		String old = created.text("client_secret");

		ApiClient.Response rotated = api.post("/v1/admin/clients/" + id + "/rotate-secret", "", key.secret());
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		assertThat(rotated.text("client_id")).isEqualTo(id);
		String fresh = rotated.text("client_secret");
		assertThat(fresh).hasSize(43).isNotEqualTo(old);

		assertThat(clientCredentials(id, old).status()).as("the old secret stops at once").isEqualTo(401);
		assertThat(clientCredentials(id, fresh).status()).isEqualTo(200);
		assertThat(auditRows("OIDC_CLIENT_SECRET_ROTATED", key.key().id(), id)).isEqualTo(1);
	}

	@Test
	void rotateSecretWhenPublicClientThenClientHasNoSecret() {
		String key = writer();
		ApiClient.Response created = create(key, Map.of("name", "SPA", "type", "public", "redirect_uris",
				List.of(REDIRECT)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().get("client_secret").isNull()).isTrue();
		assertThat(created.json().get("client").get("auth_method").asString()).isEqualTo("none");
		assertThat(created.json().get("client").get("require_pkce").asBoolean()).isTrue();
		String id = created.json().get("client").get("id").asString();
		ApiClient.Response r = api.post("/v1/admin/clients/" + id + "/rotate-secret", "", key);
		assertThat(r.status()).as(r.toString()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("client_has_no_secret");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void listWhenSeveralThenOldestFirstPagedWithCursor() {
		String key = writer();
		Set<String> mine = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			mine.add(create(key, machine("Paged " + i)).json().get("client").get("id").asString());
		}
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			ApiClient.Response page = api.get("/v1/admin/clients?limit=2"
					+ (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), key);
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			assertNoSecretMaterial(page);
			assertThat(page.json().get("data").size()).isLessThanOrEqualTo(2);
			for (JsonNode c : page.json().get("data")) {
				seen.add(c.get("id").asString());
			}
			cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asString();
		}
		while (cursor != null);
		assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
		assertThat(seen).isEqualTo(oidcClients.list().stream().map(OidcClients.Client::clientId).toList());
		assertThat(api.get("/v1/admin/clients?cursor=forged", key).code()).isEqualTo("validation_failed");
	}

	@Test
	void updateWhenFieldsSentThenTheyChangeTheRestAndTheSecretStay() {
		ApiKeys.WithSecret key = newKey("clients:read", "clients:write");
		Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "Acme dashboard", "redirect_uris",
				List.of(REDIRECT), "grants", List.of("authorization_code", "refresh_token", "client_credentials"),
				"scopes", List.of("openid", "profile", "email", "reports.read")));
		ApiClient.Response created = create(key.secret(), body);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.json().get("client").get("id").asString();
		String secret = created.text("client_secret");
		assertThat(created.json().get("client").get("consent_required").asBoolean()).isTrue();

		Map<String, Object> changes = new LinkedHashMap<>();
		changes.put("name", "Acme console");
		changes.put("redirect_uris", List.of("https://app.example/cb2", "http://127.0.0.1:8081/cb"));
		changes.put("post_logout_redirect_uris", List.of("https://app.example/bye"));
		changes.put("consent_required", false);
		changes.put("logo_uri", "https://app.example/logo.png");
		changes.put("access_token_ttl_seconds", 600);
		changes.put("refresh_token_ttl_seconds", 86400);
		changes.put("backchannel_logout_uri", "https://app.example/backchannel");
		changes.put("refresh_without_offline_access", true);
		ApiClient.Response updated = api.patch("/v1/admin/clients/" + id, changes, key.secret());
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		JsonNode c = updated.json();
		assertThat(c.get("name").asString()).isEqualTo("Acme console");
		assertThat(c.get("redirect_uris").toString()).contains("https://app.example/cb2", "http://127.0.0.1:8081/cb")
			.doesNotContain(REDIRECT);
		assertThat(c.get("post_logout_redirect_uris").get(0).asString()).isEqualTo("https://app.example/bye");
		assertThat(c.get("consent_required").asBoolean()).isFalse();
		assertThat(c.get("logo_uri").asString()).isEqualTo("https://app.example/logo.png");
		assertThat(c.get("access_token_ttl_seconds").asLong()).isEqualTo(600);
		assertThat(c.get("refresh_token_ttl_seconds").asLong()).isEqualTo(86400);
		assertThat(c.get("backchannel_logout_uri").asString()).isEqualTo("https://app.example/backchannel");
		assertThat(c.get("refresh_without_offline_access").asBoolean()).isTrue();
		assertThat(c.get("scopes").toString()).as("not sent: unchanged").contains("reports.read");
		assertThat(c.get("grants").size()).isEqualTo(3);
		assertThat(api.get("/v1/admin/clients/" + id, key.secret()).json()).isEqualTo(c);
		assertThat(clientCredentials(id, secret).status()).as("the secret stays").isEqualTo(200);

		ApiClient.Response cleared = api.patch("/v1/admin/clients/" + id, Map.of("logo_uri", "",
				"backchannel_logout_uri", ""), key.secret());
		assertThat(cleared.json().get("logo_uri").isNull()).isTrue();
		assertThat(cleared.json().get("backchannel_logout_uri").isNull()).isTrue();
		assertThat(cleared.json().get("name").asString()).isEqualTo("Acme console");
		assertThat(auditRows("OIDC_CLIENT_UPDATED", key.key().id(), id)).isGreaterThanOrEqualTo(2);
	}

	@Test
	void createAndUpdateWhenRefusedByTheRulesThenValidationFailedNamingTheField() {
		String key = writer();
		record Case(Map<String, Object> body, String field, String message) {
		}
		List<Case> cases = List.of(
				new Case(Map.of("redirect_uris", List.of(REDIRECT)), "name", "name of 1 to 200"),
				new Case(Map.of("name", "X", "redirect_uris", List.of("http://app.example/cb")), "redirect_uris",
						"must be https"),
				new Case(Map.of("name", "X", "redirect_uris", List.of("https://app.example/cb#frag")),
						"redirect_uris", "without fragment"),
				new Case(Map.of("name", "X"), "redirect_uris", "at least one redirect URI"),
				new Case(Map.of("name", "X", "grants", List.of("password")), "grants", "Unknown grant"),
				new Case(Map.of("name", "X", "type", "public", "grants", List.of("client_credentials")), "grants",
						"public client"),
				new Case(Map.of("name", "X", "type", "robot"), "type", "confidential or public"),
				new Case(Map.of("name", "X", "grants", List.of("client_credentials"), "scopes", List.of("a b")),
						"scopes", "RFC 6749"),
				new Case(Map.of("name", "X", "redirect_uris", List.of(REDIRECT), "logo_uri", "http://x.example/l.png"),
						"logo_uri", "https"),
				new Case(Map.of("name", "X", "redirect_uris", List.of(REDIRECT), "access_token_ttl_seconds", 5),
						"access_token_ttl_seconds", "between 30 seconds and 1 day"),
				new Case(Map.of("name", "X", "redirect_uris", List.of(REDIRECT), "backchannel_logout_uri",
						"com.example.app:/logout"), "backchannel_logout_uri", "https"),
				new Case(Map.of("name", "X", "grants", List.of("client_credentials"), "jwks_uri",
						"ftp://keys.example/jwks"), "jwks_uri", "JWKS URI"));
		int before = oidcClients.list().size();
		for (Case c : cases) {
			ApiClient.Response r = create(key, c.body());
			assertThat(r.status()).as(c + " " + r).isEqualTo(400);
			assertThat(r.code()).isEqualTo("validation_failed");
			assertThat(r.header("Content-Type")).startsWith("application/problem+json");
			JsonNode error = r.json().get("errors").get(0);
			assertThat(error.get("field").asString()).as(r.toString()).isEqualTo(c.field());
			if (c.message() != null) {
				assertThat(error.get("message").asString()).as(r.toString()).contains(c.message());
			}
		}
		assertThat(oidcClients.list()).as("nothing was stored").hasSize(before);

		String id = create(key, machine("Strict")).json().get("client").get("id").asString();
		ApiClient.Response publicGrant = api.patch("/v1/admin/clients/" + id, Map.of("type", "public"), key);
		assertThat(publicGrant.status()).isEqualTo(400);
		assertThat(publicGrant.json().get("errors").get(0).get("field").asString()).isEqualTo("type");
		ApiClient.Response badUri = api.patch("/v1/admin/clients/" + id, Map.of("post_logout_redirect_uris",
				List.of("/relative")), key);
		assertThat(badUri.status()).isEqualTo(400);
		assertThat(badUri.json().get("errors").get(0).get("field").asString()).isEqualTo("post_logout_redirect_uris");
		assertThat(api.get("/v1/admin/clients/" + id, key).json().get("post_logout_redirect_uris").size())
			.as("unchanged")
			.isZero();
	}

	@Test
	void deleteWhenDoneThenGoneItsTokensInactiveAndAudited() {
		ApiKeys.WithSecret key = newKey("clients:read", "clients:write");
		ApiClient.Response created = create(key.secret(), machine("Short-lived"));
		String id = created.json().get("client").get("id").asString();
		String secret = created.text("client_secret");
		assertThat(clientCredentials(id, secret).status()).isEqualTo(200);

		ApiClient.Response deleted = api.delete("/v1/admin/clients/" + id, key.secret());
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertThat(api.get("/v1/admin/clients/" + id, key.secret()).code()).isEqualTo("not_found");
		assertThat(clientCredentials(id, secret).status()).isEqualTo(401);
		assertThat(jdbc.sql("select count(*) from oauth2_authorization a join oauth2_registered_client c on "
				+ "a.registered_client_id = c.id where c.client_id = :id").param("id", id).query(Long.class).single())
			.isZero();
		assertThat(auditRows("OIDC_CLIENT_DELETED", key.key().id(), id)).isEqualTo(1);
	}

	@Test
	void unknownClientWhenAnyCallThenNotFound() {
		String key = writer();
		String path = "/v1/admin/clients/cli_unknown";
		for (ApiClient.Response r : List.of(api.get(path, key), api.patch(path, Map.of("name", "X"), key),
				api.post(path + "/rotate-secret", "", key), api.delete(path, key))) {
			assertThat(r.status()).as(r.toString()).isEqualTo(404);
			assertThat(r.code()).isEqualTo("not_found");
		}
	}

	@Test
	void scopesWhenReadOnlyOrMissingThenInsufficientScopeAndNothingChanges() {
		String owner = writer();
		ApiClient.Response created = create(owner, machine("Guarded"));
		String id = created.json().get("client").get("id").asString();
		String secret = created.text("client_secret");
		String path = "/v1/admin/clients/" + id;

		String readOnly = newKey("clients:read").secret();
		assertThat(api.get("/v1/admin/clients", readOnly).status()).isEqualTo(200);
		assertThat(api.get(path, readOnly).status()).isEqualTo(200);
		List<ApiClient.Response> refused = new ArrayList<>();
		refused.add(create(readOnly, machine("Not allowed")));
		refused.add(api.patch(path, Map.of("name", "Changed"), readOnly));
		refused.add(api.post(path + "/rotate-secret", "", readOnly));
		refused.add(api.delete(path, readOnly));
		String usersOnly = newKey("users:read", "users:write").secret();
		refused.add(api.get("/v1/admin/clients", usersOnly));
		refused.add(api.get(path, usersOnly));
		refused.add(create(usersOnly, machine("Not allowed")));
		String writeOnly = newKey("clients:write").secret();
		refused.add(api.get(path, writeOnly));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("insufficient_scope");
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"clients:");
		}
		assertThat(api.get("/v1/admin/clients").status()).isEqualTo(401);
		JsonNode after = api.get(path, readOnly).json();
		assertThat(after.get("name").asString()).isEqualTo("Guarded");
		assertThat(clientCredentials(id, secret).status()).as("the secret was not rotated").isEqualTo(200);
	}
}
