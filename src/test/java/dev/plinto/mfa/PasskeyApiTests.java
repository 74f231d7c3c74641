package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Passkey registration and sign-in ceremonies with a software authenticator, through the real server on H2 (RP id
 * {@code localhost}, origin {@code http://localhost:8080}, both derived from the default issuer), including each
 * refusal: wrong origin, wrong RP id, replayed or expired challenge, unknown credential, counter going backwards.
 */
class PasskeyApiTests extends ApiTestSupport {

	static final String ORIGIN = "http://localhost:8080";

	private JsonNode creationOptions(String token) {
		ApiClient.Response r = api.post("/v1/me/passkeys/options", "", token);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.json();
	}

	private ApiClient.Response register(String token, Map<String, Object> credential) {
		return api.post("/v1/me/passkeys", ApiClient.map("credential", credential, "name", "Laptop"), token);
	}

	/** Registers a new software passkey for the account. */
	private SoftwareAuthenticator passkey(Account a) {
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);
		ApiClient.Response r = register(a.token(), authenticator.create(creationOptions(a.token())));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return authenticator;
	}

	private JsonNode requestOptions() {
		ApiClient.Response r = api.post("/v1/sign-in/passkey/options", Map.of());
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.json();
	}

	private ApiClient.Response passkeySignIn(Map<String, Object> assertion) {
		return api.post("/v1/sign-in/passkey", ApiClient.map("credential", assertion));
	}

	@Test
	void registrationOptionsWhenSignedInThenWebAuthnJsonWithStoredChallenge() {
		Account a = account();
		String userId = api.get("/v1/me", a.token()).text("id");

		JsonNode options = creationOptions(a.token());

		assertThat(options.get("rp").get("id").asString()).isEqualTo("localhost");
		assertThat(options.get("rp").get("name").asString()).isEqualTo("Plinto");
		assertThat(new String(Base64.getUrlDecoder().decode(options.get("user").get("id").asString()),
				StandardCharsets.UTF_8)).isEqualTo(userId);
		assertThat(options.get("user").get("name").asString()).isEqualTo(a.email());
		assertThat(options.get("user").get("displayName").asString()).isEqualTo(a.email());
		assertThat(Base64.getUrlDecoder().decode(options.get("challenge").asString())).hasSize(32);
		assertThat(options.get("pubKeyCredParams").get(0).get("alg").asLong()).isEqualTo(-7);
		assertThat(options.get("authenticatorSelection").get("residentKey").asString()).isEqualTo("required");
		assertThat(options.get("authenticatorSelection").get("userVerification").asString()).isEqualTo("required");
		assertThat(options.get("attestation").asString()).isEqualTo("none");
		assertThat(options.get("timeout").asLong()).isEqualTo(300_000);
	}

	@Test
	void registerWhenSoftwareAuthenticatorThenStoredListedAndAudited() {
		Account a = account();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);

		ApiClient.Response r = register(a.token(), authenticator.create(creationOptions(a.token())));

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		assertThat(r.text("id")).startsWith("pky_");
		assertThat(r.text("name")).isEqualTo("Laptop");
		assertThat(r.text("credential_id")).isEqualTo(authenticator.credentialId());
		assertThat(MfaSteps.strings(r.json().get("transports"))).containsExactly("internal");
		JsonNode list = api.get("/v1/me/passkeys", a.token()).json().get("data");
		assertThat(list).hasSize(1);
		assertThat(list.get(0).get("id").asString()).isEqualTo(r.text("id"));
		JsonNode status = api.get("/v1/me/mfa", a.token()).json();
		assertThat(status.get("passkeys").asInt()).isEqualTo(1);
		assertThat(MfaSteps.strings(status.get("factors"))).containsExactly("passkey");
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("passkey.added");
		JsonNode exclude = creationOptions(a.token()).get("excludeCredentials");
		assertThat(exclude.get(0).get("id").asString()).isEqualTo(authenticator.credentialId());
	}

	@Test
	void registerWhenChallengeUsedTwiceThenSecondRefused() {
		Account a = account();
		JsonNode options = creationOptions(a.token());
		assertThat(register(a.token(), new SoftwareAuthenticator(ORIGIN).create(options)).status()).isEqualTo(201);

		ApiClient.Response replay = register(a.token(), new SoftwareAuthenticator(ORIGIN).create(options));

		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.code()).isEqualTo("webauthn_challenge_invalid");
	}

	@Test
	void registerWhenChallengeExpiredThenRefused() {
		Account a = account();
		JsonNode options = creationOptions(a.token());
		clock.advance(Duration.ofMinutes(5).plusSeconds(1));

		assertThat(register(a.token(), new SoftwareAuthenticator(ORIGIN).create(options)).code())
			.isEqualTo("webauthn_challenge_invalid");
	}

	@Test
	void registerWhenOptionsWereIssuedToAnotherUserThenRefused() {
		Account a = account();
		Account b = account();

		ApiClient.Response r = register(b.token(), new SoftwareAuthenticator(ORIGIN).create(creationOptions(a.token())));

		assertThat(r.code()).isEqualTo("webauthn_challenge_invalid");
	}

	@Test
	void registerWhenWrongOriginThenOriginMismatch() {
		Account a = account();
		SoftwareAuthenticator evil = new SoftwareAuthenticator("https://evil.example");

		ApiClient.Response r = register(a.token(), evil.create(creationOptions(a.token())));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("webauthn_origin_mismatch");
		assertThat(api.get("/v1/me/passkeys", a.token()).json().get("data")).isEmpty();
	}

	@Test
	void registerWhenWrongRpIdThenRpIdMismatch() {
		Account a = account();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);
		authenticator.rpIdOverride = "evil.example";

		ApiClient.Response r = register(a.token(), authenticator.create(creationOptions(a.token())));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("webauthn_rp_id_mismatch");
	}

	@Test
	void registerWhenSameCredentialTwiceThenAlreadyRegistered() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);

		ApiClient.Response r = register(a.token(), authenticator.create(creationOptions(a.token())));

		assertThat(r.status()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("passkey_already_registered");
	}

	@Test
	void registerWhenCredentialIsNotWebAuthnJsonThenVerificationFailed() {
		Account a = account();
		creationOptions(a.token());

		ApiClient.Response r = register(a.token(), Map.of("id", "abc", "type", "public-key", "response",
				Map.of("clientDataJSON", "bm90IGpzb24", "attestationObject", "AAAA")));

		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("webauthn_verification_failed");
	}

	@Test
	void signInWithPasskeyWhenDiscoverableThenTokensWithHwkAndNoPassword() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		JsonNode options = requestOptions();
		assertThat(options.get("allowCredentials")).isEmpty();
		assertThat(options.get("rpId").asString()).isEqualTo("localhost");
		assertThat(options.get("userVerification").asString()).isEqualTo("required");

		ApiClient.Response r = passkeySignIn(authenticator.get(options));

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.json().get("user").get("email").asString()).isEqualTo(a.email());
		assertThat(MfaSteps.strings(ApiClient.claims(r.text("access_token")).get("amr"))).containsExactly("hwk");
		JsonNode stored = api.get("/v1/me/passkeys", r.text("access_token")).json().get("data").get(0);
		assertThat(stored.get("sign_count").asLong()).isEqualTo(1);
		assertThat(stored.get("last_used_at").isNull()).isFalse();
		assertThat(MfaSteps.eventTypes(api, r.text("access_token"))).contains("passkey.used", "sign_in.succeeded");
	}

	@Test
	void signInWithPasskeyWhenSyncedPasskeyThenAcceptedWithSwk() {
		Account a = account();
		SoftwareAuthenticator synced = new SoftwareAuthenticator(ORIGIN);
		synced.synced = true;
		assertThat(register(a.token(), synced.create(creationOptions(a.token()))).status()).isEqualTo(201);

		ApiClient.Response r = passkeySignIn(synced.get(requestOptions()));

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(r.text("access_token")).get("amr"))).containsExactly("swk");
	}

	@Test
	void signInWithPasskeyWhenChallengeReplayedThenRefused() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		JsonNode options = requestOptions();
		assertThat(passkeySignIn(authenticator.get(options)).status()).isEqualTo(200);

		ApiClient.Response replay = passkeySignIn(authenticator.get(options));

		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.code()).isEqualTo("webauthn_challenge_invalid");
	}

	@Test
	void signInWithPasskeyWhenChallengeNeverIssuedThenRefused() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);

		ApiClient.Response r = passkeySignIn(authenticator.get(tools.jackson.databind.json.JsonMapper.builder().build()
			.readTree("{\"challenge\":\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])
					+ "\",\"rpId\":\"localhost\"}")));

		assertThat(r.code()).isEqualTo("webauthn_challenge_invalid");
	}

	@Test
	void signInWithPasskeyWhenWrongOriginThenOriginMismatch() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		authenticator.origin = "https://evil.example";

		ApiClient.Response r = passkeySignIn(authenticator.get(requestOptions()));

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("webauthn_origin_mismatch");
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("sign_in.failed");
	}

	@Test
	void signInWithPasskeyWhenWrongRpIdThenRpIdMismatch() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		authenticator.rpIdOverride = "evil.example";

		ApiClient.Response r = passkeySignIn(authenticator.get(requestOptions()));

		assertThat(r.code()).isEqualTo("webauthn_rp_id_mismatch");
	}

	@Test
	void signInWithPasskeyWhenCredentialUnknownThenPasskeyUnknown() {
		ApiClient.Response r = passkeySignIn(new SoftwareAuthenticator(ORIGIN).get(requestOptions()));

		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("passkey_unknown");
	}

	@Test
	void signInWithPasskeyWhenSignCountGoesBackwardsThenRefused() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		assertThat(passkeySignIn(authenticator.get(requestOptions())).status()).isEqualTo(200);
		assertThat(passkeySignIn(authenticator.get(requestOptions())).status()).isEqualTo(200);
		authenticator.counter(0); // a clone that starts from an older counter

		ApiClient.Response r = passkeySignIn(authenticator.get(requestOptions()));

		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("passkey_sign_count_regressed");
	}

	@Test
	void signInWithPasskeyWhenAccountLockedThenRateLimited() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		for (int i = 0; i < 10; i++) {
			signIn(a.email(), "not my password");
		}

		ApiClient.Response r = passkeySignIn(authenticator.get(requestOptions()));

		assertThat(r.status()).isEqualTo(429);
		assertThat(r.code()).isEqualTo("rate_limited");
	}

	@Test
	void secondFactorWhenPasskeyThenTokensWithPwdHwkMfa() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		ApiClient.Response first = signIn(a.email(), PASSWORD);
		assertThat(first.text("status")).isEqualTo("mfa_required");
		assertThat(MfaSteps.strings(first.json().get("factors"))).containsExactly("passkey");
		JsonNode options = api.post("/v1/sign-in/passkey/options", Map.of("mfa_token", first.text("mfa_token")))
			.json();
		assertThat(options.get("allowCredentials").get(0).get("id").asString())
			.isEqualTo(authenticator.credentialId());

		ApiClient.Response r = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", first.text("mfa_token"),
				"factor", "passkey", "credential", authenticator.get(options)));

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(MfaSteps.strings(ApiClient.claims(r.text("access_token")).get("amr")))
			.containsExactly("pwd", "hwk", "mfa");
		assertThat(MfaSteps.eventTypes(api, r.text("access_token"))).contains("mfa.succeeded", "passkey.used");
	}

	@Test
	void secondFactorWhenAssertionAnswersAPasswordlessChallengeThenRefused() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		String mfaToken = signIn(a.email(), PASSWORD).text("mfa_token");

		ApiClient.Response r = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", mfaToken, "factor", "passkey",
				"credential", authenticator.get(requestOptions())));

		assertThat(r.code()).isEqualTo("webauthn_challenge_invalid");
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("mfa.failed");
	}

	@Test
	void renameAndDeleteWhenOwnPasskeyThenChangedRemovedAndAudited() {
		Account a = account();
		SoftwareAuthenticator authenticator = passkey(a);
		String id = api.get("/v1/me/passkeys", a.token()).json().get("data").get(0).get("id").asString();

		ApiClient.Response renamed = api.patch("/v1/me/passkeys/" + id, Map.of("name", "Phone"), a.token());
		ApiClient.Response deleted = api.delete("/v1/me/passkeys/" + id, a.token());

		assertThat(renamed.text("name")).isEqualTo("Phone");
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(api.get("/v1/me/passkeys", a.token()).json().get("data")).isEmpty();
		assertThat(MfaSteps.eventTypes(api, a.token())).contains("passkey.removed");
		assertThat(signIn(a.email(), PASSWORD).text("access_token")).as("no second factor left").isNotNull();
		assertThat(passkeySignIn(authenticator.get(requestOptions())).code()).isEqualTo("passkey_unknown");
	}

	@Test
	void renameWhenNameAbsentNullOrUnknownFieldThenValidationFailedAndNameKept() {
		Account a = account();
		passkey(a);
		String id = api.get("/v1/me/passkeys", a.token()).json().get("data").get(0).get("id").asString();

		ApiClient.Response absent = api.patch("/v1/me/passkeys/" + id, Map.of(), a.token());
		ApiClient.Response nul = api.patch("/v1/me/passkeys/" + id, ApiClient.map("name", null), a.token());
		ApiClient.Response unknown = api.patch("/v1/me/passkeys/" + id, Map.of("name", "Phone", "sign_count", 0),
				a.token());

		for (ApiClient.Response r : List.of(absent, nul)) {
			assertThat(r.status()).as("name is what this PATCH changes: " + r).isEqualTo(400);
			assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
		}
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
		assertThat(unknown.code()).isEqualTo("validation_failed");
		assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("sign_count");
		assertThat(api.get("/v1/me/passkeys", a.token()).json().get("data").get(0).get("name").asString())
			.isEqualTo("Laptop");
	}

	@Test
	void renameAndDeleteWhenAnotherUsersPasskeyThenNotFound() {
		Account a = account();
		passkey(a);
		String id = api.get("/v1/me/passkeys", a.token()).json().get("data").get(0).get("id").asString();
		Account b = account();

		assertThat(api.patch("/v1/me/passkeys/" + id, Map.of("name", "Mine"), b.token()).code())
			.isEqualTo("not_found");
		assertThat(api.delete("/v1/me/passkeys/" + id, b.token()).code()).isEqualTo("not_found");
		assertThat(api.get("/v1/me/passkeys", a.token()).json().get("data")).hasSize(1);
	}

	@Test
	void openApiWhenServedThenDescribesTheMfaAndPasskeyEndpoints() {
		ApiClient.Response r = api.get("/openapi.json");

		JsonNode paths = r.json().get("paths");
		for (String path : List.of("/v1/sign-in/mfa", "/v1/sign-in/passkey/options", "/v1/sign-in/passkey",
				"/v1/me/mfa", "/v1/me/mfa/totp", "/v1/me/mfa/totp/confirm", "/v1/me/mfa/recovery-codes",
				"/v1/me/passkeys", "/v1/me/passkeys/options", "/v1/me/passkeys/{id}")) {
			assertThat(paths.has(path)).as(path).isTrue();
		}
		assertThat(r.raw()).contains("pubKeyCredParams", "allowCredentials", "passkey_sign_count_regressed",
				"mfa_required");
	}
}
