package dev.plinto.platform;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.PlintoSettings.RedisFailure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one Redis connection a node's features share, and what they do when Redis cannot answer. Redis is an
 * accelerator here, not a dependency of signing in: it shares rate-limit buckets between nodes and fans out
 * revocations, both of which have an in-process or database equivalent.
 * <ul>
 * <li><b>Connected at start.</b> The connection is opened while the application context starts, before the server
 * accepts requests (and so before readiness), so the first requests after a start find it open instead of racing
 * to open it. When Redis is unreachable at start the node starts anyway and keeps trying in the background.</li>
 * <li><b>Fail fast.</b> A command times out after {@link #COMMAND_TIMEOUT}; while the connection is down, commands
 * are refused at once instead of queued (the client options in {@link InfrastructureConfiguration}); and a circuit
 * breaker (Resilience4j) stops calling Redis for {@link #OPEN_INTERVAL} once calls fail, so an outage costs a
 * request at most one timeout, never seconds (OWASP API Security Top 10 2023, API4: a dependency outage must not
 * turn into resource exhaustion).</li>
 * <li><b>Back within two seconds.</b> Lettuce reconnects every {@link #RECONNECT_DELAY}, and a probe pings Redis
 * while the node is degraded, so a node returns to shared state within about {@code RECONNECT_DELAY +
 * OPEN_INTERVAL} of Redis answering again, with or without traffic.</li>
 * <li><b>Said once.</b> Losing Redis logs one warning (at most one a minute) and its return one line; the gauge
 * {@code plinto_redis_degraded} and the counter {@code plinto_redis_fallbacks_total} show it in metrics.</li>
 * </ul>
 * What a feature does without Redis is its own choice, passed as the fallback of {@link #execute}; whether it may
 * fall back at all is {@code PLINTO_REDIS_FAILURE} ({@link #failureMode()}).
 */
@Component
public final class SharedRedis implements AutoCloseable {

	/** How long one Redis command may take before it counts as failed. */
	public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

	/** How long opening a connection may take; never on a request's path (start-up and background reconnects). */
	public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

	/** The pause between two reconnection attempts. */
	public static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

	/** How long the circuit breaker keeps requests away from Redis after a failed call. */
	public static final Duration OPEN_INTERVAL = Duration.ofSeconds(1);

	/**
	 * The breaker opens when half of the last {@value #BREAKER_WINDOW} calls failed (from
	 * {@value #BREAKER_MINIMUM_CALLS} calls on): a lost connection fails calls at once and opens it within a few
	 * requests, and one slow command on a busy machine does not.
	 */
	private static final int BREAKER_WINDOW = 10;

	private static final int BREAKER_MINIMUM_CALLS = 4;

	private static final Logger log = LoggerFactory.getLogger(SharedRedis.class);

	/** Redis as this node sees it. */
	public enum State {
		/** {@code PLINTO_REDIS_URL} is not set: every feature runs in-process by design. */
		NOT_CONFIGURED,
		/** Connected, and the last call succeeded. */
		UP,
		/** Configured but not answering: features use their fallbacks (or refuse, with {@code closed}). */
		UNREACHABLE
	}

	private final RedisClient client;

	private final RedisFailure failureMode;

	private final String address;

	private final CircuitBreaker breaker;

	private final AtomicBoolean degraded = new AtomicBoolean();

	/** At most one warning per interval. */
	private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

	private volatile long lastWarning;

	private volatile boolean warned;

	private volatile boolean outageLogged;

	private final Counter fallbacks;

	private final ScheduledExecutorService probe;

	private volatile StatefulRedisConnection<byte[], byte[]> connection;

	public SharedRedis(PlintoSettings settings, ObjectProvider<RedisClient> client, MeterRegistry meters) {
		this.client = client.getIfAvailable();
		this.failureMode = settings.redisFailure();
		this.address = settings.redisUrl().map(SharedRedis::address).orElse("");
		this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(BREAKER_WINDOW)
			.minimumNumberOfCalls(BREAKER_MINIMUM_CALLS)
			.failureRateThreshold(50)
			.waitDurationInOpenState(OPEN_INTERVAL)
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		breaker.getEventPublisher().onStateTransition(event -> {
			if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
				noteUnreachable("calls failing");
			}
		});
		Gauge.builder("plinto.redis.degraded", this, r -> r.state() == State.UNREACHABLE ? 1 : 0)
			.description("1 while Redis is configured but unreachable and this node runs on its fallbacks, else 0")
			.register(meters);
		this.fallbacks = Counter.builder("plinto.redis.fallbacks")
			.description("Calls answered without Redis because it was unreachable (in-process rate limits, or 503 "
					+ "with PLINTO_REDIS_FAILURE=closed)")
			.register(meters);
		if (this.client == null) {
			this.probe = null;
			return;
		}
		connect();
		this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "plinto-redis-probe");
			t.setDaemon(true);
			return t;
		});
		this.probe.scheduleWithFixedDelay(this::probe, RECONNECT_DELAY.toMillis(), RECONNECT_DELAY.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** Whether {@code PLINTO_REDIS_URL} is set. */
	public boolean configured() {
		return client != null;
	}

	/** {@code PLINTO_REDIS_FAILURE}: what a node does while Redis is unreachable. */
	public RedisFailure failureMode() {
		return failureMode;
	}

	/** {@code host:port} of the configured Redis, for logs; empty when not configured. */
	public String address() {
		return address;
	}

	/** Redis as this node sees it now, without calling it. */
	public State state() {
		if (client == null) {
			return State.NOT_CONFIGURED;
		}
		StatefulRedisConnection<byte[], byte[]> c = connection;
		return c != null && c.isOpen() && breaker.getState() == CircuitBreaker.State.CLOSED ? State.UP
				: State.UNREACHABLE;
	}

	/**
	 * Runs {@code call} on the shared connection, or {@code fallback} when Redis is not configured, not connected,
	 * behind an open circuit breaker, or the call fails. Failing calls open the breaker for {@link #OPEN_INTERVAL}
	 * (half of the last {@value #BREAKER_WINDOW}); the exception does not reach the caller. The fallback may itself throw (a 503 with {@code closed}).
	 */
	public <T> T execute(Function<StatefulRedisConnection<byte[], byte[]>, T> call, Supplier<T> fallback) {
		return execute(call, fallback, true);
	}

	/** Pings Redis through the breaker: {@code true} when it answered within the command timeout. */
	public boolean ping() {
		return execute(c -> "PONG".equals(c.sync().ping()), () -> false, false);
	}

	private <T> T execute(Function<StatefulRedisConnection<byte[], byte[]>, T> call, Supplier<T> fallback,
			boolean counted) {
		StatefulRedisConnection<byte[], byte[]> c = connection;
		if (c == null || !breaker.tryAcquirePermission()) {
			return fallBack(fallback, counted);
		}
		long start = breaker.getCurrentTimestamp();
		T result;
		try {
			result = call.apply(c);
		}
		catch (RuntimeException e) {
			breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
			log.debug("Redis call failed: {}", e.toString());
			return fallBack(fallback, counted);
		}
		breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
		noteReachable();
		return result;
	}

	private <T> T fallBack(Supplier<T> fallback, boolean counted) {
		if (client != null) {
			if (counted) {
				fallbacks.increment();
			}
			if (connection == null || !connection.isOpen()) {
				noteUnreachable("not connected");
			}
		}
		return fallback.get();
	}

	/**
	 * Opens the connection, once: after the first success Lettuce reconnects by itself. Runs at start and then on
	 * the probe's thread, never on a request's.
	 */
	private void connect() {
		try {
			connection = client.connect(ByteArrayCodec.INSTANCE);
			noteReachable();
		}
		catch (RuntimeException e) {
			noteUnreachable(e.getClass().getSimpleName());
		}
	}

	/** While Redis is unreachable: opens the first connection, or pings through the breaker to close it again. */
	private void probe() {
		try {
			if (connection == null) {
				connect();
			}
			else if (state() == State.UNREACHABLE) {
				ping();
			}
		}
		catch (RuntimeException e) {
			log.debug("Redis probe failed", e);
		}
	}

	/**
	 * Logs the first failure of an outage as a warning, unless one was logged less than {@link #LOG_INTERVAL} ago:
	 * a Redis that flaps (timeouts on a starved machine) then logs once a minute, not at each flap.
	 */
	private void noteUnreachable(String reason) {
		if (degraded.compareAndSet(false, true)) {
			long now = System.nanoTime();
			outageLogged = !warned || now - lastWarning >= LOG_INTERVAL.toNanos();
			if (!outageLogged) {
				log.debug("Redis at {} is unreachable again ({})", address, reason);
				return;
			}
			warned = true;
			lastWarning = now;
			if (failureMode == RedisFailure.LOCAL) {
				log.warn("Redis at {} is unreachable ({}): rate limits are per node and revocations reach other nodes "
						+ "through the database poll until it answers again (PLINTO_REDIS_FAILURE=local)", address,
						reason);
			}
			else {
				log.warn("Redis at {} is unreachable ({}): rate-limited requests are refused with 503 and the node "
						+ "reports not ready until it answers again (PLINTO_REDIS_FAILURE=closed)", address, reason);
			}
		}
	}

	private void noteReachable() {
		if (degraded.compareAndSet(true, false)) {
			if (outageLogged) {
				log.info("Redis at {} answers again: rate limits are shared by every node", address);
			}
			else {
				log.debug("Redis at {} answers again", address);
			}
		}
	}

	@PreDestroy
	@Override
	public void close() {
		if (probe != null) {
			probe.shutdownNow();
		}
		StatefulRedisConnection<byte[], byte[]> c = connection;
		if (c != null) {
			c.close();
		}
	}

	private static String address(URI uri) {
		return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
	}

}
