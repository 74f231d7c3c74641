package dev.plinto.throttle;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.throttle.SignInFailureRepository.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Per-account throttling of password guesses (OWASP Authentication Cheat Sheet, "Account Lockout"; NIST SP
 * 800-63B §5.2.2 "Rate Limiting"): at most {@code PLINTO_LOCKOUT_THRESHOLD} (default 10) consecutive failed
 * attempts, then the account is locked for a delay that doubles with every further failure, capped at the window;
 * a success, or a window without failures, clears it.
 * <p>
 * Every attempt is counted as a failure <em>before</em> the password is checked, under a row lock, and the lock
 * is set by the attempt that reaches the threshold; a success then clears the count. So concurrent guesses cannot
 * slip past the threshold while earlier ones are still hashing. The counter is keyed by a hash of the normalised
 * email, not by the user row, so an unknown email is throttled exactly like a known one and the answer never
 * reveals whether an account exists. State lives in the database: every node shares it and it survives restarts.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
public class SignInLockout {

	private final SignInFailureRepository failures;

	private final Clock clock;

	private final TransactionOperations tx;

	private final LiveSettings settings;

	SignInLockout(SignInFailureRepository failures, Clock clock, TransactionOperations tx, LiveSettings settings) {
		this.failures = failures;
		this.clock = clock;
		this.tx = tx;
		this.settings = settings;
	}

	/**
	 * Starts a password attempt for this email: refused with the remaining lock time when the account is locked;
	 * otherwise the attempt is counted (as a failure until {@link #succeeded} says otherwise) and may proceed.
	 */
	public Optional<Duration> tryAttempt(String email) {
		String subject = subject(email);
		for (int attempt = 0; attempt < 5; attempt++) {
			try {
				return tx.execute(status -> attempt(subject));
			}
			catch (DuplicateKeyException e) {
				// another request inserted the first row for this subject at the same moment: lock it and retry
			}
		}
		throw new IllegalStateException("sign-in lockout row kept changing under concurrent inserts");
	}

	private Optional<Duration> attempt(String subject) {
		Instant now = clock.instant();
		Optional<Failures> row = failures.findForUpdate(subject);
		if (row.isEmpty()) {
			failures.insert(subject, new Failures(1, now, lockUntil(1, now)));
			return Optional.empty();
		}
		Failures r = row.get();
		if (r.lockedUntil() != null && r.lockedUntil().isAfter(now)) {
			return Optional.of(Duration.between(now, r.lockedUntil()));
		}
		int count = r.lastFailureAt().isBefore(now.minus(window())) ? 1 : r.failures() + 1;
		failures.update(subject, new Failures(count, now, lockUntil(count, now)));
		return Optional.empty();
	}

	/** The lock a count of failures causes: none below the threshold, then base delay doubling, capped. */
	private Instant lockUntil(int count, Instant now) {
		PlintoSettings.RateLimits limits = settings.current().rateLimits();
		int threshold = limits.lockoutThreshold();
		if (count < threshold) {
			return null;
		}
		Duration delay = limits.lockoutBaseDelay().multipliedBy(1L << Math.min(count - threshold, 30));
		return now.plus(delay.compareTo(limits.lockoutWindow()) > 0 ? limits.lockoutWindow() : delay);
	}

	/** {@code PLINTO_LOCKOUT_WINDOW} as in effect now (it can change at run time). */
	private Duration window() {
		return settings.current().rateLimits().lockoutWindow();
	}

	/** How much longer the account behind this email stays locked, if it is. */
	public Optional<Duration> lockedFor(String email) {
		Instant now = clock.instant();
		return failures.findLockedUntil(subject(email))
			.filter(until -> until.isAfter(now))
			.map(until -> Duration.between(now, until));
	}

	/**
	 * Locks the account behind this email until {@code until}, at the operator's request (the Backend API): every
	 * password attempt meanwhile is refused like one after too many failures, without checking the password. A
	 * later {@link #succeeded} (the operator's unlock, a password reset) clears it.
	 */
	public void lock(String email, Instant until) {
		String subject = subject(email);
		for (int attempt = 0; attempt < 5; attempt++) {
			try {
				tx.executeWithoutResult(status -> {
					Instant now = clock.instant();
					Optional<Failures> row = failures.findForUpdate(subject);
					// No failures counted: once the lock ends, the account starts afresh.
					if (row.isEmpty()) {
						failures.insert(subject, new Failures(0, now, until));
					}
					else {
						failures.update(subject, new Failures(0, now, until));
					}
				});
				return;
			}
			catch (DuplicateKeyException e) {
				// inserted concurrently by a sign-in attempt: lock that row and retry
			}
		}
		throw new IllegalStateException("sign-in lockout row kept changing under concurrent inserts");
	}

	/** The attempt succeeded: the count and any lock are cleared. */
	public void succeeded(String email) {
		failures.delete(subject(email));
	}

	/** Forgets counters whose last failure is older than the window and whose lock has passed, hourly. */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "sign-in-failures-cleanup", lockAtMostFor = "30m")
	void purgeStale() {
		Instant now = clock.instant();
		failures.deleteStale(now.minus(window()), now);
	}

	private static String subject(String email) {
		return SecureTokens.hash("email:" + email.trim().toLowerCase(Locale.ROOT));
	}
}
