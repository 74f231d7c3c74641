package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Email verification and password reset links, delivered over real SMTP to GreenMail. */
class EmailLinkApiTests extends ApiTestSupport implements WithMailCatcher {

	private static final String NEW_PASSWORD = "a brand new secret phrase";

	@Autowired
	private JdbcClient jdbc;

	@Test
	void signUpWhenSmtpConfiguredThenVerificationMailWithLinkIsDelivered() throws Exception {
		String email = newEmail();
		signUp(email);

		MimeMessage message = MAIL.awaitMessage(email, 1);
		InternetAddress from = (InternetAddress) message.getFrom()[0];
		assertThat(from.getAddress()).isEqualTo("no-reply@localhost");
		assertThat(from.getPersonal()).isEqualTo("Plinto");
		assertThat(message.getSubject()).isEqualTo("Confirm your email for Plinto");
		String issuer = api.get("/.well-known/openid-configuration").text("issuer");
		assertThat(MailCatcher.link(message)).startsWith(issuer + "/verify-email?token=");
		assertThat(MailCatcher.token(message)).hasSizeGreaterThanOrEqualTo(43);
		assertThat(MailCatcher.text(message)).contains("24 hours");
	}

	@Test
	void confirmEmailWhenTokenFromMailThenVerifiedAndTokenSpent() {
		String email = newEmail();
		String accessToken = signUp(email).text("access_token");
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));

		ApiClient.Response confirmed = api.post("/v1/email-verification/confirm", Map.of("token", token));
		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		assertThat(confirmed.text("status")).isEqualTo("verified");
		assertThat(confirmed.json().get("user").get("email_verified").asBoolean()).isTrue();
		ApiClient.Response me = api.get("/v1/me", accessToken);
		assertThat(me.json().get("email_verified").asBoolean()).isTrue();

		ApiClient.Response again = api.post("/v1/email-verification/confirm", Map.of("token", token));
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.code()).isEqualTo("invalid_verification_token");
	}

	@Test
	void confirmEmailWhenTokenIsUnknownThenRefused() {
		ApiClient.Response r = api.post("/v1/email-verification/confirm",
				Map.of("token", "Xq0kR2nq7mV0pNVtmPqxK1Oq3vYl4l0Qm2pFQmD5F1U"));
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("invalid_verification_token");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void confirmEmailWhenTokenJustUnder24HoursOldThenAccepted() {
		String email = newEmail();
		signUp(email);
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		clock.advance(Duration.ofHours(24).minusSeconds(1));

		ApiClient.Response r = api.post("/v1/email-verification/confirm", Map.of("token", token));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
	}

	@Test
	void confirmEmailWhenTokenOlderThan24HoursThenRefusedAndEmailStaysUnverified() {
		String email = newEmail();
		signUp(email);
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		clock.advance(Duration.ofHours(24).plusSeconds(1));

		ApiClient.Response r = api.post("/v1/email-verification/confirm", Map.of("token", token));
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("invalid_verification_token");
		ApiClient.Response signedIn = signIn(email, PASSWORD);
		assertThat(signedIn.json().get("user").get("email_verified").asBoolean()).isFalse();
	}

	@Test
	void resendVerificationWhenEmailUnknownOrUnverifiedThenSame202AndOnlyTheAccountGetsANewLink() {
		String known = newEmail();
		signUp(known);
		String firstToken = MailCatcher.token(MAIL.awaitMessage(known, 1));
		String unknown = newEmail();

		ApiClient.Response forUnknown = api.post("/v1/email-verification", Map.of("email", unknown));
		ApiClient.Response forKnown = api.post("/v1/email-verification", Map.of("email", known));

		assertThat(forUnknown.status()).isEqualTo(202);
		assertThat(forKnown.status()).isEqualTo(202);
		assertThat(forKnown.raw()).isEqualTo(forUnknown.raw());
		assertThat(forKnown.header("Content-Type")).isEqualTo(forUnknown.header("Content-Type"));
		String secondToken = MailCatcher.token(MAIL.awaitMessage(known, 2));
		assertThat(secondToken).isNotEqualTo(firstToken);
		assertThat(MAIL.messagesTo(unknown)).isEmpty();
		assertThat(outboxRows(unknown)).isZero();
		// The newer link supersedes the older one.
		assertThat(api.post("/v1/email-verification/confirm", Map.of("token", firstToken)).code())
			.isEqualTo("invalid_verification_token");
		assertThat(api.post("/v1/email-verification/confirm", Map.of("token", secondToken)).status()).isEqualTo(200);
	}

	@Test
	void resendVerificationWhenEmailAlreadyVerifiedThen202AndNoMail() {
		String verified = newEmail();
		signUp(verified);
		String token = MailCatcher.token(MAIL.awaitMessage(verified, 1));
		assertThat(api.post("/v1/email-verification/confirm", Map.of("token", token)).status()).isEqualTo(200);
		String unverified = newEmail();
		signUp(unverified);
		MAIL.awaitMessage(unverified, 1);

		assertThat(api.post("/v1/email-verification", Map.of("email", verified)).status()).isEqualTo(202);
		assertThat(api.post("/v1/email-verification", Map.of("email", unverified)).status()).isEqualTo(202);

		MAIL.awaitMessage(unverified, 2);
		assertThat(MAIL.messagesTo(verified)).hasSize(1);
		assertThat(outboxRows(verified)).isEqualTo(1);
	}

	@Test
	void requestPasswordResetWhenEmailUnknownThenSame202AndNoMail() throws Exception {
		String known = newEmail();
		signUp(known);
		MAIL.awaitMessage(known, 1);
		String unknown = newEmail();

		ApiClient.Response forUnknown = api.post("/v1/password-reset", Map.of("email", unknown));
		ApiClient.Response forKnown = api.post("/v1/password-reset", Map.of("email", known));

		assertThat(forUnknown.status()).isEqualTo(202);
		assertThat(forKnown.status()).isEqualTo(202);
		assertThat(forKnown.raw()).isEqualTo(forUnknown.raw());
		MimeMessage reset = MAIL.awaitMessage(known, 2);
		assertThat(reset.getSubject()).isEqualTo("Reset your Plinto password");
		String issuer = api.get("/.well-known/openid-configuration").text("issuer");
		assertThat(MailCatcher.link(reset)).startsWith(issuer + "/reset-password?token=");
		assertThat(MAIL.messagesTo(unknown)).isEmpty();
		assertThat(outboxRows(unknown)).isZero();
	}

	@Test
	void confirmPasswordResetWhenTokenFromMailThenNewPasswordWorksAndEverySessionIsRevoked() {
		String email = newEmail();
		ApiClient.Response first = signUp(email);
		ApiClient.Response second = signIn(email, PASSWORD);
		assertThat(second.status()).isEqualTo(200);
		String token = requestReset(email, 2);

		ApiClient.Response r = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				NEW_PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(204);

		assertThat(signIn(email, PASSWORD).code()).isEqualTo("invalid_credentials");
		ApiClient.Response fresh = signIn(email, NEW_PASSWORD);
		assertThat(fresh.status()).isEqualTo(200);
		assertThat(fresh.json().get("user").get("email_verified").asBoolean())
			.as("the reset link proved control of the address")
			.isTrue();
		for (ApiClient.Response earlier : new ApiClient.Response[] { first, second }) {
			ApiClient.Response me = api.get("/v1/me", earlier.text("access_token"));
			assertThat(me.status()).isEqualTo(401);
			assertThat(me.code()).isEqualTo("invalid_token");
			ApiClient.Response refreshed = api.post("/v1/token/refresh",
					Map.of("refresh_token", earlier.text("refresh_token")));
			assertThat(refreshed.status()).isEqualTo(401);
			assertThat(refreshed.code()).isEqualTo("invalid_refresh_token");
		}
		assertThat(api.get("/v1/me", fresh.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void confirmPasswordResetWhenTokenUsedTwiceThenSecondIsRefused() {
		String email = newEmail();
		signUp(email);
		String token = requestReset(email, 2);
		assertThat(api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD))
			.status()).isEqualTo(204);

		ApiClient.Response again = api.post("/v1/password-reset/confirm",
				Map.of("token", token, "new_password", "yet another long secret"));

		assertThat(again.status()).isEqualTo(400);
		assertThat(again.code()).isEqualTo("invalid_reset_token");
		assertThat(signIn(email, NEW_PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(email, "yet another long secret").status()).isEqualTo(401);
	}

	@Test
	void confirmPasswordResetWhenTokenOlderThan30MinutesThenRefused() {
		String email = newEmail();
		signUp(email);
		String token = requestReset(email, 2);
		clock.advance(Duration.ofMinutes(30).plusSeconds(1));

		ApiClient.Response r = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				NEW_PASSWORD));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("invalid_reset_token");
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void confirmPasswordResetWhenVerificationTokenUsedThenRefused() {
		String email = newEmail();
		signUp(email);
		String verificationToken = MailCatcher.token(MAIL.awaitMessage(email, 1));

		ApiClient.Response r = api.post("/v1/password-reset/confirm",
				Map.of("token", verificationToken, "new_password", NEW_PASSWORD));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("invalid_reset_token");
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void confirmPasswordResetWhenNewPasswordWeakThenPolicyErrorAndTokenStaysUsable() {
		String email = newEmail();
		signUp(email);
		String token = requestReset(email, 2);

		ApiClient.Response weak = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				"short"));
		assertThat(weak.status()).isEqualTo(422);
		assertThat(weak.code()).isEqualTo("password_too_short");
		assertThat(weak.json().get("errors").get(0).get("field").asString()).isEqualTo("new_password");
		ApiClient.Response common = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				"iloveyou1"));
		assertThat(common.code()).isEqualTo("password_too_common");
		assertThat(signIn(email, PASSWORD).status()).as("the password is unchanged").isEqualTo(200);

		ApiClient.Response ok = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				NEW_PASSWORD));
		assertThat(ok.status()).as(ok.toString()).isEqualTo(204);
		assertThat(signIn(email, NEW_PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void confirmPasswordResetWhenAccountLockedOutThenTheLockIsCleared() {
		String email = newEmail();
		signUp(email);
		for (int i = 0; i < 10; i++) {
			assertThat(signIn(email, "not my password").status()).isEqualTo(401);
		}
		assertThat(signIn(email, PASSWORD).status()).as("locked").isEqualTo(429);
		String token = requestReset(email, 2);

		assertThat(api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD))
			.status()).isEqualTo(204);

		ApiClient.Response r = signIn(email, NEW_PASSWORD);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
	}

	@Test
	void dispatchWhenSmtpServerIsDownThenMailIsKeptAndDeliveredAfterTheBackOff() {
		String email = newEmail();
		MAIL.stop();
		try {
			signUp(email);
			awaitFailedAttempt(email);
			Map<String, Object> row = outboxRow(email);
			assertThat(row.get("sent_at")).isNull();
			assertThat(row.get("body")).as("kept for the retry").isNotNull();
		}
		finally {
			MAIL.start();
		}
		assertThat(MAIL.messagesTo(email)).isEmpty();

		clock.advance(Duration.ofSeconds(31));

		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		assertThat(api.post("/v1/email-verification/confirm", Map.of("token", token)).status()).isEqualTo(200);
		awaitSent(email);
		assertThat(outboxRow(email).get("body")).as("erased once sent").isNull();
	}

	/** Asks for a reset link and returns its token; {@code n} is the number of the mail to this address. */
	private String requestReset(String email, int n) {
		assertThat(api.post("/v1/password-reset", Map.of("email", email)).status()).isEqualTo(202);
		MimeMessage message = MAIL.awaitMessage(email, n);
		assertThat(MailCatcher.link(message)).contains("/reset-password?token=");
		return MailCatcher.token(message);
	}

	private int outboxRows(String recipient) {
		return jdbc.sql("select count(*) from mail_outbox where recipient = :r")
			.param("r", recipient)
			.query(Integer.class)
			.single();
	}

	private Map<String, Object> outboxRow(String recipient) {
		return jdbc.sql("select attempts, sent_at, body, last_error from mail_outbox where recipient = :r")
			.param("r", recipient)
			.query()
			.singleRow();
	}

	private void awaitFailedAttempt(String recipient) {
		awaitRow(recipient, "attempts >= 1");
	}

	private void awaitSent(String recipient) {
		awaitRow(recipient, "sent_at is not null");
	}

	private void awaitRow(String recipient, String condition) {
		await("an outbox row to " + recipient + " with " + condition).atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> jdbc.sql("select count(*) from mail_outbox where recipient = :r and " + condition)
				.param("r", recipient)
				.query(Integer.class)
				.single() > 0);
	}
}
