package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** With an https issuer, HSTS is sent on every response even though the proxy in front speaks plain HTTP to us. */
@TestPropertySource(properties = "PLINTO_ISSUER=https://auth.example.com")
class HttpsIssuerHeadersTests extends ApiTestSupport {

	@Test
	void requestWhenIssuerIsHttpsThenStrictTransportSecurityOnEveryResponse() {
		for (ApiClient.Response r : new ApiClient.Response[] { api.get("/health"), api.get("/v1/unknown"),
				api.get("/v1/me"), api.get("/.well-known/openid-configuration") }) {
			assertThat(r.header("Strict-Transport-Security")).as(r.toString())
				.contains("max-age=31536000")
				.contains("includeSubDomains");
			ErrorHandlingTests.assertSecurityHeaders(r);
		}
	}

	@Test
	void requestWhenUnparseableAndIssuerIsHttpsThenStrictTransportSecurityToo() throws IOException {
		ErrorHandlingTests.RawResponse r = ErrorHandlingTests.raw(port, "GARBAGE\r\n\r\n");
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.header("Strict-Transport-Security")).as(r.text())
			.contains("max-age=31536000")
			.contains("includeSubDomains");
	}

	@Test
	void discoveryWhenIssuerIsHttpsThenPublishesIt() {
		ApiClient.Response r = api.get("/.well-known/openid-configuration");
		assertThat(r.text("issuer")).isEqualTo("https://auth.example.com");
		assertThat(r.text("jwks_uri")).isEqualTo("https://auth.example.com/.well-known/jwks.json");
	}
}
