package dev.plinto.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.plinto.web.ApiDocs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Connection;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
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
 * {@code /health/ready} adds readiness (accepting traffic, database and, when configured, Redis reachable),
 * {@code /health/db} and {@code /health/redis} check one dependency each. Each answers 200 or 503 with a small
 * JSON body. Actuator's health endpoint is not used for these paths because its root aggregates every indicator,
 * which is wrong for liveness.
 */
@RestController
@Tag(name = "Operations")
final class HealthController {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final ApplicationAvailability availability;

	private final DataSource dataSource;

	private final RedisClient redis;

	private volatile StatefulRedisConnection<String, String> connection;

	HealthController(ApplicationAvailability availability, DataSource dataSource, ObjectProvider<RedisClient> redis,
			MeterRegistry meters) {
		this.availability = availability;
		this.dataSource = dataSource;
		this.redis = redis.getIfAvailable();
		// What /health/ready would answer, at each scrape: 1 ready, 0 not (the "health check failing" alert).
		Gauge.builder("plinto.health.ready", this, h -> h.readiness() ? 1 : 0)
			.description("1 when /health/ready answers 200 (accepting traffic, database and Redis reachable), else 0")
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
			@Schema(allowableValues = { "up", "down", "not_configured" }) String redis) {
	}

	@GetMapping(path = "/health", produces = "application/json")
	@Operation(summary = "Liveness")
	@ApiDocs.Down("The process is broken: restart it")
	ResponseEntity<Health> live() {
		boolean up = availability.getLivenessState() == LivenessState.CORRECT;
		return answer(new Health(up ? "UP" : "DOWN", null, null, null));
	}

	@GetMapping(path = "/health/ready", produces = "application/json")
	@Operation(summary = "Readiness: accepting traffic, database and Redis (when configured) reachable")
	@ApiDocs.Down("Not ready: starting, shutting down, or the database or Redis is unreachable")
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
	@ApiDocs.Down("Redis is configured and unreachable")
	ResponseEntity<Health> redisHealth() {
		String cache = redis();
		return answer(new Health("down".equals(cache) ? "DOWN" : "UP", null, null, cache));
	}

	private String database() {
		try (Connection c = dataSource.getConnection()) {
			return c.isValid((int) TIMEOUT.toSeconds()) ? "up" : "down";
		}
		catch (Exception e) {
			return "down";
		}
	}

	private String redis() {
		if (redis == null) {
			return "not_configured";
		}
		try {
			StatefulRedisConnection<String, String> c = connection;
			if (c == null || !c.isOpen()) {
				c = redis.connect();
				c.setTimeout(TIMEOUT);
				connection = c;
			}
			return "PONG".equals(c.sync().ping()) ? "up" : "down";
		}
		catch (Exception e) {
			return "down";
		}
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
