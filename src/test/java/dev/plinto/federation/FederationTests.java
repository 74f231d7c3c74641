package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.mfa.MfaSteps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in through identity providers against mock-oauth2-server, a real OAuth 2 / OpenID Connect server running
 * in-process on loopback: a Google-like OpenID Connect provider (found by discovery) and a GitHub-like plain OAuth 2
 * provider whose verified address comes from a GitHub-style address list (a JDK HTTP server beside it). Forged,
 * expired and wrongly bound ID tokens are served by the same mock server as canned token responses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
				"PLINTO_OAUTH_PROVIDERS=googlelike,githublike,rogue", "PLINTO_REDIRECT_URLS=https://app.example.com/",
				"PLINTO_OAUTH_GOOGLELIKE_CLIENT_ID=plinto-google", "PLINTO_OAUTH_GOOGLELIKE_CLIENT_SECRET=google-secret",
				"PLINTO_OAUTH_GOOGLELIKE_NAME=Google-like",
				"PLINTO_OAUTH_GITHUBLIKE_CLIENT_ID=plinto-github", "PLINTO_OAUTH_GITHUBLIKE_CLIENT_SECRET=github-secret",
				"PLINTO_OAUTH_GITHUBLIKE_SCOPES=read:user user:email", "PLINTO_OAUTH_GITHUBLIKE_CLAIM_SUBJECT=id",
				"PLINTO_OAUTH_GITHUBLIKE_CLAIM_EMAIL=email", "PLINTO_OAUTH_GITHUBLIKE_CLAIM_NAME=name",
				"PLINTO_OAUTH_ROGUE_CLIENT_ID=plinto-rogue", "PLINTO_OAUTH_ROGUE_CLIENT_SECRET=rogue-secret" })
class FederationTests extends ApiTestSupport {

	static final MockOAuth2Server IDP = MockIdentityProvider.SERVER;

	static final java.util.Queue<String> ROGUE_TOKENS = MockIdentityProvider.ROGUE_TOKENS;

	/** A GitHub-style {@code /user/emails}: the list in {@link #emails}, for a request with a bearer token. */
	static final HttpServer EMAILS = emails();

