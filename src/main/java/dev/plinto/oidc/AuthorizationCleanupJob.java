package dev.plinto.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code oauth2_authorization} bounded, hourly on one node: deletes an authorization a day after the last of
 * its codes and tokens expired (its hashes are useless by then; the day keeps a just-expired refresh token's
 * {@code invalid_grant} the same as a revoked one's). Authorizations still waiting for consent carry no expiry and
 * are kept.
 */
@Component
@ConditionalOnWebApplication
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class AuthorizationCleanupJob {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationCleanupJob.class);

	static final Duration KEEP_EXPIRED = Duration.ofDays(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	AuthorizationCleanupJob(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 600_000)
	@SchedulerLock(name = "oidc-authorization-cleanup", lockAtMostFor = "30m")
	void clean() {
		Timestamp before = Timestamp.from(clock.instant().minus(KEEP_EXPIRED));
		int deleted = jdbc.sql("""
				delete from oauth2_authorization
				where coalesce(refresh_token_expires_at, access_token_expires_at, authorization_code_expires_at,
				               oidc_id_token_expires_at, device_code_expires_at, user_code_expires_at) is not null
				  and (refresh_token_expires_at is null or refresh_token_expires_at < :before)
				  and (access_token_expires_at is null or access_token_expires_at < :before)
				  and (authorization_code_expires_at is null or authorization_code_expires_at < :before)
				  and (oidc_id_token_expires_at is null or oidc_id_token_expires_at < :before)
				  and (device_code_expires_at is null or device_code_expires_at < :before)
				  and (user_code_expires_at is null or user_code_expires_at < :before)""")
			.param("before", before)
			.update();
		if (deleted > 0) {
			log.info("Cleanup: deleted {} OpenID provider authorizations expired over a day ago", deleted);
		}
	}
}
