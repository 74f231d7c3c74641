package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code X-Forwarded-For} from a trusted proxy (here: loopback, where the tests connect from) decides the client IP
 * that rate limits, sessions and the audit log see. {@link UntrustedProxyApiTests} shows the same headers ignored
 * from an untrusted peer.
 */
@TestPropertySource(properties = { "PLINTO_TRUSTED_PROXIES=127.0.0.0/8, ::1", "PLINTO_RATE_LIMIT_SIGN_IN=2/1m" })
class TrustedProxiesApiTests extends ApiTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static ApiClient.Response post(ApiClient api, String path, Object body, String forwardedFor) {
		HttpRequest.Builder request = api.request(path, null).header("Content-Type", "application/json");
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		return api.send(request
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	/** The IP of every event in the user's security log. */
	static List<String> auditIps(ApiClient api, String accessToken) {
		ApiClient.Response events = api.get("/v1/me/security-events", accessToken);
		assertThat(events.status()).as(events.toString()).isEqualTo(200);
		List<String> ips = new ArrayList<>();
		for (JsonNode event : events.json().get("data")) {
			ips.add(event.get("ip").asString());
		}
		assertThat(ips).isNotEmpty();
		return ips;
	}

	@Test
	void signUpWhenForwardedForFromTrustedProxyThenAuditAndSessionSeeTheForwardedClient() {
		ApiClient.Response signUp = post(api, "/v1/sign-up",
				ApiClient.map("email", newEmail(), "password", PASSWORD), "198.51.100.23");
		assertThat(signUp.status()).as(signUp.toString()).isEqualTo(201);
		String token = signUp.text("access_token");
		assertThat(auditIps(api, token)).containsOnly("198.51.100.23");
		ApiClient.Response sessions = api.get("/v1/me/sessions", token);
		assertThat(sessions.raw()).contains("198.51.100.23");
	}

	@Test
	void signUpWhenClientPrependsItsOwnForwardedForThenTheAddressTheProxyAddedWins() {
		// nginx's $proxy_add_x_forwarded_for appends the real peer to whatever the client sent.
		ApiClient.Response signUp = post(api, "/v1/sign-up",
				ApiClient.map("email", newEmail(), "password", PASSWORD), "10.9.9.9, 198.51.100.24");
		assertThat(signUp.status()).as(signUp.toString()).isEqualTo(201);
		assertThat(auditIps(api, signUp.text("access_token"))).containsOnly("198.51.100.24");
	}

	@Test
	void signInWhenLimitReachedForOneForwardedClientThenOnlyThatClientIsLimited() {
		String email = newEmail();
		for (int i = 1; i <= 2; i++) {
			ApiClient.Response r = post(api, "/v1/sign-in", ApiClient.map("email", email, "password", "wrong"),
					"203.0.113.10");
			assertThat(r.status()).as("attempt " + i + ": " + r).isEqualTo(401);
		}
		ApiClient.Response limited = post(api, "/v1/sign-in", ApiClient.map("email", email, "password", "wrong"),
				"203.0.113.10");
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");

		ApiClient.Response other = post(api, "/v1/sign-in", ApiClient.map("email", email, "password", "wrong"),
				"203.0.113.11");
		assertThat(other.status()).as("another client behind the same proxy: " + other).isEqualTo(401);
	}
}
