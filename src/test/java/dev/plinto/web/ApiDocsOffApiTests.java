package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/** {@code PLINTO_API_DOCS=off}: no API reference, and {@code GET /} says what the server is instead. */
@TestPropertySource(properties = "PLINTO_API_DOCS=off")
class ApiDocsOffApiTests extends ApiTestSupport {

	@ParameterizedTest
	@ValueSource(strings = { "/docs", "/docs/", "/openapi.json", "/openapi.json/swagger-config", "/openapi.yaml",
			"/swagger-ui/index.html", "/swagger-ui/swagger-initializer.js", "/v3/api-docs" })
	void apiReferenceWhenApiDocsOffThenNotFound(String path) {
		ApiClient.Response r = api.get(path);

		assertThat(r.status()).as(path + ": " + r).isEqualTo(404);
		assertThat(r.code()).isEqualTo("not_found");
	}

	@Test
	void rootWhenApiDocsOffThenSaysWhatTheServerIsAndWhereItsKeysAre() {
		ApiClient.Response r = api.get("/");

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("name")).isEqualTo("Plinto");
		assertThat(r.text("message")).contains("PLINTO_API_DOCS=off");
		assertThat(r.text("jwks_uri")).endsWith("/.well-known/jwks.json");
		assertThat(r.text("openid_configuration")).endsWith("/.well-known/openid-configuration");
	}

	@Test
	void apiWhenApiDocsOffThenUnaffected() {
		assertThat(api.get("/.well-known/jwks.json").status()).isEqualTo(200);
		assertThat(signUp(newEmail()).text("access_token")).isNotBlank();
	}
}
