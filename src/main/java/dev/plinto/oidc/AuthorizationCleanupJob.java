package dev.plinto.oidc;

import dev.plinto.config.PlintoSettings;
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
 * Keeps the provider's tables bounded, hourly on one node: deletes an authorization a day after the last of its codes
 * and tokens expired (its hashes are useless by then; the day keeps a just-expired refresh token's
 * {@code invalid_grant} the same as a revoked one's); an authorization request abandoned on the consent page (a row
 * with the consent's {@code state} and no code or token, which carries no expiry) {@link #UNFINISHED_CONSENT} after it
 * was started, when its consent form can no longer be answered; the hashes of rotated-out refresh tokens once those
 * tokens would have expired ({@link RefreshTokenReuse}); and the clients of sessions ({@link SessionClients}) once no
 * session of that age can still be live.
 */
@Component
@ConditionalOnWebApplication
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class AuthorizationCleanupJob {

	private static final Logger log = LoggerFactory.getLogger(AuthorizationCleanupJob.class);

	static final Duration KEEP_EXPIRED = Duration.ofDays(1);

	/** How long an authorization request may wait on the consent page. */
	static final Duration UNFINISHED_CONSENT = Duration.ofHours(1);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final PlintoSettings settings;

	AuthorizationCleanupJob(JdbcClient jdbc, Clock clock, PlintoSettings settings) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.settings = settings;
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
		int abandoned = jdbc.sql("""
				delete from oauth2_authorization
				where state is not null and authorization_code_value is null and access_token_value is null
				  and refresh_token_value is null and device_code_value is null and created_at < :started""")
			.param("started", Timestamp.from(clock.instant().minus(UNFINISHED_CONSENT)))
			.update();
		if (abandoned > 0) {
			log.info("Cleanup: deleted {} OpenID provider authorization requests abandoned on the consent page",
					abandoned);
		}
		jdbc.sql("delete from oidc_rotated_refresh_token where expires_at < ?").param(before).update();
		jdbc.sql("delete from oidc_session_client where created_at < ?")
			.param(Timestamp.from(clock.instant().minus(settings.sessionMaxLifetime()).minus(KEEP_EXPIRED)))
			.update();
	}
}
