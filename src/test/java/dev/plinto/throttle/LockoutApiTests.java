package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-account lockout with its defaults: after 10 consecutive failures the account is locked for 30 s, the
 * delay doubles with each further failure, and failures older than the 15-minute window are forgotten. Per-IP
 * limits are high here (see {@link ApiTestSupport}), so every 429 comes from the lockout.
 */
class LockoutApiTests extends ApiTestSupport {

	private static final String WRONG = "not my password";

	@Test
	void signInWhenTenFailuresThenEleventhAttemptLockedEvenWithTheRightPassword() {
		String email = newEmail();
		signUp(email);
		failTimes(email, 10);

		ApiClient.Response locked = signIn(email, PASSWORD);

		assertThat(locked.status()).as(locked.toString()).isEqualTo(429);
		assertThat(locked.code()).isEqualTo("rate_limited");
		assertThat(locked.json().has("access_token")).isFalse();
		assertThat(retryAfter(locked)).isEqualTo(30);
	}

	@Test
	void signInWhenNineFailuresThenRightPasswordStillWorks() {
		String email = newEmail();
		signUp(email);
		failTimes(email, 9);

		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void signInWhenEmailUnknownThenLockedExactlyLikeAnAccount() {
		String known = newEmail();
		signUp(known);
		String unknown = newEmail();
		failTimes(known, 10);
		failTimes(unknown, 10);

		ApiClient.Response forKnown = signIn(known, PASSWORD);
		ApiClient.Response forUnknown = signIn(unknown, PASSWORD);

		assertThat(forUnknown.status()).isEqualTo(429).isEqualTo(forKnown.status());
		assertThat(forUnknown.header("Retry-After")).isEqualTo(forKnown.header("Retry-After"));
		for (String field : List.of("type", "title", "status", "detail", "code")) {
			assertThat(forUnknown.json().get(field)).as(field).isEqualTo(forKnown.json().get(field));
		}
	}

	@Test
	void signInWhenFailingAgainAfterTheLockThenTheDelayGrows() {
		String email = newEmail();
		signUp(email);
		failTimes(email, 10);
		int first = retryAfter(signIn(email, WRONG));

		clock.advance(Duration.ofSeconds(first + 1));
		assertThat(signIn(email, WRONG).status()).isEqualTo(401);
		int second = retryAfter(signIn(email, PASSWORD));

		clock.advance(Duration.ofSeconds(second + 1));
		assertThat(signIn(email, WRONG).status()).isEqualTo(401);
		int third = retryAfter(signIn(email, PASSWORD));

		assertThat(first).isEqualTo(30);
		assertThat(second).isGreaterThan(first);
		assertThat(third).isGreaterThan(second);
	}

	@Test
	void signInWhenLockHasPassedThenRightPasswordSucceedsAndResetsTheCount() {
		String email = newEmail();
		signUp(email);
		failTimes(email, 10);
		int wait = retryAfter(signIn(email, PASSWORD));
		clock.advance(Duration.ofSeconds(wait - 1));
		assertThat(signIn(email, PASSWORD).status()).as("still locked a second before the end").isEqualTo(429);
		clock.advance(Duration.ofSeconds(2));

		ApiClient.Response signedIn = signIn(email, PASSWORD);
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);

		failTimes(email, 9);
		assertThat(signIn(email, PASSWORD).status()).as("the count started again from zero").isEqualTo(200);
	}

	@Test
	void signInWhenFailuresAreOlderThanTheWindowThenTheyAreForgotten() {
		String email = newEmail();
		signUp(email);
		failTimes(email, 9);
		clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		failTimes(email, 9);

		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
	}

	private void failTimes(String email, int n) {
		for (int i = 1; i <= n; i++) {
			ApiClient.Response r = signIn(email, WRONG);
			assertThat(r.status()).as("failure " + i + ": " + r).isEqualTo(401);
			assertThat(r.code()).isEqualTo("invalid_credentials");
		}
	}

	private static int retryAfter(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(429);
		assertThat(r.code()).isEqualTo("rate_limited");
		String value = r.header("Retry-After");
		assertThat(value).as("Retry-After").matches("[1-9][0-9]*");
		return Integer.parseInt(value);
	}
}
