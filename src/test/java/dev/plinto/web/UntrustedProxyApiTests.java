package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A client that talks to Plinto directly cannot choose its IP with {@code X-Forwarded-For}: the peer (loopback) is
 * not in {@code PLINTO_TRUSTED_PROXIES}, so the header is ignored by rate limits and the audit log.
 */
@TestPropertySource(properties = { "PLINTO_TRUSTED_PROXIES=192.0.2.0/24", "PLINTO_RATE_LIMIT_SIGN_IN=2/1m" })
class UntrustedProxyApiTests extends ApiTestSupport {

	@Test
	void signUpWhenForwardedForFromUntrustedPeerThenAuditSeesThePeer() throws Exception {
		ApiClient.Response signUp = TrustedProxiesApiTests.post(api, "/v1/sign-up",
				ApiClient.map("email", newEmail(), "password", PASSWORD), "198.51.100.25");
		assertThat(signUp.status()).as(signUp.toString()).isEqualTo(201);
		List<String> ips = TrustedProxiesApiTests.auditIps(api, signUp.text("access_token"));
		assertThat(ips).doesNotContain("198.51.100.25");
		for (String ip : ips) {
			assertThat(InetAddress.getByName(ip).isLoopbackAddress()).as(ip).isTrue();
		}
	}

	@Test
	void signInWhenSpoofingADifferentForwardedForEachTimeThenStillOneBucket() {
		String email = newEmail();
		for (int i = 1; i <= 2; i++) {
			ApiClient.Response r = TrustedProxiesApiTests.post(api, "/v1/sign-in", ApiClient.map("email", email, "password", "wrong"),
					"203.0.113." + i);
			assertThat(r.status()).as("attempt " + i + ": " + r).isEqualTo(401);
		}
		ApiClient.Response limited = TrustedProxiesApiTests.post(api, "/v1/sign-in", ApiClient.map("email", email, "password", "wrong"),
				"203.0.113.99");
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
	}
}
