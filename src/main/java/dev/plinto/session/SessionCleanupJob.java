package dev.plinto.session;

import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the session tables bounded, hourly on one node: deletes sign-in flows a day after they expired, and
 * sessions with their refresh tokens 30 days after they ended (kept that long so the user's session list and
 * the audit trail can still refer to them; an ended session can never be used again either way).
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class SessionCleanupJob {

	private static final Logger log = LoggerFactory.getLogger(SessionCleanupJob.class);

	static final Duration KEEP_ENDED = Duration.ofDays(30);

	private final SignInFlowRepository flows;

	private final SessionRepository sessions;

	private final Clock clock;

	private final PlintoSettings settings;

	SessionCleanupJob(SignInFlowRepository flows, SessionRepository sessions, Clock clock, PlintoSettings settings) {
		this.flows = flows;
		this.sessions = sessions;
		this.clock = clock;
		this.settings = settings;
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "session-cleanup", lockAtMostFor = "30m")
	void clean() {
		Instant now = clock.instant();
		int f = flows.deleteExpired(now.minus(Duration.ofDays(1)));
		Instant before = now.minus(KEEP_ENDED);
		int s = sessions.deleteEndedBefore(before, before.minus(settings.sessionIdleTimeout()));
		if (f + s > 0) {
			log.info("Cleanup: deleted {} expired sign-in flows and {} sessions ended over 30 days ago", f, s);
		}
	}
}
