package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The device authorization grant (RFC 8628) end to end through the real server: the device starts, polls, the user
 * signs in on the hosted pages, enters the code on the "enter the code" page, consents, and the device's poll gets
 * tokens that verify against the JWKS and carry the browser session; and the refusals: a wrong code, an expired
 * one, a denied consent, polling too fast, too many codes, a missing CSRF token, a client without the grant.
 */
class OidcDeviceFlowTests extends OidcTestSupport {

	static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

	@Autowired
	AuditLog audit;

	@Autowired
	RegisteredClientRepository registered;

	Registered deviceClient(boolean firstParty) {
		OidcClients.Created created = clients.create(new OidcClients.Spec("TV app " + UUID.randomUUID(),
				OidcClients.Type.CONFIDENTIAL, List.of(), List.of(), Set.of("device_code", "refresh_token"),
				Set.of("openid", "profile", "email"), firstParty, true, null, null, null), ClientInfo.none());
		return new Registered(created.client().clientId(), created.secret());
	}

	/** The device authorization request (RFC 8628 §3.1). */
	Json start(Registered client, String scope) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("scope", scope);
		if (client.secret() == null) {
			fields.put("client_id", client.id());
		}
		return tokenRequest("/oauth2/device_authorization", client, fields);
	}

	/** The device access token request (RFC 8628 §3.4). */
	Json poll(Registered client, String deviceCode) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("grant_type", DEVICE_GRANT);
		fields.put("device_code", deviceCode);
		if (client.secret() == null) {
			fields.put("client_id", client.id());
		}
		return tokenRequest("/oauth2/token", client, fields);
	}

	/** Opens a page of the server in a signed-out browser, signs in on the page it is sent to and comes back. */
	HttpResponse<String> openSignedIn(Browser browser, String url, String email) {
		HttpResponse<String> start = browser.get(url);
		assertThat(start.statusCode()).as(start.body()).isEqualTo(303);
		assertThat(Browser.location(start)).startsWith("/sign-in?redirect_url=");
		String back = Browser.param(Browser.location(start), "redirect_url");
		assertThat(browser.get(Browser.location(start)).statusCode()).isEqualTo(200);
		HttpResponse<String> signedIn = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD,
				"redirect_url", back));
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		return browser.follow(signedIn);
	}

	/** A browser signed in on the pages, showing the "enter the code" page. */
	Browser signedInOnThePage(User user) {
		Browser browser = new Browser(base());
		HttpResponse<String> page = openSignedIn(browser, "/device", user.email());
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		return browser;
	}

	static String enterCode(Browser browser, String userCode) {
		HttpResponse<String> entered = browser.post("/oauth2/device_verification", Map.of("user_code", userCode));
		assertThat(entered.statusCode()).as(entered.body()).isIn(302, 303);
		return Browser.location(entered);
	}

	@Test
	void deviceFlowWhenTheUserEntersTheCodeAndConsentsThenThePollGetsTokensBoundToTheSession() throws Exception {
		Registered client = deviceClient(false);
		User user = user();
		Json started = start(client, "profile email");
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		String userCode = started.text("user_code");
		assertThat(userCode).matches("[A-Z]{4}-[A-Z]{4}");
		assertThat(started.text("verification_uri")).isEqualTo(base() + "/device");
		assertThat(started.text("verification_uri_complete")).isEqualTo(base() + "/device?user_code=" + userCode);
		assertThat(started.body().get("interval").asLong()).isEqualTo(5);
		assertThat(started.body().get("expires_in").asLong()).isBetween(290L, 300L);

		Json pending = poll(client, started.text("device_code"));
		assertThat(pending.status()).as(pending.toString()).isEqualTo(400);
		assertThat(pending.text("error")).isEqualTo("authorization_pending");
		assertThat(pending.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));

		// The link of verification_uri_complete in a signed-out browser: sign in, then the page with the code in it.
		Browser browser = new Browser(base());
		HttpResponse<String> page = openSignedIn(browser, started.text("verification_uri_complete"), user.email());
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains("Connect a device").contains("value=\"" + userCode + "\"")
			.contains(user.email()).contains("action=\"/oauth2/device_verification\"");

		String consentUrl = enterCode(browser, userCode);
		assertThat(consentUrl).contains("/oauth2/consent?").contains("user_code=");
		HttpResponse<String> consent = browser.get(consentUrl);
		assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
		assertThat(consent.body()).contains("Allow TV app").contains("see your email address")
			.contains("name=\"user_code\" value=\"" + userCode + "\"");
		HttpResponse<String> allowed = browser.post("/oauth2/device_verification", Map.of("client_id", client.id(),
				"state", hidden(consent.body(), "state"), "user_code", userCode, "scope", List.of("profile", "email")));
		assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(303);
		assertThat(Browser.location(allowed)).startsWith("/device?result=approved");
		HttpResponse<String> done = browser.follow(allowed);
		assertThat(done.body()).contains("Device connected").contains("can now use your account");

		Json tokens = poll(client, started.text("device_code"));
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(tokens.text("refresh_token")).isNotBlank();
		SignedJWT access = verified(tokens.text("access_token"));
		JWTClaimsSet claims = access.getJWTClaimsSet();
		assertThat(access.getHeader().getType().getType()).isEqualTo("at+jwt");
		assertThat(claims.getSubject()).isEqualTo(user.id());
		assertThat(claims.getStringClaim("client_id")).isEqualTo(client.id());
		assertThat(claims.getStringClaim("sid")).startsWith("ses_");
		assertThat(claims.getStringClaim("scope")).isEqualTo("email profile");
		assertThat(audit.forUser(user.id(), null, null, 50)).extracting(AuditEvent::type)
			.contains(AuditEvent.Type.OIDC_SIGNED_IN, AuditEvent.Type.OIDC_CONSENT_GRANTED);

		Json again = poll(client, started.text("device_code"));
		assertThat(again.text("error")).as("a device code works once").isEqualTo("access_denied");

		// Bound to the browser session: after signing out there, the refresh is refused.
		browser.get("/sign-out");
		assertThat(browser.post("/sign-out", Map.of()).statusCode()).isEqualTo(200);
		Json refused = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token", "refresh_token",
				tokens.text("refresh_token")));
		assertThat(refused.text("error")).as(refused.toString()).isEqualTo("invalid_grant");
	}

	@Test
	void deviceFlowWhenTheClientIsFirstPartyThenNoConsentScreen() throws Exception {
		Registered client = deviceClient(true);
		User user = user();
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user);
		assertThat(enterCode(browser, started.text("user_code").toLowerCase().replace("-", " ")))
			.as("the code is read as typed: any case, any separator").startsWith("/device?result=approved");
		Json tokens = poll(client, started.text("device_code"));
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(verified(tokens.text("access_token")).getJWTClaimsSet().getSubject()).isEqualTo(user.id());
	}

	@Test
	void deviceFlowWhenTheUserDeniesThenThePageSaysSoAndThePollGetsAccessDenied() {
		Registered client = deviceClient(false);
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		HttpResponse<String> consent = browser.get(enterCode(browser, started.text("user_code")));
		HttpResponse<String> denied = browser.post("/oauth2/device_verification", Map.of("client_id", client.id(),
				"state", hidden(consent.body(), "state"), "user_code", started.text("user_code")));
		assertThat(denied.statusCode()).as(denied.body()).isEqualTo(303);
		assertThat(Browser.location(denied)).isEqualTo("/device?result=denied");
		assertThat(browser.follow(denied).body()).contains("Device not connected");
		Json refused = poll(client, started.text("device_code"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("access_denied");
	}

	@Test
	void codeEntryWhenTheCodeIsWrongThenThePageSaysSoAndNothingIsApproved() {
		Registered client = deviceClient(true);
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		String back = enterCode(browser, "BCDF-GHJK");
		assertThat(back).isEqualTo("/device?error=invalid_code");
		HttpResponse<String> page = browser.get(back);
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("This code is not valid").contains("aria-invalid=\"true\"");
		assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("authorization_pending");
	}

	@Test
	void codeEntryWhenALinkOpensTheVerificationEndpointThenOnlyThePageIsFilledIn() {
		Registered client = deviceClient(true);
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		HttpResponse<String> link = browser.get("/oauth2/device_verification?user_code=" + started.text("user_code"));
		assertThat(link.statusCode()).isEqualTo(303);
		assertThat(Browser.location(link)).isEqualTo("/device?user_code=" + started.text("user_code"));
		assertThat(poll(client, started.text("device_code")).text("error"))
			.as("a GET never approves a device").isEqualTo("authorization_pending");
	}

	@Test
	void codeEntryWhenPostedWithoutTheCsrfTokenThenRefused() {
		Registered client = deviceClient(true);
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		HttpResponse<String> forged = browser.post("/oauth2/device_verification",
				Map.of("user_code", started.text("user_code"), "_csrf", "forged"));
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("authorization_pending");
	}

	@Test
	void codeEntryWhenTooManyCodesThenRateLimitedEvenForTheRightOne() {
		Registered client = deviceClient(true);
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		for (int i = 0; i < 10; i++) {
			assertThat(enterCode(browser, "BCDF-GHJ" + "KLMNPQRSTV".charAt(i))).isEqualTo("/device?error=invalid_code");
		}
		assertThat(enterCode(browser, started.text("user_code"))).isEqualTo("/device?error=rate_limited");
		assertThat(browser.get("/device?error=rate_limited").body()).contains("Too many codes were tried");
		assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("authorization_pending");
	}

	@Test
	void pollWhenFasterThanTheIntervalThenSlowDown() {
		Registered client = deviceClient(true);
		Json started = start(client, "profile");
		assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("authorization_pending");
		assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("authorization_pending");
		Json tooFast = poll(client, started.text("device_code"));
		assertThat(tooFast.status()).isEqualTo(400);
		assertThat(tooFast.text("error")).isEqualTo("slow_down");
	}

	@Test
	void pollWhenTheCodeExpiredThenExpiredTokenAndThePageRefusesTheCode() {
		Registered client = deviceClient(true);
		RegisteredClient stored = registered.findByClientId(client.id());
		registered.save(RegisteredClient.from(stored)
			.tokenSettings(TokenSettings.withSettings(stored.getTokenSettings().getSettings())
				.deviceCodeTimeToLive(Duration.ofSeconds(1))
				.build())
			.build());
		Json started = start(client, "profile");
		Browser browser = signedInOnThePage(user());
		Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(
				() -> assertThat(poll(client, started.text("device_code")).text("error")).isEqualTo("expired_token"));
		assertThat(enterCode(browser, started.text("user_code"))).isEqualTo("/device?error=invalid_code");
	}

	@Test
	void deviceAuthorizationWhenPublicClientThenItsClientIdIsEnoughAndOthersAreRefused() {
		OidcClients.Created tv = clients.create(new OidcClients.Spec("Public TV app", OidcClients.Type.PUBLIC,
				List.of(), List.of(), Set.of("urn:ietf:params:oauth:grant-type:device_code"), Set.of("email"), true,
				true, null, null, null), ClientInfo.none());
		Registered publicClient = new Registered(tv.client().clientId(), null);
		Json started = start(publicClient, "email");
		assertThat(started.status()).as(started.toString()).isEqualTo(200);
		assertThat(poll(publicClient, started.text("device_code")).text("error")).isEqualTo("authorization_pending");

		Registered confidential = deviceClient(true);
		Json withoutSecret = start(new Registered(confidential.id(), null), "profile");
		assertThat(withoutSecret.status()).as(withoutSecret.toString()).isEqualTo(401);
		assertThat(withoutSecret.text("error")).isEqualTo("invalid_client");

		Registered codeFlowOnly = confidential(true);
		Json notRegistered = start(codeFlowOnly, "profile");
		assertThat(notRegistered.status()).as(notRegistered.toString()).isEqualTo(400);
		assertThat(notRegistered.text("error")).isEqualTo("unauthorized_client");

		Json anonymous = tokenRequest("/oauth2/device_authorization", new Registered("", null), Map.of("scope", "profile"));
		assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
		assertThat(anonymous.text("error")).isEqualTo("invalid_client");
	}

	private static String hidden(String page, String name) {
		Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(page);
		assertThat(m.find()).as(page).isTrue();
		return m.group(1);
	}
}
