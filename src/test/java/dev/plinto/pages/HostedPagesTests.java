package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hosted pages over plain HTTP: security headers, CSRF and Origin refusals, browser-session cookies, their
 * refresh with reuse detection, redirects after sign-in, languages and cacheable assets.
 */
class HostedPagesTests extends PagesTestSupport {

	private FormClient browser;

	@org.junit.jupiter.api.BeforeEach
	void newBrowser() {
		browser = new FormClient(url());
	}

	@Test
	void signInPageWhenOpenedThenStrictHeadersAndANonceOnItsOnlyScript() {
		HttpResponse<String> page = browser.get("/sign-in");
		assertThat(page.statusCode()).isEqualTo(200);
		String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
		Matcher nonce = Pattern.compile("'nonce-([A-Za-z0-9+/=]+)'").matcher(csp);
		assertThat(nonce.find()).as(csp).isTrue();
		assertThat(csp).contains("frame-ancestors 'none'", "default-src 'none'", "base-uri 'none'",
				"style-src 'self'");
		assertThat(csp).doesNotContain("unsafe-inline");
		assertThat(page.body()).contains("nonce=\"" + nonce.group(1) + "\"").doesNotContain("<style")
			.doesNotContain(" style=");
		assertThat(page.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
		assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
		assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
		assertThat(page.body()).contains("<title>Sign in · Acme</title>", "mailto:help@acme.example",
				"https://acme.example/terms");
	}

	@Test
	void postWhenCsrfTokenMissingThenRefusedWithTheErrorPage() {
		browser.get("/sign-in");
		HttpResponse<String> refused = browser.postRaw("/sign-in",
				Map.of("email", verifiedAccount(), "password", PASSWORD), "Origin", url());
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("This form has expired or was sent from another site");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void postWhenOriginForeignThenRefusedEvenWithAValidToken() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> refused = browser.postRaw("/sign-in",
				Map.of("email", email, "password", PASSWORD, "_csrf", browser.csrf), "Origin", "https://evil.example");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("sent from another site");
		HttpResponse<String> nullOrigin = browser.postRaw("/sign-in",
				Map.of("email", email, "password", PASSWORD, "_csrf", browser.csrf), "Origin", "null");
		assertThat(nullOrigin.statusCode()).isEqualTo(403);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void signInWhenCorrectThenSessionCookiesAndRedirectToTheAllowedUrl() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		String target = appUrl() + "dashboard?tab=1";
		HttpResponse<String> done = browser.post("/sign-in",
				Map.of("email", email, "password", PASSWORD, "redirect_url", target));
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(done.headers().firstValue("Location")).contains(target);
		String refresh = FormClient.setCookie(done, "plinto_refresh");
		assertThat(refresh).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Domain=");
		String session = FormClient.setCookie(done, "plinto_session");
		assertThat(session).contains("HttpOnly", "SameSite=Lax", "Max-Age=60");
		String jwt = browser.cookies.get("plinto_session");
		assertThat(ApiClient.claims(jwt).path("email").asText()).isEqualTo(email);
		// The session JWT is an ordinary access token: the JSON API accepts it as a bearer token.
		assertThat(api.get("/v1/me", jwt).text("email")).isEqualTo(email);
		assertThat(browser.get("/account").body()).contains(email);
	}

	@Test
	void signInWhenRedirectUrlForeignThenTheAfterSignInUrlInstead() {
		String email = verifiedAccount();
		for (String foreign : new String[] { "https://evil.example/", "//evil.example/x", "/\\evil.example",
				"http://127.0.0.1:" + APP.getAddress().getPort() + "/other", "https://evil.example@127.0.0.1/app/",
				appUrl() + "../admin", "javascript:alert(1)" }) {
			FormClient fresh = new FormClient(url());
			fresh.get("/sign-in?redirect_url=" + java.net.URLEncoder.encode(foreign, java.nio.charset.StandardCharsets.UTF_8));
			HttpResponse<String> done = fresh.post("/sign-in",
					Map.of("email", email, "password", PASSWORD, "redirect_url", foreign));
			assertThat(done.statusCode()).as(foreign).isEqualTo(303);
			assertThat(done.headers().firstValue("Location")).as(foreign).contains(url() + "/account");
		}
	}

	@Test
	void accountWhenSignedOutThenSentToSignInAndBack() {
		HttpResponse<String> page = browser.get("/account");
		assertThat(page.statusCode()).isEqualTo(303);
		assertThat(page.headers().firstValue("Location")).contains("/sign-in?redirect_url=%2Faccount");
	}

	@Test
	void sessionCookieWhenExpiredThenRefreshedAndAReusedRefreshTokenEndsTheSession() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		String firstRefresh = browser.cookies.get("plinto_refresh");
		browser.cookies.remove("plinto_session"); // the browser drops it after PLINTO_SESSION_COOKIE_TTL
		HttpResponse<String> account = browser.get("/account");
		assertThat(account.statusCode()).isEqualTo(200);
		assertThat(browser.cookies.get("plinto_refresh")).isNotEqualTo(firstRefresh);
		assertThat(browser.cookies).containsKey("plinto_session");
		String rotatedJwt = browser.cookies.get("plinto_session");

		FormClient thief = new FormClient(url());
		thief.cookies.put("plinto_refresh", firstRefresh);
		HttpResponse<String> reused = thief.postRaw("/session/refresh", Map.of(), "Origin", url());
		assertThat(reused.statusCode()).isEqualTo(401);
		assertThat(FormClient.setCookie(reused, "plinto_refresh")).contains("Max-Age=0");
		// Reuse revoked the whole session, so the rightful browser is signed out too (RFC 9700 §4.14.2).
		clock.advance(Duration.ofSeconds(1));
		assertThat(api.get("/v1/me", rotatedJwt).status()).isEqualTo(401);
		browser.cookies.remove("plinto_session");
		assertThat(browser.get("/account").statusCode()).isEqualTo(303);
	}

