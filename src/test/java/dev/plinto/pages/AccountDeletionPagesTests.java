package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.account.MailCatcher;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account page's email change and "delete my account" forms over HTTP. */
class AccountDeletionPagesTests extends PagesTestSupport {

	private FormClient browser;

	private String email;

	@BeforeEach
	void signedIn() {
		email = verifiedAccount();
		browser = new FormClient(url());
		browser.get("/sign-in");
		HttpResponse<String> done = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(done.statusCode()).isEqualTo(303);
	}

	@Test
	void accountWhenShownThenEmailChangeFormAndDeleteSectionWithWhatIsDeletedAndKept() {
		HttpResponse<String> page = browser.get("/account");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("action=\"/account/email\"", "name=\"new_email\"", "name=\"email_password\"",
				"action=\"/account/delete\"", "name=\"delete_password\"",
				"Deleting your account cannot be undone.", "Deleted at once:", "Kept:");
		assertThat(page.body()).as("no authenticator app: no code asked for").doesNotContain("name=\"delete_code\"");
	}

	@Test
	void accountWhenGermanThenTheSectionsInGerman() {
		HttpResponse<String> page = browser.get("/account?lang=de");

		assertThat(page.body()).contains("E-Mail-Adresse ändern", "Mein Konto löschen",
				"Das Löschen Ihres Kontos kann nicht rückgängig gemacht werden.");
	}

	@Test
	void deleteWhenPasswordRightThenBrowserSignedOutAndTheDeletedPage() {
		browser.get("/account");

		HttpResponse<String> done = browser.post("/account/delete", Map.of("delete_password", PASSWORD));

		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(done.body()).contains("Your account was deleted", "href=\"/sign-up\"");
		assertThat(FormClient.setCookie(done, "plinto_refresh")).contains("Max-Age=0");
		assertThat(browser.cookies).doesNotContainKeys("plinto_refresh", "plinto_session");
		assertThat(browser.get("/account").statusCode()).isEqualTo(303);
		assertThat(api.post("/v1/sign-in", dev.plinto.ApiClient.map("email", email, "password", PASSWORD)).code())
			.isEqualTo("invalid_credentials");
	}

	@Test
	void deleteWhenPasswordWrongThenTheFormAgainWithTheProblemAndTheAccountKept() {
		browser.get("/account");

		HttpResponse<String> refused = browser.post("/account/delete", Map.of("delete_password", "not it"));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("The current password is not correct.", "href=\"#delete_password\"",
				"action=\"/account/delete\"");
		// without two-step verification the page now knows no code is needed
		assertThat(refused.body()).doesNotContain("name=\"delete_code\"");
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void deleteWhenCsrfTokenMissingThenRefusedAndTheAccountKept() {
		browser.get("/account");

		HttpResponse<String> refused = browser.postRaw("/account/delete", Map.of("delete_password", PASSWORD),
				"Origin", url());

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("This form has expired or was sent from another site");
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void deleteWhenPostedFromAnotherSiteThenRefusedEvenWithAValidToken() {
		browser.get("/account");

		HttpResponse<String> refused = browser.postRaw("/account/delete",
				Map.of("delete_password", PASSWORD, "_csrf", browser.csrf), "Origin", "https://evil.example");

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void changeEmailWhenPasswordRightThenLinkMailedAndTheVerifyPageSwitchesTheAddress() throws Exception {
		browser.get("/account");
		String next = newEmail();

		HttpResponse<String> sent = browser.post("/account/email",
				Map.of("new_email", next, "email_password", PASSWORD));

		assertThat(sent.statusCode()).isEqualTo(200);
		assertThat(sent.body()).contains("Check your new inbox", next);
		String link = MailCatcher.link(MAIL.awaitMessage(next, 1));
		String path = link.substring(link.indexOf("/verify-email"));
		FormClient other = new FormClient(url());
		HttpResponse<String> confirmPage = other.get(path);
		assertThat(confirmPage.statusCode()).isEqualTo(200);
		String token = MailCatcher.token(MAIL.awaitMessage(next, 1));
		HttpResponse<String> confirmed = other.post("/verify-email", Map.of("token", token));
		assertThat(confirmed.statusCode()).isEqualTo(200);
		assertThat(browser.get("/account").body()).contains(next);
		assertThat(MAIL.awaitMessage(email, 2).getSubject())
			.isEqualTo("The email address of your Acme account was changed");
	}

	@Test
	void changeEmailWhenPasswordWrongThenTheFormAgainWithTheProblem() {
		browser.get("/account");

		HttpResponse<String> refused = browser.post("/account/email",
				Map.of("new_email", newEmail(), "email_password", "not it"));

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("The current password is not correct.", "href=\"#email_password\"");
	}

	@Test
	void changeEmailWhenAddressTakenOrInvalidOrTheSameThenNamedOnTheField() {
		String other = verifiedAccount();
		browser.get("/account");

		HttpResponse<String> taken = browser.post("/account/email", Map.of("new_email", other, "email_password",
				PASSWORD));
		HttpResponse<String> invalid = browser.post("/account/email", Map.of("new_email", "nope", "email_password",
				PASSWORD));
		HttpResponse<String> same = browser.post("/account/email", Map.of("new_email", email, "email_password",
				PASSWORD));

		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(taken.body()).contains("An account already uses this email address.", "href=\"#new_email\"");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("Enter an email address such as name@example.com.");
		assertThat(same.statusCode()).isEqualTo(400);
		assertThat(same.body()).contains("This is already your email address.");
	}

	@Test
	void changeEmailWhenCsrfTokenMissingThenRefusedAndNoMail() {
		browser.get("/account");
		String next = newEmail();

		HttpResponse<String> refused = browser.postRaw("/account/email",
				Map.of("new_email", next, "email_password", PASSWORD), "Origin", url());

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(MAIL.messagesTo(next)).isEmpty();
	}
}
