package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis as an accelerator ({@code PLINTO_REDIS_FAILURE=local}, the default): a Redis of the test's own is killed and
 * started again under a running server. Meanwhile sign-in keeps working on in-process buckets of the same rate, the
 * node stays ready, {@code /health/redis} and the metrics say degraded, and once Redis is back
 * the node returns to the shared buckets within about two seconds. Each test signs in from its own client address
 * (through {@code X-Forwarded-For} from loopback, a trusted proxy here) so the per-IP limit of one does not touch
 * another.
 */
@TestPropertySource(properties = { "PLINTO_TRUSTED_PROXIES=127.0.0.0/8, ::1", "PLINTO_RATE_LIMIT_SIGN_IN=3/1m" })
class RedisOutageApiTests extends ApiTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

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

	@BeforeEach
	void redisRunningAndConnected() {
		if (!redis.running()) {
			redis.startAgain();
		}
		await("the node back on Redis").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> api.get("/health/redis").status() == 200);
	}

	@Test
	void signInWhenRedisStoppedThenAnsweredOnInProcessBucketsOfTheSameRate() {
		String ip = "198.51.100.1";
		redis.stop();

		for (int i = 1; i <= 3; i++) {
			ApiClient.Response r = signIn(ip, newEmail(), "not the password");
			assertThat(r.status()).as("attempt " + i + ": " + r).isEqualTo(401);
			assertThat(r.code()).isEqualTo("invalid_credentials");
		}
		ApiClient.Response limited = signIn(ip, newEmail(), "not the password");

		assertThat(limited.status()).as("the fourth within a minute, limited by this node: " + limited)
			.isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
	}

	@Test
	void signUpWhenRedisStoppedThenAccountCreated() {
		redis.stop();

		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password", PASSWORD));

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		assertThat(api.get("/v1/me", r.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void healthWhenRedisStoppedThenReadyAndRedisDegraded() {
		redis.stop();
		signIn("198.51.100.2", newEmail(), "not the password");

		ApiClient.Response ready = api.get("/health/ready");
		assertThat(ready.status()).as("a Redis outage takes no node out of the load balancer: " + ready)
			.isEqualTo(200);
		assertThat(ready.text("status")).isEqualTo("UP");
		assertThat(ready.text("redis")).isEqualTo("degraded");

		ApiClient.Response check = api.get("/health/redis");
		assertThat(check.status()).as(check.toString()).isEqualTo(503);
		assertThat(check.text("status")).isEqualTo("DOWN");
		assertThat(check.text("redis")).isEqualTo("degraded");

		String metrics = api.get("/metrics").raw();
		assertThat(metrics).containsPattern("(?m)^plinto_redis_degraded(\\{[^}]*})? 1(\\.0)?$")
			.containsPattern("(?m)^plinto_redis_fallbacks_total(\\{[^}]*})? [1-9]")
			.containsPattern("(?m)^plinto_health_ready(\\{[^}]*})? 1(\\.0)?$");
	}

	@Test
	void signInWhenRedisComesBackThenSharedBucketsAgainWithinTwoSeconds() {
		String ip = "198.51.100.4";
		redis.stop();
		assertThat(signIn(ip, newEmail(), "not the password").status()).isEqualTo(401);

		redis.startAgain();
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisConnection<String, String> admin = client.connect()) {
			// Sign-ins keep coming; one of them lands in the restarted (empty) Redis within two seconds, plus the
			// slack of a loaded test machine.
			await("a sign-in counted in Redis").atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> {
					signIn(ip, newEmail(), "not the password");
					return !admin.sync().keys("plinto:rl:sign_in:3/1m:" + ip).isEmpty();
				});
		}
		finally {
			client.shutdown();
		}
		ApiClient.Response ready = api.get("/health/ready");
		assertThat(ready.text("redis")).isEqualTo("up");
	}

	private ApiClient.Response signIn(String forwardedFor, String email, String password) {
		HttpRequest.Builder request = api.request("/v1/sign-in", null)
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", forwardedFor);
		return api.send(request
			.POST(HttpRequest.BodyPublishers.ofString(
					JSON.writeValueAsString(ApiClient.map("email", email, "password", password))))
			.build());
	}
}
