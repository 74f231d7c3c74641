package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.MutableClock;
import dev.plinto.TestDatabases;
import dev.plinto.config.PlintoSettings;
import io.lettuce.core.RedisClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
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
		assertThat(awaitRevoked(nodeB, sessionId)).as("node B learns the revocation through Redis").isTrue();
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

		assertThat(awaitRevoked(nodeB, sessionId)).isFalse();
		nodeA.close();
	}

	private SessionRevocations node(RedisClient client) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("redis", client);
		return new SessionRevocations(emptyRepository(), clock, settings, beans.getBeanProvider(RedisClient.class));
	}

	private static boolean awaitRevoked(SessionRevocations node, String sessionId) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(2));
		while (Instant.now().isBefore(deadline)) {
			if (node.isRevoked(sessionId)) {
				return true;
			}
			Thread.sleep(20);
		}
		return false;
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
