package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Per-IP limits (in-process backend) with a capacity of 3 a minute: the fourth request from the same address is
 * refused with 429 {@code rate_limited} and a {@code Retry-After}. Each test exhausts a different limit, so the
 * tests do not depend on their order.
 */
@TestPropertySource(properties = { "PLINTO_RATE_LIMIT_SIGN_IN=3/1m", "PLINTO_RATE_LIMIT_SIGN_UP=3/1m",
		"PLINTO_RATE_LIMIT_PASSWORD_RESET=3/1m", "PLINTO_RATE_LIMIT_VERIFICATION_MAIL=3/1m" })
class RateLimitApiTests extends ApiTestSupport {

	@Test
	void signInWhenFourthAttemptFromSameIpThenRateLimited() {
		assertFourthIsRateLimited(() -> signIn(newEmail(), "not my password"), 401);
	}

	@Test
	void signUpWhenFourthAttemptFromSameIpThenRateLimited() {
		assertFourthIsRateLimited(
				() -> api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password", PASSWORD)), 201);
	}

	@Test
	void passwordResetWhenFourthRequestFromSameIpThenRateLimited() {
		assertFourthIsRateLimited(() -> api.post("/v1/password-reset", Map.of("email", newEmail())), 202);
	}

	@Test
	void verificationMailWhenFourthRequestFromSameIpThenRateLimited() {
		assertFourthIsRateLimited(() -> api.post("/v1/email-verification", Map.of("email", newEmail())), 202);
	}

	private static void assertFourthIsRateLimited(Supplier<ApiClient.Response> call, int allowedStatus) {
		for (int i = 1; i <= 3; i++) {
			ApiClient.Response r = call.get();
			assertThat(r.status()).as("attempt " + i + ": " + r).isEqualTo(allowedStatus);
		}
		ApiClient.Response limited = call.get();
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
		String retryAfter = limited.header("Retry-After");
		assertThat(retryAfter).as("Retry-After").matches("[1-9][0-9]*");
		assertThat(Integer.parseInt(retryAfter)).isLessThanOrEqualTo(60);
	}
}
