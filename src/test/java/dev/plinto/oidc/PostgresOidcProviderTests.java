package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.web.ClientInfo;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The provider's tables (V15) and Spring Authorization Server's JDBC services on PostgreSQL: a client, the code flow
 * with a signed-in browser (the stored principal with its factors and session), refresh, introspection, revocation
 * and client credentials. The issuer here is the default one, so redirects to it are followed by path.
 */
class PostgresOidcProviderTests extends PostgresApiTestSupport {

	private static final String REDIRECT = "https://app.example/callback";

	private static final String ISSUER = "http://localhost:8080";

	@Autowired
	private OidcClients clients;

	@Test
	void codeFlowAndClientCredentialsWhenOnPostgresThenStoredAndReadBack() throws Exception {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Postgres app", OidcClients.Type.CONFIDENTIAL,
				List.of(REDIRECT), List.of(), Set.of("authorization_code", "refresh_token", "client_credentials"),
				Set.of("openid", "email", "offline_access", "jobs"), false, true, null, null, null), ClientInfo.none());
		String email = newEmail();
		signUp(email);
		Browser browser = new Browser("http://localhost:" + port);
		browser.get("/sign-in");
		// The server runs on a random port under the default issuer, whose origin the pages' Origin check expects.
		assertThat(browser.postRaw("/sign-in", Map.of("email", email, "password", PASSWORD, "_csrf", browser.csrf),
				"Origin", ISSUER).statusCode()).isEqualTo(303);
		String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
		String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
				MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		HttpResponse<String> consent = browser.get("/oauth2/authorize?response_type=code&client_id="
				+ client.client().clientId() + "&redirect_uri=" + Browser.encode(REDIRECT)
				+ "&scope=openid%20email%20offline_access&state=s&nonce=n&code_challenge=" + challenge + "&code_challenge_method=S256");
		HttpResponse<String> page = browser.get(path(Browser.location(consent)));
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		java.util.regex.Matcher state = java.util.regex.Pattern.compile("name=\"state\" value=\"([^\"]+)\"")
			.matcher(page.body());
		assertThat(state.find()).isTrue();
		HttpResponse<String> allowed = browser.post("/oauth2/authorize", Map.of("client_id",
				client.client().clientId(), "state", state.group(1).replace("&#61;", "="), "scope",
				List.of("openid", "email", "offline_access")));
		String code = Browser.param(Browser.location(allowed), "code");
		assertThat(code).as(Browser.location(allowed)).isNotBlank();

		OidcTestSupport.Registered registered = new OidcTestSupport.Registered(client.client().clientId(),
				client.secret());
		JsonNode tokens = post(registered, "/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", REDIRECT, "code_verifier", verifier));
		assertThat(tokens.get("id_token")).as(tokens.toString()).isNotNull();
		assertThat(ApiClient.claims(tokens.get("id_token").asString()).get("amr").get(0).asString()).isEqualTo("pwd");
		JsonNode refreshed = post(registered, "/oauth2/token", Map.of("grant_type", "refresh_token", "refresh_token",
				tokens.get("refresh_token").asString()));
		assertThat(refreshed.get("access_token")).as(refreshed.toString()).isNotNull();
		assertThat(post(registered, "/oauth2/introspect", Map.of("token", refreshed.get("access_token").asString()))
			.get("active").asBoolean()).isTrue();
		post(registered, "/oauth2/revoke", Map.of("token", refreshed.get("access_token").asString()));
		assertThat(post(registered, "/oauth2/introspect", Map.of("token", refreshed.get("access_token").asString()))
			.get("active").asBoolean()).isFalse();
		JsonNode machine = post(registered, "/oauth2/token", Map.of("grant_type", "client_credentials", "scope",
				"jobs"));
		assertThat(machine.get("access_token")).as(machine.toString()).isNotNull();
	}

	private static String path(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private JsonNode post(OidcTestSupport.Registered client, String path, Map<String, ?> fields) {
		HttpResponse<String> r = new Browser("http://localhost:" + port).postRaw(path, fields, "Authorization",
				"Basic " + Base64.getEncoder().encodeToString((client.id() + ":" + client.secret())
					.getBytes(StandardCharsets.UTF_8)));
		return r.body().isEmpty() ? JsonMapper.builder().build().createObjectNode()
				: JsonMapper.builder().build().readTree(r.body());
	}
}
