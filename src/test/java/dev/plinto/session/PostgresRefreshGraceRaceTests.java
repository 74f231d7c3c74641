package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.Concurrently;
import dev.plinto.PostgresApiTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Concurrent refreshes with the same token on PostgreSQL with {@code PLINTO_REFRESH_REUSE_GRACE=30s} (e.g. a user's
 * tabs racing): one rotates, the others are retries within the grace and get tokens of the same, current
 * generation; nothing is revoked, and whichever of the answered tokens is kept continues the session.
 */
@TestPropertySource(properties = "PLINTO_REFRESH_REUSE_GRACE=30s")
class PostgresRefreshGraceRaceTests extends PostgresApiTestSupport {

	@Test
	void refreshWhenSameTokenConcurrentlyWithinGraceThenAllSucceedWithTheNextGenerationAndSessionLive()
			throws Exception {
		int threads = 8;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 10; round++) {
				ApiClient.Response session = signUp(newEmail());
				String sessionId = session.text("session_id");
				String token = session.text("refresh_token");
				List<Callable<ApiClient.Response>> calls = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					calls.add(() -> refresh(token));
				}

				List<ApiClient.Response> responses = Concurrently.call(pool, calls);

				String described = "round " + round + ": " + responses;
				assertThat(responses).as(described).allSatisfy(r -> {
					assertThat(r.status()).isEqualTo(200);
					assertThat(r.text("refresh_token")).startsWith(sessionId + ".2.");
				});
				ApiClient.Response kept = responses.get(round % threads);
				assertThat(api.get("/v1/me", kept.text("access_token")).status()).as(described).isEqualTo(200);
				ApiClient.Response next = refresh(kept.text("refresh_token"));
				assertThat(next.status()).as(described).isEqualTo(200);
				assertThat(next.text("refresh_token")).startsWith(sessionId + ".3.");
			}
		}
		finally {
			pool.shutdownNow();
		}
	}
}
