package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;

/** {@code GET /} and the API reference with {@code PLINTO_API_DOCS} at its default, on. */
class RootApiTests extends ApiTestSupport {

	@Test
	void rootWhenApiDocsOnThenRedirectsToTheApiReference() {
		ApiClient.Response r = api.get("/");

		assertThat(r.status()).as(r.toString()).isEqualTo(302);
		assertThat(r.header("Location")).isEqualTo("/docs");
	}

	@Test
	void apiReferenceWhenApiDocsOnThenServed() {
		ApiClient.Response openApi = api.get("/openapi.json");
		assertThat(openApi.status()).as(openApi.toString()).isEqualTo(200);
		assertThat(openApi.json().path("paths").has("/v1/sign-up")).isTrue();

		ApiClient.Response ui = api.get("/swagger-ui/index.html");
		assertThat(ui.status()).as(ui.toString()).isEqualTo(200);
		assertThat(ui.raw()).contains("swagger-ui");
	}
}
