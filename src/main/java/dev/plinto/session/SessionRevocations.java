package dev.plinto.session;

import dev.plinto.ops.PlintoSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which sessions have ended recently, so that access tokens of a revoked session stop working before they
 * expire (RFC 9068 §6 leaves revocation checks to the resource server; here the API itself is one). Revocations
 * made on this node apply at once; those made on other nodes are read from the database every few seconds.
 * Entries are kept only as long as an access token can live.
 */
@Component
public final class SessionRevocations {

	private static final Duration POLL_OVERLAP = Duration.ofSeconds(10);

	private final SessionRepository sessions;

	private final Clock clock;

	private final Duration retention;

	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private volatile Instant polledUpTo;

	public SessionRevocations(SessionRepository sessions, Clock clock, PlintoSettings settings) {
		this.sessions = sessions;
		this.clock = clock;
		this.retention = settings.accessTokenTtl().plus(Duration.ofMinutes(2));
		this.polledUpTo = clock.instant().minus(retention);
		poll();
	}

	public boolean isRevoked(String sessionId) {
		return sessionId != null && revoked.containsKey(sessionId);
	}

	void markRevoked(String sessionId) {
		revoked.put(sessionId, clock.instant());
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
	}
}
