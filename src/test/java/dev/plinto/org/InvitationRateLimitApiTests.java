package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Invitation mails and acceptances are rate limited: the fourth within the period is refused with 429. */
@TestPropertySource(properties = { "PLINTO_RATE_LIMIT_INVITATIONS=3/1h", "PLINTO_RATE_LIMIT_INVITATION_ACCEPT=3/1h" })
class InvitationRateLimitApiTests extends ApiTestSupport {

	@Test
	void inviteWhenFourthMailWithinPeriodThenRateLimited() {
		String owner = signUp(newEmail()).text("access_token");
		String org = api.post("/v1/organizations", Map.of("name", "Acme"), owner).text("id");
		String path = "/v1/organizations/" + org + "/invitations";
		String first = api.post(path, Map.of("email", newEmail(), "role", "member"), owner).text("id");
		assertThat(api.post(path, Map.of("email", newEmail(), "role", "member"), owner).status()).isEqualTo(201);
		ApiClient.Response resent = api.post(path + "/" + first + "/resend", "", owner);
		assertThat(resent.status()).as("a resend sends a mail too: " + resent).isEqualTo(200);

		ApiClient.Response limited = api.post(path, Map.of("email", newEmail(), "role", "member"), owner);
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
	}

	@Test
	void acceptWhenFourthAttemptFromSameIpThenRateLimited() {
		Map<String, String> guess = Map.of("token", "Xq0kR2nq7mV0pNVtmPqxK1Oq3vYl4l0Qm2pFQmD5F1U", "password", PASSWORD);
		for (int i = 0; i < 3; i++) {
			assertThat(api.post("/v1/invitations/accept", guess).code()).isEqualTo("invalid_invitation");
		}
		ApiClient.Response limited = api.post("/v1/invitations/accept", guess);
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.header("Retry-After")).isNotNull();
	}
}
