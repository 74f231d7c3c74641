package dev.plinto.audit;

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
 * Deletes audit events older than {@code PLINTO_AUDIT_RETENTION} (365 days by default; {@code 0s} keeps them
 * forever), hourly on one node. Security logs are kept for a defined period and then removed, not forever: they hold
 * IP addresses and user agents, personal data that is kept no longer than needed (OWASP Logging Cheat Sheet,
 * "Data to exclude" and "Event collection" / retention; GDPR Art. 5(1)(e), storage limitation).
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
public class AuditRetention {

	/** Rows per delete statement. */
	static final int BATCH = 5_000;

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private final AuditRepository repository;

	private final Clock clock;

	private final Duration retention;

	AuditRetention(AuditRepository repository, Clock clock, PlintoSettings settings) {
		this.repository = repository;
		this.clock = clock;
		this.retention = settings.auditRetention();
	}

	/**
	 * The hourly run, on one node: ShedLock's method interceptor skips it while another node holds the lock. It
	 * returns nothing because the interceptor cannot answer for a skipped run with a primitive value.
	 */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 600_000)
	@SchedulerLock(name = "audit-retention", lockAtMostFor = "30m")
	public void purgeOnSchedule() {
		purge();
	}

	/** Deletes what is older than the retention period; returns how many events it deleted. */
	public long purge() {
		if (retention.isZero()) {
			return 0;
		}
		Instant cutoff = clock.instant().minus(retention);
		long deleted = 0;
		int batch;
		do {
			batch = repository.deleteOlderThan(cutoff, BATCH);
			deleted += batch;
		}
		while (batch == BATCH);
		if (deleted > 0) {
			log.info("Deleted {} audit events older than {} (PLINTO_AUDIT_RETENTION)", deleted,
					PlintoSettings.DurationFormat.format(retention));
		}
		return deleted;
	}
}
