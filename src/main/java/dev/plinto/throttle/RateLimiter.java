package dev.plinto.throttle;

import dev.plinto.config.PlintoSettings.Rate;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-IP token buckets (Bucket4j) for the endpoints an attacker would hammer: sign-in, sign-up, password reset,
 * verification mail and refresh (OWASP Authentication Cheat Sheet, "Protect against automated attacks";
 * OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption"). With Redis configured the buckets
 * live in Redis and every node shares them; otherwise they live in this process. When Redis cannot be reached
 * the request is refused with 503 rather than let through unlimited (fail closed).
 */
@Component
public final class RateLimiter {

	private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

	/** What is being limited; each has its own configured rate. */
	public enum Limit { SIGN_IN, SIGN_UP, PASSWORD_RESET, VERIFICATION_MAIL, REFRESH, MFA, INVITATION, INVITATION_ACCEPT }

	private final Map<Limit, BucketConfiguration> configurations = new EnumMap<>(Limit.class);

	private final RedisClient redisClient;

	private static final long RECONNECT_INTERVAL_NANOS = 2_000_000_000L;

	private final ReentrantLock connecting = new ReentrantLock();

	private volatile long lastConnectAttempt = System.nanoTime() - RECONNECT_INTERVAL_NANOS;

	private volatile ProxyManager<byte[]> redis;

	private final Map<String, Bucket> local = new ConcurrentHashMap<>();

	public RateLimiter(PlintoSettings settings, ObjectProvider<RedisClient> redisClient) {
		PlintoSettings.RateLimits limits = settings.rateLimits();
		configurations.put(Limit.SIGN_IN, configuration(limits.signInPerIp()));
		configurations.put(Limit.SIGN_UP, configuration(limits.signUpPerIp()));
		configurations.put(Limit.PASSWORD_RESET, configuration(limits.passwordResetPerIp()));
		configurations.put(Limit.VERIFICATION_MAIL, configuration(limits.verificationMailPerIp()));
		configurations.put(Limit.REFRESH, configuration(limits.refreshPerIp()));
		configurations.put(Limit.MFA, configuration(settings.mfa().perUser()));
		configurations.put(Limit.INVITATION, configuration(settings.organizations().invitationsPerUser()));
		configurations.put(Limit.INVITATION_ACCEPT, configuration(settings.organizations().invitationAcceptPerIp()));
		this.redisClient = redisClient.getIfAvailable();
	}

	/** The backend's name for the start-up log and health: {@code in-process} or {@code Redis}. */
	public String backend() {
		return redisClient == null ? "in-process" : "Redis";
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
		String name = "plinto:rl:" + limit.name().toLowerCase(java.util.Locale.ROOT) + ":" + key;
		ConsumptionProbe probe;
		if (redisClient == null) {
			probe = local.computeIfAbsent(name, n -> Bucket.builder()
				.addLimit(configurations.get(limit).getBandwidths()[0])
				.build()).tryConsumeAndReturnRemaining(1);
		}
		else {
			try {
				probe = redis().builder()
					.build(name.getBytes(StandardCharsets.UTF_8), () -> configurations.get(limit))
					.tryConsumeAndReturnRemaining(1);
			}
			catch (RuntimeException e) {
				log.error("Redis rate-limit backend unreachable: {}", e.getClass().getSimpleName());
				throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
						"The rate-limit store is unavailable; retry shortly.", java.util.List.of(),
						Duration.ofSeconds(5));
			}
		}
		return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
	}

	/**
	 * The Redis-backed buckets, connected on first use rather than at start-up, so that a node starts, reports
	 * Redis down in its health checks and answers 503 while Redis is unreachable, instead of failing to start; a
	 * failed connection is retried by the next request, and once connected Lettuce reconnects by itself.
	 */
	private ProxyManager<byte[]> redis() {
		ProxyManager<byte[]> proxy = redis;
		if (proxy != null) {
			return proxy;
		}
		// One connection attempt at a time and at most one every two seconds: requests arriving meanwhile fail
		// fast with 503 instead of queueing behind a connect timeout.
		long now = System.nanoTime();
		if (now - lastConnectAttempt < RECONNECT_INTERVAL_NANOS || !connecting.tryLock()) {
			throw new IllegalStateException("Redis is not connected");
		}
		try {
			if (redis == null) {
				lastConnectAttempt = System.nanoTime();
				redis = Bucket4jLettuce.casBasedBuilder(redisClient)
					.expirationAfterWrite(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.requestTimeout(Duration.ofSeconds(2))
					.build();
			}
			return redis;
		}
		finally {
			connecting.unlock();
		}
	}

	/** Drops in-process buckets that have refilled completely, so memory stays bounded by recent callers. */
	@Scheduled(fixedDelay = 60_000)
	void evictFullBuckets() {
		local.entrySet().removeIf(e -> {
			Limit limit = Limit.valueOf(e.getKey().split(":")[2].toUpperCase(java.util.Locale.ROOT));
			return e.getValue().getAvailableTokens() >= configurations.get(limit).getBandwidths()[0].getCapacity();
		});
	}

	private static BucketConfiguration configuration(Rate rate) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()).build())
			.build();
	}
}
