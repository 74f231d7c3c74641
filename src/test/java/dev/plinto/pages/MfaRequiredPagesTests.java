package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.MutableClock;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.mfa.MfaSteps;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The enrolment step of the pages with {@code PLINTO_MFA=required}: a password sign-in of an account without a
 * second factor sets up an authenticator app, and its first code completes the sign-in (no second sign-in), with the
 * recovery codes shown once; a mistyped code shows the same key again; a spent or forged enrolment token starts
 * over at sign-in.
 */
@PagesServer
class MfaRequiredPagesTests implements WithMailCatcher {

	/** A port of its own: this class's server runs beside the shared one of the other page tests. */
	private static final int OWN_PORT = PagesTestSupport.freePort();

	private static final Pattern TOKEN = Pattern.compile("name=\"enrollment_token\" value=\"([^\"]+)\"");

	@org.springframework.beans.factory.annotation.Value("${server.port}")
	private int serverPort;

	@Autowired
	private MutableClock clock;

	@DynamicPropertySource
	static void required(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_MFA", () -> "required");
		registry.add("PLINTO_PORT", () -> OWN_PORT);
		registry.add("server.port", () -> OWN_PORT);
		registry.add("PLINTO_REDIRECT_URLS", PagesTestSupport::appUrl);
	}

	@Test
	void signInWhenNoFactorYetThenSetUpTheAppAndItsFirstCodeSignsIn() {
		String email = verifiedAccount();
		FormClient browser = new FormClient(url());
		String back = PagesTestSupport.appUrl() + "after";
		browser.get("/sign-in");
		HttpResponse<String> step = browser.post("/sign-in",
				Map.of("email", email, "password", PagesTestSupport.PASSWORD, "redirect_url", back));
		assertThat(step.statusCode()).isEqualTo(200);
		assertThat(step.body()).contains("This account needs two-step verification.", "action=\"/sign-in/enroll\"",
				"<img class=\"qr\"", "name=\"redirect_url\" value=\"" + back + "\"");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
		String token = TOKEN.matcher(step.body()).results().findFirst().orElseThrow().group(1);
		String secret = AccountMfaPagesTests.secret(step);

		HttpResponse<String> wrong = browser.post("/sign-in/enroll",
				Map.of("enrollment_token", token, "code", "000000", "redirect_url", back));
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(wrong.body()).contains("The code is not correct.");
		assertThat(AccountMfaPagesTests.secret(wrong)).isEqualTo(secret);
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");

		HttpResponse<String> done = browser.post("/sign-in/enroll", Map.of("enrollment_token", token, "code",
				MfaSteps.code(secret, clock.instant()), "redirect_url", back));
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(AccountMfaPagesTests.codes(done)).hasSize(10);
		assertThat(done.body()).contains("href=\"" + back + "\"");
		assertThat(browser.cookies).containsKey("plinto_refresh");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).path("amr").toString()).contains("pwd",
				"otp", "mfa");

		HttpResponse<String> spent = browser.post("/sign-in/enroll",
				Map.of("enrollment_token", token, "code", MfaSteps.code(secret, clock.instant())));
		assertThat(spent.statusCode()).isEqualTo(401);
		assertThat(spent.body()).contains("This sign-in took too long or was already used.",
				"action=\"/sign-in\"");
	}

	@Test
	void enrollWhenTokenForgedThenBackToSignIn() {
		FormClient browser = new FormClient(url());
		browser.get("/sign-in");
		HttpResponse<String> forged = browser.post("/sign-in/enroll",
				Map.of("enrollment_token", "enr_forged", "code", "123456"));
		assertThat(forged.statusCode()).isEqualTo(401);
		assertThat(forged.body()).contains("This sign-in took too long or was already used.");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	private String verifiedAccount() {
		String email = PagesTestSupport.newEmail();
		ApiClient api = new ApiClient(url());
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		api.post("/v1/email-verification/confirm",
				ApiClient.map("token", MailCatcher.token(MAIL.awaitMessage(email, 1))));
		return email;
	}

	private String url() {
		return "http://localhost:" + serverPort;
	}
}
