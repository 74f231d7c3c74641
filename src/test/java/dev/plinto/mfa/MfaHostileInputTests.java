package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed and hostile bodies on every MFA and passkey endpoint answer a documented 4xx problem, never a 500 — on
 * PostgreSQL, which refuses some strings H2 stores (NUL).
 */
class MfaHostileInputTests extends PostgresApiTestSupport {

	private static final List<String> SIGN_IN_PATHS = List.of("/v1/sign-in/mfa", "/v1/sign-in/passkey/options",
			"/v1/sign-in/passkey");

	private static final List<String> ME_PATHS = List.of("/v1/me/mfa/totp/confirm", "/v1/me/passkeys");

	private static final List<String> BODIES = List.of("{", "[]", "\"text\"", "{\"mfa_token\":7,\"factor\":[]}",
			"{\"mfa_token\":\"mfa_\\u0000\",\"factor\":\"totp\",\"code\":\"12\\u00003456\"}",
			"{\"mfa_token\":\"" + "m".repeat(5000) + "\",\"factor\":\"totp\",\"code\":\"123456\"}",
			"{\"credential\":\"not an object\"}", "{\"credential\":{\"id\":\"\\u0000\",\"response\":7}}",
			"{\"credential\":" + "{\"a\":".repeat(1200) + "1" + "}".repeat(1200) + "}",
			"{\"code\":\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\"}",
			"{\"credential\":{\"id\":\"x\",\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"@@@\","
					+ "\"attestationObject\":\"@@@\",\"authenticatorData\":\"@@@\",\"signature\":\"@@@\"}},"
					+ "\"name\":\"a\\u0000b\"}");

	@Test
	void mfaEndpointsWhenHostileBodiesThenProblemsNeverServerErrors() {
		String token = signUp(newEmail()).text("access_token");
		for (String path : SIGN_IN_PATHS) {
			for (String body : BODIES) {
				assertClientError(api.post(path, body), path, body);
			}
		}
		for (String path : ME_PATHS) {
			for (String body : BODIES) {
				assertClientError(api.post(path, body, token), path, body);
			}
		}
		for (String body : BODIES) {
			assertClientError(MfaSteps.delete(api, "/v1/me/mfa/totp", body, token), "DELETE totp", body);
			assertClientError(api.send(api.request("/v1/me/passkeys/pky_unknown", token)
				.header("Content-Type", "application/json")
				.method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body))
				.build()), "PATCH passkey", body);
		}
		assertClientError(api.patch("/v1/me/passkeys/pky_x", java.util.Map.of("name", "a\u0000b"), token),
				"PATCH passkey", "NUL name");
	}

	/** A 4xx problem with a code; the passkey options endpoint may also ignore fields it does not know (200). */
	private static void assertClientError(ApiClient.Response r, String path, String body) {
		String shown = body.length() > 80 ? body.substring(0, 80) + "…" : body;
		if (path.endsWith("/options") && r.status() == 200) {
			assertThat(r.text("challenge")).as(path + " " + shown).isNotNull();
			return;
		}
		assertThat(r.status()).as(path + " " + shown + " → " + r).isBetween(400, 499);
		assertThat(r.code()).as(path + " " + shown).isNotNull();
	}
}
