package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestDatabases;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.SharedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Per-IP limits kept in Redis (database 11 of {@code PLINTO_TEST_REDIS_URL}, flushed before each test and at the
 * end): the buckets live in Redis, a second node with its own connection shares the same counts, and a node started
 * with a changed rate applies it to a client that already has a bucket.
 */
@TestPropertySource(properties = { "PLINTO_RATE_LIMIT_SIGN_IN=3/1m", "PLINTO_RATE_LIMIT_SIGN_UP=3/1m" })
class RedisRateLimitTests extends ApiTestSupport {

	private static final int DATABASE = 11;

	private static String redisUrl;

	private static RedisClient admin;

	private static StatefulRedisConnection<String, String> connection;

	@Autowired
	private PlintoSettings settings;

	@BeforeAll
	static void connect() {
		redisUrl = withDatabase(TestDatabases.redisUrl(), DATABASE);
		admin = RedisClient.create(redisUrl);
		connection = admin.connect();
		connection.sync().flushdb();
	}

	@AfterAll
	static void cleanUp() {
		if (admin != null) {
			connection.sync().flushdb();
			connection.close();
			admin.shutdown();
		}
	}

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_REDIS_URL", () -> redisUrl);
	}

	@BeforeEach
	void flush() {
		connection.sync().flushdb();
	}

	@Test
	void signInWhenLimitReachedThenRateLimitedAndTheBucketIsInRedis() {
		for (int i = 1; i <= 3; i++) {
			assertThat(signIn(newEmail(), "not my password").status()).as("attempt " + i).isEqualTo(401);
		}

		ApiClient.Response limited = signIn(newEmail(), "not my password");

		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(limited.header("Retry-After")).matches("[1-9][0-9]*");
		assertThat(connection.sync().keys("plinto:rl:*")).singleElement().asString().startsWith("plinto:rl:sign_in:");
	}

	@Test
	void rateLimiterWhenSecondNodeConsumesThenBothNodesShareTheCount() {
		assertThat(api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password", PASSWORD)).status())
			.isEqualTo(201);
		List<String> keys = connection.sync().keys("plinto:rl:sign_up:*");
		assertThat(keys).hasSize(1);
		String ip = keys.get(0).substring("plinto:rl:sign_up:3/1m:".length());

		RedisClient otherClient = RedisClient.create(redisUrl);
		try (SharedRedis otherConnection = sharedRedis(settings, otherClient)) {
			RateLimiter secondNode = new RateLimiter(LiveSettings.fixed(settings), otherConnection);
			assertThat(secondNode.backend()).isEqualTo("Redis");

			assertThat(secondNode.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("token 2 of 3").isEmpty();
			assertThat(secondNode.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("token 3 of 3").isEmpty();
			assertThat(secondNode.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("the first node's sign-up counted")
				.isPresent();
		}
		finally {
			otherClient.shutdown();
		}

		ApiClient.Response limited = api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password",
				PASSWORD));
		assertThat(limited.status()).as("the second node's requests counted: " + limited).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
	}

	@Test
	void tryConsumeWhenLimitTightenedThenTheClientsBucketFollowsTheNewRate() {
		String ip = "192.0.2.10";
		RedisClient client = RedisClient.create(redisUrl);
		try (SharedRedis before = sharedRedis(signUpRate("1000/1h"), client)) {
			RateLimiter generous = new RateLimiter(LiveSettings.fixed(signUpRate("1000/1h")), before);
			for (int i = 1; i <= 5; i++) {
				assertThat(generous.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("sign-up " + i + " of 1000").isEmpty();
			}
		}
		try (SharedRedis after = sharedRedis(signUpRate("2/1h"), client)) {
			RateLimiter tightened = new RateLimiter(LiveSettings.fixed(signUpRate("2/1h")), after);

			assertThat(tightened.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("sign-up 1 of 2").isEmpty();
			assertThat(tightened.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("sign-up 2 of 2").isEmpty();
			assertThat(tightened.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("the third under 2/1h").isPresent();
		}
		finally {
			client.shutdown();
		}
		assertThat(connection.sync().keys("plinto:rl:sign_up:*")).as("one bucket per rate, in Redis")
			.containsExactlyInAnyOrder("plinto:rl:sign_up:1000/1h:" + ip, "plinto:rl:sign_up:2/1h:" + ip);
	}

	@Test
	void tryConsumeWhenLimitLoosenedThenABlockedClientIsLetThrough() {
		String ip = "192.0.2.11";
		RedisClient client = RedisClient.create(redisUrl);
		try (SharedRedis before = sharedRedis(signUpRate("1/1h"), client)) {
			RateLimiter strict = new RateLimiter(LiveSettings.fixed(signUpRate("1/1h")), before);
			assertThat(strict.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).isEmpty();
			assertThat(strict.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("blocked under 1/1h").isPresent();
		}
		try (SharedRedis after = sharedRedis(signUpRate("100/1h"), client)) {
			RateLimiter loosened = new RateLimiter(LiveSettings.fixed(signUpRate("100/1h")), after);

			assertThat(loosened.tryConsume(RateLimiter.Limit.SIGN_UP, ip)).as("let through under 100/1h").isEmpty();
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void healthWhenRedisReachableThenUp() {
		ApiClient.Response redis = api.get("/health/redis");
		assertThat(redis.status()).isEqualTo(200);
		assertThat(redis.json().size()).isEqualTo(2);
		assertThat(redis.text("status")).isEqualTo("UP");
		assertThat(redis.text("redis")).isEqualTo("up");

		ApiClient.Response ready = api.get("/health/ready");
		assertThat(ready.status()).isEqualTo(200);
		assertThat(ready.text("redis")).isEqualTo("up");
	}

	private static PlintoSettings signUpRate(String rate) {
		return PlintoSettings.parse(Map.of("PLINTO_REDIS_URL", redisUrl, "PLINTO_RATE_LIMIT_SIGN_UP", rate)::get);
	}

	/** Another node's connection to the same Redis. */
	private static SharedRedis sharedRedis(PlintoSettings settings, RedisClient client) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("redisClient", client);
		return new SharedRedis(settings, beans.getBeanProvider(RedisClient.class), new SimpleMeterRegistry());
	}

	private static String withDatabase(String url, int database) {
		try {
			URI uri = new URI(url);
			return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), uri.getPort(), "/" + database, null,
					null).toString();
		}
		catch (URISyntaxException e) {
			throw new IllegalArgumentException("PLINTO_TEST_REDIS_URL is not a URL", e);
		}
	}
}
