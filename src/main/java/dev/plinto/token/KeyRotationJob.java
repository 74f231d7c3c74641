package dev.plinto.token;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Rotates the signing key every {@code PLINTO_KEY_ROTATION_INTERVAL} on exactly one node (ShedLock), deletes
 * long-retired keys, and on every node re-reads the keys so that a key created elsewhere is published here well
 * before it activates.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class KeyRotationJob {

	private final SigningKeys keys;

	KeyRotationJob(SigningKeys keys) {
		this.keys = keys;
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.key-rotation-check:60000}", initialDelay = 30_000)
	@SchedulerLock(name = "key-rotation", lockAtMostFor = "5m")
	void rotateIfDue() {
		keys.rotateIfDue();
		keys.purgeRetired();
	}

	@Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
	void reload() {
		keys.reload();
	}
}
