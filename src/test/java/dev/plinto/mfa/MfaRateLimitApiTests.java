package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The second-factor and passkey sign-in endpoints share the per-IP sign-in bucket (3 a minute here), so they cannot
 * be used to guess faster than the password endpoint. One test, because the bucket is shared by the whole class.
 */
@TestPropertySource(properties = "PLINTO_RATE_LIMIT_SIGN_IN=3/1m")
class MfaRateLimitApiTests extends ApiTestSupport {

	@Test
	void signInEndpointsWhenPerIpBucketExhaustedThenEveryMfaAndPasskeyStepRateLimited() {
		assertThat(api.post("/v1/sign-in/passkey/options", Map.of()).status()).isEqualTo(200);
		assertThat(api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", "mfa_unknown", "factor", "totp", "code",
				"123456")).code()).isEqualTo("invalid_mfa_token");
		assertThat(api.post("/v1/sign-in/passkey/options", Map.of()).status()).isEqualTo(200);

		ApiClient.Response mfa = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", "mfa_unknown", "factor",
				"totp", "code", "123456"));
		ApiClient.Response options = api.post("/v1/sign-in/passkey/options", Map.of());
		ApiClient.Response passkey = api.post("/v1/sign-in/passkey", ApiClient.map("credential", Map.of("id", "x")));
		ApiClient.Response password = signIn(newEmail(), PASSWORD);

		for (ApiClient.Response r : java.util.List.of(mfa, options, passkey, password)) {
			assertThat(r.status()).as(r.toString()).isEqualTo(429);
			assertThat(r.code()).isEqualTo("rate_limited");
			assertThat(r.header("Retry-After")).isNotNull();
		}
	}
}
