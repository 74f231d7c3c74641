package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The default pages behind emailed links, with mail written to the log (no SMTP configured). */
@ExtendWith(OutputCaptureExtension.class)
class EmailLinkPagesTests extends ApiTestSupport {

	private static final Pattern LINK = Pattern.compile("/(verify-email|reset-password)\\?token=([A-Za-z0-9_-]+)");

	@Test
	void verifyEmailPageWhenOpenedThenShowsFormAndPostingItVerifies(CapturedOutput output) {
		String email = newEmail();
		ApiClient.Response signUp = signUp(email);
		String token = awaitToken(output, email, "verify-email");

		ApiClient.Response form = api.get("/verify-email?token=" + token);
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.header("Content-Type")).startsWith("text/html");
		assertThat(form.header("Cache-Control")).contains("no-store");
		assertThat(form.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(form.raw()).contains("<form method=\"post\"").contains(token);
		assertThat(api.get("/v1/me", signUp.text("access_token")).json().get("email_verified").asBoolean())
			.as("opening the link alone does not verify").isFalse();

		ApiClient.Response done = postForm("/verify-email", "token=" + token);
		assertThat(done.status()).isEqualTo(200);
		assertThat(done.raw()).contains("Email confirmed");
		assertThat(api.get("/v1/me", signUp.text("access_token")).json().get("email_verified").asBoolean()).isTrue();

		ApiClient.Response again = postForm("/verify-email", "token=" + token);
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.raw()).contains("Link not valid");
	}

	@Test
	void resetPasswordPageWhenPostedThenPasswordChangesAndLogNeverShowsIt(CapturedOutput output) {
		String email = newEmail();
		signUp(email);
		api.post("/v1/password-reset", ApiClient.map("email", email));
		String token = awaitToken(output, email, "reset-password");

		assertThat(api.get("/reset-password?token=" + token).raw()).contains("type=\"password\"");
		ApiClient.Response weak = postForm("/reset-password", "token=" + token + "&new_password=password");
		assertThat(weak.status()).isEqualTo(400);
		assertThat(weak.raw()).contains("Try again");

		ApiClient.Response done = postForm("/reset-password", "token=" + token + "&new_password=brand+new+passphrase");
		assertThat(done.status()).isEqualTo(200);
		assertThat(signIn(email, "brand new passphrase").status()).isEqualTo(200);
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(401);
		assertThat(output.getAll()).doesNotContain("brand new passphrase").doesNotContain(PASSWORD);
	}

	@Test
	void resetPasswordPageWhenTokenBogusThenSaysSoAtOnceWithANewLinkFormAndNoPasswordField() {
		ApiClient.Response page = api.get("/reset-password?token=not-a-real-token");

		assertThat(page.status()).isEqualTo(400);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.raw()).contains("This reset link is invalid, expired or already used")
			.contains("<form method=\"post\" action=\"reset-password/new-link\">")
			.contains("name=\"email\"")
			.doesNotContain("type=\"password\"");
	}

	@Test
	void resetPasswordPageWhenTokenUsedThenDeadAndTheNewLinkFormMailsAWorkingLink(CapturedOutput output) {
		String email = newEmail();
		signUp(email);
		api.post("/v1/password-reset", ApiClient.map("email", email));
		String token = awaitToken(output, email, "reset-password");
		assertThat(api.get("/reset-password?token=" + token).status()).as("opening does not spend it").isEqualTo(200);
		assertThat(api.get("/reset-password?token=" + token).status()).isEqualTo(200);
		assertThat(postForm("/reset-password", "token=" + token + "&new_password=brand+new+passphrase").status())
			.isEqualTo(200);

		ApiClient.Response used = api.get("/reset-password?token=" + token);
		assertThat(used.status()).isEqualTo(400);
		assertThat(used.raw()).contains("already used").contains("action=\"reset-password/new-link\"");

		ApiClient.Response requested = postForm("/reset-password/new-link", "email=" + email.replace("+", "%2B"));
		assertThat(requested.status()).isEqualTo(200);
		assertThat(requested.raw()).contains("If an account uses this address");
		String fresh = await().atMost(Duration.ofSeconds(10))
			.until(() -> loggedToken(output.getAll(), email, "reset-password"), t -> t != null && !t.equals(token));
		assertThat(api.get("/reset-password?token=" + fresh).raw()).contains("type=\"password\"");
	}

	@Test
	void newLinkFormWhenAddressUnknownThenSameAnswerAsForAnAccount() {
		ApiClient.Response unknown = postForm("/reset-password/new-link", "email=nobody-" + System.nanoTime()
				+ "%40example.com");
		assertThat(unknown.status()).isEqualTo(200);
		assertThat(unknown.raw()).contains("If an account uses this address");
		ApiClient.Response verification = postForm("/verify-email/new-link", "email=nobody%40example.com");
		assertThat(verification.status()).isEqualTo(200);
		assertThat(verification.raw()).contains("If an account with an unconfirmed email uses this address");
		ApiClient.Response blank = postForm("/verify-email/new-link", "email=");
		assertThat(blank.status()).isEqualTo(400);
		assertThat(blank.raw()).contains("action=\"new-link\"");
	}

	@Test
	void verifyEmailPageWhenTokenUsedThenSaysSoWithANewLinkForm(CapturedOutput output) {
		String email = newEmail();
		signUp(email);
		String token = awaitToken(output, email, "verify-email");
		assertThat(postForm("/verify-email", "token=" + token).status()).isEqualTo(200);

		ApiClient.Response used = api.get("/verify-email?token=" + token);
		assertThat(used.status()).isEqualTo(400);
		assertThat(used.raw()).contains("This verification link is invalid, expired or already used")
			.contains("action=\"verify-email/new-link\"")
			.doesNotContain("Confirm my email");
	}

	private ApiClient.Response postForm(String path, String body) {
		return api.send(api.request(path, null)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/** Waits for the logged mail to this address and returns the token of its link. */
	private static String awaitToken(CapturedOutput output, String email, String page) {
		return await("a " + page + " mail to " + email + " logged").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> loggedToken(output.getAll(), email, page), Objects::nonNull);
	}

	/** The token of the last logged mail to this address that links to the page, or null. */
	private static String loggedToken(String all, String email, String page) {
		int at = all.lastIndexOf("to " + email + ":");
		if (at >= 0) {
			Matcher m = LINK.matcher(all.substring(at));
			while (m.find()) {
				if (m.group(1).equals(page)) {
					return m.group(2);
				}
			}
		}
		return null;
	}
}
