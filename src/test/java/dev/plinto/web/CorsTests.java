package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "PLINTO_CORS_ORIGINS=https://app.example.com")
class CorsTests extends ApiTestSupport {

	private ApiClient.Response preflight(String origin, String method) {
		return api.send(api.request("/v1/sign-in", null)
			.header("Origin", origin)
			.header("Access-Control-Request-Method", method)
			.header("Access-Control-Request-Headers", "content-type")
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.build());
	}

	@Test
	void preflightWhenOriginConfiguredThenAllowed() {
		ApiClient.Response r = preflight("https://app.example.com", "POST");
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
		assertThat(r.header("Access-Control-Allow-Methods")).contains("POST");
		assertThat(r.header("Access-Control-Allow-Headers")).containsIgnoringCase("content-type");
		assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
	}

	@Test
	void preflightWhenOriginNotConfiguredThenRefusedWithoutAllowOrigin() {
		ApiClient.Response r = preflight("https://evil.example.com", "POST");
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	void requestWhenOriginConfiguredThenAllowOriginAndExposedRequestId() {
		ApiClient.Response r = api.send(api.request("/health", null).header("Origin", "https://app.example.com")
			.GET()
			.build());
		assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
		assertThat(r.header("Access-Control-Expose-Headers")).contains("X-Request-Id");
	}

	@Test
	void requestWhenOriginNotConfiguredThenNoAllowOrigin() {
		ApiClient.Response r = api.send(api.request("/health", null).header("Origin", "https://evil.example.com")
			.GET()
			.build());
		assertThat(r.header("Access-Control-Allow-Origin")).isNull();
	}
}
