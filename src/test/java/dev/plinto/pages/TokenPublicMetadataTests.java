package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.account.UserMetadata;
import dev.plinto.admin.ApiKeys;
import dev.plinto.web.ClientInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code PLINTO_TOKEN_PUBLIC_METADATA=on}: every access token of a Plinto session (sign-in, refresh, the session JWT
 * cookie of the pages, an organization switch, an impersonation) carries the user's public metadata as it is stored
 * when the token is issued, as the {@code public_metadata} claim; metadata larger than
 * {@link UserMetadata#TOKEN_CLAIM_MAX_BYTES} is left out of the token and stays whole in the API.
 */
@PagesServer
class TokenPublicMetadataTests implements WithMailCatcher {

	/** A port of its own: this class's server runs beside the shared one of the other page tests. */
	private static final int OWN_PORT = PagesTestSupport.freePort();

	@org.springframework.beans.factory.annotation.Value("${server.port}")
	private int serverPort;

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@DynamicPropertySource
	static void publicMetadataInTokens(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_TOKEN_PUBLIC_METADATA", () -> "on");
		registry.add("PLINTO_PORT", () -> OWN_PORT);
		registry.add("server.port", () -> OWN_PORT);
		registry.add("PLINTO_REDIRECT_URLS", PagesTestSupport::appUrl);
	}

	@Test
	void tokensWhenOnThenEachCarriesThePublicMetadataAsStoredWhenIssued() {
		ApiClient api = new ApiClient(url());
		String email = verifiedAccount(api);
		ApiClient.Response signedIn = api.post("/v1/sign-in",
				ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		String userId = signedIn.json().get("user").get("id").asString();
		JsonNode first = ApiClient.claims(signedIn.text("access_token"));
		assertThat(first.get("public_metadata").isObject()).as("present when on, empty before any is set").isTrue();
		assertThat(first.get("public_metadata")).isEmpty();

		String key = apiKeys.create("metadata " + UUID.randomUUID(), List.of("users:write", "users:impersonate"),
				null, "test", ClientInfo.none()).secret();
		ApiClient.Response changed = api.patch("/v1/admin/users/" + userId, Map.of("public_metadata",
				Map.of("plan", "pro", "seats", 5, "tags", List.of("beta", "Zürich"))), key);
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", signedIn.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		JsonNode metadata = ApiClient.claims(refreshed.text("access_token")).get("public_metadata");
		assertThat(metadata.get("plan").asString()).as("follows the change at the next refresh").isEqualTo("pro");
		assertThat(metadata.get("seats").asInt()).isEqualTo(5);
		assertThat(metadata.get("tags").get(1).asString()).isEqualTo("Zürich");
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(200);

		// The session JWT cookie of a browser signed in on the pages.
		FormClient browser = new FormClient(url());
		browser.get("/sign-in");
		assertThat(browser.post("/sign-in", Map.of("email", email, "password", PagesTestSupport.PASSWORD))
			.statusCode()).isEqualTo(303);
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).get("public_metadata").get("plan")
			.asString()).isEqualTo("pro");

		// An organization switch answers a new access token with the organization's claims beside it.
		String token = refreshed.text("access_token");
		String org = api.post("/v1/organizations", Map.of("name", "Metadata " + UUID.randomUUID()), token).text("id");
		ApiClient.Response switched = api.post("/v1/me/active-organization", Map.of("organization_id", org), token);
		assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
		JsonNode switchedClaims = ApiClient.claims(switched.text("access_token"));
		assertThat(switchedClaims.get("org_id").asString()).isEqualTo(org);
		assertThat(switchedClaims.get("public_metadata").get("plan").asString()).isEqualTo("pro");

		ApiClient.Response impersonated = api.post("/v1/admin/users/" + userId + "/impersonate", "", key);
		assertThat(impersonated.status()).as(impersonated.toString()).isEqualTo(201);
		assertThat(ApiClient.claims(impersonated.text("access_token")).get("public_metadata").get("plan").asString())
			.isEqualTo("pro");
	}

	@Test
	void tokensWhenPublicMetadataLargerThanTheClaimBoundThenLeftOutOfTheTokenAndWholeInTheApi() {
		ApiClient api = new ApiClient(url());
		String email = verifiedAccount(api);
		ApiClient.Response signedIn = api.post("/v1/sign-in",
				ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		String userId = signedIn.json().get("user").get("id").asString();
		String key = apiKeys.create("metadata " + UUID.randomUUID(), List.of("users:write"), null, "test",
				ClientInfo.none()).secret();
		String note = "n".repeat(UserMetadata.TOKEN_CLAIM_MAX_BYTES);
		assertThat(api.patch("/v1/admin/users/" + userId, Map.of("public_metadata", Map.of("note", note)), key)
			.status()).isEqualTo(200);

		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", signedIn.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(refreshed.text("access_token")).has("public_metadata")).isFalse();
		assertThat(api.get("/v1/me", refreshed.text("access_token")).json().get("public_metadata").get("note")
			.asString()).isEqualTo(note);

		assertThat(api.patch("/v1/admin/users/" + userId, Map.of("public_metadata", Map.of("note", "short")), key)
			.status()).isEqualTo(200);
		ApiClient.Response again = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", refreshed.text("refresh_token")));
		assertThat(ApiClient.claims(again.text("access_token")).get("public_metadata").get("note").asString())
			.isEqualTo("short");
	}

	@Test
	void refreshWhenOnThenTheMetadataComesWithTheOneStatementThatReadsTheSessionAndItsUser() {
		ApiClient api = new ApiClient(url());
		String email = verifiedAccount(api);
		ApiClient.Response signedIn = api.post("/v1/sign-in",
				ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		jdbc.sql("set query_statistics true").update();
		Map<String, Long> before = readsOfUsers();
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", signedIn.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(refreshed.text("access_token")).get("public_metadata").isObject()).isTrue();
		Map<String, Long> after = readsOfUsers();
		Map<String, Long> ran = new java.util.HashMap<>();
		after.forEach((sql, n) -> {
			if (n > before.getOrDefault(sql, 0L)) {
				ran.put(sql, n - before.getOrDefault(sql, 0L));
			}
		});
		assertThat(ran).as("the refresh read the users table once, in the statement that reads its session")
			.hasSize(1)
			.allSatisfy((sql, n) -> {
				assertThat(sql).contains("from sessions s join users u").contains("public_metadata");
				assertThat(n).isEqualTo(1);
			});
	}

	/** H2's statistics of the statements that read the users table: their text and how often each ran. */
	private Map<String, Long> readsOfUsers() {
		Map<String, Long> reads = new java.util.HashMap<>();
		jdbc.sql("select sql_statement, execution_count from information_schema.query_statistics")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.filter(e -> USERS_READ.matcher(e.getKey()).find())
			.forEach(e -> reads.merge(e.getKey(), e.getValue(), Long::sum));
		return reads;
	}

	private static final java.util.regex.Pattern USERS_READ = java.util.regex.Pattern
		.compile("(?i)\\b(from|join)\\s+users\\b");

	private String verifiedAccount(ApiClient api) {
		String email = PagesTestSupport.newEmail();
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		api.post("/v1/email-verification/confirm",
				ApiClient.map("token", MailCatcher.token(MAIL.awaitMessage(email, 1))));
		return email;
	}

	private String url() {
		return "http://localhost:" + serverPort;
	}
}
