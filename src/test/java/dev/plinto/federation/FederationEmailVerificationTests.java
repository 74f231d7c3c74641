package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code PLINTO_EMAIL_VERIFICATION=required} holds for sign-in through a provider too: an address the provider
 * confirmed signs up and in; one it did not confirm creates no account and signs in nowhere. Uses
 * {@link FederationTests}'s mock server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "PLINTO_EMAIL_VERIFICATION=required", "PLINTO_OAUTH_PROVIDERS=googlelike",
				"PLINTO_REDIRECT_URLS=https://app.example.com/", "PLINTO_OAUTH_GOOGLELIKE_CLIENT_ID=plinto-google",
				"PLINTO_OAUTH_GOOGLELIKE_CLIENT_SECRET=google-secret" })
class FederationEmailVerificationTests extends ApiTestSupport {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_OAUTH_GOOGLELIKE_ISSUER", () -> MockIdentityProvider.SERVER.issuerUrl("google").toString());
	}

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@Autowired
	JdbcClient jdbc;

	/** A sign-in of the JSON API through the Google-like provider as this person, up to the completion's answer. */
	private ApiClient.Response signInAs(String email, boolean verified) {
		ApiClient.Response started = api.post("/v1/sign-in/oauth",
				ApiClient.map("provider", "googlelike", "redirect_url", "https://app.example.com/cb"));
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		MockIdentityProvider.SERVER.enqueueCallback(new DefaultOAuth2TokenCallback("google", UUID.randomUUID().toString(),
				"JWT", List.of("plinto-google"), Map.of("email", email, "email_verified", verified), 3600));
		URI callback = URI.create(location(get(URI.create(started.text("authorization_url")))));
		String back = location(get(URI.create(api.base() + callback.getRawPath() + "?" + callback.getRawQuery())));
		Map<String, String> params = FederationTests.query(back);
		return api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));
	}

	private HttpResponse<String> get(URI uri) {
		try {
			return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(response.body()));
	}

	@Test
	void signInWhenProviderConfirmedTheEmailThenAccountCreatedAndSignedIn() {
		String email = newEmail();

		ApiClient.Response signedIn = signInAs(email, true);

		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.json().get("user").get("email_verified").asBoolean()).isTrue();
	}

	@Test
	void signInWhenProviderDidNotConfirmTheEmailThenRefusedAndNoAccountCreated() {
		String email = newEmail();

		ApiClient.Response refused = signInAs(email, false);

		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("email_not_verified");
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Long.class)
			.single()).as("the just-created account rolled back with the refusal").isZero();
	}
}