	@Test
	void refreshEndpointWhenRefreshCookiePresentThenNewCookies() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		String before = browser.cookies.get("plinto_refresh");
		HttpResponse<String> refreshed = browser.postRaw("/session/refresh", Map.of(), "Origin", url());
		assertThat(refreshed.statusCode()).isEqualTo(204);
		assertThat(browser.cookies.get("plinto_refresh")).isNotEqualTo(before);
		assertThat(browser.postRaw("/session/refresh", Map.of(), "Origin", "https://evil.example").statusCode())
			.isEqualTo(403);
	}

	@Test
	void refreshEndpointWhenCalledFromAnAllowedAppThenCorsWithCredentialsAndOnlyThere() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		String app = appUrl().substring(0, appUrl().indexOf("/app/"));

		HttpResponse<String> preflight = browser.options("/session/refresh", "Origin", app,
				"Access-Control-Request-Method", "POST");
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(app);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

		String before = browser.cookies.get("plinto_refresh");
		HttpResponse<String> refreshed = browser.postRaw("/session/refresh", Map.of(), "Origin", app);
		assertThat(refreshed.statusCode()).isEqualTo(204);
		assertThat(refreshed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(app);
		assertThat(browser.cookies.get("plinto_refresh")).isNotEqualTo(before);

		assertThat(browser.options("/session/refresh", "Origin", "https://evil.example",
				"Access-Control-Request-Method", "POST").statusCode()).isEqualTo(403);
		HttpResponse<String> elsewhere = browser.postRaw("/account/name", Map.of("name", "x"), "Origin", app);
		assertThat(elsewhere.statusCode()).as("every other page still refuses the app's origin").isEqualTo(403);
		assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void signInWhenPasswordWrongThenTheSentenceOnThePasswordField() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> refused = browser.post("/sign-in", Map.of("email", email, "password", "wrong one!"));
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.body()).contains("href=\"#password\"", "The email address or password is not correct.",
				"aria-invalid=\"true\"", "value=\"" + email + "\"");
	}

	@org.springframework.beans.factory.annotation.Autowired
	private dev.plinto.account.UserRepository users;

	@Test
	void signInWhenAccountBannedThenTheSentenceAndNoSession() {
		String email = verifiedAccount();
		String id = users.findByAddress(email).orElseThrow().id();
		users.setBanned(id, clock.instant(), clock.instant());
		browser.get("/sign-in");
		HttpResponse<String> refused = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("This account has been banned. Contact the operator of this service.");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void signInWhenTotpEnrolledThenTheSecondStepAsksForTheCodeAndRefusesAWrongOne() {
		String email = verifiedAccount();
		String token = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).text("access_token");
		dev.plinto.mfa.MfaSteps.Enrolled totp = dev.plinto.mfa.MfaSteps.enrolTotp(api, token, clock.instant());
		clock.advance(Duration.ofSeconds(60));

		browser.get("/sign-in");
		HttpResponse<String> step = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(step.statusCode()).isEqualTo(200);
		assertThat(step.body()).contains("Code from your authenticator app", "name=\"mfa_token\"",
				"Use a recovery code instead");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
		String mfaToken = Pattern.compile("name=\"mfa_token\" value=\"([^\"]+)\"").matcher(step.body())
			.results().findFirst().orElseThrow().group(1);

		HttpResponse<String> wrong = browser.post("/sign-in/factor",
				Map.of("mfa_token", mfaToken, "factor", "totp", "code", "000000"));
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(wrong.body()).contains("The code is not correct or was already used.", "href=\"#code\"");

		HttpResponse<String> done = browser.post("/sign-in/factor", Map.of("mfa_token", mfaToken, "factor", "totp",
				"code", dev.plinto.mfa.MfaSteps.code(totp.secret(), clock.instant())));
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(browser.cookies).containsKey("plinto_refresh");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).path("amr").toString()).contains("otp",
				"mfa");
	}

	@Test
	void signInWhenAccountLockedThenTheWaitIsSaidInASentence() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> last = null;
		for (int i = 0; i < 11; i++) {
			last = browser.post("/sign-in", Map.of("email", email, "password", "wrong password " + i));
		}
		assertThat(last.statusCode()).isEqualTo(429);
		assertThat(last.body()).containsPattern("Too many attempts\\. Try again in \\d+ (seconds|minutes)\\.");
	}

	@Test
	void signUpWhenPasswordTooCommonThenTheRuleIsNamed() {
		browser.get("/sign-up");
		HttpResponse<String> refused = browser.post("/sign-up", Map.of("email", newEmail(), "password", "password1"));
		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("This password is one of the most common ones");
	}

	@Test
	void signUpWhenVerificationRequiredThenCheckYourEmailAndNoSession() {
		String email = newEmail();
		browser.get("/sign-up");
		HttpResponse<String> done = browser.post("/sign-up", Map.of("email", email, "password", PASSWORD));
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("We sent a link to " + email);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
		assertThat(MAIL.awaitMessage(email, 1)).isNotNull();
	}

	@Test
	void mailWhenAskedForOnAPageInSpanishThenInSpanishWithTheBrand() throws Exception {
		String email = newEmail();
		browser.get("/sign-up?lang=es");
		browser.post("/sign-up", Map.of("email", email, "password", PASSWORD));
		jakarta.mail.internet.MimeMessage mail = MAIL.awaitMessage(email, 1);
		assertThat(mail.getSubject()).isEqualTo("Confirma tu correo para Acme");
		assertThat(dev.plinto.account.MailCatcher.text(mail)).contains("antes de que pasen 24 horas",
				"¿Preguntas? Escribe a help@acme.example.");
	}

	@Test
	void pageWhenAcceptLanguageGermanThenGermanAndTheSwitcherRemembersAChoice() {
		assertThat(browser.get("/sign-in", "Accept-Language", "de-CH, fr;q=0.5").body())
			.contains("<html lang=\"de\">", "<title>Anmelden · Acme</title>");
		HttpResponse<String> french = browser.get("/sign-in?lang=fr", "Accept-Language", "de");
		assertThat(french.body()).contains("<html lang=\"fr\">", "Se connecter");
		assertThat(browser.get("/sign-up", "Accept-Language", "de").body()).contains("<html lang=\"fr\">");
	}

	@Test
	void assetWhenRequestedByItsHashedNameThenCacheableForAYear() {
		Matcher css = Pattern.compile("href=\"(/assets/plinto\\.[0-9a-f]{12}\\.css)\"").matcher(browser.get("/sign-in").body());
		assertThat(css.find()).isTrue();
		HttpResponse<String> asset = browser.get(css.group(1));
		assertThat(asset.statusCode()).isEqualTo(200);
		assertThat(asset.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=31536000", "immutable",
				"public");
		assertThat(asset.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
		assertThat(browser.get("/assets/plinto.000000000000.css").statusCode()).isEqualTo(404);
	}

	@Test
	void signOutWhenPostedThenSessionRevokedAndCookiesCleared() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		String jwt = browser.cookies.get("plinto_session");
		browser.get("/sign-out");
		HttpResponse<String> out = browser.post("/sign-out", Map.of("redirect_url", appUrl()));
		assertThat(out.statusCode()).isEqualTo(303);
		assertThat(out.headers().firstValue("Location")).contains(appUrl());
		assertThat(browser.cookies).doesNotContainKeys("plinto_refresh", "plinto_session");
		assertThat(api.get("/v1/me", jwt).status()).isEqualTo(401);
	}
}
