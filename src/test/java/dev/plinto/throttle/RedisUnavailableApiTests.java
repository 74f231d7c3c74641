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
 * Redis is configured but nothing ever listens there, and the node runs on its fallbacks
 * ({@code PLINTO_REDIS_FAILURE=local}, the default): it starts, signs users up and in, stays ready, and says that
 * Redis is unreachable on {@code /health/redis}. {@link RedisUnavailableClosedApiTests} shows {@code closed}.
 */
@TestPropertySource(properties = "PLINTO_REDIS_URL=redis://127.0.0.1:1")
class RedisUnavailableApiTests extends ApiTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void healthWhenRedisUnreachableThenReadyAndRedisDegraded() {
		ApiClient.Response ready = api.get("/health/ready");
		assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
		assertThat(ready.text("status")).isEqualTo("UP");
		assertThat(ready.text("redis")).isEqualTo("degraded");

		ApiClient.Response redis = api.get("/health/redis");
		assertThat(redis.status()).as(redis.toString()).isEqualTo(503);
		assertThat(redis.text("status")).isEqualTo("DOWN");
		assertThat(redis.text("redis")).isEqualTo("degraded");
		assertThat(redis.header("Retry-After")).matches("[1-9][0-9]*");
	}

	@Test
	void signInWhenRedisUnreachableThenAnswered() {
		String email = newEmail();
		signUp(email);

		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
		ApiClient.Response wrong = signIn(email, "not the password");
		assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
		assertThat(wrong.code()).isEqualTo("invalid_credentials");
	}

	@Test
	void signUpWhenRedisUnreachableThenAccountCreated() {
		String email = newEmail();

		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Integer.class)
			.single()).isOne();
	}

	@Test
	void healthWhenRedisUnreachableThenLivenessUp() {
		for (String path : List.of("/health", "/health/db")) {
			assertThat(api.get(path).status()).as(path).isEqualTo(200);
		}
	}
}
