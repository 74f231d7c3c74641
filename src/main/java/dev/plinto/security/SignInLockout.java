package dev.plinto.security;

import dev.plinto.ops.PlintoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per-account throttling of failed sign-ins (OWASP Authentication Cheat Sheet, "Account Lockout"; NIST SP
 * 800-63B §5.2.2 "Rate Limiting"): after the configured number of consecutive failures (default 10) the account
 * is locked for a delay that doubles with every further failure, capped at the window; a success or a window
 * without failures clears it. The counter is keyed by a hash of the normalised email, not by the user row, so an
 * unknown email is throttled exactly like a known one and the answer never reveals whether an account exists.
 * State lives in the database, so every node shares it and it survives restarts.
 */
@Component
public final class SignInLockout {

	private final JdbcClient jdbc;

	private final Clock clock;

	private final int threshold;

	private final Duration baseDelay;

	private final Duration window;

	public SignInLockout(JdbcClient jdbc, Clock clock, PlintoSettings settings) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.threshold = settings.rateLimits().lockoutThreshold();
		this.baseDelay = settings.rateLimits().lockoutBaseDelay();
		this.window = settings.rateLimits().lockoutWindow();
	}

	/** How much longer the account behind this email stays locked, if it is. */
	public Optional<Duration> lockedFor(String email) {
		Instant now = clock.instant();
		return jdbc.sql("select locked_until from sign_in_failures where subject = :s")
			.param("s", subject(email))
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class))
			.optional()
			.map(OffsetDateTime::toInstant)
			.filter(until -> until.isAfter(now))
			.map(until -> Duration.between(now, until));
	}

	/** Counts a failure; returns the lock it caused, if the threshold is reached. */
	public Optional<Duration> recordFailure(String email) {
		String subject = subject(email);
		Instant now = clock.instant();
		OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
		OffsetDateTime windowStart = OffsetDateTime.ofInstant(now.minus(window), ZoneOffset.UTC);
		int updated = jdbc.sql("""
				update sign_in_failures set failures = case when last_failure_at < :start then 1 else failures + 1 end,
				last_failure_at = :at where subject = :s""")
			.param("start", windowStart)
			.param("at", at)
			.param("s", subject)
			.update();
		if (updated == 0) {
			try {
				jdbc.sql("insert into sign_in_failures (subject, failures, last_failure_at) values (:s, 1, :at)")
					.param("s", subject)
					.param("at", at)
					.update();
			}
			catch (DuplicateKeyException e) {
				return recordFailure(email);
			}
		}
		int failures = jdbc.sql("select failures from sign_in_failures where subject = :s")
			.param("s", subject)
			.query(Integer.class)
			.single();
		if (failures < threshold) {
			return Optional.empty();
		}
		int doublings = Math.min(failures - threshold, 30);
		Duration delay = baseDelay.multipliedBy(1L << doublings);
		if (delay.compareTo(window) > 0) {
			delay = window;
		}
		jdbc.sql("update sign_in_failures set locked_until = :until where subject = :s")
			.param("until", OffsetDateTime.ofInstant(now.plus(delay), ZoneOffset.UTC))
			.param("s", subject)
			.update();
		return Optional.of(delay);
	}

	public void recordSuccess(String email) {
		jdbc.sql("delete from sign_in_failures where subject = :s").param("s", subject(email)).update();
	}

	private static String subject(String email) {
		return SecureTokens.hash("email:" + email.trim().toLowerCase(Locale.ROOT));
	}
}
