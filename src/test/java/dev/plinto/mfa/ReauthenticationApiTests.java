package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Changes to how an account signs in need a recent sign-in (PLINTO_REAUTHENTICATION_WINDOW, 15 minutes by
 * default): an access token refreshed from an older session is refused with 403 reauthentication_required.
 */
class ReauthenticationApiTests extends ApiTestSupport {

	@Test
	void sensitiveChangesWhenSessionSignedInLongerAgoThanTheWindowThenRefusedUntilSignedInAgain() {
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);
		long authTime = ApiClient.claims(signedUp.text("access_token")).get("auth_time").asLong();
		assertThat(authTime).isEqualTo(clock.instant().getEpochSecond());

		// A refresh keeps the sign-in's time: it is when the password was given, not when the token was minted.
		clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", signedUp.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		String old = refreshed.text("access_token");
		assertThat(ApiClient.claims(old).get("auth_time").asLong()).isEqualTo(authTime);

		for (ApiClient.Response r : new ApiClient.Response[] { api.post("/v1/me/passkeys/options", "", old),
				api.post("/v1/me/passkeys", ApiClient.map("credential", ApiClient.map("id", "x"), "name", "Key"), old),
				api.delete("/v1/me/passkeys/pk_unknown", old), api.post("/v1/me/mfa/totp", "", old),
				api.post("/v1/me/mfa/recovery-codes", "", old) }) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("reauthentication_required");
			assertThat(r.text("detail")).contains("15m");
		}
		// Reading is not a change.
		assertThat(api.get("/v1/me/mfa", old).status()).isEqualTo(200);
		assertThat(api.get("/v1/me/passkeys", old).status()).isEqualTo(200);

		String fresh = signIn(email, PASSWORD).text("access_token");
		assertThat(api.post("/v1/me/passkeys/options", "", fresh).status()).isEqualTo(200);
		assertThat(api.post("/v1/me/mfa/totp", "", fresh).status()).isEqualTo(201);
		assertThat(api.delete("/v1/me/passkeys/pk_unknown", fresh).status()).isEqualTo(404);
	}

	@Test
	void sensitiveChangesWhenSignedInJustWithinTheWindowThenAllowed() {
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);
		clock.advance(Duration.ofMinutes(9));
		String token = api.post("/v1/token/refresh", ApiClient.map("refresh_token", signedUp.text("refresh_token")))
			.text("access_token");
		clock.advance(Duration.ofMinutes(6).minusSeconds(1));

		ApiClient.Response r = api.post("/v1/me/passkeys/options", "", token);

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
	}
}
