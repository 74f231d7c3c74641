package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.web.ClientInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The Backend API's rate limit counts per API key (PLINTO_RATE_LIMIT_ADMIN_API), not per client address. */
@TestPropertySource(properties = "PLINTO_RATE_LIMIT_ADMIN_API=3/1h")
class AdminRateLimitTests extends ApiTestSupport {

	@Autowired
	private ApiKeys apiKeys;

	@Test
	void requestsWhenOneKeyExceedsItsLimitThenThatKeyGets429AndAnotherKeyIsServed() {
		String first = apiKeys.create("busy", List.of("users:read"), null, "test", ClientInfo.none()).secret();
		String second = apiKeys.create("quiet", List.of("users:read"), null, "test", ClientInfo.none()).secret();
		for (int i = 0; i < 3; i++) {
			assertThat(api.get("/v1/admin/users", first).status()).isEqualTo(200);
		}
		ApiClient.Response limited = api.get("/v1/admin/users", first);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(limited.header("Retry-After"))).isGreaterThan(60);
		// Refused scopes count too: the limit is on the key, before its scopes are checked.
		assertThat(api.get("/v1/admin/users/usr_x/security-events", first).status()).isEqualTo(429);

		assertThat(api.get("/v1/admin/users", second).status()).isEqualTo(200);
	}
}
