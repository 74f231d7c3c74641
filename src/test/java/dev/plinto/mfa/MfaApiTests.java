package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** TOTP, recovery codes and the second-factor step of sign-in, through the real server on H2. */
class MfaApiTests extends ApiTestSupport {

	@Autowired
	JdbcClient jdbc;

	/** An account with TOTP enrolled; the clock is moved past the confirmation's step. */
	private MfaSteps.Enrolled enrolled(Account a) {
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, a.token(), clock.instant());
		clock.advance(Duration.ofSeconds(30));
		return enrolled;
	}

	private String mfaToken(String email) {
		ApiClient.Response r = signIn(email, PASSWORD);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("mfa_required");
		return r.text("mfa_token");
	}

	private ApiClient.Response secondFactor(String mfaToken, String factor, String code) {
		return api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", mfaToken, "factor", factor, "code", code));
	}

	@Test
	void startTotpWhenSignedInThenSecretOtpauthUriAndQrCodeAndPendingUntilConfirmed() {
		Account a = account();

		ApiClient.Response r = api.post("/v1/me/mfa/totp", "", a.token());

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		assertThat(r.header("Cache-Control")).contains("no-store");
		String secret = r.text("secret");
		assertThat(secret).matches("[A-Z2-7]{32}");
		String uri = URLDecoder.decode(r.text("otpauth_uri"), StandardCharsets.UTF_8);
		assertThat(uri).isEqualTo("otpauth://totp/Plinto:" + a.email() + "?secret=" + secret
				+ "&issuer=Plinto&algorithm=SHA1&digits=6&period=30");
		assertThat(r.text("qr_code")).startsWith("data:image/svg+xml;base64,");
		String svg = new String(Base64.getDecoder().decode(r.text("qr_code").substring(26)), StandardCharsets.UTF_8);
		assertThat(svg).startsWith("<svg").contains("<path d=\"M");
		JsonNode status = api.get("/v1/me/mfa", a.token()).json();
		assertThat(status.get("totp_pending").asBoolean()).isTrue();
		assertThat(status.get("totp_enabled").asBoolean()).isFalse();
		assertThat(signIn(a.email(), PASSWORD).text("access_token")).as("no factor yet").isNotNull();
	}

	@Test
	void startTotpWhenSecretStoredThenEncryptedAtRest() {
		Account a = account();
		String secret = api.post("/v1/me/mfa/totp", "", a.token()).text("secret");
		String userId = api.get("/v1/me", a.token()).text("id");

		String stored = jdbc.sql("select secret from totp_factors where user_id = :u").param("u", userId)
			.query(String.class).single();

		assertThat(stored).doesNotContain(secret);
		assertThat(new String(Base64.getDecoder().decode(stored), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
	}

	@Test
	void confirmTotpWhenWrongCodeThenRefusedAndStillPending() {
		Account a = account();
		String secret = api.post("/v1/me/mfa/totp", "", a.token()).text("secret");
		String wrong = MfaSteps.code(secret, clock.instant().plus(Duration.ofMinutes(5)));

		ApiClient.Response r = api.post("/v1/me/mfa/totp/confirm", ApiClient.map("code", wrong), a.token());

		assertThat(r.status()).as("a wrong code is no reason to sign out: " + r).isEqualTo(400);
		assertThat(r.code()).isEqualTo("wrong_mfa_code");
		assertThat(api.get("/v1/me/mfa", a.token()).status()).as("the session is still valid").isEqualTo(200);
		assertThat(api.get("/v1/me/mfa", a.token()).json().get("totp_enabled").asBoolean()).isFalse();
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.failed");
	}

	@Test
	void confirmTotpWhenNotStartedThenTotpNotEnabled() {
		ApiClient.Response r = api.post("/v1/me/mfa/totp/confirm", ApiClient.map("code", "123456"),
				account().token());
		assertThat(r.status()).isEqualTo(404);
		assertThat(r.code()).isEqualTo("totp_not_enabled");
	}

	@Test
	void confirmTotpWhenCodeCorrectThenActiveWithTenDistinctRecoveryCodes() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);

		assertThat(enrolled.recoveryCodes()).hasSize(10).doesNotHaveDuplicates()
			.allMatch(c -> c.matches("[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}"));
		JsonNode status = api.get("/v1/me/mfa", a.token()).json();
		assertThat(status.get("totp_enabled").asBoolean()).isTrue();
		assertThat(status.get("recovery_codes_remaining").asInt()).isEqualTo(10);
		assertThat(MfaSteps.strings(status.get("factors"))).containsExactly("totp", "recovery_code");
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.factor_added",
				"mfa.recovery_codes_regenerated");
		assertThat(api.post("/v1/me/mfa/totp", "", a.token()).code()).isEqualTo("totp_already_enabled");
	}

	@Test
	void signInWhenTotpEnabledThenMfaRequiredAndNoSession() {
		Account a = account();
		enrolled(a);

		ApiClient.Response r = signIn(a.email(), PASSWORD);

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("mfa_required");
		assertThat(r.text("mfa_token")).startsWith("mfa_");
		assertThat(MfaSteps.strings(r.json().get("factors"))).containsExactly("totp", "recovery_code");
		assertThat(r.json().has("access_token")).isFalse();
		assertThat(r.json().has("refresh_token")).isFalse();
	}

	@Test
	void signInMfaWhenTotpCodeCorrectThenTokensCarryAmrAndSessionKeepsItAcrossRefresh() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);

		ApiClient.Response r = secondFactor(mfaToken(a.email()), "totp", MfaSteps.code(enrolled.secret(),
				clock.instant()));

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(r.text("access_token")).get("amr")))
			.containsExactly("pwd", "otp", "mfa");
		JsonNode session = api.get("/v1/me/sessions", r.text("access_token")).json().get("data").get(0);
		assertThat(MfaSteps.strings(session.get("amr"))).containsExactly("pwd", "otp", "mfa");
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", r.text("refresh_token")));
		assertThat(MfaSteps.strings(ApiClient.claims(refreshed.text("access_token")).get("amr")))
			.containsExactly("pwd", "otp", "mfa");
		assertThat(MfaSteps.eventTypes(api, r.text("access_token"))).contains("mfa.succeeded", "sign_in.succeeded");
	}

	@Test
	void signInMfaWhenCodeAlreadyAcceptedThenReplayRefused() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String code = MfaSteps.code(enrolled.secret(), clock.instant());
		assertThat(secondFactor(mfaToken(a.email()), "totp", code).status()).isEqualTo(200);

		ApiClient.Response replay = secondFactor(mfaToken(a.email()), "totp", code);

		assertThat(replay.status()).as(replay.toString()).isEqualTo(401);
		assertThat(replay.code()).isEqualTo("invalid_mfa_code");
		clock.advance(Duration.ofSeconds(30));
		assertThat(secondFactor(mfaToken(a.email()), "totp", MfaSteps.code(enrolled.secret(), clock.instant()))
			.status()).as("the next step's code works").isEqualTo(200);
	}

	@Test
	void signInMfaWhenCodeFromEnrolmentStepThenRefusedAsReplay() {
		Account a = account();
		String secret = api.post("/v1/me/mfa/totp", "", a.token()).text("secret");
		String code = MfaSteps.code(secret, clock.instant());
		assertThat(api.post("/v1/me/mfa/totp/confirm", ApiClient.map("code", code), a.token()).status())
			.isEqualTo(200);

		assertThat(secondFactor(mfaToken(a.email()), "totp", code).code()).isEqualTo("invalid_mfa_code");
	}

	@Test
	void signInMfaWhenClockDriftsOneStepThenAcceptedAndTwoStepsThenRefused() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);

		String twoAhead = MfaSteps.code(enrolled.secret(), clock.instant().plus(Duration.ofSeconds(60)));
		assertThat(secondFactor(mfaToken(a.email()), "totp", twoAhead).code()).isEqualTo("invalid_mfa_code");
		String oneAhead = MfaSteps.code(enrolled.secret(), clock.instant().plus(Duration.ofSeconds(30)));
		assertThat(secondFactor(mfaToken(a.email()), "totp", oneAhead).status()).isEqualTo(200);
	}

	@Test
	void signInMfaWhenMfaTokenUsedAgainOrUnknownThenInvalidMfaToken() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String token = mfaToken(a.email());
		assertThat(secondFactor(token, "totp", MfaSteps.code(enrolled.secret(), clock.instant())).status())
			.isEqualTo(200);
		clock.advance(Duration.ofSeconds(30));

		ApiClient.Response again = secondFactor(token, "totp", MfaSteps.code(enrolled.secret(), clock.instant()));
		ApiClient.Response unknown = secondFactor("mfa_" + "x".repeat(43), "totp", "123456");

		assertThat(again.status()).isEqualTo(401);
		assertThat(again.code()).isEqualTo("invalid_mfa_token");
		assertThat(unknown.code()).isEqualTo("invalid_mfa_token");
	}

	@Test
	void signInMfaWhenMfaTokenOlderThanFiveMinutesThenInvalidMfaToken() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String token = mfaToken(a.email());
		clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		ApiClient.Response r = secondFactor(token, "totp", MfaSteps.code(enrolled.secret(), clock.instant()));

		assertThat(r.code()).isEqualTo("invalid_mfa_token");
	}

	@Test
	void signInMfaWhenRecoveryCodeThenAcceptedOnceCountedAndAudited() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String code = enrolled.recoveryCodes().get(3);

		ApiClient.Response r = secondFactor(mfaToken(a.email()), "recovery_code", " " + code.toUpperCase() + " ");

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(r.text("access_token")).get("amr")))
			.containsExactly("pwd", "otp", "mfa");
		assertThat(api.get("/v1/me/mfa", r.text("access_token")).json().get("recovery_codes_remaining").asInt())
			.isEqualTo(9);
		assertThat(MfaSteps.eventTypes(api, r.text("access_token"))).contains("mfa.recovery_code_used");
		ApiClient.Response reuse = secondFactor(mfaToken(a.email()), "recovery_code", code);
		assertThat(reuse.status()).isEqualTo(401);
		assertThat(reuse.code()).isEqualTo("invalid_mfa_code");
	}

	@Test
	void regenerateRecoveryCodesWhenCalledThenOldSetStopsAndNewSetWorks() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);

		ApiClient.Response r = api.post("/v1/me/mfa/recovery-codes", "", a.token());

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		List<String> fresh = MfaSteps.strings(r.json().get("recovery_codes"));
		assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
		assertThat(secondFactor(mfaToken(a.email()), "recovery_code", enrolled.recoveryCodes().get(0)).code())
			.isEqualTo("invalid_mfa_code");
		assertThat(secondFactor(mfaToken(a.email()), "recovery_code", fresh.get(0)).status()).isEqualTo(200);
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.recovery_codes_regenerated");
	}

	@Test
	void regenerateRecoveryCodesWhenNoFactorThenRefused() {
		ApiClient.Response r = api.post("/v1/me/mfa/recovery-codes", "", account().token());
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("mfa_factor_not_available");
	}

	@Test
	void signInMfaWhenWrongCodesReachTheThresholdThenAccountLockedWhateverFactor() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String token = mfaToken(a.email()); // the password attempt counts as one
		String wrong = MfaSteps.code(enrolled.secret(), clock.instant().plus(Duration.ofHours(1)));
		for (int i = 0; i < 9; i++) {
			assertThat(secondFactor(token, "totp", wrong).code()).isEqualTo("invalid_mfa_code");
		}

		ApiClient.Response rightTotp = secondFactor(token, "totp", MfaSteps.code(enrolled.secret(), clock.instant()));
		ApiClient.Response recovery = secondFactor(token, "recovery_code", enrolled.recoveryCodes().get(0));
		ApiClient.Response password = signIn(a.email(), PASSWORD);

		for (ApiClient.Response locked : List.of(rightTotp, recovery, password)) {
			assertThat(locked.status()).as(locked.toString()).isEqualTo(429);
			assertThat(locked.code()).isEqualTo("rate_limited");
			assertThat(locked.header("Retry-After")).isNotNull();
		}
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.failed", "sign_in.locked");
	}

	@Test
	void signInMfaWhenCorrectPasswordAlternatesWithWrongCodesThenFailuresStillAccumulate() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String wrong = MfaSteps.code(enrolled.secret(), clock.instant().plus(Duration.ofHours(1)));
		for (int i = 0; i < 5; i++) {
			String token = mfaToken(a.email());
			assertThat(secondFactor(token, "totp", wrong).code()).isEqualTo("invalid_mfa_code");
		}

		assertThat(signIn(a.email(), PASSWORD).status()).as("ten failures lock the account").isEqualTo(429);
	}

	@Test
	void signInMfaWhenFactorNotEnrolledThenFactorNotAvailable() {
		Account a = account();
		enrolled(a);

		ApiClient.Response r = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", mfaToken(a.email()), "factor",
				"passkey", "credential", java.util.Map.of("id", "x")));
		ApiClient.Response bogus = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", "mfa_x", "factor", "sms"));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("mfa_factor_not_available");
		assertThat(bogus.code()).isEqualTo("validation_failed");
		assertThat(bogus.json().get("errors").get(0).get("field").asString()).isEqualTo("factor");
	}

	@Test
	void removeTotpWhenNoBodyThenMalformedRequestNamingTheFields() {
		Account a = account();
		enrolled(a);

		ApiClient.Response r = api.delete("/v1/me/mfa/totp", a.token());

		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("malformed_request");
		assertThat(r.text("detail")).contains("JSON body", "password", "code");
		assertThat(api.get("/v1/me/mfa", a.token()).json().get("totp_enabled").asBoolean()).isTrue();
	}

	@Test
	void removeTotpWhenNoProofOrWrongProofThenRefusedAndStillActive() {
		Account a = account();
		enrolled(a);

		ApiClient.Response none = MfaSteps.delete(api, "/v1/me/mfa/totp", java.util.Map.of(), a.token());
		ApiClient.Response wrongPassword = MfaSteps.delete(api, "/v1/me/mfa/totp",
				ApiClient.map("password", "not my password"), a.token());
		ApiClient.Response wrongCode = MfaSteps.delete(api, "/v1/me/mfa/totp", ApiClient.map("code", "000000"),
				a.token());

		assertThat(none.code()).isEqualTo("validation_failed");
		assertThat(wrongPassword.status()).isEqualTo(403);
		assertThat(wrongPassword.code()).isEqualTo("wrong_password");
		assertThat(wrongCode.status()).isEqualTo(400);
		assertThat(wrongCode.code()).isEqualTo("wrong_mfa_code");
		assertThat(api.get("/v1/me/mfa", a.token()).json().get("totp_enabled").asBoolean()).isTrue();
	}

	@Test
	void removeTotpWhenCurrentCodeThenRemovedWithRecoveryCodesAndSignInNeedsNoSecondFactor() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);

		ApiClient.Response r = MfaSteps.delete(api, "/v1/me/mfa/totp",
				ApiClient.map("code", MfaSteps.code(enrolled.secret(), clock.instant())), a.token());

		assertThat(r.status()).as(r.toString()).isEqualTo(204);
		JsonNode status = api.get("/v1/me/mfa", a.token()).json();
		assertThat(status.get("totp_enabled").asBoolean()).isFalse();
		assertThat(status.get("recovery_codes_remaining").asInt()).isZero();
		assertThat(signIn(a.email(), PASSWORD).text("access_token")).isNotNull();
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.factor_removed");
	}

	@Test
	void removeTotpWhenPasswordThenRemoved() {
		Account a = account();
		enrolled(a);

		ApiClient.Response r = MfaSteps.delete(api, "/v1/me/mfa/totp", ApiClient.map("password", PASSWORD),
				a.token());

		assertThat(r.status()).isEqualTo(204);
		assertThat(api.get("/v1/me/mfa", a.token()).json().get("totp_enabled").asBoolean()).isFalse();
	}

	@Test
	void mfaEndpointsWhenNoAccessTokenThenUnauthenticated() {
		assertThat(api.get("/v1/me/mfa").code()).isEqualTo("unauthenticated");
		assertThat(api.post("/v1/me/mfa/totp", "").code()).isEqualTo("unauthenticated");
		assertThat(api.post("/v1/me/passkeys/options", "").code()).isEqualTo("unauthenticated");
	}

	@Test
	void recoveryCodesWhenGeneratedThenStoredOnlyAsHashes() {
		Account a = account();
		MfaSteps.Enrolled enrolled = enrolled(a);
		String userId = api.get("/v1/me", a.token()).text("id");

		List<String> stored = jdbc.sql("select code_hash from recovery_codes where user_id = :u").param("u", userId)
			.query(String.class).list();

		assertThat(stored).hasSize(10).allMatch(h -> h.matches("[0-9a-f]{64}"));
		assertThat(new HashSet<>(stored)).doesNotContainAnyElementsOf(enrolled.recoveryCodes());
	}
}
