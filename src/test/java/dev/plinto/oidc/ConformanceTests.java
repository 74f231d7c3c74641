package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.junit.jupiter.api.Test;

/**
 * The provider driven by client libraries written by others, unmodified, from npm (the scripts of
 * {@code conformance/}, run by {@link NodeClients}): {@code openid-client} through the whole code flow and
 * {@code oauth4webapi} through client credentials. Each library validates Plinto's answers itself (discovery, ID
 * token signature and claims, RFC 9207 {@code iss}, token responses), so a deviation from the standards fails here
 * even where Plinto's own tests would agree with Plinto. Beside them, over HTTP, the refusals and the requests of the
 * OpenID Foundation's Basic OP profile that {@code OidcProviderTests} does not cover (docs/oidc.md, "Certification
 * profiles").
 */
class ConformanceTests extends OidcTestSupport {

	/**
	 * The libraries check {@code iat} and {@code exp} against the real time; the test clock is fixed when the shared
	 * context starts, so it is brought to the real time first.
	 */
	@Autowired
	private OAuth2AuthorizationService authorizations;

	@BeforeEach
	void realTime() {
		clock.set(Instant.now());
	}

	@Test
	void openidClientWhenCodeFlowWithPkceThenEveryStepValidatesAndForgedStateOrNonceIsRejected() throws Exception {
		Registered client = confidential(false);
		User user = user();
		String out = NodeClients.run("code-flow.mjs", env(client, Map.of("PLINTO_REDIRECT_URI", REDIRECT,
				"PLINTO_POST_LOGOUT_REDIRECT_URI", LOGOUT_REDIRECT, "PLINTO_USER_EMAIL", user.email(),
				"PLINTO_USER_PASSWORD", PASSWORD, "PLINTO_USER_ID", user.id())));
		assertThat(out).contains("ok - openid-client rejects a state that is not the one it sent")
			.contains("ok - openid-client rejects an ID token whose nonce is not the one it sent")
			.contains("ok - logout returns to the registered post-logout URI with the state")
			.endsWith("PASS\n");
	}

	@Test
	void oauth4webapiWhenClientCredentialsThenATokenForTheClientThatIntrospectsActive() throws Exception {
		Registered client = confidential(true, "reports.read");
		String out = NodeClients.run("client-credentials.mjs", env(client, Map.of("PLINTO_SCOPE", "reports.read")));
		assertThat(out).contains("ok - introspection: the token is active").endsWith("PASS\n");
	}

	/**
	 * An authorization code lives five minutes (RFC 6749 §4.1.2 recommends at most ten): one presented later is
	 * {@code invalid_grant}, and no tokens are issued for it. The library checks a code's expiry against the system
	 * clock, so the stored code is moved six minutes into the past instead of waiting.
	 */
	@Test
	void tokenWhenCodeExpiredThenInvalidGrant() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		Pkce pkce = Pkce.create();
		String code = code(browser, client, pkce);
		OAuth2Authorization stored = authorizations.findByToken(code, new OAuth2TokenType(OAuth2ParameterNames.CODE));
		OAuth2AuthorizationCode issued = stored.getToken(OAuth2AuthorizationCode.class).getToken();
		assertThat(Duration.between(issued.getIssuedAt(), issued.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
		Instant sixMinutesAgo = Instant.now().minus(Duration.ofMinutes(6));
		authorizations.save(OAuth2Authorization.from(stored)
			.token(new OAuth2AuthorizationCode(code, sixMinutesAgo, sixMinutesAgo.plus(Duration.ofMinutes(5))))
			.build());
		Json late = exchange(client, code, pkce);
		assertThat(late.status()).as(late.toString()).isEqualTo(400);
		assertThat(late.text("error")).isEqualTo("invalid_grant");
		assertThat(late.text("access_token")).isNull();
	}

	/**
	 * The code is bound to the redirect URI of its request (RFC 6749 §4.1.3): exchanged with another one, registered
	 * or not, it is {@code invalid_grant}.
	 */
	@Test
	void tokenWhenRedirectUriDiffersFromTheAuthorizationRequestThenInvalidGrant() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		Pkce pkce = Pkce.create();
		Json other = tokenRequest("/oauth2/token", client, Map.of("grant_type", "authorization_code", "code",
				code(browser, client, pkce), "redirect_uri", LOGOUT_REDIRECT, "code_verifier", pkce.verifier()));
		assertThat(other.status()).as(other.toString()).isEqualTo(400);
		assertThat(other.text("error")).isEqualTo("invalid_grant");
	}

