package dev.plinto.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.MutableClock;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class SignInLockoutTests {

	static final Duration BASE = Duration.ofSeconds(30);

	static final Duration WINDOW = Duration.ofMinutes(15);

	abstract static class Contract extends DatabaseContract {

		final MutableClock clock = new MutableClock();

		SignInLockout lockout;

		String email;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createLockout() {
			PlintoSettings settings = PlintoSettings.parse(Map.of("PLINTO_LOCKOUT_THRESHOLD", "3",
					"PLINTO_LOCKOUT_BASE_DELAY", "30s", "PLINTO_LOCKOUT_WINDOW", "15m")::get);
			lockout = new SignInLockout(new JdbcSignInFailureRepository(jdbc), clock, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), LiveSettings.fixed(settings));
			email = "user-" + UUID.randomUUID() + "@example.com";
		}

		void fail(int times) {
			for (int i = 0; i < times; i++) {
				assertThat(lockout.tryAttempt(email)).as("attempt %d allowed", i + 1).isEmpty();
			}
		}

		@Test
		void tryAttemptWhenBelowThresholdThenAllowedAndNotLocked() {
			fail(2);
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void tryAttemptWhenThresholdReachedThenLastAttemptProceedsAndNextIsRefusedForBaseDelay() {
			fail(3);
			assertThat(lockout.lockedFor(email)).contains(BASE);
			assertThat(lockout.tryAttempt(email)).contains(BASE);
			clock.advance(Duration.ofSeconds(10));
			assertThat(lockout.tryAttempt(email)).contains(Duration.ofSeconds(20));
			clock.advance(Duration.ofSeconds(20));
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void tryAttemptWhenFailingAfterEachLockThenDelayDoublesUpToTheWindow() {
			fail(2);
			List<Duration> delays = new ArrayList<>();
			for (int i = 0; i < 7; i++) {
				assertThat(lockout.tryAttempt(email)).isEmpty();
				Duration lock = lockout.lockedFor(email).orElseThrow();
				delays.add(lock);
				clock.advance(lock);
			}
			assertThat(delays).containsExactly(BASE, BASE.multipliedBy(2), BASE.multipliedBy(4), BASE.multipliedBy(8),
					BASE.multipliedBy(16), WINDOW, WINDOW);
		}

		@Test
		void tryAttemptWhenEmailDiffersOnlyInCaseAndSpacesThenSameAccountCounted() {
			fail(2);
			assertThat(lockout.tryAttempt("  " + email.toUpperCase() + " ")).isEmpty();
			assertThat(lockout.lockedFor(email)).contains(BASE);
			assertThat(lockout.lockedFor("other-" + email)).isEmpty();
		}

		@Test
		void succeededWhenLockedThenClearedAndCountingRestarts() {
			fail(3);
			assertThat(lockout.lockedFor(email)).isPresent();
			lockout.succeeded(email);
			assertThat(lockout.lockedFor(email)).isEmpty();
			fail(2);
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void tryAttemptWhenEarlierFailuresOlderThanWindowThenForgotten() {
			fail(2);
			clock.advance(WINDOW.plusSeconds(1));
			fail(2);
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void tryAttemptWhenFailuresWithinWindowOfEachOtherThenStillCounted() {
			fail(2);
			clock.advance(WINDOW.minusSeconds(1));
			fail(1);
			assertThat(lockout.lockedFor(email)).contains(BASE);
		}

		@Test
		void purgeStaleWhenLastFailureOlderThanWindowThenForgottenAndRecentOnesKept() {
			fail(3);
			String recent = "user-" + UUID.randomUUID() + "@example.com";
			clock.advance(Duration.ofMinutes(10));
			assertThat(lockout.tryAttempt(recent)).isEmpty();
			clock.advance(WINDOW.minus(Duration.ofMinutes(10)).plusSeconds(1));

			lockout.purgeStale();

			assertThat(rows(email)).as("last failure older than the window, lock passed").isZero();
			assertThat(rows(recent)).as("failed within the window").isEqualTo(1);
		}

		long rows(String address) {
			return jdbc.sql("select count(*) from sign_in_failures where subject = :s")
				.param("s", SecureTokens.hash("email:" + address))
				.query(Long.class)
				.single();
		}

		@Test
		void tryAttemptWhenManyConcurrentAttemptsThenOnlyThresholdManyProceed() throws Exception {
			int threads = 12;
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			List<Optional<Duration>> outcomes = new ArrayList<>();
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<Optional<Duration>>> results = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					results.add(pool.submit(() -> {
						start.await();
						return lockout.tryAttempt(email);
					}));
				}
				start.countDown();
				for (Future<Optional<Duration>> r : results) {
					outcomes.add(r.get(30, TimeUnit.SECONDS));
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(outcomes.stream().filter(Optional::isEmpty).count()).as("attempts allowed to check a password")
				.isEqualTo(3);
			assertThat(outcomes.stream().filter(Optional::isPresent)).allSatisfy(o -> assertThat(o).contains(BASE));
		}
	}

	@Nested
	class OnH2 extends Contract {
		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {
		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
