package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.MutableClock;
import dev.plinto.TestDatabases;
import dev.plinto.config.PlintoSettings;
import io.lettuce.core.RedisClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Revocation fan-out between two nodes through Redis pub/sub. The nodes' database poll sees nothing here (a stub
 * repository), so a revocation can only reach the other node through Redis.
 */
class SessionRevocationsTests {

	private final MutableClock clock = new MutableClock();

	private final PlintoSettings settings = PlintoSettings.parse(Map.<String, String>of()::get);

	private RedisClient clientA;

	private RedisClient clientB;

	@BeforeEach
	void connect() {
		String url = TestDatabases.redisUrl();
		clientA = RedisClient.create(url);
		clientB = RedisClient.create(url);
	}

	@AfterEach
	void close() {
		// Null when connect() skipped the test because no Redis is configured (the README's plain test command).
		if (clientA != null) {
			clientA.shutdown();
		}
		if (clientB != null) {
			clientB.shutdown();
		}
	}

	@Test
	void markRevokedWhenBothNodesConnectedThenOtherNodeRefusesAtOnce() throws InterruptedException {
		SessionRevocations nodeA = node(clientA);
		SessionRevocations nodeB = node(clientB);
		nodeA.connect();
		nodeB.connect();
		String sessionId = "ses_fanout" + System.nanoTime();

		nodeA.markRevoked(sessionId);

		assertThat(nodeA.isRevoked(sessionId)).isTrue();
		await("node B learns the revocation through Redis").atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> nodeB.isRevoked(sessionId));
		nodeA.close();
		nodeB.close();
	}

	@Test
	void markRevokedWhenOtherNodeNotSubscribedThenItLearnsNothingWithoutThePoll() throws InterruptedException {
		SessionRevocations nodeA = node(clientA);
		SessionRevocations nodeB = node(clientB);
		nodeA.connect();
		String sessionId = "ses_nofanout" + System.nanoTime();

		nodeA.markRevoked(sessionId);

		await("node B never learns the revocation").during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !nodeB.isRevoked(sessionId));
		nodeA.close();
	}

	private SessionRevocations node(RedisClient client) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("redis", client);
		return new SessionRevocations(emptyRepository(), clock, settings, beans.getBeanProvider(RedisClient.class));
	}

	/** A repository whose database knows of no revocations. */
	private static SessionRepository emptyRepository() {
		return (SessionRepository) Proxy.newProxyInstance(SessionRepository.class.getClassLoader(),
				new Class<?>[] { SessionRepository.class }, (proxy, method, args) -> {
					if (method.getName().equals("findRevokedSince")) {
						return List.of();
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}
}