	static volatile String emails = "[]";

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_OAUTH_GOOGLELIKE_ISSUER", () -> IDP.issuerUrl("google").toString());
		registry.add("PLINTO_OAUTH_ROGUE_ISSUER", () -> IDP.issuerUrl("rogue").toString());
		registry.add("PLINTO_OAUTH_GITHUBLIKE_AUTHORIZATION_URI",
				() -> "http://127.0.0.1:" + EMAILS.getAddress().getPort() + "/login/oauth/authorize");
		registry.add("PLINTO_OAUTH_GITHUBLIKE_TOKEN_URI", () -> IDP.tokenEndpointUrl("github").toString());
		registry.add("PLINTO_OAUTH_GITHUBLIKE_USERINFO_URI", () -> IDP.userInfoUrl("github").toString());
		registry.add("PLINTO_OAUTH_GITHUBLIKE_EMAILS_URI",
				() -> "http://127.0.0.1:" + EMAILS.getAddress().getPort() + "/user/emails");
	}

	private static HttpServer emails() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18803), 0);
			// GitHub's authorization endpoint takes plain OAuth 2 scopes; the mock server's wants openid among them
			server.createContext("/login/oauth/authorize", exchange -> {
				String query = exchange.getRequestURI().getRawQuery().replaceFirst("scope=", "scope=openid+");
				exchange.getResponseHeaders().add("Location", IDP.authorizationEndpointUrl("github") + "?" + query);
				exchange.sendResponseHeaders(302, -1);
				exchange.close();
			});
			server.createContext("/user/emails", exchange -> {
				String auth = exchange.getRequestHeaders().getFirst("Authorization");
				byte[] body = (auth != null && auth.startsWith("Bearer ") ? emails : "{\"message\":\"Requires authentication\"}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(auth != null ? 200 : 401, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@AfterAll
	static void stop() {
		// the servers live as long as the test class's Spring context, which the test run keeps; nothing to stop
	}

	@Autowired
	JdbcClient jdbc;

	/** A browser: a cookie jar, no redirects followed. */
	final class Browser {

		final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

		final Map<String, String> cookies = new LinkedHashMap<>();

		HttpResponse<String> get(String url) {
			return send(HttpRequest.newBuilder(URI.create(url.startsWith("/") ? api.base() + url : url)).GET());
		}

		HttpResponse<String> send(HttpRequest.Builder request) {
			boolean plinto = request.build().uri().toString().startsWith(api.base());
			if (plinto && !cookies.isEmpty()) {
				request.header("Cookie", cookies.entrySet()
					.stream()
					.map(e -> e.getKey() + "=" + e.getValue())
					.collect(Collectors.joining("; ")));
			}
			try {
				HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				if (plinto) {
					for (String header : response.headers().allValues("Set-Cookie")) {
						String pair = header.split(";", 2)[0];
						String name = pair.substring(0, pair.indexOf('='));
						String value = pair.substring(pair.indexOf('=') + 1);
						if (value.isEmpty() || header.contains("Max-Age=0")) {
							cookies.remove(name);
						}
						else {
							cookies.put(name, value);
						}
					}
				}
				return response;
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
		}

		/** Starts at Plinto and follows the provider's redirect back; returns the callback's path and query. */
		String throughProvider(String startPath) {
			HttpResponse<String> started = get(startPath);
			assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
			return authorize(location(started));
		}

		/** The provider's authorization endpoint answers at once (no login form) with the code and state. */
		String authorize(String authorizationUrl) {
			HttpResponse<String> authorized = get(authorizationUrl);
			if (authorized.statusCode() == 302 && location(authorized).startsWith(IDP.baseUrl().toString())) {
				authorized = get(location(authorized));
			}
			assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(302);
			URI callback = URI.create(location(authorized));
			return callback.getRawPath() + "?" + callback.getRawQuery();
		}
	}

	static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElseThrow();
	}

	static Map<String, String> query(String url) {
		String q = URI.create(url).getRawQuery();
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : q.split("&")) {
			String[] kv = pair.split("=", 2);
			params.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
		}
		return params;
	}

	/** The next sign-in at the Google-like provider is this person. */
	static void googleUser(String subject, String email, boolean verified) {
		IDP.enqueueCallback(new DefaultOAuth2TokenCallback("google", subject, "JWT", List.of("plinto-google"),
				Map.of("email", email, "email_verified", verified, "name", "Ada Lovelace"), 3600));
	}

	/** The next sign-in at the GitHub-like provider is this person (numeric id, login, no email in the profile). */
	static void githubUser(long id) {
		IDP.enqueueCallback(new DefaultOAuth2TokenCallback("github", "gh-" + id, "JWT", List.of("plinto-github"),
				Map.of("id", id, "login", "octo" + id, "name", "Octo Cat"), 3600));
	}

	static String newSubject() {
		return UUID.randomUUID().toString();
	}

	private Map<String, Object> user(String email) {
		return jdbc.sql("select id, email_verified, password_hash from users where email = :email")
			.param("email", email)
			.query()
			.singleRow();
	}

	@Test
	void signInWhenGoogleLikeProviderFirstTimeThenAccountCreatedLinkedAndBrowserSignedIn() {
		String email = newEmail();
		String subject = newSubject();
		googleUser(subject, email, true);
		Browser browser = new Browser();
		String callback = browser.throughProvider("/sso/googlelike/start?redirect_url=https://app.example.com/home");
		assertThat(browser.cookies).containsKey("plinto_sso");

		HttpResponse<String> done = browser.get(callback);

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(location(done)).isEqualTo("https://app.example.com/home");
		assertThat(browser.cookies).containsKeys("plinto_refresh", "plinto_session").doesNotContainKey("plinto_sso");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).get("amr").toString())
			.isEqualTo("[\"fed\"]");
		Map<String, Object> user = user(email);
		assertThat(user.get("email_verified")).isEqualTo(true);
		assertThat(user.get("password_hash")).isEqualTo("!none");
		assertThat(jdbc.sql("select provider, email_verified, profile from user_identities where subject = :s")
			.param("s", subject)
			.query()
			.singleRow()).containsEntry("provider", "googlelike").containsEntry("email_verified", true);
	}

	@Test
	void pagesWhenProvidersConfiguredThenSignInAndSignUpShowTheirButtonsAndTheAccountPageTheLinks() {
		HttpResponse<String> signInPage = new Browser().get("/sign-in?redirect_url=https://app.example.com/x");
		HttpResponse<String> signUpPage = new Browser().get("/sign-up?lang=de");
		googleUser(newSubject(), newEmail(), true);
		Browser browser = new Browser();
		browser.get(browser.throughProvider("/sso/googlelike/start"));

		HttpResponse<String> account = browser.get("/account");

		assertThat(signInPage.body()).contains("Continue with Google-like")
			.contains("href=\"/sso/googlelike/start?redirect_url=https%3A%2F%2Fapp.example.com%2Fx\"");
		assertThat(signUpPage.body()).contains("Weiter mit Google-like").contains("href=\"/sso/githublike/start\"");
		assertThat(account.statusCode()).isEqualTo(200);
		assertThat(account.body()).contains("Linked accounts").contains("action=\"/sso/identities/idn_")
			.contains("href=\"/sso/githublike/link\"").doesNotContain("href=\"/sso/googlelike/link\"");
	}

	@Test
	void formPostCallbackWhenCrossSiteWithTheFlowsCookieThenSignedInAndTheFirstSignInsNameKept() {
		String email = newEmail();
		IDP.enqueueCallback(new DefaultOAuth2TokenCallback("google", newSubject(), "JWT", List.of("plinto-google"),
				Map.of("email", email, "email_verified", true), 3600));
		Browser browser = new Browser();
		Map<String, String> answer = query("http://x" + browser.throughProvider("/sso/googlelike/start"));
		String form = "state=" + java.net.URLEncoder.encode(answer.get("state"), StandardCharsets.UTF_8) + "&code="
				+ java.net.URLEncoder.encode(answer.get("code"), StandardCharsets.UTF_8) + "&user="
				+ java.net.URLEncoder.encode("{\"name\":{\"firstName\":\"Ada\",\"lastName\":\"Byron\"}}",
						StandardCharsets.UTF_8);

		// as Apple's response_mode=form_post: a cross-site post, without the pages' CSRF token
		HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(api.base() + "/sso/googlelike/callback"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", "https://appleid.apple.com")
			.POST(HttpRequest.BodyPublishers.ofString(form)));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(browser.cookies).containsKey("plinto_refresh");
		assertThat(jdbc.sql("select name from users where email = :e").param("e", email).query(String.class).single())
			.isEqualTo("Ada Byron");
	}

	@Test
	void callbackWhenStateReplayedThenRefusedAndNoSecondSession() {
		googleUser(newSubject(), newEmail(), true);
		Browser browser = new Browser();
		String callback = browser.throughProvider("/sso/googlelike/start");
		assertThat(browser.get(callback).statusCode()).isEqualTo(303);
		String cookie = browser.cookies.get("plinto_refresh");
		browser.cookies.put("plinto_sso", "anything");

		HttpResponse<String> replayed = browser.get(callback);

		assertThat(replayed.statusCode()).isEqualTo(400);
		assertThat(replayed.body()).contains("expired or was already used");
		assertThat(browser.cookies.get("plinto_refresh")).isEqualTo(cookie);
	}

	@Test
	void callbackWhenAnotherBrowserBringsTheCodeThenRefused() {
		// no code is exchanged, so no person is queued at the provider
		Browser victim = new Browser();
		String callback = new Browser().throughProvider("/sso/googlelike/start");

		HttpResponse<String> forced = victim.get(callback);

		assertThat(forced.statusCode()).isEqualTo(400);
		assertThat(victim.cookies).doesNotContainKey("plinto_refresh");
	}

	/** The one person of the rogue issuer (UserInfo's subject must be the ID token's, OpenID Connect Core §5.3.2). */
	static final String ROGUE_SUBJECT = "rogue-person";

	/** A rogue sign-in up to the callback: the nonce hash the authorization request carried, and the callback. */
	private record Rogue(String nonce, String callback) {
	}

	private Rogue rogueSignIn(Browser browser) {
		String authorization = location(browser.get("/sso/rogue/start"));
		return new Rogue(query(authorization).get("nonce"), browser.authorize(authorization));
	}

	/** An ID token of the rogue issuer, signed with its real key unless {@code key} is given. */
	private static String rogueIdToken(String nonce, long expiresInSeconds, RSAKey key) throws Exception {
		if (key == null) {
			return IDP.issueToken("rogue", "plinto-rogue", new DefaultOAuth2TokenCallback("rogue",
					ROGUE_SUBJECT, "JWT", List.of("plinto-rogue"),
					Map.of("nonce", nonce, "email", newEmail(), "email_verified", true, "iat",
							System.currentTimeMillis() / 1000 - 7200), expiresInSeconds))
				.serialize();
		}
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				new JWTClaimsSet.Builder().issuer(IDP.issuerUrl("rogue").toString())
					.subject("forged-" + newSubject())
					.audience("plinto-rogue")
					.issueTime(new Date())
					.expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000))
					.claim("nonce", nonce)
					.claim("email", newEmail())
					.claim("email_verified", true)
					.build());
		forged.sign(new RSASSASigner(key));
		return forged.serialize();
	}

	/** The rogue token endpoint answers the next code exchange with this ID token. */
	private static void tokenResponse(String idToken) {
		String accessToken = IDP.issueToken("rogue", ROGUE_SUBJECT, "plinto-rogue").serialize();
		ROGUE_TOKENS.add("{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\","
				+ "\"expires_in\":3600,\"scope\":\"openid email profile\",\"id_token\":\"" + idToken + "\"}");
	}

	@Test
	void callbackWhenIdTokenIsTheProvidersAndBoundToTheFlowThenSignedIn() throws Exception {
		Browser browser = new Browser();
		Rogue rogue = rogueSignIn(browser);
		tokenResponse(rogueIdToken(rogue.nonce(), 3600, null));

		HttpResponse<String> done = browser.get(rogue.callback());

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(browser.cookies).containsKey("plinto_refresh");
	}

	@Test
	void callbackWhenIdTokenSignedByAnotherKeyThenRefused() throws Exception {
		Browser browser = new Browser();
		Rogue rogue = rogueSignIn(browser);
		// the same key id as the provider's, so only the signature can tell
		String kid = SignedJWT.parse(rogueIdToken(rogue.nonce(), 3600, null)).getHeader().getKeyID();
		tokenResponse(rogueIdToken(rogue.nonce(), 3600, new RSAKeyGenerator(2048).keyID(kid).generate()));

		HttpResponse<String> done = browser.get(rogue.callback());

		assertThat(done.statusCode()).as(done.body()).isEqualTo(401);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void callbackWhenIdTokenExpiredThenRefused() throws Exception {
		Browser browser = new Browser();
		Rogue rogue = rogueSignIn(browser);
		tokenResponse(rogueIdToken(rogue.nonce(), -600, null));

		HttpResponse<String> done = browser.get(rogue.callback());

		assertThat(done.statusCode()).as(done.body()).isEqualTo(401);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void callbackWhenNonceIsAnotherFlowsThenRefused() throws Exception {
		Browser browser = new Browser();
		Rogue rogue = rogueSignIn(browser);
		String otherNonce = rogueSignIn(new Browser()).nonce();
		tokenResponse(rogueIdToken(otherNonce, 3600, null));

		HttpResponse<String> done = browser.get(rogue.callback());

		assertThat(done.statusCode()).as(done.body()).isEqualTo(401);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void signInWhenUnverifiedEmailMatchesAnExistingAccountThenNotLinked() {
		String email = newEmail();
		signUp(email);
		jdbc.sql("update users set email_verified = true where email = :e").param("e", email).update();
		String subject = newSubject();
		googleUser(subject, email, false);
		Browser browser = new Browser();

		HttpResponse<String> done = browser.get(browser.throughProvider("/sso/googlelike/start"));

		assertThat(done.statusCode()).isEqualTo(409);
		assertThat(done.body()).contains("already exists");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
		assertThat(jdbc.sql("select count(*) from user_identities where subject = :s").param("s", subject)
			.query(Long.class).single()).isZero();
	}

	@Test
	void signInWhenBothEmailsVerifiedThenLinkedToTheExistingAccountAndAudited() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		jdbc.sql("update users set email_verified = true where email = :e").param("e", email).update();
		googleUser(newSubject(), email, true);
		Browser browser = new Browser();

		HttpResponse<String> done = browser.get(browser.throughProvider("/sso/googlelike/start"));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		ApiClient.Response identities = api.get("/v1/me/identities", token);
		assertThat(identities.json().get("identities")).hasSize(1);
		assertThat(identities.json().get("identities").get(0).get("provider").asString()).isEqualTo("googlelike");
		assertThat(eventTypes(token)).contains("identity.linked");
	}

	@Test
	void signInWhenGitHubLikeProviderThenOnlyTheVerifiedListedEmailIsUsed() {
		long id = System.nanoTime();
		String verified = newEmail();
		emails = "[{\"email\":\"" + newEmail() + "\",\"primary\":true,\"verified\":false},"
				+ "{\"email\":\"" + verified + "\",\"primary\":false,\"verified\":true}]";
		githubUser(id);
		Browser browser = new Browser();

		HttpResponse<String> done = browser.get(browser.throughProvider("/sso/githublike/start"));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(user(verified).get("email_verified")).isEqualTo(true);
		Map<String, Object> identity = jdbc.sql("select subject, email, profile from user_identities "
				+ "where provider = 'githublike' and subject = :s")
			.param("s", Long.toString(id))
			.query()
			.singleRow();
		assertThat(identity.get("email")).isEqualTo(verified);
		assertThat(identity.get("profile").toString()).isEqualTo("{\"name\":\"Octo Cat\"}");
	}

	@Test
	void signInWhenGitHubLikeProviderHasNoVerifiedEmailThenRefused() {
		emails = "[{\"email\":\"" + newEmail() + "\",\"primary\":true,\"verified\":false}]";
		githubUser(System.nanoTime());
		Browser browser = new Browser();

		HttpResponse<String> done = browser.get(browser.throughProvider("/sso/githublike/start"));

		assertThat(done.statusCode()).isEqualTo(422);
	}

	@Test
	void jsonApiWhenFlowCompletedThenTokensOnceAndForTheAppsFlowOnly() {
		String email = newEmail();
		ApiClient.Response started = api.post("/v1/sign-in/oauth",
				ApiClient.map("provider", "googlelike", "redirect_url", "https://app.example.com/cb"));
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		assertThat(query(started.text("authorization_url"))).containsEntry("code_challenge_method", "S256")
			.containsKeys("state", "nonce", "code_challenge");
		googleUser(newSubject(), email, true);
		Browser browser = new Browser();
		HttpResponse<String> back = browser.get(browser.authorize(started.text("authorization_url")));
		assertThat(back.statusCode()).isEqualTo(303);
		Map<String, String> params = query(location(back));
		assertThat(params.get("sso_flow_id")).isEqualTo(started.text("flow_id"));

		ApiClient.Response wrongFlow = api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", "sso_other", "code", params.get("sso_code")));
		ApiClient.Response signedIn = api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));
		ApiClient.Response again = api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));

		assertThat(wrongFlow.code()).isEqualTo("invalid_sso_flow");
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(signedIn.text("access_token")).get("amr").toString()).isEqualTo("[\"fed\"]");
		assertThat(again.code()).isEqualTo("invalid_sso_flow");
	}

	@Test
	void signInWhenUserHasASecondFactorThenMfaStillRequiredAndAmrSaysFed() {
		String email = newEmail();
		String subject = newSubject();
		ApiClient.Response first = apiSignIn(subject, email);
		MfaSteps.Enrolled totp = MfaSteps.enrolTotp(api, first.text("access_token"), clock.instant());

		ApiClient.Response second = apiSignIn(subject, email);

		assertThat(second.text("status")).isEqualTo("mfa_required");
		clock.advance(java.time.Duration.ofSeconds(30));
		ApiClient.Response done = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", second.text("mfa_token"),
				"factor", "totp", "code", MfaSteps.code(totp.secret(), clock.instant())));
		assertThat(done.status()).as(done.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(done.text("access_token")).get("amr").toString())
			.isEqualTo("[\"fed\",\"otp\",\"mfa\"]");
	}

	/** A complete sign-in of the JSON API through the Google-like provider. */
	private ApiClient.Response apiSignIn(String subject, String email) {
		ApiClient.Response started = api.post("/v1/sign-in/oauth",
				ApiClient.map("provider", "googlelike", "redirect_url", "https://app.example.com/cb"));
		googleUser(subject, email, true);
		Browser browser = new Browser();
		Map<String, String> params = query(location(browser.get(browser.authorize(started.text("authorization_url")))));
		ApiClient.Response r = api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r;
	}

	/** The providers' list names what the settings switched on, in order. */
	@Test
	void providersWhenListedThenTheConfiguredOnes() {
		ApiClient.Response r = api.get("/v1/sign-in/oauth/providers");
		assertThat(r.json().get("providers").toString())
			.isEqualTo("[{\"key\":\"googlelike\",\"name\":\"Google-like\"},{\"key\":\"githublike\",\"name\":\"githublike\"},"
					+ "{\"key\":\"rogue\",\"name\":\"rogue\"}]");
	}

	@Test
	void unlinkWhenLastWayToSignInThenRefused() {
		String subject = newSubject();
		ApiClient.Response signedIn = apiSignIn(subject, newEmail());
		String token = signedIn.text("access_token");
		String id = api.get("/v1/me/identities", token).json().get("identities").get(0).get("id").asString();

		ApiClient.Response refused = api.delete("/v1/me/identities/" + id, token);

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("last_sign_in_method");
	}

	@Autowired
	dev.plinto.org.ConnectionRepository connections;

	@Autowired
	dev.plinto.crypto.SecretBox box;

	/** An enabled OpenID Connect connection of a new organization at the mock's {@code corp} issuer. */
	private dev.plinto.org.OrganizationConnection corpConnection(String owner) {
		ApiClient.Response org = api.post("/v1/organizations",
				ApiClient.map("name", "Corp " + UUID.randomUUID(), "slug", "corp-" + System.nanoTime()), owner);
		assertThat(org.status()).as(org.toString()).isEqualTo(201);
		String organizationId = org.json().get("id").asString();
		String id = "con_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26);
		java.time.Instant now = clock.instant();
		dev.plinto.org.OrganizationConnection connection = new dev.plinto.org.OrganizationConnection(id,
				organizationId, dev.plinto.org.OrganizationConnection.Type.OIDC, "Corp SSO", true,
				IDP.issuerUrl("corp").toString(), "plinto-corp",
				box.seal("corp-secret", dev.plinto.org.OrganizationConnection.secretAssociatedData(id)), null, null,
				"{\"groups\":\"groups\",\"roles\":{\"engineering-admins\":\"admin\"}}", "member", null, null,
				now, now);
		connections.insert(connection);
		return connection;
	}

	@Test
	void connectionSignInWhenFirstTimeThenUserJoinsTheOrganizationWithTheMappedRoleAndTheSessionWorksInIt() {
		dev.plinto.org.OrganizationConnection connection = corpConnection(account().token());
		String email = newEmail();
		IDP.enqueueCallback(new DefaultOAuth2TokenCallback("corp", newSubject(), "JWT", List.of("plinto-corp"),
				Map.of("email", email, "email_verified", true, "name", "Grace Hopper", "groups",
						List.of("everyone", "engineering-admins")), 3600));
		Browser browser = new Browser();

		HttpResponse<String> done = browser
			.get(browser.throughProvider("/sso/connections/" + connection.id() + "/start"));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		var claims = ApiClient.claims(browser.cookies.get("plinto_session"));
		assertThat(claims.get("org_id").asString()).isEqualTo(connection.organizationId());
		assertThat(claims.get("org_role").asString()).isEqualTo("admin");
		assertThat(claims.get("amr").toString()).isEqualTo("[\"fed\"]");
		assertThat(jdbc.sql("select provider from user_identities i join users u on u.id = i.user_id "
				+ "where u.email = :e").param("e", email).query(String.class).single())
			.isEqualTo("connection:" + connection.id());
	}

	@Test
	void connectionSignInWhenNoGroupIsMappedThenJoinsWithTheDefaultRoleThroughTheJsonApi() {
		dev.plinto.org.OrganizationConnection connection = corpConnection(account().token());
		String email = newEmail();
		IDP.enqueueCallback(new DefaultOAuth2TokenCallback("corp", newSubject(), "JWT", List.of("plinto-corp"),
				Map.of("email", email, "email_verified", true), 3600));
		ApiClient.Response started = api.post("/v1/sign-in/oauth", ApiClient.map("provider",
				"connection:" + connection.id(), "redirect_url", "https://app.example.com/cb"));
		Browser browser = new Browser();
		Map<String, String> params = query(location(browser.get(browser.authorize(started.text("authorization_url")))));

		ApiClient.Response signedIn = api.post("/v1/sign-in/oauth/complete",
				ApiClient.map("flow_id", params.get("sso_flow_id"), "code", params.get("sso_code")));

		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		var claims = ApiClient.claims(signedIn.text("access_token"));
		assertThat(claims.get("org_id").asString()).isEqualTo(connection.organizationId());
		assertThat(claims.get("org_role").asString()).isEqualTo("member");
	}

	/** The wire names of the user's newest security events. */
	private List<String> eventTypes(String token) {
		ApiClient.Response events = api.get("/v1/me/security-events?limit=100", token);
		assertThat(events.status()).as(events.toString()).isEqualTo(200);
		List<String> types = new java.util.ArrayList<>();
		events.json().get("data").forEach(e -> types.add(e.get("type").asString()));
		return types;
	}
}
