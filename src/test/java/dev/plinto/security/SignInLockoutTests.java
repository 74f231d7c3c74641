package dev.plinto.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.MutableClock;
import dev.plinto.ops.PlintoSettings;
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
			lockout = new SignInLockout(jdbc, clock, settings);
			email = "user-" + UUID.randomUUID() + "@example.com";
		}

		void fail(int times) {
			for (int i = 0; i < times; i++) {
				lockout.recordFailure(email);
			}
		}

		@Test
		void recordFailureWhenBelowThresholdThenNotLocked() {
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void recordFailureWhenThresholdReachedThenLockedForBaseDelayCountingDown() {
			fail(2);
			assertThat(lockout.recordFailure(email)).contains(BASE);
			assertThat(lockout.lockedFor(email)).contains(BASE);
			clock.advance(Duration.ofSeconds(10));
			assertThat(lockout.lockedFor(email)).contains(Duration.ofSeconds(20));
			clock.advance(Duration.ofSeconds(20));
			assertThat(lockout.lockedFor(email)).isEmpty();
		}

		@Test
		void recordFailureWhenFurtherFailuresThenDelayDoublesUpToTheWindow() {
			fail(2);
			List<Optional<Duration>> delays = new ArrayList<>();
			for (int i = 0; i < 7; i++) {
				delays.add(lockout.recordFailure(email));
			}
			assertThat(delays).containsExactly(Optional.of(BASE), Optional.of(BASE.multipliedBy(2)),
					Optional.of(BASE.multipliedBy(4)), Optional.of(BASE.multipliedBy(8)),
					Optional.of(BASE.multipliedBy(16)), Optional.of(WINDOW), Optional.of(WINDOW));
			assertThat(lockout.lockedFor(email)).contains(WINDOW);
		}

		@Test
		void recordFailureWhenEmailDiffersOnlyInCaseAndSpacesThenSameAccountLocked() {
			fail(2);
			assertThat(lockout.recordFailure("  " + email.toUpperCase() + " ")).contains(BASE);
			assertThat(lockout.lockedFor(email)).contains(BASE);
			assertThat(lockout.lockedFor("other-" + email)).isEmpty();
		}

		@Test
		void recordSuccessWhenLockedThenClearedAndCountingRestarts() {
			fail(3);
			assertThat(lockout.lockedFor(email)).isPresent();
			lockout.recordSuccess(email);
			assertThat(lockout.lockedFor(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).contains(BASE);
		}

		@Test
		void recordFailureWhenEarlierFailuresOlderThanWindowThenForgotten() {
			fail(2);
			clock.advance(WINDOW.plusSeconds(1));
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).isEmpty();
			assertThat(lockout.recordFailure(email)).contains(BASE);
		}

		@Test
		void recordFailureWhenFailuresWithinWindowOfEachOtherThenStillCounted() {
			fail(2);
			clock.advance(WINDOW.minusSeconds(1));
			assertThat(lockout.recordFailure(email)).contains(BASE);
		}

		@Test
		void recordFailureWhenConcurrentFirstFailuresThenEveryOneCounted() throws Exception {
			int threads = 6;
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<Optional<Duration>>> results = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					results.add(pool.submit(() -> {
						start.await();
						return lockout.recordFailure(email);
					}));
				}
				start.countDown();
				for (Future<Optional<Duration>> r : results) {
					r.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
			// the 7th failure: threshold 3, so four doublings of the base delay
			assertThat(lockout.recordFailure(email)).contains(BASE.multipliedBy(16));
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
