package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Pushed authorization requests (RFC 9126) through the real server: the client pushes its authorization request
 * with its credentials, the browser takes only the {@code request_uri} to the authorization endpoint, and the code
 * is exchanged as usual; a {@code request_uri} works once and not after its expiry; pushing needs client
 * authentication. And both discovery documents name the new endpoints and grants.
 */
class OidcParTests extends OidcTestSupport {

	Json push(Registered client, Pkce pkce, String state) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("response_type", "code");
		fields.put("client_id", client.id());
		fields.put("redirect_uri", REDIRECT);
		fields.put("scope", "openid email");
		fields.put("state", state);
		fields.put("nonce", "n-par");
		fields.put("code_challenge", pkce.challenge());
		fields.put("code_challenge_method", "S256");
		return tokenRequest("/oauth2/par", client, fields);
	}

	static String authorizeUrl(Registered client, String requestUri) {
		return "/oauth2/authorize?client_id=" + client.id() + "&request_uri=" + Browser.encode(requestUri);
	}

	@Test
	void parWhenPushedThenTheRequestUriAloneStartsTheCodeFlowAndWorksOnce() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Pkce pkce = Pkce.create();
		Json pushed = push(client, pkce, "st-par");
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
		String requestUri = pushed.text("request_uri");
		assertThat(requestUri).startsWith("urn:ietf:params:oauth:request_uri:");
		assertThat(pushed.body().get("expires_in").asLong()).isBetween(1L, 600L);

		Browser browser = new Browser(base());
		HttpResponse<String> back = authorizeWithSignIn(browser, authorizeUrl(client, requestUri), user.email());
		assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
		String location = Browser.location(back);
		assertThat(location).startsWith(REDIRECT + "?code=");
		assertThat(Browser.param(location, "state")).isEqualTo("st-par");
		Json tokens = exchange(client, Browser.param(location, "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(verified(tokens.text("id_token")).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-par");

		HttpResponse<String> reused = browser.get(authorizeUrl(client, requestUri));
		assertThat(reused.statusCode()).as("a request_uri works once (RFC 9126 §4)").isEqualTo(400);
		assertThat(reused.body()).contains("This sign-in request is incomplete or not valid");
	}

	@Test
	void parWhenTheRequestUriExpiredThenRefused() {
		Registered client = confidential(true);
		Json pushed = push(client, Pkce.create(), "st-old");
		String requestUri = pushed.text("request_uri");
		// The library keeps the expiry in the request_uri itself (…:<state>___<epoch millis>, the push's time plus its
		// expires_in); one whose time has passed is refused.
		int cut = requestUri.lastIndexOf("___");
		assertThat(cut).as(requestUri).isPositive();
		String expired = requestUri.substring(0, cut + 3) + (System.currentTimeMillis() - 1000);
		Browser browser = new Browser(base());
		HttpResponse<String> signIn = browser.get(authorizeUrl(client, expired));
		HttpResponse<String> answer = Browser.isRedirect(signIn)
				? signInThenFollow(browser, signIn, user().email()) : signIn;
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.body()).contains("This sign-in request is incomplete or not valid");
	}

	HttpResponse<String> signInThenFollow(Browser browser, HttpResponse<String> toSignIn, String email) {
		String redirectUrl = Browser.param(Browser.location(toSignIn), "redirect_url");
		browser.get(Browser.location(toSignIn));
		HttpResponse<String> signedIn = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD,
				"redirect_url", redirectUrl));
		return browser.follow(signedIn);
	}

	@Test
	void parWhenTheClientDoesNotAuthenticateThenInvalidClient() {
		Registered client = confidential(true);
		Json anonymous = push(new Registered(client.id(), null), Pkce.create(), "st");
		assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
		assertThat(anonymous.text("error")).isEqualTo("invalid_client");
		Json wrongSecret = push(new Registered(client.id(), "wrong"), Pkce.create(), "st");
		assertThat(wrongSecret.status()).as(wrongSecret.toString()).isEqualTo(401);
		assertThat(wrongSecret.text("error")).isEqualTo("invalid_client");
	}

	@Test
	void parWhenTheRedirectUriIsNotRegisteredThenAnErrorInTheProtocolsJsonForm() {
		Registered client = confidential(true);
		Json refused = tokenRequest("/oauth2/par", client, Map.of("response_type", "code", "client_id", client.id(),
				"redirect_uri", "https://evil.example/callback", "scope", "openid", "code_challenge",
				Pkce.create().challenge(), "code_challenge_method", "S256"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("invalid_request");
		assertThat(refused.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
	}

	@Test
	void parWhenTheRequestCarriesARequestObjectThenRequestNotSupported() {
		Registered client = confidential(true);
		Json refused = tokenRequest("/oauth2/par", client, Map.of("response_type", "code", "client_id", client.id(),
				"redirect_uri", REDIRECT, "scope", "openid", "code_challenge", Pkce.create().challenge(),
				"code_challenge_method", "S256", "request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9."));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("request_not_supported");
	}

	@Test
	void discoveryWhenFetchedThenNamesParDeviceAndTokenExchange() {
		for (String path : new String[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" }) {
			JsonNode doc = api.get(path).json();
			assertThat(doc.get("pushed_authorization_request_endpoint").asString()).as(path)
				.isEqualTo(base() + "/oauth2/par");
			assertThat(doc.get("require_pushed_authorization_requests").asBoolean()).as(path).isFalse();
			assertThat(doc.get("device_authorization_endpoint").asString()).as(path)
				.isEqualTo(base() + "/oauth2/device_authorization");
			assertThat(doc.get("grant_types_supported").values().stream().map(JsonNode::asString).toList()).as(path)
				.containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials",
						"urn:ietf:params:oauth:grant-type:device_code",
						"urn:ietf:params:oauth:grant-type:token-exchange");
		}
	}
}
