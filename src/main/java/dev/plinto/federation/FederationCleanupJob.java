package dev.plinto.federation;

import java.time.Clock;
import java.time.Duration;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code federation_flows} bounded, hourly on one node: deletes flows an hour after they expired (used or
 * not), and with them any verified identity a JSON API flow still held.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class FederationCleanupJob {

	private final FederationFlowRepository flows;

	private final Clock clock;

	FederationCleanupJob(FederationFlowRepository flows, Clock clock) {
		this.flows = flows;
		this.clock = clock;
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "federation-flow-cleanup", lockAtMostFor = "30m")
	void clean() {
		flows.deleteExpired(clock.instant().minus(Duration.ofHours(1)));
	}
}
