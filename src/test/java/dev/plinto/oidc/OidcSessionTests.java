package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.plinto.ApiClient;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.session.SessionRepository;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The provider and the Plinto session, through the real server: {@code prompt} (login, none, consent,
 * select_account), {@code max_age}, {@code acr} and {@code acr_values} with the second-factor step,
 * {@code offline_access}, refresh-token reuse detection, the {@code org} scope, back-channel logout to a loopback
 * receiver that verifies the logout token against the JWKS, and the cleanup of requests abandoned on the consent
 * page.
 */
class OidcSessionTests extends OidcTestSupport {

	@Autowired
	private SessionRepository sessionRepository;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private AuthorizationCleanupJob cleanup;

	// --- prompt, max_age, acr

	@Test
	void promptLoginWhenSignedInThenTheBrowserSignsInAgainAndTheIdTokenHasTheFreshSignIn() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Browser browser = signedIn(user);
		String firstSid = idToken(client, browser, "openid", "").getStringClaim("sid");
		clock.advance(Duration.ofSeconds(20));

		Pkce pkce = Pkce.create();
		String url = authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", pkce) + "&prompt=login&max_age=3600";
		HttpResponse<String> start = browser.get(url);
		assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
		String signIn = Browser.location(start);
		assertThat(signIn).startsWith("/sign-in?prompt=login&redirect_url=");
		String back = Browser.param(signIn, "redirect_url");
		assertThat(back).startsWith("/oauth2/authorize?").doesNotContain("prompt").doesNotContain("max_age")
			.contains("code_challenge=" + pkce.challenge()).contains("state=st");
		assertThat(browser.get(signIn).statusCode()).isEqualTo(200);
		HttpResponse<String> signedIn = browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD,
				"redirect_url", back, "prompt", "login"));
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		HttpResponse<String> answered = browser.follow(signedIn);
		assertThat(Browser.location(answered)).startsWith(REDIRECT + "?code=");

		JWTClaimsSet claims = exchanged(client, answered, pkce);
		assertThat(claims.getStringClaim("sid")).isNotEqualTo(firstSid);
		assertThat(claims.getLongClaim("auth_time")).isEqualTo(clock.instant().getEpochSecond());
		assertThat(claims.getStringClaim("acr")).isEqualTo(AuthenticationRequests.ACR_SFA);
	}

	@Test
	void promptSelectAccountWhenSignedInThenContinueAsTheAccountOrSignInWithAnother() {
		Registered client = confidential(true);
		User first = user();
		User second = user();
		Browser browser = signedIn(first);
		Pkce pkce = Pkce.create();
		String url = authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", pkce) + "&prompt=select_account";
		HttpResponse<String> start = browser.get(url);
		assertThat(Browser.location(start)).startsWith("/sign-in?prompt=select_account&redirect_url=");
		String back = Browser.param(Browser.location(start), "redirect_url");
		assertThat(back).doesNotContain("prompt");
		HttpResponse<String> page = browser.get(Browser.location(start));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("You are signed in as " + first.email())
			.contains("href=\"" + back.replace("&", "&amp;") + "\"")
			.contains("name=\"password\"");
		HttpResponse<String> continued = browser.get(back);
		assertThat(exchangedSubject(client, continued, pkce)).as("continue as the signed-in account")
			.isEqualTo(first.id());

		Pkce other = Pkce.create();
		HttpResponse<String> again = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", other)
				+ "&prompt=select_account");
		String otherBack = Browser.param(Browser.location(again), "redirect_url");
		browser.get(Browser.location(again));
		HttpResponse<String> signedIn = browser.post("/sign-in", Map.of("email", second.email(), "password",
				PASSWORD, "redirect_url", otherBack, "prompt", "login"));
		HttpResponse<String> answered = browser.follow(signedIn);
		assertThat(exchangedSubject(client, answered, other)).as("another account").isEqualTo(second.id());
	}

	@Test
	void maxAgeWhenTheSignInIsOlderThenSignInAgainAndWithPromptNoneLoginRequired() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		clock.advance(Duration.ofSeconds(90));
		String url = authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", Pkce.create());

		HttpResponse<String> fresh = browser.get(url + "&max_age=300");
		assertThat(Browser.location(fresh)).as("a sign-in younger than max_age").startsWith(REDIRECT + "?code=");

		HttpResponse<String> stale = browser.get(url + "&max_age=60");
		assertThat(Browser.location(stale)).startsWith("/sign-in?prompt=login&redirect_url=");

		HttpResponse<String> none = browser.get(url + "&max_age=60&prompt=none");
		assertThat(Browser.location(none)).startsWith(REDIRECT + "?error=login_required");
		assertThat(Browser.param(Browser.location(none), "state")).isEqualTo("st");

		HttpResponse<String> invalid = browser.get(url + "&max_age=soon");
		assertThat(Browser.location(invalid)).startsWith(REDIRECT + "?error=invalid_request");
	}

	@Test
	void promptNoneWhenSignedOutOrConsentMissingOrCombinedThenTheErrorGoesToTheClient() {
		Registered client = confidential(false);
		String url = authorizeUrl(client.id(), REDIRECT, "openid email", "st", "n", Pkce.create());
		HttpResponse<String> signedOut = new Browser(base()).get(url + "&prompt=none");
		assertThat(Browser.location(signedOut)).startsWith(REDIRECT + "?error=login_required");
		assertThat(Browser.param(Browser.location(signedOut), "state")).isEqualTo("st");
		HttpResponse<String> signedOutCombined = new Browser(base()).get(url + "&prompt=none%20consent");
		assertThat(Browser.location(signedOutCombined)).startsWith(REDIRECT + "?error=invalid_request");
		HttpResponse<String> unregistered = new Browser(base()).get(authorizeUrl(client.id(),
				"https://evil.example/callback", "openid", "st", "n", Pkce.create()) + "&prompt=none");
		assertThat(Browser.location(unregistered)).as("never to an unregistered address")
			.doesNotStartWith("https://evil.example");

		Browser browser = signedIn(user());
		HttpResponse<String> noConsent = browser.get(url + "&prompt=none");
		assertThat(Browser.location(noConsent)).startsWith(REDIRECT + "?error=consent_required");

		HttpResponse<String> combined = browser.get(url + "&prompt=none%20login");
		assertThat(Browser.location(combined)).startsWith(REDIRECT + "?error=invalid_request");
	}

	@Test
	void promptConsentWhenConsentRememberedThenThePageIsShownAgain() {
		Registered client = confidential(false);
		Browser browser = signedIn(user());
		String url = authorizeUrl(client.id(), REDIRECT, "openid email", "st", "n", Pkce.create());
		HttpResponse<String> asked = browser.follow(browser.get(url));
		assertThat(asked.statusCode()).isEqualTo(200);
		HttpResponse<String> allowed = browser.post("/oauth2/authorize", Map.of("client_id", client.id(), "state",
				consentState(asked.body()), "scope", List.of("openid", "email")));
		assertThat(Browser.location(allowed)).startsWith(REDIRECT + "?code=");
		assertThat(Browser.location(browser.get(url))).as("remembered").startsWith(REDIRECT + "?code=");

		HttpResponse<String> again = browser.follow(browser.get(url + "&prompt=consent"));
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("name=\"state\"");
		HttpResponse<String> none = browser.get(url + "&prompt=none%20consent");
		assertThat(Browser.location(none)).startsWith(REDIRECT + "?error=invalid_request");

		Registered firstParty = confidential(true);
		HttpResponse<String> firstPartyAsked = browser.follow(browser.get(authorizeUrl(firstParty.id(), REDIRECT,
				"openid email", "st", "n", Pkce.create()) + "&prompt=consent"));
		assertThat(firstPartyAsked.statusCode()).as("prompt=consent asks for a first-party client too")
			.isEqualTo(200);
	}

	@Test
	void acrValuesMfaWhenTheSessionHasOneFactorAndTheAccountHasTwoThenTheSecondFactorStep() throws Exception {
		Registered client = confidential(true);
		SignedUp user = signedUp();
		Browser browser = signedIn(new User(user.email(), user.id()));
		String secret = api.post("/v1/me/mfa/totp", "", user.token()).text("secret");
		assertThat(api.post("/v1/me/mfa/totp/confirm", ApiClient.map("code", MfaSteps.code(secret, clock.instant())),
				user.token()).status()).isEqualTo(200);
		clock.advance(Duration.ofSeconds(30));

		Pkce pkce = Pkce.create();
		String url = authorizeUrl(client.id(), REDIRECT, "openid", "st", "n", pkce) + "&acr_values="
				+ Browser.encode(AuthenticationRequests.ACR_MFA);
		HttpResponse<String> none = browser.get(url + "&prompt=none");
		assertThat(Browser.location(none)).startsWith(REDIRECT + "?error=interaction_required");

		HttpResponse<String> start = browser.get(url);
		assertThat(Browser.location(start)).startsWith("/sign-in?prompt=login&redirect_url=");
		String back = Browser.param(Browser.location(start), "redirect_url");
		browser.get(Browser.location(start));
		HttpResponse<String> factorStep = browser.post("/sign-in", Map.of("email", user.email(), "password",
				PASSWORD, "redirect_url", back, "prompt", "login"));
		assertThat(factorStep.statusCode()).isEqualTo(200);
		java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"mfa_token\" value=\"([^\"]+)\"")
			.matcher(factorStep.body());
		assertThat(token.find()).as(factorStep.body()).isTrue();
		HttpResponse<String> signedIn = browser.post("/sign-in/factor", Map.of("mfa_token", token.group(1),
				"factor", "totp", "code", MfaSteps.code(secret, clock.instant()), "redirect_url", back));
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		HttpResponse<String> answered = browser.follow(signedIn);
		JWTClaimsSet claims = exchanged(client, answered, pkce);
		assertThat(claims.getStringClaim("acr")).isEqualTo(AuthenticationRequests.ACR_MFA);
		assertThat(claims.getStringListClaim("amr")).contains("mfa");
	}

	@Test
	void acrValuesMfaWhenTheAccountHasNoSecondFactorThenTokensWithTheOneFactorAcr() throws Exception {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		JWTClaimsSet claims = idToken(client, browser, "openid", "&acr_values="
				+ Browser.encode(AuthenticationRequests.ACR_MFA));
		assertThat(claims.getStringClaim("acr")).isEqualTo(AuthenticationRequests.ACR_SFA);
	}

	@Test
	void discoveryWhenFetchedThenPromptsAcrValuesClaimsAndBackChannelLogoutAreAdvertised() {
		JsonNode oidc = api.get("/.well-known/openid-configuration").json();
		assertThat(texts(oidc.get("prompt_values_supported"))).containsExactly("none", "login", "consent",
				"select_account");
		assertThat(texts(oidc.get("acr_values_supported"))).containsExactly(AuthenticationRequests.ACR_SFA,
				AuthenticationRequests.ACR_MFA);
		assertThat(texts(oidc.get("claims_supported"))).contains("acr", "auth_time", "org_id", "org_role")
			.doesNotContain("public_metadata");
		assertThat(texts(oidc.get("scopes_supported"))).contains("org", "offline_access");
		assertThat(oidc.get("backchannel_logout_supported").asBoolean()).isTrue();
		assertThat(oidc.get("backchannel_logout_session_supported").asBoolean()).isTrue();
	}

	// --- offline_access

	@Test
	void refreshTokenWhenOfflineAccessGrantedOrClientOptedOutThenIssuedOtherwiseNot() {
		Registered client = confidential(true);
		Browser browser = signedIn(user());
		assertThat(tokens(client, browser, "openid email").text("refresh_token")).as("no offline_access").isNull();
		assertThat(tokens(client, browser, "openid offline_access").text("refresh_token")).isNotBlank();

		Registered optedOut = confidential(true);
		clients.setSessionOptions(optedOut.id(), new OidcClients.SessionOptions(null, false, true), ClientInfo.none());
		Json optedOutTokens = tokens(optedOut, browser, "openid");
		assertThat(optedOutTokens.text("refresh_token")).isNotBlank();
		assertThat(clients.sessionOptions(optedOut.id()).refreshWithoutOfflineAccess()).isTrue();
		clients.update(optedOut.id(), new OidcClients.Spec("Renamed", OidcClients.Type.CONFIDENTIAL,
				List.of(REDIRECT), List.of(), java.util.Set.of("authorization_code", "refresh_token"),
				java.util.Set.of("openid"), true, true, null, null, null), ClientInfo.none());
		assertThat(clients.sessionOptions(optedOut.id()).refreshWithoutOfflineAccess()).as("kept by update")
			.isTrue();
		clients.setSessionOptions(optedOut.id(), new OidcClients.SessionOptions(null, false, false), ClientInfo.none());
		Json rotated = tokenRequest("/oauth2/token", optedOut, Map.of("grant_type", "refresh_token", "refresh_token",
				optedOutTokens.text("refresh_token")));
		assertThat(rotated.status()).as("a grant keeps rotating after the opt-out ends: " + rotated).isEqualTo(200);
		assertThat(rotated.text("refresh_token")).isNotBlank();
		assertThat(tokens(optedOut, browser, "openid").text("refresh_token")).as("a new grant follows the rule")
			.isNull();
	}

	// --- refresh-token reuse

	@Test
	void refreshWhenARotatedOutTokenIsPresentedThenTheAuthorizationAndThePlintoSessionAreRevoked() {
		Registered client = confidential(true);
		User user = user();
		Browser browser = signedIn(user);
		Json first = tokens(client, browser, "openid offline_access");
		Json rotated = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token", "refresh_token",
				first.text("refresh_token")));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);

		Json reused = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token", "refresh_token",
				first.text("refresh_token")));
		assertThat(reused.status()).isEqualTo(400);
		assertThat(reused.text("error")).isEqualTo("invalid_grant");

		Json current = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token", "refresh_token",
				rotated.text("refresh_token")));
		assertThat(current.text("error")).as("the current refresh token is revoked with the authorization")
			.isEqualTo("invalid_grant");
		Json introspected = tokenRequest("/oauth2/introspect", client, Map.of("token", rotated.text("access_token")));
		assertThat(introspected.body().get("active").asBoolean()).isFalse();
		assertThat(browser.get("/account").statusCode()).as("the Plinto session is revoked").isEqualTo(303);
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'REFRESH_TOKEN_REUSED' and user_id = ?")
			.param(user.id())
			.query(Long.class)
			.single()).isEqualTo(1L);
		assertThat(jdbc.sql("select revoke_reason from sessions where user_id = ?")
			.param(user.id())
			.query(String.class)
			.list()).contains("refresh_token_reused");
	}

	// --- the org scope

	@Test
	void orgScopeWhenTheSessionHasAnActiveOrganizationThenItsClaimsInTokensAndUserInfo() throws Exception {
		Registered client = confidential(true, "openid", "org");
		SignedUp user = signedUp();
		ApiClient.Response org = api.post("/v1/organizations", ApiClient.map("name", "Acme"), user.token());
		assertThat(org.status()).as(org.toString()).isEqualTo(201);
		String orgId = org.json().get("id").asString();
		Browser browser = signedIn(new User(user.email(), user.id()));
		String sid = idToken(client, browser, "openid", "").getStringClaim("sid");
		assertThat(sessionRepository.setActiveOrganization(sid, orgId)).isTrue();

		Json tokens = tokens(client, browser, "openid org");
		JWTClaimsSet id = verified(tokens.text("id_token")).getJWTClaimsSet();
		assertThat(id.getStringClaim("org_id")).isEqualTo(orgId);
		assertThat(id.getStringClaim("org_role")).isEqualTo("owner");
		assertThat(id.getStringClaim("org_slug")).startsWith("acme");
		assertThat(id.getStringListClaim("org_permissions")).isNotEmpty();
		JWTClaimsSet access = verified(tokens.text("access_token")).getJWTClaimsSet();
		assertThat(access.getStringClaim("org_id")).isEqualTo(orgId);
		Json introspected = tokenRequest("/oauth2/introspect", client, Map.of("token", tokens.text("access_token")));
		assertThat(introspected.body().get("active").asBoolean()).as(introspected.toString()).isTrue();
		JsonNode info = api.get("/userinfo", tokens.text("access_token")).json();
		assertThat(info.get("org_id")).as(info.toString()).isNotNull();
		assertThat(info.get("org_id").asString()).isEqualTo(orgId);
		assertThat(info.get("org_role").asString()).isEqualTo("owner");

		JWTClaimsSet without = verified(tokens(client, browser, "openid").text("id_token")).getJWTClaimsSet();
		assertThat(without.getClaim("org_id")).as("without the org scope").isNull();
	}

	// --- back-channel logout

	@Test
	void backchannelLogoutWhenThePlintoSessionEndsThenEachClientReceivesAVerifiableLogoutToken() throws Exception {
		List<String> received = new CopyOnWriteArrayList<>();
		AtomicInteger failures = new AtomicInteger(1);
		HttpServer receiver = receiver(received, failures);
		try {
			String uri = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/backchannel";
			Registered client = confidential(true);
			clients.setSessionOptions(client.id(), new OidcClients.SessionOptions(uri, true, false),
					ClientInfo.none());
			Registered silent = confidential(true);
			User user = user();
			Browser browser = signedIn(user);
			String sid = verified(tokens(client, browser, "openid").text("id_token")).getJWTClaimsSet()
				.getStringClaim("sid");
			tokens(silent, browser, "openid");

			browser.get("/sign-out");
			assertThat(browser.post("/sign-out", Map.of()).statusCode()).isEqualTo(200);

			Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !received.isEmpty());
			assertThat(failures.get()).as("the first attempt failed and was retried").isZero();
			assertThat(received).hasSize(1);
			SignedJWT token = verified(received.get(0));
			assertThat(token.getHeader().getType().getType()).isEqualTo("logout+jwt");
			JWTClaimsSet claims = token.getJWTClaimsSet();
			assertThat(claims.getIssuer()).isEqualTo(base());
			assertThat(claims.getAudience()).containsExactly(client.id());
			assertThat(claims.getSubject()).isEqualTo(user.id());
			assertThat(claims.getStringClaim("sid")).isEqualTo(sid);
			assertThat(claims.getJSONObjectClaim("events")).containsKey(BackchannelLogout.EVENT);
			assertThat(claims.getClaim("nonce")).isNull();
			assertThat(claims.getJWTID()).isNotBlank();
			assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
		}
		finally {
			receiver.stop(0);
		}
	}

	@Test
	void backchannelLogoutUriWhenNotHttpsOrLoopbackThenRefused() {
		Registered client = confidential(true);
		for (String bad : List.of("http://app.example/logout", "com.example.app:/logout", "https://app.example/x#f",
				"/relative")) {
			assertThatThrownBy(() -> clients.setSessionOptions(client.id(),
					new OidcClients.SessionOptions(bad, false, false), ClientInfo.none()))
				.as(bad)
				.isInstanceOf(IllegalArgumentException.class);
		}
		clients.setSessionOptions(client.id(), new OidcClients.SessionOptions("https://app.example/logout", false,
				false), ClientInfo.none());
		assertThat(clients.sessionOptions(client.id()).backchannelLogoutUri()).isEqualTo("https://app.example/logout");
	}

	// --- cleanup of unfinished consents

	@Test
	void cleanupWhenAConsentWasAbandonedForAnHourThenItsRequestIsDeleted() {
		Registered client = confidential(false);
		Browser browser = signedIn(user());
		HttpResponse<String> asked = browser.follow(browser.get(authorizeUrl(client.id(), REDIRECT, "openid email",
				"st", "n", Pkce.create())));
		assertThat(asked.statusCode()).isEqualTo(200);
		String state = consentState(asked.body());
		assertThat(pending(client)).isEqualTo(1L);
		cleanup.clean();
		assertThat(pending(client)).as("younger than an hour").isEqualTo(1L);

		java.time.Instant start = clock.instant();
		try {
			clock.advance(AuthorizationCleanupJob.UNFINISHED_CONSENT.plusMinutes(1));
			cleanup.clean();
		}
		finally {
			clock.set(start);
		}
		assertThat(pending(client)).isZero();
		HttpResponse<String> late = browser.post("/oauth2/authorize", Map.of("client_id", client.id(), "state", state,
				"scope", List.of("openid", "email")));
		assertThat(late.statusCode()).as("the consent can no longer be answered").isNotEqualTo(302);
	}

	private long pending(Registered client) {
		return jdbc.sql("""
				select count(*) from oauth2_authorization a join oauth2_registered_client c
				  on c.id = a.registered_client_id
				where c.client_id = ? and a.state is not null and a.authorization_code_value is null""")
			.param(client.id())
			.query(Long.class)
			.single();
	}

	// --- helpers

	/** A loopback relying party: its first {@code failures} posts answer 503, the others 200 and are kept. */
	private static HttpServer receiver(List<String> received, AtomicInteger failures) throws IOException {
		HttpServer server = null;
		for (int port = 18200; port < 18300 && server == null; port++) {
			try {
				server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
			}
			catch (IOException e) {
				// taken
			}
		}
		assertThat(server).as("a free port in 18200-18299").isNotNull();
		server.createContext("/backchannel", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			boolean form = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
				.startsWith("application/x-www-form-urlencoded");
			int status;
			if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
				status = 503;
			}
			else if (form && body.startsWith("logout_token=")) {
				received.add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
				status = 200;
			}
			else {
				status = 400;
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
		return server;
	}

	/** A user signed up through the JSON API, with its access token. */
	record SignedUp(String email, String id, String token) {
	}

	private SignedUp signedUp() {
		String email = "oidc-" + java.util.UUID.randomUUID() + "@example.com";
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return new SignedUp(email, r.json().get("user").get("id").asString(), r.json().get("access_token").asString());
	}

	private Browser signedIn(User user) {
		Browser browser = new Browser(base());
		browser.get("/sign-in");
		HttpResponse<String> r = browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD));
		assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
		return browser;
	}

	/** Tokens for a signed-in browser and a first-party client. */
	private Json tokens(Registered client, Browser browser, String scope) {
		Pkce pkce = Pkce.create();
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, scope, "s", "n", pkce));
		assertThat(Browser.location(r)).as(r.body()).startsWith(REDIRECT + "?code=");
		Json tokens = exchange(client, Browser.param(Browser.location(r), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens;
	}

	private JWTClaimsSet idToken(Registered client, Browser browser, String scope, String extra) throws Exception {
		Pkce pkce = Pkce.create();
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, scope, "s", "n", pkce) + extra);
		return exchanged(client, r, pkce);
	}

	private JWTClaimsSet exchanged(Registered client, HttpResponse<String> redirect, Pkce pkce) throws Exception {
		assertThat(Browser.location(redirect)).as(redirect.body()).startsWith(REDIRECT + "?code=");
		Json tokens = exchange(client, Browser.param(Browser.location(redirect), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return verified(tokens.text("id_token")).getJWTClaimsSet();
	}

	private String exchangedSubject(Registered client, HttpResponse<String> redirect, Pkce pkce) {
		try {
			return exchanged(client, redirect, pkce).getSubject();
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	private static String consentState(String consentPage) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"state\" value=\"([^\"]+)\"")
			.matcher(consentPage);
		assertThat(m.find()).as(consentPage).isTrue();
		return m.group(1).replace("&#61;", "=").replace("&amp;", "&");
	}

	private static List<String> texts(JsonNode array) {
		List<String> out = new java.util.ArrayList<>();
		array.forEach(n -> out.add(n.asString()));
		return out;
	}
}
