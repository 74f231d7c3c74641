package dev.plinto.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpsEndpointsTests extends ApiTestSupport {

	/**
	 * Every path of the API the core issue defines. Discovery ({@code /.well-known/openid-configuration}) is the
	 * OpenID provider's (docs/oidc.md), served by its filter chain and tested in {@code oidc.OidcProviderTests}.
	 */
	private static final List<String> DOCUMENTED_PATHS = List.of("/v1/sign-up", "/v1/sign-in", "/v1/token/refresh",
			"/v1/sign-out", "/v1/me", "/v1/me/password", "/v1/me/sessions", "/v1/me/sessions/{id}",
			"/v1/me/security-events", "/v1/email-verification", "/v1/email-verification/confirm",
			"/v1/password-reset", "/v1/password-reset/confirm", "/.well-known/jwks.json");

	@Test
	void healthWhenProcessRunsThenUp() {
		ApiClient.Response r = api.get("/health");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.header("Content-Type")).startsWith("application/json");
		assertThat(r.header("Cache-Control")).isEqualTo("no-store");
		assertThat(r.text("status")).isEqualTo("UP");
	}

	@Test
	void healthReadyWhenDatabaseUpAndNoRedisThenUpWithEachCheck() {
		ApiClient.Response r = api.get("/health/ready");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("UP");
		assertThat(r.json().get("accepting_traffic").asBoolean()).isTrue();
		assertThat(r.text("db")).isEqualTo("up");
		assertThat(r.text("redis")).isEqualTo("not_configured");
	}

	@Test
	void healthDbWhenDatabaseReachableThenUp() {
		ApiClient.Response r = api.get("/health/db");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("UP");
		assertThat(r.text("db")).isEqualTo("up");
	}

	@Test
	void healthRedisWhenNotConfiguredThenUpSayingSo() {
		ApiClient.Response r = api.get("/health/redis");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("UP");
		assertThat(r.text("redis")).isEqualTo("not_configured");
	}

	@Test
	void metricsWhenTrafficThenPrometheusTextWithHttpAuthAndPoolMetrics() {
		String email = newEmail();
		ApiClient.Response signUp = signUp(email);
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(email, "not the password").status()).isEqualTo(401);
		assertThat(api.post("/v1/token/refresh", ApiClient.map("refresh_token", signUp.text("refresh_token")))
			.status()).isEqualTo(200);

		ApiClient.Response r = api.get("/metrics");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.header("Content-Type")).startsWith("text/plain");
		String text = r.raw();
		assertThat(text).contains("# TYPE http_server_requests_seconds histogram")
			.containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/v1/sign-in\"[^}]*le=\"")
			.containsPattern("plinto_sign_ins_total\\{[^}]*outcome=\"success\"[^}]*} [1-9]")
			.containsPattern("plinto_sign_ins_total\\{[^}]*outcome=\"[a-z_]+\"[^}]*} [1-9]")
			.containsPattern("plinto_refreshes_total\\{[^}]*outcome=\"success\"[^}]*} [1-9]")
			.containsPattern("plinto_password_hash_seconds_count\\{[^}]*} [1-9]")
			.containsPattern("plinto_sessions_active\\{[^}]*} [0-9]")
			.containsPattern("hikaricp_connections\\{[^}]*pool=\"plinto\"")
			.contains("hikaricp_connections_active");
		assertThat(text).doesNotContain(email).doesNotContain(PASSWORD);
	}

	@Test
	void openApiWhenFetchedThenListsEveryEndpointWithProblemResponses() {
		ApiClient.Response r = api.get("/openapi.json");
		assertThat(r.status()).isEqualTo(200);
		JsonNode doc = r.json();
		assertThat(doc.get("openapi").asString()).startsWith("3.");
		List<String> paths = new ArrayList<>(doc.get("paths").propertyNames());
		assertThat(paths).containsAll(DOCUMENTED_PATHS);
		assertThat(paths).contains("/health", "/health/ready", "/health/db", "/health/redis");

		JsonNode problem = doc.get("components").get("schemas").get("Problem");
		assertThat(problem.get("properties").propertyNames()).contains("type", "title", "status", "detail", "code",
				"request_id", "errors");
		assertThat(problem.get("properties").get("code").get("enum").valueStream().map(JsonNode::asString))
			.contains("invalid_credentials", "refresh_token_reused", "validation_failed", "rate_limited");

		JsonNode signInResponses = doc.get("paths").get("/v1/sign-in").get("post").get("responses");
		JsonNode unauthorized = signInResponses.get("401");
		assertThat(unauthorized.get("description").asString()).contains("invalid_credentials");
		assertThat(unauthorized.get("content").get("application/problem+json").get("schema").get("$ref").asString())
			.isEqualTo("#/components/schemas/Problem");
		assertThat(signInResponses.get("429").get("description").asString()).contains("rate_limited");
		assertThat(doc.get("paths").get("/v1/token/refresh").get("post").get("responses").get("401")
			.get("description").asString()).contains("refresh_token_reused").contains("invalid_refresh_token");
		assertThat(doc.get("paths").get("/v1/sign-up").get("post").get("responses").get("409").get("description")
			.asString()).contains("email_taken");
		assertThat(doc.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
			.isEqualTo("bearer");
	}

	/** The caller is resolved from the request and its token, so it is neither a parameter nor a request body. */
	@Test
	void openApiWhenFetchedThenTheCallerIsNoParameter() {
		JsonNode doc = api.get("/openapi.json").json();
		List<String> parameters = new ArrayList<>();
		doc.get("paths").properties().forEach(path -> path.getValue().forEach(operation -> {
			// the audit search's `ip` is a filter on the events' addresses, not the caller's
			if (operation.has("parameters") && !path.getKey().startsWith("/v1/admin/audit")) {
				operation.get("parameters").forEach(p -> parameters.add(p.get("in").asString() + " "
						+ p.get("name").asString()));
			}
		}));
		assertThat(parameters).isNotEmpty()
			.noneMatch(p -> p.startsWith("query ") && p.matches("query (caller|client|user_?id|session_?id|ip|user_?agent)"));
		assertThat(doc.get("components").get("schemas").propertyNames()).doesNotContain("Caller", "ClientInfo");
		assertThat(doc.get("paths").get("/v1/sign-out").get("post").has("requestBody")).isFalse();
	}

	@Test
	void openApiWhenFetchedThenRequestFieldsAreSnakeCase() {
		JsonNode doc = api.get("/openapi.json").json();
		JsonNode schemas = doc.get("components").get("schemas");
		List<String> fields = new ArrayList<>();
		schemas.forEach(schema -> {
			if (schema.has("properties")) {
				fields.addAll(schema.get("properties").propertyNames());
			}
		});
		assertThat(fields).contains("refresh_token", "new_password", "current_password")
			.doesNotContain("refreshToken", "newPassword", "currentPassword");
	}

	@Test
	void docsWhenOpenedThenSwaggerUiPage() throws Exception {
		HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
		HttpResponse<String> r = send(http, HttpRequest.newBuilder(URI.create(api.base() + "/docs")).build());
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
		assertThat(r.body()).contains("swagger-ui");
		ApiClient.Response config = api.get("/openapi.json/swagger-config");
		assertThat(config.status()).isEqualTo(200);
		assertThat(config.text("url")).isEqualTo("/openapi.json");
	}

	@Test
	void jwksWhenFetchedThenCacheableKeySetWithoutPrivateParts() {
		ApiClient.Response r = api.get("/.well-known/jwks.json");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.header("Cache-Control")).containsPattern("max-age=[1-9][0-9]*");
		JsonNode keys = r.json().get("keys");
		assertThat(keys.size()).isGreaterThanOrEqualTo(1);
		keys.forEach(key -> {
			assertThat(key.get("kid").asString()).isNotBlank();
			assertThat(key.has("d")).as("no private exponent").isFalse();
			assertThat(key.has("p")).isFalse();
		});
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws InterruptedException {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
