package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code PLINTO_MFA=required}: a user without a second factor gets a restricted enrolment token instead of a
 * session, usable only on the enrolment endpoints; and the per-user limit on MFA calls (5 an hour here).
 */
@TestPropertySource(properties = { "PLINTO_MFA=required", "PLINTO_RATE_LIMIT_MFA=5/1h" })
class MfaRequiredApiTests extends ApiTestSupport {

	@Test
	void signUpAndSignInWhenNoFactorThenEnrollmentRequiredWithoutSession() {
		String email = newEmail();

		ApiClient.Response signUp = signUp(email);
		ApiClient.Response signIn = signIn(email, PASSWORD);

		for (ApiClient.Response r : java.util.List.of(signUp, signIn)) {
			assertThat(r.text("status")).isEqualTo("mfa_enrollment_required");
			assertThat(r.text("enrollment_token")).startsWith("enr_");
			assertThat(r.text("expires_at")).isNotNull();
			assertThat(r.json().get("user").get("email").asString()).isEqualTo(email);
			assertThat(r.json().has("access_token")).isFalse();
			assertThat(r.json().has("refresh_token")).isFalse();
		}
	}

	@Test
	void enrollmentTokenWhenUsedOutsideEnrolmentThenMfaEnrollmentRequired() {
		String token = signUp(newEmail()).text("enrollment_token");

		assertThat(api.get("/v1/me", token).status()).isEqualTo(200);
		assertThat(api.get("/v1/me/mfa", token).status()).isEqualTo(200);
		for (ApiClient.Response r : java.util.List.of(api.get("/v1/me/sessions", token),
				api.get("/v1/me/security-events", token), api.patch("/v1/me", java.util.Map.of("name", "x"), token),
				api.post("/v1/me/mfa/recovery-codes", "", token))) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("mfa_enrollment_required");
		}
	}

	@Test
	void enrollmentTokenWhenTotpEnrolledThenSignInAsksForTheFactorAndCompletes() {
		String email = newEmail();
		String token = signUp(email).text("enrollment_token");

		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, token, clock.instant());
		clock.advance(Duration.ofSeconds(30));
		ApiClient.Response first = signIn(email, PASSWORD);
		ApiClient.Response done = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", first.text("mfa_token"),
				"factor", "totp", "code", MfaSteps.code(enrolled.secret(), clock.instant())));

		assertThat(first.text("status")).isEqualTo("mfa_required");
		assertThat(done.status()).as(done.toString()).isEqualTo(200);
		assertThat(api.get("/v1/me/sessions", done.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void enrollmentTokenWhenPasskeyRegisteredThenPasswordlessSignInWorks() {
		String token = signUp(newEmail()).text("enrollment_token");
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(PasskeyApiTests.ORIGIN);
		ApiClient.Response registered = api.post("/v1/me/passkeys",
				ApiClient.map("credential", authenticator.create(api.post("/v1/me/passkeys/options", "", token).json())),
				token);
		assertThat(registered.status()).as(registered.toString()).isEqualTo(201);

		ApiClient.Response r = api.post("/v1/sign-in/passkey", ApiClient.map("credential",
				authenticator.get(api.post("/v1/sign-in/passkey/options", java.util.Map.of()).json())));

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("access_token")).isNotNull();
	}

	@Test
	void enrollmentTokenWhenExpiredOrForgedThenInvalidToken() {
		String token = signUp(newEmail()).text("enrollment_token");
		clock.advance(Duration.ofMinutes(15).plusSeconds(1));

		assertThat(api.get("/v1/me", token).code()).isEqualTo("invalid_token");
		assertThat(api.get("/v1/me", "enr_" + "A".repeat(43)).code()).isEqualTo("invalid_token");
	}

	@Test
	void removeLastFactorWhenMfaRequiredThenRefused() {
		String email = newEmail();
		String token = signUp(email).text("enrollment_token");
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, token, clock.instant());
		clock.advance(Duration.ofSeconds(30));
		String mfaToken = signIn(email, PASSWORD).text("mfa_token");
		String access = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", mfaToken, "factor", "recovery_code",
				"code", enrolled.recoveryCodes().get(0))).text("access_token");

		ApiClient.Response r = MfaSteps.delete(api, "/v1/me/mfa/totp", ApiClient.map("password", PASSWORD), access);

		assertThat(r.status()).as(r.toString()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("mfa_last_factor");
	}

	@Test
	void mfaEndpointsWhenPerUserLimitExhaustedThenRateLimited() {
		String token = signUp(newEmail()).text("enrollment_token");
		for (int i = 0; i < 5; i++) {
			assertThat(api.post("/v1/me/mfa/totp", "", token).status()).isEqualTo(201);
		}

		ApiClient.Response r = api.post("/v1/me/mfa/totp", "", token);

		assertThat(r.status()).isEqualTo(429);
		assertThat(r.code()).isEqualTo("rate_limited");
		assertThat(r.header("Retry-After")).isNotNull();
	}
}