	/**
	 * An unsigned ({@code alg: none}, RFC 7519 §6) copy of a real ID token as {@code id_token_hint} does not end the
	 * session: the hint must be a token Plinto issued (OpenID Connect RP-Initiated Logout 1.0 §2), and the browser
	 * stays signed in.
	 */
	@Test
	void logoutWhenIdTokenHintUnsignedThenRefusedAndTheSessionStays() throws Exception {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		Pkce pkce = Pkce.create();
		Json tokens = exchange(client, code(browser, client, pkce), pkce);
		String unsigned = new PlainJWT(SignedJWT.parse(tokens.text("id_token")).getJWTClaimsSet()).serialize();
		HttpResponse<String> logout = browser.get("/connect/logout?id_token_hint=" + unsigned
				+ "&post_logout_redirect_uri=" + Browser.encode(LOGOUT_REDIRECT));
		assertThat(logout.statusCode()).as(logout.body()).isEqualTo(400);
		assertThat(logout.headers().firstValue("Location")).isEmpty();
		assertThat(browser.get("/account").statusCode()).as("still signed in").isEqualTo(200);
	}

	/**
	 * A request object (OpenID Connect Core §6) is not supported: one sent unsigned ({@code alg: none}) that names
	 * another redirect URI and scope is answered with {@code request_not_supported} to the registered redirect URI
	 * (§6.3), and no code is issued for it. Discovery says so ({@code request_parameter_supported} absent, i.e. false).
	 */
	@Test
	void authorizeWhenUnsignedRequestObjectThenRefusedWithoutACode() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		Pkce pkce = Pkce.create();
		String requestObject = new PlainJWT(new JWTClaimsSet.Builder().issuer(client.id())
			.audience(base())
			.claim("client_id", client.id())
			.claim("response_type", "code")
			.claim("redirect_uri", "https://evil.example/callback")
			.claim("scope", "openid email")
			.build()).serialize();
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "st-r", "n", pkce)
				+ "&request=" + requestObject);
		assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
		assertThat(Browser.location(r)).startsWith(REDIRECT + "?error=request_not_supported").doesNotContain("code=");
		assertThat(Browser.param(Browser.location(r), "state")).isEqualTo("st-r");
		JsonNode supported = api.get("/.well-known/openid-configuration").json().get("request_parameter_supported");
		assertThat(supported == null || !supported.asBoolean()).as("request_parameter_supported").isTrue();
	}

	/**
	 * What the OpenID Foundation's Basic OP plan asks of every request (docs/oidc.md, "Certification profiles"): a code
	 * flow request without {@code nonce} succeeds (nonce is optional for the code flow, OpenID Connect Core
	 * §3.1.2.1) and its ID token has none; scopes in another order and an unknown parameter are accepted (§3.1.2.1:
	 * ignore what is not understood); the request may be sent by POST (§3.1.2.1); the client may authenticate with
	 * {@code client_secret_post} (§9); UserInfo answers a POST with the bearer token in the header (§5.3.1); and a
	 * request without {@code response_type} is refused ({@code oidcc-response-type-missing}, RFC 6749 §4.1.2.1).
	 */
	@Test
	void authorizeWhenNoNonceOtherScopeOrderUnknownParameterOrPostThenCodesAsUsual() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Browser browser = signedIn(user);
		Pkce pkce = Pkce.create();
		HttpResponse<String> r = browser.get("/oauth2/authorize?response_type=code&client_id=" + client.id()
				+ "&redirect_uri=" + Browser.encode(REDIRECT) + "&scope=" + Browser.encode("email openid")
				+ "&state=st-n&unknown_parameter=ignored&code_challenge=" + pkce.challenge()
				+ "&code_challenge_method=S256");
		assertThat(Browser.location(r)).as(r.body()).startsWith(REDIRECT + "?code=");
		Json tokens = tokenRequest("/oauth2/token", new Registered(client.id(), null), Map.of("grant_type",
				"authorization_code", "code", Browser.param(Browser.location(r), "code"), "redirect_uri", REDIRECT,
				"code_verifier", pkce.verifier(), "client_id", client.id(), "client_secret", client.secret()));
		assertThat(tokens.status()).as("client_secret_post: " + tokens).isEqualTo(200);
		JWTClaimsSet id = verified(tokens.text("id_token")).getJWTClaimsSet();
		assertThat(id.getClaim("nonce")).isNull();
		assertThat(id.getStringClaim("email")).isEqualTo(user.email());

		HttpResponse<String> userInfo = new Browser(base()).postRaw("/userinfo", Map.of(), "Authorization",
				"Bearer " + tokens.text("access_token"));
		assertThat(userInfo.statusCode()).as(userInfo.body()).isEqualTo(200);
		assertThat(JSON.readTree(userInfo.body()).get("sub").asString()).isEqualTo(user.id());

		Pkce posted = Pkce.create();
		HttpResponse<String> byPost = browser.postRaw("/oauth2/authorize", Map.of("response_type", "code",
				"client_id", client.id(), "redirect_uri", REDIRECT, "scope", "openid", "state", "st-p", "nonce", "n",
				"code_challenge", posted.challenge(), "code_challenge_method", "S256"));
		assertThat(Browser.location(byPost)).as(byPost.body()).startsWith(REDIRECT + "?code=");
		assertThat(exchange(client, Browser.param(Browser.location(byPost), "code"), posted).status()).isEqualTo(200);

		HttpResponse<String> missing = browser.get("/oauth2/authorize?client_id=" + client.id() + "&redirect_uri="
				+ Browser.encode(REDIRECT) + "&scope=openid&state=st-m&code_challenge=" + Pkce.create().challenge()
				+ "&code_challenge_method=S256");
		assertThat(Browser.location(missing)).as(missing.statusCode() + " " + missing.body()).doesNotContain("code=");
		assertThat(missing.statusCode() == 400 || Browser.location(missing).startsWith(REDIRECT + "?error="))
			.as("an error page or an error to the client: " + missing.statusCode() + " " + Browser.location(missing))
			.isTrue();
	}

	/**
	 * Basic OP modules whose parameters Plinto accepts without acting on them ({@code display}, {@code login_hint},
	 * {@code ui_locales}, {@code claims_locales}, {@code id_token_hint}), {@code prompt=none} from a signed-in browser
	 * that needs no consent, and UserInfo with the access token in a form body (RFC 6750 §2.2).
	 */
	@Test
	void authorizeWhenDisplayHintsLocalesIdTokenHintOrPromptNoneSignedInThenCodesAsUsual() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Browser browser = signedIn(user);
		Pkce firstPkce = Pkce.create();
		Json first = exchange(client, code(browser, client, firstPkce), firstPkce);
		String idToken = first.text("id_token");
		for (String extra : List.of("display=page", "display=popup", "login_hint=" + Browser.encode(user.email()),
				"ui_locales=de-DE%20en", "claims_locales=fr", "id_token_hint=" + idToken, "prompt=none")) {
			Pkce pkce = Pkce.create();
			HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid email", "s", "n", pkce)
					+ "&" + extra);
			assertThat(Browser.location(r)).as(extra + ": " + r.statusCode() + " " + r.body())
				.startsWith(REDIRECT + "?code=");
			Json tokens = exchange(client, Browser.param(Browser.location(r), "code"), pkce);
			assertThat(tokens.status()).as(extra + ": " + tokens).isEqualTo(200);
			assertThat(verified(tokens.text("id_token")).getJWTClaimsSet().getSubject()).as(extra)
				.isEqualTo(user.id());
		}

		HttpResponse<String> inBody = new Browser(base()).postRaw("/userinfo",
				Map.of("access_token", first.text("access_token")));
		assertThat(inBody.statusCode()).as(inBody.body()).isEqualTo(200);
		assertThat(JSON.readTree(inBody.body()).get("sub").asString()).isEqualTo(user.id());
		HttpResponse<String> inQuery = new Browser(base()).get("/userinfo?access_token=" + first.text("access_token"));
		assertThat(inQuery.statusCode()).as("a token in the query is not read (RFC 6750 §2.3)").isEqualTo(401);
	}

	/** A {@code request_uri} that no pushed authorization request issued is refused, and no code is issued. */
	@Test
	void authorizeWhenRequestUriNotPushedThenRefusedWithoutACode() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "s", "n", Pkce.create())
				+ "&request_uri=" + Browser.encode("https://app.example/request.jwt"));
		assertThat(Browser.location(r)).as(r.statusCode() + " " + r.body()).doesNotContain("code=");
		assertThat(r.statusCode() == 400 || Browser.location(r).startsWith(REDIRECT + "?error="))
			.as("an error page or an error to the client: " + r.statusCode() + " " + Browser.location(r))
			.isTrue();
	}

	private Browser signedIn(User user) {
		Browser browser = new Browser(base());
		browser.get("/sign-in");
		HttpResponse<String> r = browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD));
		assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
		return browser;
	}

	/** A code for a signed-in browser (a first-party client: no consent). */
	private String code(Browser browser, Registered client, Pkce pkce) {
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "s", "n", pkce));
		assertThat(Browser.location(r)).as(r.body()).startsWith(REDIRECT + "?code=");
		return Browser.param(Browser.location(r), "code");
	}

	/** The environment of a script: the issuer, the client and the given inputs. */
	static Map<String, String> env(Registered client, Map<String, String> inputs) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("PLINTO_ISSUER", base());
		env.put("PLINTO_CLIENT_ID", client.id());
		if (client.secret() != null) {
			env.put("PLINTO_CLIENT_SECRET", client.secret());
		}
		env.putAll(inputs);
		return env;
	}
}
