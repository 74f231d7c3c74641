package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.Concurrently;
import dev.plinto.RedisProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The first requests a node answers after it starts with Redis: the connection was opened before the server took
 * requests, so concurrent first sign-ins are all answered by the rate limiter and the password check (401 for a
 * wrong password), none with 503 for a connection still being opened. The server (its own Spring context, with a
 * Redis of its own) has answered no request before this test.
 */
class RedisFirstRequestsTests extends ApiTestSupport {

	private static RedisProcess redis;

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_REDIS_URL", () -> {
			if (redis == null) {
				redis = RedisProcess.start();
			}
			return redis.url();
		});
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void signInWhenEightArriveTogetherRightAfterStartThenEveryOneIsAnswered401() throws Exception {
		List<Callable<ApiClient.Response>> signIns = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			signIns.add(() -> signIn(newEmail(), "not the password"));
		}
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<ApiClient.Response> answers;
		try {
			answers = Concurrently.call(pool, signIns);
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(answers).allSatisfy(r -> {
			assertThat(r.status()).as(r.toString()).isEqualTo(401);
			assertThat(r.code()).isEqualTo("invalid_credentials");
		});
	}
}
