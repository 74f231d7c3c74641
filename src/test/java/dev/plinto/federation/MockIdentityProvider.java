package dev.plinto.federation;

import dev.plinto.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.OAuth2HttpRouterKt;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;

/**
 * The identity provider of the test run: one mock-oauth2-server on loopback (port 18801), a real OAuth 2 / OpenID
 * Connect server whose issuers ({@code /google}, {@code /github}, {@code /corp}, …) each have their own keys. The
 * issuer {@code rogue} has a token endpoint that answers the next canned body of {@link #ROGUE_TOKENS} whatever the
 * code, so a test can hand Plinto a forged, expired or misbound ID token.
 */
public final class MockIdentityProvider {

	static final ConcurrentLinkedQueue<String> ROGUE_TOKENS = new ConcurrentLinkedQueue<>();

	public static final MockOAuth2Server SERVER = start();

	private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	private MockIdentityProvider() {
	}

	private static MockOAuth2Server start() {
		MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(),
				OAuth2HttpRouterKt.post("/rogue/token", request -> new OAuth2HttpResponse(
						Headers.of("Content-Type", "application/json"), 200, ROGUE_TOKENS.poll(), null)));
		server.start(InetAddress.getLoopbackAddress(), 18801);
		return server;
	}

	/**
	 * Signs in at the provider for a flow of Plinto's JSON API: the next token of {@code issuerId} is this person's,
	 * the authorization endpoint answers at once, and Plinto's callback sends the browser back to the app. Returns the
	 * app's query parameters ({@code sso_flow_id}, {@code sso_code}).
	 */
	public static Map<String, String> signInForApp(String plinto, String authorizationUrl, String issuerId,
			String clientId, String subject, String email) {
		SERVER.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(clientId),
				Map.of("email", email, "email_verified", true), 3600));
		URI callback = URI.create(location(get(URI.create(authorizationUrl))));
		return query(location(get(URI.create(plinto + callback.getRawPath() + "?" + callback.getRawQuery()))));
	}

	/** The completion of a JSON API flow started with {@code POST /v1/sign-in/oauth} for the given provider. */
	public static ApiClient.Response completeForApp(ApiClient api, String provider, String issuerId, String clientId,
			String subject, String email) {
		ApiClient.Response started = api.post("/v1/sign-in/oauth",
				ApiClient.map("provider", provider, "redirect_url", "https://app.example.com/cb"));
		Map<String, String> back = signInForApp(api.base(), started.text("authorization_url"), issuerId, clientId,
				subject, email);
		return api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", back.get("sso_flow_id"), "code", back.get("sso_code")));
	}

	static HttpResponse<String> get(URI uri) {
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

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(response.body()));
	}

	public static Map<String, String> query(String url) {
		String q = URI.create(url).getRawQuery();
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : q.split("&")) {
			String[] kv = pair.split("=", 2);
			params.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
		}
		return params;
	}
}
