package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.account.MailCatcher;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The pages behind the emailed links, on the pages' layout: opening a link checks its token without spending it,
 * a dead link says so at once with a form for a new one, and the forms post with their CSRF token.
 */
@ExtendWith(OutputCaptureExtension.class)
class LinkPagesTests extends PagesTestSupport {

	private FormClient browser;

	@BeforeEach
	void newBrowser() {
		browser = new FormClient(url());
	}

	@Test
	void verifyEmailPageWhenOpenedThenShowsFormAndPostingItVerifies() {
		String email = newEmail();
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));

		HttpResponse<String> form = browser.get("/verify-email?token=" + token);
		assertThat(form.statusCode()).isEqualTo(200);
		assertThat(form.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(form.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
		assertThat(form.headers().firstValue("Referrer-Policy")).contains("same-origin");
		assertThat(form.body()).contains("<form method=\"post\" action=\"/verify-email\">", token);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).code())
			.as("opening the link alone does not verify").isEqualTo("email_not_verified");

		HttpResponse<String> done = browser.post("/verify-email", Map.of("token", token));
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("Email confirmed");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).status()).isEqualTo(200);

		HttpResponse<String> again = browser.post("/verify-email", Map.of("token", token));
		assertThat(again.statusCode()).isEqualTo(400);
		assertThat(again.body()).contains("Link not valid");
	}

	@Test
	void verifyEmailWhenPostedWithoutTheFormsTokenThenRefusedAndNotVerified() {
		String email = newEmail();
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		HttpResponse<String> refused = browser.postRaw("/verify-email", Map.of("token", token));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).code())
			.isEqualTo("email_not_verified");
	}

	@Test
	void resetPasswordPageWhenPostedThenPasswordChangesAndLogNeverShowsIt(CapturedOutput output) {
		String email = verifiedAccount();
		api.post("/v1/password-reset", ApiClient.map("email", email));
		String token = MailCatcher.token(MAIL.awaitMessage(email, 2));

		assertThat(browser.get("/reset-password?token=" + token).body()).contains("type=\"password\"");
		HttpResponse<String> weak = browser.post("/reset-password", Map.of("token", token, "new_password", "password"));
		assertThat(weak.statusCode()).isEqualTo(422);
		assertThat(weak.body()).contains("This password is one of the most common ones", "href=\"#new_password\"");

		HttpResponse<String> done = browser.post("/reset-password",
				Map.of("token", token, "new_password", "brand new passphrase"));
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("Password changed");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", "brand new passphrase")).status())
			.isEqualTo(200);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).status())
			.isEqualTo(401);
		assertThat(output.getAll()).doesNotContain("brand new passphrase").doesNotContain(PASSWORD);
	}

	@Test
	void resetPasswordPageWhenTokenBogusThenSaysSoAtOnceWithANewLinkFormAndNoPasswordField() {
		HttpResponse<String> page = browser.get("/reset-password?token=not-a-real-token");
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("This reset link is invalid, expired or already used",
				"action=\"/reset-password/new-link\"", "name=\"email\"").doesNotContain("type=\"password\"");
	}

	@Test
	void resetPasswordPageWhenTokenUsedThenDeadAndTheNewLinkFormMailsAWorkingLink() {
		String email = verifiedAccount();
		api.post("/v1/password-reset", ApiClient.map("email", email));
		String token = MailCatcher.token(MAIL.awaitMessage(email, 2));
		assertThat(browser.get("/reset-password?token=" + token).statusCode()).as("opening does not spend it")
			.isEqualTo(200);
		assertThat(browser.get("/reset-password?token=" + token).statusCode()).isEqualTo(200);
		assertThat(browser.post("/reset-password", Map.of("token", token, "new_password", "brand new passphrase"))
			.statusCode()).isEqualTo(200);

		HttpResponse<String> used = browser.get("/reset-password?token=" + token);
		assertThat(used.statusCode()).isEqualTo(400);
		assertThat(used.body()).contains("already used", "action=\"/reset-password/new-link\"");

		HttpResponse<String> requested = browser.post("/reset-password/new-link", Map.of("email", email));
		assertThat(requested.statusCode()).isEqualTo(200);
		assertThat(requested.body()).contains("If an account uses this address");
		String fresh = MailCatcher.token(MAIL.awaitMessage(email, 3));
		assertThat(browser.get("/reset-password?token=" + fresh).body()).contains("type=\"password\"");
	}

	@Test
	void newLinkFormWhenAddressUnknownThenSameAnswerAsForAnAccount() {
		browser.get("/reset-password?token=none");
		HttpResponse<String> unknown = browser.post("/reset-password/new-link",
				Map.of("email", "nobody-" + System.nanoTime() + "@example.com"));
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(unknown.body()).contains("If an account uses this address");
		browser.get("/verify-email?token=none");
		HttpResponse<String> verification = browser.post("/verify-email/new-link",
				Map.of("email", "nobody@example.com"));
		assertThat(verification.statusCode()).isEqualTo(200);
		assertThat(verification.body()).contains("If an account with an unconfirmed email uses this address");
		HttpResponse<String> blank = browser.post("/verify-email/new-link", Map.of("email", ""));
		assertThat(blank.statusCode()).isEqualTo(400);
		assertThat(blank.body()).contains("action=\"/verify-email/new-link\"", "href=\"#email\"");
	}

	@Test
	void verifyEmailPageWhenTokenUsedThenSaysSoWithANewLinkForm() {
		String email = newEmail();
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		browser.get("/verify-email?token=" + token);
		assertThat(browser.post("/verify-email", Map.of("token", token)).statusCode()).isEqualTo(200);

		HttpResponse<String> used = browser.get("/verify-email?token=" + token);
		assertThat(used.statusCode()).isEqualTo(400);
		assertThat(used.body()).contains("This verification link is invalid, expired or already used",
				"action=\"/verify-email/new-link\"").doesNotContain("Confirm my email");
	}
}
