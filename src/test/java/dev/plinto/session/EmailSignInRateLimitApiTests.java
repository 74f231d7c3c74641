package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Sign-in mails are limited per client IP and per address by {@code PLINTO_RATE_LIMIT_SIGN_IN_MAIL}. */
@TestPropertySource(properties = "PLINTO_RATE_LIMIT_SIGN_IN_MAIL=3/1h")
class EmailSignInRateLimitApiTests extends ApiTestSupport {

	@Test
	void sendCodeWhenMoreThanTheRateThenRateLimitedWithRetryAfterForKnownAndUnknownAlike() {
		String email = newEmail();
		signUp(email);
		for (int i = 0; i < 3; i++) {
			String to = i == 0 ? email : newEmail();
			assertThat(api.post("/v1/sign-in/email-code", ApiClient.map("email", to)).status()).isEqualTo(202);
		}
		ApiClient.Response limited = api.post("/v1/sign-in/email-link", ApiClient.map("email", newEmail()));
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
	}
}
