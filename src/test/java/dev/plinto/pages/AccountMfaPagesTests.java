package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.mfa.MfaSteps;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-step verification and security events on the account page, over HTTP: setting up an authenticator app from
 * its QR code, a mistyped first code, the recovery codes shown once with their download, removing the app with the
 * password, making new codes, the recent sign-in those changes need (and {@code prompt=login}, which replaces the
 * browser's session), and the security events list.
 */
class AccountMfaPagesTests extends PagesTestSupport {

	private static final Pattern SECRET = Pattern.compile("<code class=\"secret\">([A-Z2-7 ]+)</code>");

	private static final Pattern CODE = Pattern.compile("<li><code>([0-9a-z-]+)</code></li>");

	private FormClient browser;

	@BeforeEach
	void newBrowser() {
		browser = new FormClient(url());
	}

	@Test
	void totpWhenSetUpOnTheAccountPageThenCodesOnceAndTheNextSignInAsksForTheApp() {
		String email = signedIn();
		assertThat(browser.get("/account").body()).contains("No authenticator app is set up.",
				"action=\"/account/totp\"");

		HttpResponse<String> setup = browser.post("/account/totp", Map.of());
		assertThat(setup.statusCode()).isEqualTo(200);
		assertThat(setup.body()).contains("<img class=\"qr\" src=\"data:image/svg+xml;base64,",
				"action=\"/account/totp/confirm\"", "autocomplete=\"one-time-code\"");
		String secret = secret(setup);

		HttpResponse<String> wrong = browser.post("/account/totp/confirm", Map.of("code", "000000"));
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(wrong.body()).contains("The code is not correct.", "href=\"#code\"");
		assertThat(secret(wrong)).as("the same key again, not a new one to scan").isEqualTo(secret);

		HttpResponse<String> codes = browser.post("/account/totp/confirm",
				Map.of("code", MfaSteps.code(secret, clock.instant())));
		assertThat(codes.statusCode()).isEqualTo(200);
		List<String> recovery = codes(codes);
		assertThat(recovery).hasSize(10);
		assertThat(codes.body()).contains("action=\"/account/recovery-codes/download\"",
				"name=\"code\" value=\"" + recovery.get(9) + "\"");
		HttpResponse<String> file = browser.postEncoded("/account/recovery-codes/download", "code=" + recovery.get(0)
				+ "&code=" + recovery.get(9) + "&code=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.headers().firstValue("Content-Disposition")).hasValue(
				"attachment; filename=\"recovery-codes.txt\"");
		assertThat(file.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		assertThat(file.body()).isEqualTo("Recovery codes for Acme. Each code works once.\n\n" + recovery.get(0)
				+ "\n" + recovery.get(9) + "\n");
		assertThat(browser.get("/account").body()).contains("An authenticator app is set up.",
				"Unused recovery codes: 10.", "Second factor added");

		FormClient other = new FormClient(url());
		other.get("/sign-in");
		HttpResponse<String> step = other.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(step.body()).contains("Code from your authenticator app", "name=\"mfa_token\"");
	}

	@Test
	void totpWhenRemovedThenTheWrongPasswordIsNamedAndTheRightOneRemovesIt() {
		signedIn();
		String secret = secret(browser.post("/account/totp", Map.of()));
		browser.post("/account/totp/confirm", Map.of("code", MfaSteps.code(secret, clock.instant())));

		HttpResponse<String> wrong = browser.post("/account/totp/remove", Map.of("totp_password", "not it at all"));
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(wrong.body()).contains("The current password is not correct.", "href=\"#totp_password\"",
				"An authenticator app is set up.");

		HttpResponse<String> removed = browser.post("/account/totp/remove", Map.of("totp_password", PASSWORD));
		assertThat(removed.statusCode()).isEqualTo(200);
		assertThat(removed.body()).contains("The authenticator app is removed.", "No authenticator app is set up.",
				"Second factor removed");
	}

	@Test
	void recoveryCodesWhenMadeAnewThenTheOldOnesStopWorking() {
		String email = signedIn();
		String secret = secret(browser.post("/account/totp", Map.of()));
		List<String> first = codes(browser.post("/account/totp/confirm",
				Map.of("code", MfaSteps.code(secret, clock.instant()))));

		HttpResponse<String> again = browser.post("/account/recovery-codes", Map.of());
		assertThat(again.statusCode()).isEqualTo(200);
		List<String> second = codes(again);
		assertThat(second).hasSize(10).doesNotContainAnyElementsOf(first);

		String mfaToken = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD))
			.text("mfa_token");
		ApiClient.Response old = api.post("/v1/sign-in/mfa",
				ApiClient.map("mfa_token", mfaToken, "factor", "recovery_code", "code", first.get(0)));
		assertThat(old.status()).isEqualTo(401);
		ApiClient.Response fresh = api.post("/v1/sign-in/mfa",
				ApiClient.map("mfa_token", mfaToken, "factor", "recovery_code", "code", second.get(0)));
		assertThat(fresh.status()).as(fresh.toString()).isEqualTo(200);
	}

	@Test
	void setUpWhenSignInNoLongerRecentThenSignInAgainWithPromptLoginReplacesTheSession() {
		String email = signedIn();
		String oldSession = ApiClient.claims(browser.cookies.get("plinto_session")).path("sid").asText();
		clock.advance(Duration.ofMinutes(16));

		HttpResponse<String> refused = browser.post("/account/totp", Map.of());
		assertThat(refused.statusCode()).isEqualTo(303);
		assertThat(refused.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Faccount");

		HttpResponse<String> again = browser.get("/sign-in?prompt=login&redirect_url=%2Faccount");
		assertThat(again.statusCode()).as("a signed-in browser is not sent on: it signs in again").isEqualTo(200);
		assertThat(again.body()).contains("This change needs a recent sign-in.", "value=\"" + email + "\"",
				"name=\"prompt\" value=\"login\"");
		HttpResponse<String> done = browser.post("/sign-in",
				Map.of("email", email, "password", PASSWORD, "prompt", "login", "redirect_url", "/account"));
		assertThat(done.statusCode()).isEqualTo(303);
		assertThat(done.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/account"));
		String newSession = ApiClient.claims(browser.cookies.get("plinto_session")).path("sid").asText();
		assertThat(newSession).isNotEqualTo(oldSession);

		HttpResponse<String> account = browser.get("/account");
		assertThat(account.body()).doesNotContain("value=\"" + oldSession + "\"");
		assertThat(browser.post("/account/totp", Map.of()).statusCode()).isEqualTo(200);
	}

	@Test
	void accountWhenViewedMoreOftenThanTheMfaLimitThenStillShownAndSetUpStillPossible() {
		signedIn();
		for (int i = 0; i < 35; i++) { // PLINTO_RATE_LIMIT_MFA is 30/1m here
			assertThat(browser.get("/account").statusCode()).as("view %d", i + 1).isEqualTo(200);
		}
		assertThat(browser.post("/account/totp", Map.of()).statusCode()).isEqualTo(200);
	}

	@Test
	void signInFormWhenSignedInWithoutPromptThenStraightOn() {
		signedIn();
		HttpResponse<String> page = browser.get("/sign-in?redirect_url=%2Faccount");
		assertThat(page.statusCode()).isEqualTo(303);
	}

	@Test
	void eventsWhenSignedInThenTheAccountPageListsThemAsSentencesInThePageLanguage() {
		signedIn();
		assertThat(browser.get("/account").body()).contains("Security events", "Signed in", "Account created",
				"Email address confirmed");
		assertThat(browser.get("/account?lang=de").body()).contains("Sicherheitsereignisse", "Angemeldet");
	}

	private String signedIn() {
		String email = verifiedAccount();
		browser.get("/sign-in");
		HttpResponse<String> done = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(done.statusCode()).isEqualTo(303);
		return email;
	}

	static String secret(HttpResponse<String> page) {
		return SECRET.matcher(page.body()).results().findFirst().orElseThrow().group(1).replace(" ", "");
	}

	static List<String> codes(HttpResponse<String> page) {
		return CODE.matcher(page.body()).results().map(m -> m.group(1)).toList();
	}
}
