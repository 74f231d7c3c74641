package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.plinto.ApiClient;
import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's OIDC clients over HTTP, as a browser without JavaScript posts its forms: registering, changing
 * (with the command line's refusals shown on the page), the secret shown once and never cached, the audit with
 * the administrator as actor, {@code support} reading without forms and refused every post, and rotating and
 * deleting refused without a recent sign-in.
 */
class DashboardClientsTests extends DashboardTestSupport {

	@Autowired
	private OidcClients clients;

	@Autowired
	private JdbcClient jdbc;

	private static Map<String, String> form(String name, String redirect) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("type", "confidential");
		fields.put("name", name);
		fields.put("redirect_uris", redirect);
		fields.put("post_logout_redirect_uris", "");
		fields.put("grants", "authorization_code");
		fields.put("scopes", "openid profile");
		fields.put("consent_required", "true");
		fields.put("require_pkce", "true");
		fields.put("logo_uri", "");
		fields.put("access_token_ttl", "300");
		fields.put("refresh_token_ttl", "2592000");
		fields.put("backchannel_logout_uri", "");
		return fields;
	}

	private long audited(String type, String actor, String clientId) {
		return jdbc.sql("select count(*) from audit_events where type = :type and actor_id = :actor and detail like :d")
			.param("type", type)
			.param("actor", actor)
			.param("d", "%" + clientId + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void adminWhenRegisteringAndChangingThenSecretOnceRefusalsOnThePageAndAudited() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/clients/new").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = browser.post("/admin/clients", form("Acme", "http://app.example/cb"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("role=\"alert\"").contains("must be https").contains("value=\"Acme\"");

		HttpResponse<String> created = browser.post("/admin/clients", form("Acme web", "https://app.example/cb"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		String id = created.body().replaceAll("(?s).*<code id=\"client-id\">([^<]+)</code>.*", "$1");
		String secret = created.body().replaceAll("(?s).*<code class=\"secret\" id=\"client-secret\"[^>]*>([^<]+)</code>.*",
				"$1");
		assertThat(id).startsWith("cli_");
		assertThat(secret).hasSize(43);
		assertThat(clients.find(id).orElseThrow().name()).isEqualTo("Acme web");
		assertThat(audited("OIDC_CLIENT_CREATED", admin.userId(), id)).isEqualTo(1);

		HttpResponse<String> page = browser.get("/admin/clients/" + id);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).as("the secret is never shown again").doesNotContain(secret).doesNotContain("sha256$");
		assertThat(browser.get("/admin/clients").body()).contains(id).contains("Acme web");

		Map<String, String> change = form("Acme console", "https://app.example/cb\nhttps://app.example/cb2");
		change.remove("type");
		change.remove("consent_required");
		change.put("access_token_ttl", "5");
		HttpResponse<String> badTtl = browser.post("/admin/clients/" + id + "/update", change);
		assertThat(badTtl.statusCode()).isEqualTo(400);
		assertThat(badTtl.body()).contains("access token lifetime");
		assertThat(clients.find(id).orElseThrow().name()).as("nothing changed").isEqualTo("Acme web");

		change.put("access_token_ttl", "600");
		HttpResponse<String> saved = browser.post("/admin/clients/" + id + "/update", change);
		assertThat(saved.statusCode()).isEqualTo(303);
		assertThat(saved.headers().firstValue("Location")).hasValue("/admin/clients/" + id + "?done=updated");
		OidcClients.Client after = clients.find(id).orElseThrow();
		assertThat(after.name()).isEqualTo("Acme console");
		assertThat(after.redirectUris()).containsExactlyInAnyOrder("https://app.example/cb", "https://app.example/cb2");
		assertThat(after.firstParty()).as("consent box cleared").isTrue();
		assertThat(after.accessTokenTtl()).isEqualTo(Duration.ofSeconds(600));
		assertThat(audited("OIDC_CLIENT_UPDATED", admin.userId(), id)).isEqualTo(1);
		assertThat(browser.get("/admin/clients/" + id + "?done=updated").body()).contains("The client was saved.");
	}

	@Test
	void adminWhenChoosingPrivateKeyJwtThenKeysGoThroughTheServiceAndARefusalStandsBesideItsField() throws Exception {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("acme-1").generate();
		String publicJwks = new JWKSet(key.toPublicJWK()).toString();
		String name = "Acme jobs " + System.nanoTime();
		Map<String, String> fields = form(name, "https://app.example/cb");
		fields.put("grants", "client_credentials");
		fields.put("auth_method", "private_key_jwt");
		fields.put("jwks_uri", "");
		fields.put("jwks", "");
		assertThat(browser.get("/admin/clients/new").body()).contains("id=\"auth-private_key_jwt\"",
				"id=\"jwks_uri\"", "id=\"jwks\"");

		HttpResponse<String> noKeys = browser.post("/admin/clients", fields);
		assertThat(noKeys.statusCode()).isEqualTo(400);
		assertThat(fieldError(noKeys, "jwks")).contains("exactly one of a JWKS URI or a JWKS");
		assertThat(noKeys.body()).contains("aria-invalid=\"true\" aria-describedby=\"jwks-hint jwks-error\"")
			.containsPattern("id=\"auth-private_key_jwt\"[^>]*checked");
		fields.put("jwks", new JWKSet(key).toString(false));
		HttpResponse<String> privateKey = browser.post("/admin/clients", fields);
		assertThat(fieldError(privateKey, "jwks")).contains("holds a private key");
		fields.put("jwks", "");
		fields.put("jwks_uri", "ftp://keys.example/jwks");
		assertThat(fieldError(browser.post("/admin/clients", fields), "jwks_uri")).contains("must be https");
		fields.put("auth_method", "client_secret_basic");
		fields.put("jwks_uri", "https://keys.example/jwks");
		assertThat(fieldError(browser.post("/admin/clients", fields), "jwks_uri"))
			.isEqualTo("Keys are for private_key_jwt: choose it as the authentication, or leave the JWKS URI and the "
					+ "JWKS empty.");
		assertThat(clients.list()).as("nothing registered").noneMatch(c -> c.name().equals(name));

		fields.put("auth_method", "private_key_jwt");
		fields.put("jwks_uri", "");
		fields.put("jwks", publicJwks);
		HttpResponse<String> created = browser.post("/admin/clients", fields);
		assertThat(created.statusCode()).as("no secret to show: straight to the client").isEqualTo(303);
		OidcClients.Client client = clients.list().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
		assertThat(created.headers().firstValue("Location")).hasValue("/admin/clients/" + client.clientId());
		assertThat(client.authMethod()).isEqualTo("private_key_jwt");
		assertThat(client.keys().jwks()).contains("acme-1").doesNotContain("\"d\"");
		assertThat(audited("OIDC_CLIENT_CREATED", admin.userId(), client.clientId())).isEqualTo(1);
		String page = browser.get("/admin/clients/" + client.clientId()).body();
		assertThat(page).contains("<dd id=\"client-auth\"><code>private_key_jwt</code> (keys registered inline)")
			.doesNotContain("id=\"rotate-secret\"")
			.containsPattern("id=\"auth-private_key_jwt\"[^>]*checked");

		Map<String, String> change = form(name + " renamed", "https://app.example/cb");
		change.remove("type");
		change.put("grants", "client_credentials");
		change.put("auth_method", "private_key_jwt");
		change.put("jwks_uri", "");
		change.put("jwks", "");
		assertThat(browser.post("/admin/clients/" + client.clientId() + "/update", change).statusCode()).isEqualTo(303);
		assertThat(clients.find(client.clientId()).orElseThrow().keys()).as("empty fields keep the keys")
			.isEqualTo(client.keys());

		change.put("auth_method", "client_secret_basic");
		HttpResponse<String> backToSecret = browser.post("/admin/clients/" + client.clientId() + "/update", change);
		assertThat(fieldError(backToSecret, "auth_method")).contains("the way back to a secret is a new client");

		change.put("auth_method", "private_key_jwt");
		change.put("jwks_uri", "https://keys.acme.example/jwks.json");
		assertThat(browser.post("/admin/clients/" + client.clientId() + "/update", change).statusCode()).isEqualTo(303);
		assertThat(clients.find(client.clientId()).orElseThrow().keys())
			.isEqualTo(new OidcClients.ClientKeys("https://keys.acme.example/jwks.json", null));
		assertThat(browser.get("/admin/clients/" + client.clientId()).body())
			.contains("<code>private_key_jwt</code> (keys from https://keys.acme.example/jwks.json)")
			.contains("value=\"https://keys.acme.example/jwks.json\"");
		assertThat(audited("OIDC_CLIENT_UPDATED", admin.userId(), client.clientId())).isEqualTo(2);
	}

	@Test
	void adminWhenGivingKeysToAClientWithASecretThenItUsesPrivateKeyJwtAndItsSecretStops() throws Exception {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Secret first", OidcClients.Type.CONFIDENTIAL,
				List.of(), List.of(), Set.of("client_credentials"), Set.of("jobs"), false, true, null, null, null),
				ClientInfo.none());
		String id = client.client().clientId();
		assertThat(clientCredentials(id, client.secret())).isEqualTo(200);
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/clients/" + id).body()).contains("<code>client_secret_basic</code>")
			.containsPattern("id=\"auth-client_secret_basic\"[^>]*checked");
		Map<String, String> change = form("Secret first", "");
		change.remove("type");
		change.put("grants", "client_credentials");
		change.put("scopes", "jobs");
		change.put("auth_method", "private_key_jwt");
		change.put("jwks_uri", "https://keys.acme.example/jobs.json");
		change.put("jwks", "");
		assertThat(browser.post("/admin/clients/" + id + "/update", change).statusCode()).isEqualTo(303);
		assertThat(clients.find(id).orElseThrow().authMethod()).isEqualTo("private_key_jwt");
		assertThat(clientCredentials(id, client.secret())).as("the secret stopped working").isEqualTo(401);
	}

	/** The status of a client credentials grant with {@code client_secret_basic} (RFC 6749 §2.3.1, §4.4). */
	private static int clientCredentials(String clientId, String secret) throws Exception {
		String basic = java.util.Base64.getEncoder()
			.encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=jobs"))
				.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	/**
	 * The sentence shown beside the form's field {@code id}: its {@code id-error} paragraph, which the field names in
	 * {@code aria-describedby} so a screen reader reads it with the field.
	 */
	private static String fieldError(HttpResponse<String> page, String id) {
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("id=\"" + id + "\"")
			.containsPattern("aria-describedby=\"[^\"]*" + id + "-error\"");
		java.util.regex.Matcher m = java.util.regex.Pattern
			.compile("<p class=\"field-error\" id=\"" + id + "-error\">([^<]*)</p>")
			.matcher(page.body());
		assertThat(m.find()).as("an error beside " + id + " in " + page.body()).isTrue();
		return org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(1));
	}

	@Test
	void supportWhenReadingThenNoFormsAndWhenPostingThen403() {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Support sees", OidcClients.Type.CONFIDENTIAL,
				List.of("https://app.example/cb"), List.of(), Set.of("authorization_code"), null, false, true, null,
				null, null), ClientInfo.none());
		String id = client.client().clientId();
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		Browser browser = new Browser(support);
		for (String page : List.of("/admin/clients", "/admin/clients/" + id, "/admin/clients/new")) {
			HttpResponse<String> r = browser.get(page);
			assertThat(r.statusCode()).as(page).isEqualTo(200);
			assertThat(r.body()).as(page).contains("Support (read-only)").doesNotContain("method=\"post\"");
		}
		for (String post : List.of("/admin/clients", "/admin/clients/" + id + "/update",
				"/admin/clients/" + id + "/rotate-secret", "/admin/clients/" + id + "/delete")) {
			HttpResponse<String> r = browser.post(post, form("Changed", "https://app.example/cb"));
			assertThat(r.statusCode()).as(post).isEqualTo(403);
			assertThat(r.body()).contains("can look at every page of the dashboard but change nothing");
		}
		assertThat(clients.find(id).orElseThrow().name()).isEqualTo("Support sees");
	}

	@Test
	void rotateAndDeleteWhenSignInNotRecentThenSignInAgainAndWhenRecentThenDone() {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Sensitive", OidcClients.Type.CONFIDENTIAL,
				List.of(), List.of(), Set.of("client_credentials"), Set.of("jobs"), false, true, null, null, null),
				ClientInfo.none());
		String id = client.client().clientId();
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Browser old = new Browser(new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret()));
		assertThat(old.get("/admin/clients/" + id).statusCode()).isEqualTo(200);
		for (String post : List.of("/rotate-secret", "/delete")) {
			HttpResponse<String> r = old.post("/admin/clients/" + id + post, Map.of());
			assertThat(r.statusCode()).as(post).isEqualTo(303);
			assertThat(r.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
		}
		assertThat(clients.find(id)).as("not deleted").isPresent();

		clock.advance(Duration.ofSeconds(30));
		Browser fresh = new Browser(signInWithTotp(admin.email(), admin.totpSecret()));
		fresh.get("/admin/clients/" + id);
		HttpResponse<String> rotated = fresh.post("/admin/clients/" + id + "/rotate-secret", Map.of());
		assertThat(rotated.statusCode()).isEqualTo(200);
		assertThat(rotated.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		assertThat(rotated.body()).contains("id=\"client-secret\"").doesNotContain(client.secret());
		assertThat(audited("OIDC_CLIENT_SECRET_ROTATED", admin.userId(), id)).isEqualTo(1);

		fresh.get("/admin/clients/" + id);
		HttpResponse<String> deleted = fresh.post("/admin/clients/" + id + "/delete", Map.of());
		assertThat(deleted.statusCode()).isEqualTo(303);
		assertThat(deleted.headers().firstValue("Location")).hasValue("/admin/clients?deleted=1");
		assertThat(clients.find(id)).isEmpty();
		assertThat(audited("OIDC_CLIENT_DELETED", admin.userId(), id)).isEqualTo(1);
		assertThat(fresh.get("/admin/clients/" + id).statusCode()).isEqualTo(404);
	}
}
