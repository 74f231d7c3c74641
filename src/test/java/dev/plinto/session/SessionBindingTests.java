package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.MutableClock;
import dev.plinto.config.PlintoSettings;
import io.lettuce.core.RedisClient;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** An access token's session must exist, belong to the token's subject and not have ended. */
class SessionBindingTests {

	private final MutableClock clock = new MutableClock();

	private final PlintoSettings settings = PlintoSettings.parse(Map.<String, String>of()::get);

	private final Map<String, Session> stored = new HashMap<>();

	private final AtomicInteger lookups = new AtomicInteger();

	private final SessionRevocations revocations = new SessionRevocations(repository(), clock, settings,
			new StaticListableBeanFactory().getBeanProvider(RedisClient.class));

	private Session session(String id, String userId, Instant revokedAt) {
		Instant now = clock.instant();
		Session session = new Session(id, userId, null, List.of("pwd"), "127.0.0.1", "test", now, now,
				now.plus(Duration.ofDays(30)), revokedAt, revokedAt == null ? null : "sign_out");
		stored.put(id, session);
		return session;
	}

	@Test
	void acceptsWhenSessionIsTheSubjectsThenTrueAndLookedUpOnce() {
		session("ses_a", "usr_a", null);

		assertThat(revocations.accepts("ses_a", "usr_a")).isTrue();
		assertThat(revocations.accepts("ses_a", "usr_a")).isTrue();
		assertThat(lookups).as("the binding is remembered").hasValue(1);
	}

	@Test
	void acceptsWhenSessionIsAnotherUsersThenFalseEvenOnceTheirsIsRemembered() {
		session("ses_b", "usr_b", null);

		assertThat(revocations.accepts("ses_b", "usr_a")).isFalse();
		assertThat(revocations.accepts("ses_b", "usr_b")).isTrue();
		assertThat(revocations.accepts("ses_b", "usr_a")).isFalse();
	}

	@Test
	void acceptsWhenNoSuchSessionOrNoSidThenFalse() {
		assertThat(revocations.accepts("ses_nobody", "usr_a")).isFalse();
		assertThat(revocations.accepts(null, "usr_a")).isFalse();
		assertThat(revocations.accepts("ses_a", null)).isFalse();
	}

	@Test
	void acceptsWhenSessionRevokedThenFalse() {
		session("ses_r", "usr_r", clock.instant());
		session("ses_s", "usr_s", null);
		assertThat(revocations.accepts("ses_s", "usr_s")).isTrue();

		revocations.markRevoked("ses_s");

		assertThat(revocations.accepts("ses_r", "usr_r")).isFalse();
		assertThat(revocations.accepts("ses_s", "usr_s")).isFalse();
	}

	@Test
	void acceptsWhenBindingOlderThanATokenLifetimeThenLookedUpAgain() {
		session("ses_c", "usr_c", null);
		assertThat(revocations.accepts("ses_c", "usr_c")).isTrue();

		clock.advance(settings.accessTokenTtl().plus(Duration.ofMinutes(3)));
		revocations.poll();
		stored.remove("ses_c"); // deleted meanwhile, e.g. by the clean-up of ended sessions

		assertThat(revocations.accepts("ses_c", "usr_c")).isFalse();
		assertThat(lookups).hasValue(2);
	}

	/** Sessions from {@link #stored}; no revocations in the database poll. */
	private SessionRepository repository() {
		return (SessionRepository) Proxy.newProxyInstance(SessionRepository.class.getClassLoader(),
				new Class<?>[] { SessionRepository.class }, (proxy, method, args) -> switch (method.getName()) {
					case "findRevokedSince" -> List.of();
					case "findById" -> {
						lookups.incrementAndGet();
						yield Optional.ofNullable(stored.get((String) args[0]));
					}
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}
}
