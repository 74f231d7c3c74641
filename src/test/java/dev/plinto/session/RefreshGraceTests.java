package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code PLINTO_REFRESH_REUSE_GRACE=30s}: a client that lost the response to its refresh may present the previous
 * refresh token again for 30 seconds without being treated as a thief; after that it is reuse.
 */
@TestPropertySource(properties = "PLINTO_REFRESH_REUSE_GRACE=30s")
class RefreshGraceTests extends ApiTestSupport {

	private static final Duration GRACE = Duration.ofSeconds(30);

	@Test
	void refreshWhenPreviousTokenReusedWithinGraceThenNewTokensAndSessionStaysLive() {
		ApiClient.Response first = signUp(newEmail());
		ApiClient.Response second = refresh(first.text("refresh_token"));
		assertThat(second.status()).isEqualTo(200);

		clock.advance(GRACE);
		ApiClient.Response retried = refresh(first.text("refresh_token"));

		assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
		assertThat(retried.text("session_id")).isEqualTo(first.text("session_id"));
		assertThat(retried.text("refresh_token")).isNotEqualTo(second.text("refresh_token"));
		assertThat(api.get("/v1/me", second.text("access_token")).status()).isEqualTo(200);
		assertThat(api.get("/v1/me", retried.text("access_token")).status()).isEqualTo(200);
		assertThat(refresh(retried.text("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshWhenPreviousTokenReusedAfterGraceThenReusedAndSessionRevoked() {
		ApiClient.Response first = signUp(newEmail());
		ApiClient.Response second = refresh(first.text("refresh_token"));
		assertThat(second.status()).isEqualTo(200);

		clock.advance(GRACE.plusMillis(1));
		ApiClient.Response reused = refresh(first.text("refresh_token"));

		assertThat(reused.status()).isEqualTo(401);
		assertThat(reused.code()).isEqualTo("refresh_token_reused");
		ApiClient.Response me = api.get("/v1/me", second.text("access_token"));
		assertThat(me.status()).isEqualTo(401);
		assertThat(me.code()).isEqualTo("invalid_token");
		ApiClient.Response newest = refresh(second.text("refresh_token"));
		assertThat(newest.status()).isEqualTo(401);
		assertThat(newest.code()).isEqualTo("invalid_refresh_token");
	}
}
