package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;

class SignUpApiTests extends ApiTestSupport {

	@Test
	void signUpWhenNewEmailThenCreatedWithTokensAndNoStore() {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		assertThat(r.header("Cache-Control")).isEqualTo("no-store");
		assertThat(r.text("token_type")).isEqualTo("Bearer");
		assertThat(r.json().get("expires_in").asLong()).isEqualTo(600);
		assertThat(r.text("session_id")).startsWith("ses_");
		assertThat(r.text("refresh_token")).hasSizeGreaterThanOrEqualTo(43);
		assertThat(r.json().get("user").get("id").asString()).startsWith("usr_");
		assertThat(r.json().get("user").get("email").asString()).isEqualTo(email);
		assertThat(r.json().get("user").get("email_verified").asBoolean()).isFalse();
	}

	@Test
	void signUpWhenEmailTakenThenConflictEmailTaken() {
		String email = newEmail();
		signUp(email);
		ApiClient.Response again = api.post("/v1/sign-up", ApiClient.map("email", email.toUpperCase(), "password",
				"another fine password"));
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("email_taken");
		assertThat(again.header("Content-Type")).startsWith("application/problem+json");
	}
}
