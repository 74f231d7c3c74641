package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code POST /v1/me/email}: the link to the new address, its confirmation, the notice to the old one. */
class EmailChangeApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	/** Signs up and waits for the verification mail, so the next mail to the address is the second. */
	private Account accountWithMail() {
		Account account = account();
		MAIL.awaitMessage(account.email(), 1);
		return account;
	}

	@Test
	void changeEmailWhenConfirmedThenAddressSwitchedVerifiedAndOldAddressNotified() throws Exception {
		Account account = accountWithMail();
		String next = newEmail();

		ApiClient.Response accepted = AccountSteps.changeEmail(api, account.token(), next, PASSWORD, null);

		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
		assertThat(accepted.text("status")).isEqualTo("accepted");
		assertThat(api.get("/v1/me", account.token()).text("email")).isEqualTo(account.email());
		MimeMessage link = MAIL.awaitMessage(next, 1);
		assertThat(link.getSubject()).isEqualTo("Confirm your new email address for Plinto");
		String issuer = api.get("/.well-known/openid-configuration").text("issuer");
		assertThat(MailCatcher.link(link)).startsWith(issuer + "/verify-email?token=");

		ApiClient.Response confirmed = api.post("/v1/email-verification/confirm",
				Map.of("token", MailCatcher.token(link)));

		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		assertThat(confirmed.json().get("user").get("email").asString()).isEqualTo(next);
		assertThat(confirmed.json().get("user").get("email_verified").asBoolean()).isTrue();
		ApiClient.Response me = api.get("/v1/me", account.token());
		assertThat(me.text("email")).isEqualTo(next);
		MimeMessage notice = MAIL.awaitMessage(account.email(), 2);
		assertThat(notice.getSubject()).isEqualTo("The email address of your Plinto account was changed");
		assertThat(MailCatcher.text(notice)).doesNotContain(next);
		assertThat(signIn(next, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(account.email(), PASSWORD).code()).isEqualTo("invalid_credentials");
		assertThat(jdbc.sql("select type from audit_events where user_id = :id").param("id", me.text("id"))
			.query(String.class)
			.list()).contains("EMAIL_CHANGE_REQUESTED", "EMAIL_CHANGED");
	}

	@Test
	void changeEmailWhenLinkUsedTwiceThenSecondRefused() {
		Account account = accountWithMail();
		String next = newEmail();
		AccountSteps.changeEmail(api, account.token(), next, PASSWORD, null);
		String token = MailCatcher.token(MAIL.awaitMessage(next, 1));
		api.post("/v1/email-verification/confirm", Map.of("token", token));

		ApiClient.Response again = api.post("/v1/email-verification/confirm", Map.of("token", token));

		assertThat(again.status()).isEqualTo(400);
		assertThat(again.code()).isEqualTo("invalid_verification_token");
	}

	@Test
	void changeEmailWhenRequestedTwiceThenOnlyTheNewestLinkWorks() {
		Account account = accountWithMail();
		String first = newEmail();
		String second = newEmail();
		AccountSteps.changeEmail(api, account.token(), first, PASSWORD, null);
		String stale = MailCatcher.token(MAIL.awaitMessage(first, 1));
		AccountSteps.changeEmail(api, account.token(), second, PASSWORD, null);
		String fresh = MailCatcher.token(MAIL.awaitMessage(second, 1));

		ApiClient.Response staleAnswer = api.post("/v1/email-verification/confirm", Map.of("token", stale));
		ApiClient.Response freshAnswer = api.post("/v1/email-verification/confirm", Map.of("token", fresh));

		assertThat(staleAnswer.code()).isEqualTo("invalid_verification_token");
		assertThat(freshAnswer.status()).isEqualTo(200);
		assertThat(api.get("/v1/me", account.token()).text("email")).isEqualTo(second);
	}

	@Test
	void changeEmailWhenPasswordWrongThen403AndNoMail() {
		Account account = accountWithMail();
		String next = newEmail();

		ApiClient.Response r = AccountSteps.changeEmail(api, account.token(), next, "not the password", null);

		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("wrong_password");
		assertThat(jdbc.sql("select count(*) from mail_outbox where recipient = :r").param("r", next)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void changeEmailWhenAddressOfAnotherAccountThen409EmailTakenLikeSignUpButOnlyAfterThePassword() {
		Account account = accountWithMail();
		Account other = account();

		ApiClient.Response taken = AccountSteps.changeEmail(api, account.token(), other.email(), PASSWORD, null);
		ApiClient.Response wrongPassword = AccountSteps.changeEmail(api, account.token(), other.email(), "nope",
				null);
		ApiClient.Response signUp = api.post("/v1/sign-up", ApiClient.map("email", other.email(), "password",
				PASSWORD));

		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("email_taken").isEqualTo(signUp.code());
		assertThat(wrongPassword.code()).isEqualTo("wrong_password");
		assertThat(api.get("/v1/me", account.token()).text("email")).isEqualTo(account.email());
	}

	@Test
	void changeEmailWhenTheAddressIsTakenBeforeTheLinkIsConfirmedThenEmailTakenAndNothingChanges() {
		Account account = accountWithMail();
		String next = newEmail();
		AccountSteps.changeEmail(api, account.token(), next, PASSWORD, null);
		String token = MailCatcher.token(MAIL.awaitMessage(next, 1));
		signUp(next);

		ApiClient.Response r = api.post("/v1/email-verification/confirm", Map.of("token", token));

		assertThat(r.status()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("email_taken");
		assertThat(api.get("/v1/me", account.token()).text("email")).isEqualTo(account.email());
	}

	@Test
	void changeEmailWhenSameOrInvalidAddressThen400ValidationFailed() {
		Account account = accountWithMail();

		ApiClient.Response same = AccountSteps.changeEmail(api, account.token(), account.email().toUpperCase(),
				PASSWORD, null);
		ApiClient.Response invalid = AccountSteps.changeEmail(api, account.token(), "not-an-address", PASSWORD,
				null);

		assertThat(same.status()).isEqualTo(400);
		assertThat(same.code()).isEqualTo("validation_failed");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.code()).isEqualTo("validation_failed");
		assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("email");
	}

	@Test
	void changeEmailWhenConfirmedThenResetLinkMailedToTheOldAddressStopsWorking() {
		Account account = accountWithMail();
		api.post("/v1/password-reset", Map.of("email", account.email()));
		String reset = MailCatcher.token(MAIL.awaitMessage(account.email(), 2));
		String next = newEmail();
		AccountSteps.changeEmail(api, account.token(), next, PASSWORD, null);
		api.post("/v1/email-verification/confirm", Map.of("token", MailCatcher.token(MAIL.awaitMessage(next, 1))));

		ApiClient.Response r = api.post("/v1/password-reset/confirm",
				Map.of("token", reset, "new_password", "a brand new secret phrase"));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("invalid_reset_token");
	}

	@Test
	void changeEmailWhenAcceptLanguageFrenchThenBothMailsInFrench() throws Exception {
		Account account = accountWithMail();
		String next = newEmail();

		AccountSteps.changeEmail(api, account.token(), next, PASSWORD, "fr-FR,fr;q=0.9");
		MimeMessage link = MAIL.awaitMessage(next, 1);
		api.send(api.request("/v1/email-verification/confirm", null).header("Content-Type", "application/json")
			.header("Accept-Language", "fr")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"token\":\"" + MailCatcher.token(link)
					+ "\"}"))
			.build());

		assertThat(link.getSubject()).isEqualTo("Confirmez votre nouvelle adresse e-mail pour Plinto");
		assertThat(MAIL.awaitMessage(account.email(), 2).getSubject())
			.isEqualTo("L'adresse e-mail de votre compte Plinto a été modifiée");
	}

	@Test
	void changeEmailWhenConfirmedThenTheSessionsStaySignedIn() {
		Account account = accountWithMail();
		String next = newEmail();
		AccountSteps.changeEmail(api, account.token(), next, PASSWORD, null);
		api.post("/v1/email-verification/confirm", Map.of("token", MailCatcher.token(MAIL.awaitMessage(next, 1))));

		ApiClient.Response me = api.get("/v1/me", account.token());

		assertThat(me.status()).isEqualTo(200);
		assertThat(me.text("email")).isEqualTo(next);
	}
}
