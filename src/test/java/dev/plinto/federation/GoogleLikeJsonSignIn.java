package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
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

/**
 * A sign-in of the JSON API through the provider {@code googlelike} (the test run's mock server as issuer
 * {@code google}, client {@code plinto-google}), as a person with this email, up to the completion's answer: the
 * classes that configure that provider with other settings share it.
 */
final class GoogleLikeJsonSignIn {

	private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private GoogleLikeJsonSignIn() {
	}

	static ApiClient.Response signInAs(ApiClient api, String email, boolean emailVerified) {
		ApiClient.Response started = api.post("/v1/sign-in/oauth",
				ApiClient.map("provider", "googlelike", "redirect_url", "https://app.example.com/cb"));
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		MockIdentityProvider.SERVER.enqueueCallback(new DefaultOAuth2TokenCallback("google", UUID.randomUUID().toString(),
				"JWT", List.of("plinto-google"), Map.of("email", email, "email_verified", emailVerified), 3600));
		URI callback = URI.create(location(get(URI.create(started.text("authorization_url")))));
		String back = location(get(URI.create(api.base() + callback.getRawPath() + "?" + callback.getRawQuery())));
		Map<String, String> params = FederationTests.query(back);
		return api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));
	}

	private static HttpResponse<String> get(URI uri) {
		try {
			return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
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
}
