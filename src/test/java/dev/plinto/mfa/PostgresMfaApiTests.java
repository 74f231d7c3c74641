package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.Concurrently;
import dev.plinto.PostgresApiTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The MFA and passkey journeys end to end on a fresh PostgreSQL database. */
class PostgresMfaApiTests extends PostgresApiTestSupport {

	@Test
	void totpJourneyWhenOnPostgresThenEnrolSignInWithCodeAndRecoveryCodeAndRefuseReplay() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, token, clock.instant());
		clock.advance(Duration.ofSeconds(30));
		String code = MfaSteps.code(enrolled.secret(), clock.instant());

		ApiClient.Response first = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token",
				signIn(email, PASSWORD).text("mfa_token"), "factor", "totp", "code", code));
		ApiClient.Response replay = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token",
				signIn(email, PASSWORD).text("mfa_token"), "factor", "totp", "code", code));
		ApiClient.Response recovery = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token",
				signIn(email, PASSWORD).text("mfa_token"), "factor", "recovery_code", "code",
				enrolled.recoveryCodes().get(9)));

		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(first.text("access_token")).get("amr")))
			.containsExactly("pwd", "otp", "mfa");
		assertThat(replay.code()).isEqualTo("invalid_mfa_code");
		assertThat(recovery.status()).as(recovery.toString()).isEqualTo(200);
		assertThat(api.get("/v1/me/mfa", token).json().get("recovery_codes_remaining").asInt()).isEqualTo(9);
		assertThat(MfaSteps.eventTypes(api, token)).contains("mfa.factor_added", "mfa.succeeded",
				"mfa.recovery_code_used");
	}

	/**
	 * Several recovery codes sent at once with one mfa_token: one sign-in succeeds and only its code is used up; the
	 * others lose the flow and keep their codes. Real concurrency on PostgreSQL, several rounds.
	 */
	@Test
	void signInMfaWhenRecoveryCodesSentInParallelThenOneWinsAndOnlyItsCodeIsSpent() throws Exception {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, token, clock.instant());
		int threads = 3;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			int remaining = 10;
			for (int round = 0; round < 3; round++) {
				String mfaToken = signIn(email, PASSWORD).text("mfa_token");
				List<Callable<ApiClient.Response>> calls = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					String code = enrolled.recoveryCodes().get(round * threads + i);
					calls.add(() -> api.post("/v1/sign-in/mfa",
							ApiClient.map("mfa_token", mfaToken, "factor", "recovery_code", "code", code)));
				}
				List<ApiClient.Response> responses = Concurrently.call(pool, calls);

				String described = "round " + round + ": " + responses;
				assertThat(responses).as(described).filteredOn(r -> r.status() == 200).hasSize(1);
				assertThat(responses).as(described)
					.filteredOn(r -> r.status() != 200)
					.allSatisfy(r -> assertThat(r.code()).isEqualTo("invalid_mfa_token"));
				remaining--;
				assertThat(api.get("/v1/me/mfa", token).json().get("recovery_codes_remaining").asInt()).as(described)
					.isEqualTo(remaining);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void passkeyJourneyWhenOnPostgresThenRegisterSignInWithoutPasswordAndRefuseReplayAndClone() {
		String token = signUp(newEmail()).text("access_token");
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(PasskeyApiTests.ORIGIN);
		ApiClient.Response registered = api.post("/v1/me/passkeys", ApiClient.map("credential",
				authenticator.create(api.post("/v1/me/passkeys/options", "", token).json())), token);
		assertThat(registered.status()).as(registered.toString()).isEqualTo(201);

		var options = api.post("/v1/sign-in/passkey/options", Map.of()).json();
		ApiClient.Response signedIn = api.post("/v1/sign-in/passkey",
				ApiClient.map("credential", authenticator.get(options)));
		ApiClient.Response replay = api.post("/v1/sign-in/passkey",
				ApiClient.map("credential", authenticator.get(options)));
		authenticator.counter(0);
		ApiClient.Response clone = api.post("/v1/sign-in/passkey", ApiClient.map("credential",
				authenticator.get(api.post("/v1/sign-in/passkey/options", Map.of()).json())));

		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(signedIn.text("access_token")).get("amr"))).containsExactly("hwk");
		assertThat(replay.code()).isEqualTo("webauthn_challenge_invalid");
		assertThat(clone.code()).isEqualTo("passkey_sign_count_regressed");
	}
}
