package dev.plinto.session;

import dev.plinto.config.PlintoSettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which sessions have ended recently, so that access tokens of a revoked session stop working before they
 * expire (RFC 9068 §6 leaves revocation checks to the resource server; here the API itself is one). Revocations
 * made on this node apply at once. Other nodes learn them through Redis pub/sub within milliseconds when Redis is
 * configured, and in any case from the database, which every node polls every few seconds (so a Redis outage
 * delays revocations by at most the poll interval and loses none). Entries are kept only as long as an access
 * token can live.
 * <p>
 * It also binds each access token to its session ({@link #accepts}): a token is honoured only when its {@code sid}
 * names a session of its own {@code sub} that was not revoked. A correctly signed token naming another user's
 * session, or a session that does not exist, is refused (RFC 9068 §4: the resource server validates every claim it
 * relies on; RFC 8725 §3.10: claims are checked against the context they are used in). A session's user never
 * changes, so a binding once confirmed is remembered for as long as a token can live and looked up again after.
 */
@Component
public final class SessionRevocations {

	private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);

	private static final Duration POLL_OVERLAP = Duration.ofSeconds(10);

	private final SessionRepository sessions;

	private final Clock clock;

	private final Duration retention;

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	/** Sessions confirmed to belong to a user, by session id; bounded by {@link #MAX_BINDINGS}. */
	private final Map<String, Binding> bindings = new ConcurrentHashMap<>();

	/** Beyond this many remembered bindings, further sessions are looked up on each use instead. */
	static final int MAX_BINDINGS = 200_000;

	private record Binding(String userId, Instant confirmedAt) {
	}

	static final String CHANNEL = "plinto:session-revocations";

	private volatile Instant polledUpTo;

	private final RedisClient redis;

	private volatile StatefulRedisPubSubConnection<String, String> subscription;

	private volatile StatefulRedisConnection<String, String> publisher;

	public SessionRevocations(SessionRepository sessions, Clock clock, PlintoSettings settings,
			ObjectProvider<RedisClient> redis) {
		this.sessions = sessions;
		this.clock = clock;
		this.redis = redis.getIfAvailable();
		this.retention = settings.accessTokenTtl().plus(Duration.ofMinutes(2));
		this.polledUpTo = clock.instant().minus(retention);
		poll();
	}

	public boolean isRevoked(String sessionId) {
		return sessionId != null && revoked.containsKey(sessionId);
	}

	/**
	 * Whether an access token of {@code userId} for {@code sessionId} may be honoured: the session exists, belongs to
	 * that user and was not revoked. The first use of a session on this node reads it from the database.
	 */
	public boolean accepts(String sessionId, String userId) {
		if (sessionId == null || userId == null || isRevoked(sessionId)) {
			return false;
		}
		Binding known = bindings.get(sessionId);
		if (known != null) {
			return known.userId().equals(userId);
		}
		Session session = sessions.findById(sessionId).orElse(null);
		if (session == null || !session.userId().equals(userId) || session.revokedAt() != null) {
			return false;
		}
		if (bindings.size() < MAX_BINDINGS) {
			bindings.put(sessionId, new Binding(userId, clock.instant()));
		}
		return true;
	}

	void markRevoked(String sessionId) {
		revoked.put(sessionId, clock.instant());
		StatefulRedisConnection<String, String> c = publisher;
		if (c != null && c.isOpen()) {
			c.async().publish(CHANNEL, sessionId); // never blocks the request; the database poll is the fallback
		}
	}

	/**
	 * Connects to Redis to publish and receive revocations; retried every few seconds until Redis answers, and
	 * once connected Lettuce reconnects and resubscribes by itself.
	 */
	@Scheduled(fixedDelay = 5_000)
	void connect() {
		if (redis == null || subscription != null) {
			return;
		}
		try {
			if (publisher == null) {
				publisher = redis.connect();
			}
			StatefulRedisPubSubConnection<String, String> c = redis.connectPubSub();
			c.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String channel, String sessionId) {
					revoked.putIfAbsent(sessionId, clock.instant());
				}
			});
			c.sync().subscribe(CHANNEL);
			subscription = c;
		}
		catch (RuntimeException e) {
			log.warn("Cannot reach Redis for revocation fan-out ({}); relying on the database poll",
					e.getClass().getSimpleName());
		}
	}

	@PreDestroy
	void close() {
		if (subscription != null) {
			subscription.close();
		}
		if (publisher != null) {
			publisher.close();
		}
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.revocation-poll:3000}")
	void poll() {
		Instant now = clock.instant();
		Instant since = polledUpTo.minus(POLL_OVERLAP);
		for (String id : sessions.findRevokedSince(since)) {
			revoked.putIfAbsent(id, now);
		}
		polledUpTo = now;
		Instant cutoff = now.minus(retention);
		revoked.values().removeIf(at -> at.isBefore(cutoff));
		bindings.values().removeIf(binding -> binding.confirmedAt().isBefore(cutoff));
	}
}
