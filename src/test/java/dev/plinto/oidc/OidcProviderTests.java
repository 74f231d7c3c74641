package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The OpenID provider end to end through the real server: discovery, the authorization code flow with PKCE through
 * the hosted sign-in page, the token endpoint, ID and access tokens verified against the JWKS, UserInfo, refresh,
 * introspection, revocation, client credentials and logout, and the refusals RFC 6749, RFC 7636 and RFC 9700 ask
 * for.
 */
class OidcProviderTests extends OidcTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void discoveryWhenFetchedThenNamesEveryEndpointAndPlintosJwks() {
		JsonNode oidc = api.get("/.well-known/openid-configuration").json();
		assertThat(oidc.get("issuer").asString()).isEqualTo(base());
		assertThat(oidc.get("jwks_uri").asString()).isEqualTo(base() + "/.well-known/jwks.json");
		assertThat(oidc.get("authorization_endpoint").asString()).isEqualTo(base() + "/oauth2/authorize");
		assertThat(oidc.get("token_endpoint").asString()).isEqualTo(base() + "/oauth2/token");
		assertThat(oidc.get("userinfo_endpoint").asString()).isEqualTo(base() + "/userinfo");
		assertThat(oidc.get("end_session_endpoint").asString()).isEqualTo(base() + "/connect/logout");
		assertThat(oidc.get("introspection_endpoint").asString()).isEqualTo(base() + "/oauth2/introspect");
		assertThat(oidc.get("revocation_endpoint").asString()).isEqualTo(base() + "/oauth2/revoke");
		assertThat(texts(oidc.get("code_challenge_methods_supported"))).containsExactly("S256");
		assertThat(texts(oidc.get("grant_types_supported"))).containsExactlyInAnyOrder("authorization_code",
				"refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code",
				"urn:ietf:params:oauth:grant-type:token-exchange");
		assertThat(texts(oidc.get("scopes_supported"))).contains("openid", "profile", "email", "offline_access");
		assertThat(texts(oidc.get("id_token_signing_alg_values_supported"))).containsExactly("RS256");
		assertThat(texts(oidc.get("response_types_supported"))).containsExactly("code");
		JsonNode oauth = api.get("/.well-known/oauth-authorization-server").json();
		assertThat(oauth.get("issuer").asString()).isEqualTo(base());
		assertThat(oauth.get("jwks_uri").asString()).isEqualTo(base() + "/.well-known/jwks.json");
		assertThat(texts(oauth.get("code_challenge_methods_supported"))).containsExactly("S256");
	}

	@Test
	void codeFlowWhenSignedInOnThePagesThenTokensVerifyAgainstTheJwksAndCarryTheSession() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Pkce pkce = Pkce.create();
		Browser browser = new Browser(base());
		HttpResponse<String> back = authorizeWithSignIn(browser,
				authorizeUrl(client.id(), REDIRECT, "openid profile email", "st-1", "n-0S6", pkce), user.email());
		assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
		String location = Browser.location(back);
		assertThat(location).startsWith(REDIRECT + "?code=");
		assertThat(Browser.param(location, "state")).isEqualTo("st-1");
		assertThat(browser.cookies.keySet()).as("no servlet session: Plinto's session is the only one")
			.doesNotContain("JSESSIONID");

		Json tokens = exchange(client, Browser.param(location, "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(tokens.text("token_type")).isEqualTo("Bearer");
		assertThat(tokens.body().get("expires_in").asLong()).isBetween(290L, 300L);

		SignedJWT id = verified(tokens.text("id_token"));
		JWTClaimsSet idClaims = id.getJWTClaimsSet();
		assertThat(idClaims.getIssuer()).isEqualTo(base());
		assertThat(idClaims.getAudience()).containsExactly(client.id());
		assertThat(idClaims.getSubject()).isEqualTo(user.id());
		assertThat(idClaims.getStringClaim("nonce")).isEqualTo("n-0S6");
		assertThat(idClaims.getStringListClaim("amr")).containsExactly("pwd");
		assertThat(idClaims.getStringClaim("sid")).startsWith("ses_");
		assertThat(idClaims.getLongClaim("auth_time")).isBetween(clock.instant().getEpochSecond() - 60,
				clock.instant().getEpochSecond());
		assertThat(idClaims.getStringClaim("email")).isEqualTo(user.email());
		assertThat(idClaims.getBooleanClaim("email_verified")).isFalse();
		assertThat(idClaims.getStringClaim("name")).isEqualTo("Ada Lovelace");

		SignedJWT access = verified(tokens.text("access_token"));
		assertThat(access.getHeader().getType().getType()).isEqualTo("at+jwt");
		JWTClaimsSet accessClaims = access.getJWTClaimsSet();
		assertThat(accessClaims.getStringClaim("client_id")).isEqualTo(client.id());
		assertThat(accessClaims.getSubject()).isEqualTo(user.id());
		assertThat(accessClaims.getStringClaim("sid")).isEqualTo(idClaims.getStringClaim("sid"));
		assertThat(accessClaims.getIssuer()).isEqualTo(base());
		assertThat(accessClaims.getJWTID()).isNotBlank();

		dev.plinto.ApiClient.Response userInfo = api.get("/userinfo", tokens.text("access_token"));
		assertThat(userInfo.status()).as(userInfo + " " + userInfo.header("WWW-Authenticate")).isEqualTo(200);
		JsonNode info = userInfo.json();
		assertThat(info.get("sub").asString()).isEqualTo(user.id());
		assertThat(info.get("email").asString()).isEqualTo(user.email());
		assertThat(info.get("name").asString()).isEqualTo("Ada Lovelace");

		Json introspected = tokenRequest("/oauth2/introspect", client, Map.of("token", tokens.text("access_token")));
		assertThat(introspected.status()).as(introspected.toString()).isEqualTo(200);
		assertThat(introspected.body().get("active").asBoolean()).isTrue();
		assertThat(introspected.text("client_id")).isEqualTo(client.id());
		assertThat(introspected.text("sub")).isEqualTo(user.id());
	}

	@Test
	void refreshWhenRotatedThenTheOldRefreshTokenIsRefusedAndRevocationEndsTheNewOne() {
		Registered client = confidential(true);
		Json tokens = signInAndExchange(client, user(), "openid offline_access");
		Json refreshed = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(refreshed.text("refresh_token")).isNotEqualTo(tokens.text("refresh_token"));
		assertThat(refreshed.text("access_token")).isNotEqualTo(tokens.text("access_token"));

		Json reused = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(reused.status()).as(reused.toString()).isEqualTo(400);
		assertThat(reused.text("error")).isEqualTo("invalid_grant");

		Json revoked = tokenRequest("/oauth2/revoke", client, Map.of("token", refreshed.text("refresh_token")));
		assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
		Json inactive = tokenRequest("/oauth2/introspect", client, Map.of("token", refreshed.text("refresh_token")));
		assertThat(inactive.body().get("active").asBoolean()).isFalse();
		Json afterRevocation = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", refreshed.text("refresh_token")));
		assertThat(afterRevocation.text("error")).isEqualTo("invalid_grant");
	}

	@Test
	void refreshWhenThePlintoSessionWasSignedOutThenInvalidGrant() {
		Registered client = confidential(true);
		User user = user();
		Browser browser = new Browser(base());
		Json tokens = signInAndExchange(browser, client, user, "openid offline_access");
		String signOut = browser.get("/sign-out").body();
		assertThat(signOut).contains("_csrf");
		assertThat(browser.post("/sign-out", Map.of()).statusCode()).isEqualTo(200);
		Json refused = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("invalid_grant");
	}

	@Test
	void clientCredentialsWhenSecretRightThenAnAccessTokenForTheClientItself() throws Exception {
		Registered client = confidential(true, "reports.read");
		Json token = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials",
				"scope", "reports.read"));
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		assertThat(token.text("refresh_token")).isNull();
		JWTClaimsSet claims = verified(token.text("access_token")).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(client.id());
		assertThat(claims.getStringClaim("client_id")).isEqualTo(client.id());
		assertThat(claims.getStringClaim("scope")).as("RFC 9068 §2.2.3: a space-separated string")
			.isEqualTo("reports.read");
		assertThat(claims.getClaim("sid")).isNull();
	}

	/**
	 * Client-credentials tokens are not stored, yet introspection answers for them, revocation ends them and so does
	 * deleting their client; a token changed by one character, or one of another client, is not taken for one.
	 */
	@Test
	void clientCredentialsTokensWhenNotStoredThenIntrospectedRevokedAndEndedWithTheirClient() {
		Registered client = confidential(true, "reports.read", "reports.write");
		Registered other = confidential(true, "reports.read");
		Json token = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials",
				"scope", "reports.read reports.write"));
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		String accessToken = token.text("access_token");
		assertThat(jdbc.sql("select count(*) from oauth2_authorization a join oauth2_registered_client c "
				+ "on c.id = a.registered_client_id where c.client_id = ?").param(client.id()).query(Long.class)
			.single()).as("nothing stored for a client-credentials token").isZero();

		Json active = tokenRequest("/oauth2/introspect", client, Map.of("token", accessToken));
		assertThat(active.status()).as(active.toString()).isEqualTo(200);
		assertThat(active.body().get("active").asBoolean()).isTrue();
		assertThat(active.text("client_id")).isEqualTo(client.id());
		assertThat(active.text("sub")).isEqualTo(client.id());
		assertThat(List.of(active.text("scope").split(" "))).containsExactlyInAnyOrder("reports.read",
				"reports.write");
		assertThat(active.text("token_type")).isEqualTo("Bearer");
		// The second-to-last character carries six signature bits (the last one carries padding bits too).
		char changed = accessToken.charAt(accessToken.length() - 2) == 'A' ? 'B' : 'A';
		String forged = accessToken.substring(0, accessToken.length() - 2) + changed
				+ accessToken.charAt(accessToken.length() - 1);
		assertThat(forged).isNotEqualTo(accessToken);
		assertThat(tokenRequest("/oauth2/introspect", client, Map.of("token", forged)).body().get("active")
			.asBoolean()).as("a token whose signature does not verify").isFalse();

		assertThat(tokenRequest("/oauth2/revoke", client, Map.of("token", accessToken)).status()).isEqualTo(200);
		assertThat(tokenRequest("/oauth2/introspect", client, Map.of("token", accessToken)).body().get("active")
			.asBoolean()).as("RFC 7009 §2.2: revoked").isFalse();

		Json second = tokenRequest("/oauth2/token", other, Map.of("grant_type", "client_credentials"));
		assertThat(tokenRequest("/oauth2/introspect", other, Map.of("token", second.text("access_token"))).body()
			.get("active").asBoolean()).isTrue();
		clients.delete(other.id(), ClientInfo.none());
		assertThat(tokenRequest("/oauth2/introspect", client, Map.of("token", second.text("access_token"))).body()
			.get("active").asBoolean()).as("the token of a deleted client").isFalse();
	}

	@Test
	void tokenEndpointWhenClientSecretWrongThenInvalidClient() {
		Registered client = confidential(true);
		Json refused = tokenRequest("/oauth2/token", new Registered(client.id(), client.secret() + "x"),
				Map.of("grant_type", "client_credentials"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
		assertThat(refused.text("error")).isEqualTo("invalid_client");
		assertThat(refused.raw().body()).doesNotContain("Exception");
	}

	@Test
	void authorizeWhenRedirectUriNotRegisteredExactlyThenAPageAndNoRedirect() {
		Registered client = confidential(true);
		Browser browser = new Browser(base());
		signIn(browser, user());
		for (String wrong : List.of("https://app.example/callback/other", "https://app.example/callback?x=1",
				"https://evil.example/callback", "https://app.example/CALLBACK")) {
			HttpResponse<String> r = browser.get(authorizeUrl(client.id(), wrong, "openid", "s", "n", Pkce.create()));
			assertThat(r.statusCode()).as(wrong + ": " + r.body()).isEqualTo(400);
			assertThat(r.headers().firstValue("Location")).as(wrong).isEmpty();
			assertThat(r.body()).contains("has not registered");
		}
		HttpResponse<String> unknown = browser.get(authorizeUrl("cli_unknown", REDIRECT, "openid", "s", "n",
				Pkce.create()));
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).contains("not registered here");
	}

	@Test
	void authorizeWhenPkceMissingThenInvalidRequestToTheClient() {
		Registered client = confidential(true);
		Browser browser = new Browser(base());
		signIn(browser, user());
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", null));
		assertThat(r.statusCode()).isEqualTo(302);
		assertThat(Browser.location(r)).startsWith(REDIRECT + "?error=invalid_request");
		assertThat(Browser.param(Browser.location(r), "state")).isEqualTo("st");
	}

	@Test
	void tokenWhenVerifierMissingOrWrongThenInvalidGrant() {
		Registered client = confidential(true);
		User user = user();
		Browser browser = new Browser(base());
		signIn(browser, user);
		Pkce pkce = Pkce.create();
		String code = code(browser, client, "openid", pkce);
		Json missing = exchange(client, code, null);
		assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
		assertThat(missing.text("error")).isEqualTo("invalid_grant");
		String code2 = code(browser, client, "openid", pkce);
		Json wrong = exchange(client, code2, Pkce.create());
		assertThat(wrong.status()).as(wrong.toString()).isEqualTo(400);
		assertThat(wrong.text("error")).isEqualTo("invalid_grant");
	}

	@Test
	void tokenWhenCodeUsedTwiceThenInvalidGrantAndTheFirstTokensAreRevoked() {
		Registered client = confidential(true);
		Browser browser = new Browser(base());
		signIn(browser, user());
		Pkce pkce = Pkce.create();
		String code = code(browser, client, "openid", pkce);
		Json first = exchange(client, code, pkce);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		Json second = exchange(client, code, pkce);
		assertThat(second.status()).as(second.toString()).isEqualTo(400);
		assertThat(second.text("error")).isEqualTo("invalid_grant");
		Json introspected = tokenRequest("/oauth2/introspect", client, Map.of("token", first.text("access_token")));
		assertThat(introspected.body().get("active").asBoolean()).as("RFC 6749 §4.1.2: tokens of a reused code")
			.isFalse();
	}

	@Test
	void publicClientWhenCodeWithPkceThenTokensWithoutSecretAndNoneWithoutVerifier() {
		Registered client = publicClient();
		Browser browser = new Browser(base());
		User user = user();
		signIn(browser, user);
		Pkce pkce = Pkce.create();
		Json tokens = exchange(client, code(browser, client, "openid email", pkce), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(tokens.text("id_token")).isNotBlank();
		HttpResponse<String> noPkce = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "s", "n", null));
		assertThat(Browser.location(noPkce)).startsWith(REDIRECT + "?error=invalid_request");
	}

	@Test
	void consentWhenNotFirstPartyThenThePageAsksAndAllowOrDenyAnswersTheClient() {
		Registered client = confidential(false);
		User user = user();
		Browser browser = new Browser(base());
		Pkce pkce = Pkce.create();
		HttpResponse<String> consent = authorizeWithSignIn(browser,
				authorizeUrl(client.id(), REDIRECT, "openid email", "st-c", "n", pkce), user.email());
		assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
		assertThat(consent.body()).contains("Allow Test app").contains("see your email address")
			.contains(user.email()).contains("name=\"_csrf\"");
		String state = stateOf(consent.body());
		assertThat(consent.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
			.contains("form-action https://app.example 'self'"));

		HttpResponse<String> forged = browser.postRaw("/oauth2/authorize", Map.of("client_id", client.id(),
				"state", state, "scope", List.of("openid", "email")));
		assertThat(forged.statusCode()).as("a consent post without the CSRF token").isEqualTo(403);

		HttpResponse<String> allowed = browser.post("/oauth2/authorize", Map.of("client_id", client.id(),
				"state", state, "scope", List.of("openid", "email")));
		assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(302);
		assertThat(Browser.location(allowed)).startsWith(REDIRECT + "?code=");
		assertThat(Browser.param(Browser.location(allowed), "state")).isEqualTo("st-c");

		HttpResponse<String> again = browser.get(authorizeUrl(client.id(), REDIRECT, "openid email", "st-2", "n",
				Pkce.create()));
		assertThat(Browser.location(again)).as("consent is remembered").startsWith(REDIRECT + "?code=");

		HttpResponse<String> more = browser.follow(browser.get(authorizeUrl(client.id(), REDIRECT,
				"openid email profile", "st-3", "n", Pkce.create())));
		assertThat(more.statusCode()).as("a new scope asks again").isEqualTo(200);
		assertThat(more.body()).contains("see your name");
	}

	@Test
	void consentWhenDeniedThenAccessDeniedToTheClientWithItsState() {
		Registered client = confidential(false);
		Browser browser = new Browser(base());
		HttpResponse<String> consent = authorizeWithSignIn(browser,
				authorizeUrl(client.id(), REDIRECT, "openid profile", "st-d", "n", Pkce.create()), user().email());
		HttpResponse<String> denied = browser.post("/oauth2/authorize", Map.of("client_id", client.id(),
				"state", stateOf(consent.body())));
		assertThat(Browser.location(denied)).startsWith(REDIRECT + "?error=access_denied");
		assertThat(Browser.param(Browser.location(denied), "state")).isEqualTo("st-d");
	}

	@Test
	void logoutWhenIdTokenHintAndRegisteredUriThenThePlintoSessionEndsAndTheBrowserReturns() {
		Registered client = confidential(true);
		User user = user();
		Browser browser = new Browser(base());
		Json tokens = signInAndExchange(browser, client, user, "openid offline_access");
		HttpResponse<String> logout = browser.get("/connect/logout?id_token_hint=" + tokens.text("id_token")
				+ "&post_logout_redirect_uri=" + Browser.encode(LOGOUT_REDIRECT) + "&state=bye");
		assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
		assertThat(Browser.location(logout)).isEqualTo(LOGOUT_REDIRECT + "?state=bye");
		HttpResponse<String> account = browser.get("/account");
		assertThat(account.statusCode()).as("signed out of Plinto too").isEqualTo(303);
		Json refused = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(refused.text("error")).isEqualTo("invalid_grant");
	}

	/**
	 * The rules of the provider's own filter chain, which {@code security.RouteRulesTests} does not see (its endpoints
	 * are filters, not controllers): client authentication at token, introspection and revocation (401
	 * {@code invalid_client}, RFC 6749 §5.2), a bearer token at UserInfo (401 with {@code WWW-Authenticate: Bearer},
	 * RFC 6750 §3), the sign-in page for a signed-out browser at authorization, a page for a logout without a valid
	 * hint, and the JWKS and discovery open to all.
	 */
	@Test
	void providerEndpointsWhenCalledWithoutCredentialsThenEachAnswersAsItsProtocolSays() {
		Browser anonymous = new Browser(base());
		for (String path : List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")) {
			HttpResponse<String> r = anonymous.postRaw(path, Map.of("grant_type", "client_credentials", "token", "x"));
			assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(401);
			assertThat(r.body()).as(path).contains("\"error\":\"invalid_client\"").doesNotContain("problem");
		}
		HttpResponse<String> userInfo = anonymous.get("/userinfo");
		assertThat(userInfo.statusCode()).isEqualTo(401);
		assertThat(userInfo.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
			.startsWith("Bearer"));
		HttpResponse<String> forged = anonymous.get("/userinfo", "Authorization", "Bearer not-a-token");
		assertThat(forged.statusCode()).isEqualTo(401);
		HttpResponse<String> authorize = anonymous.get(authorizeUrl(confidential(true).id(), REDIRECT, "openid", "s",
				"n", Pkce.create()));
		assertThat(authorize.statusCode()).isEqualTo(302);
		assertThat(Browser.location(authorize)).startsWith("/sign-in?redirect_url=%2Foauth2%2Fauthorize%3F");
		HttpResponse<String> logout = anonymous.get("/connect/logout?id_token_hint=not-a-token");
		assertThat(logout.statusCode()).isEqualTo(400);
		assertThat(logout.body()).contains("not valid for this app");
		assertThat(anonymous.get("/.well-known/jwks.json").statusCode()).isEqualTo(200);
		assertThat(anonymous.get("/.well-known/openid-configuration").statusCode()).isEqualTo(200);
		assertThat(anonymous.get("/.well-known/oauth-authorization-server").statusCode()).isEqualTo(200);
	}

	private static List<String> texts(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}

	private static String stateOf(String consentPage) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"state\" value=\"([^\"]+)\"")
			.matcher(consentPage);
		assertThat(m.find()).as(consentPage).isTrue();
		return m.group(1).replace("&#61;", "=").replace("&amp;", "&");
	}

	private void signIn(Browser browser, User user) {
		browser.get("/sign-in");
		HttpResponse<String> r = browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD));
		assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
	}

	/** A code for a signed-in browser (a first-party client: no consent). */
	private String code(Browser browser, Registered client, String scope, Pkce pkce) {
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, scope, "s", "n", pkce));
		assertThat(Browser.location(r)).as(r.body()).startsWith(REDIRECT + "?code=");
		return Browser.param(Browser.location(r), "code");
	}

	private Json signInAndExchange(Registered client, User user, String scope) {
		return signInAndExchange(new Browser(base()), client, user, scope);
	}

	private Json signInAndExchange(Browser browser, Registered client, User user, String scope) {
		signIn(browser, user);
		Pkce pkce = Pkce.create();
		Json tokens = exchange(client, code(browser, client, scope, pkce), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens;
	}
}
