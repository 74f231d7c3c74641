package dev.plinto.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Daily active users: distinct users with a session active (signed in or refreshed) in the last 24 hours, exported as
 * {@code plinto_users_active_daily}. The count is one query over the sessions table, so it is recounted every five
 * minutes and served from memory, never computed on a scrape.
 */
@Component
public final class ActiveUsers {

	static final Duration DAY = Duration.ofHours(24);

	private final SessionRepository sessions;

	private final Clock clock;

	private final AtomicLong daily = new AtomicLong();

	ActiveUsers(SessionRepository sessions, Clock clock, MeterRegistry meters) {
		this.sessions = sessions;
		this.clock = clock;
		Gauge.builder("plinto.users.active.daily", daily, AtomicLong::get)
			.description("Distinct users with a session active in the last 24 h (recounted every 5 min)")
			.register(meters);
	}

	/** The last count of daily active users. */
	public long daily() {
		return daily.get();
	}

	@Scheduled(fixedDelay = 300_000, initialDelay = 0)
	void recount() {
		daily.set(sessions.countActiveUsersSince(clock.instant().minus(DAY)));
	}
}
