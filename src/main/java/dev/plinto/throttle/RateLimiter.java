package dev.plinto.throttle;

import dev.plinto.config.PlintoSettings.Rate;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.SharedRedis;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-IP token buckets (Bucket4j) for the endpoints an attacker would hammer: sign-in, sign-up, password reset,
 * verification mail, sign-in codes and links by mail (per IP and per recipient address, so nobody floods a mailbox
 * from many addresses either) and refresh (OWASP Authentication Cheat Sheet, "Protect against automated attacks";
 * OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption"). With Redis configured the buckets
 * live in Redis and every node shares them; otherwise they live in this process.
 * <p>
 * <b>When Redis is unreachable</b> ({@link SharedRedis}: a failed call, an open circuit breaker, no connection), the
 * limit is taken from an in-process bucket of the same rate ({@code PLINTO_REDIS_FAILURE=local}, the default): each
 * node then limits on its own, so an attacker spread over {@code n} nodes gets at most {@code n} times the rate, but
 * never an unlimited one, and sign-in keeps working. The per-account lockout lives in the database and is not
 * weakened at all. {@code PLINTO_REDIS_FAILURE=closed} refuses the request with 503 instead, for operators who
 * prefer an outage to per-node limits.
 * <p>
 * <b>A bucket follows the configuration.</b> Its key includes the rate ({@code plinto:rl:sign_up:20/1h:<ip>}), so a
 * changed rate ({@code PLINTO_RATE_LIMIT_SIGN_UP} and the others, also when changed at run time through
 * {@link LiveSettings}, which is read at every request) applies to the next request instead of waiting for the buckets created under the old rate to expire (a bucket's TTL is renewed by every
 * request, so an active attacker's never would); nodes of a rolling deploy with different rates use different
 * buckets rather than rewriting each other's.
 */
@Component
public final class RateLimiter {

	/** What is being limited; each has its own configured rate. */
	public enum Limit {
		SIGN_IN, SIGN_UP, PASSWORD_RESET, VERIFICATION_MAIL, REFRESH, MFA, INVITATION, INVITATION_ACCEPT,
		/** Sign-in codes and links mailed, per client IP and per recipient address ({@code PLINTO_RATE_LIMIT_SIGN_IN_MAIL}). */
		SIGN_IN_MAIL,
		/**
		 * User codes of the device authorization grant entered on the "enter the code" page, per signed-in user:
		 * {@link #DEVICE_CODE_RATE}, against guessing another device's code (RFC 8628 §5.1, "User Code Brute
		 * Forcing").
		 */
		DEVICE_CODE,
		/**
		 * Polls of the token endpoint per device code: {@link #DEVICE_POLL_RATE}, a burst of two and then one per
		 * polling interval; a faster poll is answered {@code slow_down} (RFC 8628 §3.5).
		 */
		DEVICE_POLL,
		/**
		 * Requests of the Backend API per API key ({@code PLINTO_RATE_LIMIT_ADMIN_API}), so one leaked or runaway key
		 * cannot exhaust the server (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption").
		 */
		ADMIN_API
	}

	/** User codes a user may enter: 10 per 5 minutes (docs/oidc.md, "Device authorization"). */
	public static final Rate DEVICE_CODE_RATE = new Rate(10, Duration.ofMinutes(5));

	/** The device flow's polling interval of 5 seconds (RFC 8628 §3.2), with a burst of two for network jitter. */
	public static final Rate DEVICE_POLL_RATE = new Rate(2, Duration.ofSeconds(10));

	private final LiveSettings settings;

	/** The bucket configuration of each rate in use, built once per rate. */
	private final Map<Rate, BucketConfiguration> configurations = new ConcurrentHashMap<>();

	private final SharedRedis redis;

	private static final byte[] WARM_UP_KEY = "plinto:rl:start-up".getBytes(StandardCharsets.UTF_8);

	/** Buckets built on the current Redis connection; rebuilt (no I/O) if the connection object ever changes. */
	private volatile RedisBuckets redisBuckets;

	private final Map<String, Bucket> local = new ConcurrentHashMap<>();

	private record RedisBuckets(StatefulRedisConnection<byte[], byte[]> connection, ProxyManager<byte[]> proxy) {
	}

	public RateLimiter(LiveSettings settings, SharedRedis redis) {
		this.settings = settings;
		this.redis = redis;
		warmUp();
	}

	/** The rate of {@code limit} in the settings in effect now. */
	Rate rate(Limit limit) {
		PlintoSettings s = settings.current();
		PlintoSettings.RateLimits limits = s.rateLimits();
		return switch (limit) {
			case SIGN_IN -> limits.signInPerIp();
			case SIGN_UP -> limits.signUpPerIp();
			case PASSWORD_RESET -> limits.passwordResetPerIp();
			case VERIFICATION_MAIL -> limits.verificationMailPerIp();
			case REFRESH -> limits.refreshPerIp();
			case MFA -> s.mfa().perUser();
			case INVITATION -> s.organizations().invitationsPerUser();
			case INVITATION_ACCEPT -> s.organizations().invitationAcceptPerIp();
			case SIGN_IN_MAIL -> s.signIn().mailRate();
			case DEVICE_CODE -> DEVICE_CODE_RATE;
			case DEVICE_POLL -> DEVICE_POLL_RATE;
			case ADMIN_API -> limits.adminApiPerKey();
		};
	}

	private BucketConfiguration configuration(Rate rate) {
		return configurations.computeIfAbsent(rate, RateLimiter::newConfiguration);
	}

	/**
	 * Reads one bucket in Redis while the node starts, before it takes requests: the first call through Bucket4j
	 * and Lettuce loads and compiles their code, which on a busy machine can take longer than the command timeout,
	 * and should not be paid by (or fail) the first sign-ins. The bucket read is a start-up marker of its own, which
	 * expires like any other.
	 */
	private void warmUp() {
		if (redis.configured()) {
			redis.execute(connection -> buckets(connection).builder()
				.build(WARM_UP_KEY, () -> configuration(rate(Limit.SIGN_IN)))
				.getAvailableTokens(), () -> 0L);
		}
	}

	/** The backend's name for the start-up log and health: {@code in-process} or {@code Redis}. */
	public String backend() {
		return redis.configured() ? "Redis" : "in-process";
	}

	/**
	 * Takes one token for {@code key} (an IP address) or throws 429 {@code rate_limited} with the wait in
	 * {@code Retry-After}.
	 */
	public void consume(Limit limit, String key) {
		Optional<Duration> wait = tryConsume(limit, key);
		if (wait.isPresent()) {
			throw ApiException.rateLimited(wait.get());
		}
	}

	/** Takes one token; empty when allowed, otherwise how long until a token is available. */
	public Optional<Duration> tryConsume(Limit limit, String key) {
		Rate rate = rate(limit);
		String name = "plinto:rl:" + limit.name().toLowerCase(Locale.ROOT) + ":" + rate + ":" + key;
		ConsumptionProbe probe;
		if (!redis.configured()) {
			probe = localBucket(rate, name);
		}
		else {
			probe = redis.execute(connection -> buckets(connection).builder()
				.build(name.getBytes(StandardCharsets.UTF_8), () -> configuration(rate))
				.tryConsumeAndReturnRemaining(1), () -> withoutRedis(rate, name));
		}
		return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

	private ConsumptionProbe withoutRedis(Rate rate, String name) {
		if (redis.failureMode() == PlintoSettings.RedisFailure.CLOSED) {
			throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The rate-limit store is unavailable; retry shortly.",
					List.of(), SharedRedis.OPEN_INTERVAL.multipliedBy(2));
		}
		return localBucket(rate, name);
	}

	private ConsumptionProbe localBucket(Rate rate, String name) {
		return local.computeIfAbsent(name, n -> Bucket.builder()
			.addLimit(configuration(rate).getBandwidths()[0])
			.build()).tryConsumeAndReturnRemaining(1);
	}

	/**
	 * The Redis-backed buckets on the shared connection, which {@link SharedRedis} opened at start; building them
	 * makes no call to Redis, so concurrent first requests never wait for or race each other here.
	 */
	private ProxyManager<byte[]> buckets(StatefulRedisConnection<byte[], byte[]> connection) {
		RedisBuckets current = redisBuckets;
		if (current == null || current.connection() != connection) {
			current = new RedisBuckets(connection, Bucket4jLettuce.casBasedBuilder(connection)
				.expirationAfterWrite(
						ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
				// A consumption is two commands (read, then compare-and-set), each bounded by the command timeout.
				.requestTimeout(SharedRedis.COMMAND_TIMEOUT.multipliedBy(2))
				.build());
			redisBuckets = current;
		}
		return current.proxy();
	}

	/** Drops in-process buckets that have refilled completely, so memory stays bounded by recent callers. */
	@Scheduled(fixedDelay = 60_000)
	void evictFullBuckets() {
		// The key holds the rate (plinto:rl:<limit>:<capacity>/<period>:<key>), so a bucket of a rate no longer in
		// effect is recognised as full by its own capacity and dropped too.
		local.entrySet().removeIf(e -> {
			long capacity = Long.parseLong(e.getKey().split(":")[3].split("/")[0]);
			return e.getValue().getAvailableTokens() >= capacity;
		});
	}

	private static BucketConfiguration newConfiguration(Rate rate) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()).build())
			.build();
	}
}
