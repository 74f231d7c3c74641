package dev.plinto.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.SharedRedis;
import dev.plinto.web.ApiDocs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Health checks for load balancers and orchestrators: {@code /health} is liveness only (the process works; it
 * does not fail when a dependency does, so an orchestrator never restarts a healthy node for a database outage),
 * {@code /health/ready} adds readiness (accepting traffic and database reachable), {@code /health/db} and
 * {@code /health/redis} check one dependency each. Each answers 200 or 503 with a small JSON body. Actuator's health
 * endpoint is not used for these paths because its root aggregates every indicator, which is wrong for liveness.
 * <p>
 * Redis does not decide readiness with {@code PLINTO_REDIS_FAILURE=local} (the default): every node loses the same
 * Redis at the same moment, so failing readiness would take all of them out of the load balancer at once and turn a
 * cache outage into a sign-in outage, while the nodes serve correctly on their fallbacks. Readiness then reports
 * {@code "redis":"degraded"} and {@code /health/redis} answers 503. With {@code closed}, a node without Redis refuses
 * rate-limited requests, so it reports itself not ready ({@code "redis":"down"}).
 */
@RestController
@Tag(name = "Operations")
final class HealthController {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final ApplicationAvailability availability;

	private final DataSource dataSource;

	private final SharedRedis redis;

	HealthController(ApplicationAvailability availability, DataSource dataSource, SharedRedis redis,
			MeterRegistry meters) {
		this.availability = availability;
		this.dataSource = dataSource;
		this.redis = redis;
		// What /health/ready would answer, at each scrape: 1 ready, 0 not (the "health check failing" alert).
		Gauge.builder("plinto.health.ready", this, h -> h.readiness() ? 1 : 0)
			.description("1 when /health/ready answers 200 (accepting traffic, database reachable, and Redis "
					+ "reachable with PLINTO_REDIS_FAILURE=closed), else 0")
			.register(meters);
	}

	private boolean readiness() {
		return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC && "up".equals(database())
				&& !"down".equals(redis());
	}

	/**
	 * A health answer: {@code status} UP or DOWN and the checks the endpoint made; the checks it did not make are
	 * left out of the JSON.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Health(@Schema(allowableValues = { "UP", "DOWN" }) String status, Boolean acceptingTraffic,
			@Schema(allowableValues = { "up", "down" }) String db,
			@Schema(allowableValues = { "up", "degraded", "down", "not_configured" }) String redis) {
	}

	@GetMapping(path = "/health", produces = "application/json")
	@Operation(summary = "Liveness")
	@ApiDocs.Down("The process is broken: restart it")
	ResponseEntity<Health> live() {
		boolean up = availability.getLivenessState() == LivenessState.CORRECT;
		return answer(new Health(up ? "UP" : "DOWN", null, null, null));
	}

	@GetMapping(path = "/health/ready", produces = "application/json")
	@Operation(summary = "Readiness: accepting traffic and database reachable; Redis only with "
			+ "PLINTO_REDIS_FAILURE=closed (otherwise an unreachable Redis shows as \"redis\":\"degraded\")")
	@ApiDocs.Down("Not ready: starting, shutting down, the database is unreachable, or Redis is unreachable with "
			+ "PLINTO_REDIS_FAILURE=closed")
	ResponseEntity<Health> ready() {
		boolean accepting = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
		String db = database();
		String cache = redis();
		boolean up = accepting && "up".equals(db) && !"down".equals(cache);
		return answer(new Health(up ? "UP" : "DOWN", accepting, db, cache));
	}

	@GetMapping(path = "/health/db", produces = "application/json")
	@Operation(summary = "Database connectivity")
	@ApiDocs.Down("The database is unreachable")
	ResponseEntity<Health> db() {
		String db = database();
		return answer(new Health("up".equals(db) ? "UP" : "DOWN", null, db, null));
	}

	@GetMapping(path = "/health/redis", produces = "application/json")
	@Operation(summary = "Redis connectivity; reports not_configured on the in-process default")
	@ApiDocs.Down("Redis is configured and unreachable: \"degraded\" while the node serves on in-process rate limits "
			+ "(PLINTO_REDIS_FAILURE=local), \"down\" while it refuses rate-limited requests (closed)")
	ResponseEntity<Health> redisHealth() {
		String cache = redis();
		return answer(new Health("up".equals(cache) || "not_configured".equals(cache) ? "UP" : "DOWN", null, null,
				cache));
	}

	private String database() {
		try (Connection c = dataSource.getConnection()) {
			return c.isValid((int) TIMEOUT.toSeconds()) ? "up" : "down";
		}
		catch (Exception e) {
			return "down";
		}
	}

	/**
	 * {@code up}, {@code not_configured}, or for an unreachable Redis {@code degraded} (serving on fallbacks) or
	 * {@code down} (refusing, {@code closed}). Pings through {@link SharedRedis}, so a check costs at most one command
	 * timeout and none while its circuit breaker is open.
	 */
	private String redis() {
		if (!redis.configured()) {
			return "not_configured";
		}
		if (redis.ping()) {
			return "up";
		}
		return redis.failureMode() == PlintoSettings.RedisFailure.LOCAL ? "degraded" : "down";
	}

	private static ResponseEntity<Health> answer(Health health) {
		boolean up = "UP".equals(health.status());
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
			.cacheControl(CacheControl.noStore());
		if (!up) {
			builder.header("Retry-After", "5");
		}
		return builder.body(health);
	}
}
