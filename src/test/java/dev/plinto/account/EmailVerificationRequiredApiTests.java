package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** {@code PLINTO_EMAIL_VERIFICATION=required}: no session until the emailed link is confirmed. */
@TestPropertySource(properties = "PLINTO_EMAIL_VERIFICATION=required")
class EmailVerificationRequiredApiTests extends ApiTestSupport implements WithMailCatcher {

	@Test
	void signUpWhenVerificationRequiredThenAcceptedWithoutTokensAndMailSent() {
		String email = newEmail();

		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));

		assertThat(r.status()).as(r.toString()).isEqualTo(202);
		assertThat(r.text("status")).isEqualTo("verification_required");
		assertThat(r.json().has("access_token")).isFalse();
		assertThat(r.json().has("refresh_token")).isFalse();
		assertThat(r.json().has("session_id")).isFalse();
		assertThat(r.json().get("user").get("email").asString()).isEqualTo(email);
		assertThat(r.json().get("user").get("email_verified").asBoolean()).isFalse();
		assertThat(r.header("Cache-Control")).isEqualTo("no-store");
		assertThat(MailCatcher.link(MAIL.awaitMessage(email, 1))).contains("/verify-email?token=");
	}

	@Test
	void signInWhenEmailNotVerifiedThenForbiddenUntilConfirmed() {
		String email = newEmail();
		assertThat(api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD)).status())
			.isEqualTo(202);

		ApiClient.Response refused = signIn(email, PASSWORD);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("email_not_verified");
		assertThat(refused.json().has("access_token")).isFalse();
		ApiClient.Response wrong = signIn(email, "not the right password");
		assertThat(wrong.status()).as("a wrong password still says nothing about verification").isEqualTo(401);
		assertThat(wrong.code()).isEqualTo("invalid_credentials");

		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		assertThat(api.post("/v1/email-verification/confirm", Map.of("token", token)).status()).isEqualTo(200);

		ApiClient.Response signedIn = signIn(email, PASSWORD);
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.json().get("user").get("email_verified").asBoolean()).isTrue();
		assertThat(api.get("/v1/me", signedIn.text("access_token")).status()).isEqualTo(200);
	}
}
