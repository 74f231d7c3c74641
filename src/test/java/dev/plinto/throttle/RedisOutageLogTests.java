package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiTestSupport;
import dev.plinto.RedisProcess;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Redis outage is said once in the log, however many requests it touches, and its end once (a server of its own,
 * with a Redis of its own that the test kills and starts again).
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageLogTests extends ApiTestSupport {

	/** SharedRedis's warning when Redis becomes unreachable. */
	private static final Pattern UNREACHABLE = Pattern.compile("Redis at 127\\.0\\.0\\.1:\\d+ is unreachable");

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
	void signInWhenRedisStaysDownThenOneWarningForTheWholeOutage(CapturedOutput output) {
		redis.stop();

		for (int i = 0; i < 3; i++) {
			assertThat(signIn(newEmail(), "not the password").status()).isEqualTo(401);
			api.get("/health/redis");
		}
		redis.startAgain();
		await("the node back on Redis").atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut().contains("answers again: rate limits are shared by every node"));

		Matcher warnings = UNREACHABLE.matcher(output.getOut());
		int count = 0;
		while (warnings.find()) {
			count++;
		}
		assertThat(count).as(output.getOut()).isEqualTo(1);
	}

}
