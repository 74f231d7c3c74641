package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Redis is configured but nothing listens there, with {@code PLINTO_REDIS_FAILURE=closed}: health reports the node
 * not ready, and rate-limited endpoints refuse with 503 {@code service_unavailable} and {@code Retry-After} instead
 * of limiting in the process.
 */
@TestPropertySource(properties = { "PLINTO_REDIS_URL=redis://127.0.0.1:1", "PLINTO_REDIS_FAILURE=closed" })
class RedisUnavailableClosedApiTests extends ApiTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void healthWhenRedisUnreachableThenRedisAndReadinessDown() {
		for (String path : List.of("/health/redis", "/health/ready")) {
			ApiClient.Response r = api.get(path);
			assertThat(r.status()).as(path + ": " + r).isEqualTo(503);
			assertThat(r.text("status")).isEqualTo("DOWN");
			assertThat(r.text("redis")).isEqualTo("down");
			assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
		}
		ApiClient.Response live = api.get("/health");
		assertThat(live.status()).as("liveness does not depend on Redis").isEqualTo(200);
	}

	@Test
	void signInWhenRedisUnreachableThenServiceUnavailableWithRetryAfter() {
		ApiClient.Response r = signIn(newEmail(), PASSWORD);

		assertThat(r.status()).as(r.toString()).isEqualTo(503);
		assertThat(r.code()).isEqualTo("service_unavailable");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
	}

	@Test
	void signUpWhenRedisUnreachableThenServiceUnavailableAndNoAccountCreated() {
		String email = newEmail();

		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));

		assertThat(r.status()).as(r.toString()).isEqualTo(503);
		assertThat(r.code()).isEqualTo("service_unavailable");
		assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Integer.class)
			.single()).isZero();
	}
}
