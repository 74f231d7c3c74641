package dev.plinto.session;

import dev.plinto.account.PasswordChanged;
import dev.plinto.account.User;
import dev.plinto.account.UserMetadata;
import dev.plinto.account.UserRepository;
import dev.plinto.account.UserView;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.token.AccessTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Sessions and refresh-token rotation.
 * <p>
 * Refresh tokens follow RFC 9700 (OAuth 2.0 Security BCP) §4.14.2 and RFC 6819 §5.2.2.3: single use, rotated on
 * every refresh. A refresh token names its session and generation and carries an HMAC-SHA256 under a key derived
 * from the session's own secret ({@link RefreshTokenCodec}); the session row keeps the current generation, so reuse
 * detection is exact with constant storage per session. Rotating is one conditional UPDATE of the session row
 * ({@code where generation = :presented and revoked_at is null}), so of two concurrent refreshes with the same
 * token exactly one wins. Presenting a rotated-out token (a valid MAC, an older generation) after
 * {@code PLINTO_REFRESH_REUSE_GRACE} is treated as theft: the whole session is revoked and the event audited. A
 * token whose MAC does not verify is merely invalid and never ends a session.
 * Session lifetimes follow the OWASP Session Management Cheat Sheet ("Session Expiration": idle and absolute
 * timeouts).
 */
@Service
public final class SessionService {

	/**
	 * {@code last_active_at} is written at most once a minute per session: the idle timeout is measured in days,
	 * and skipping the write saves a statement on most refreshes.
	 */
	static final java.time.Duration TOUCH_GRANULARITY = java.time.Duration.ofMinutes(1);

	private final SessionRepository sessions;

	private final UserRepository users;

	private final AccessTokens accessTokens;

	private final SessionRevocations revocations;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final SignInMetrics metrics;

	private final RateLimiter rateLimiter;

	private final AtomicLong liveSessions = new AtomicLong();

	private final ActiveOrganizationClaims organizationClaims;

	private final ApplicationEventPublisher events;

	private final RefreshTokenCodec refreshTokens;

	public SessionService(SessionRepository sessions, UserRepository users, AccessTokens accessTokens,
			SessionRevocations revocations, AuditLog audit, TransactionOperations tx, Clock clock,
			PlintoSettings settings, SignInMetrics metrics, RateLimiter rateLimiter, MeterRegistry meters,
			ActiveOrganizationClaims organizationClaims, ApplicationEventPublisher events,
			RefreshTokenCodec refreshTokens) {
		this.refreshTokens = refreshTokens;
		this.events = events;
		this.organizationClaims = organizationClaims;
		this.rateLimiter = rateLimiter;
		this.sessions = sessions;
		this.users = users;
		this.accessTokens = accessTokens;
		this.revocations = revocations;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
		this.metrics = metrics;
		Gauge.builder("plinto.sessions.active", liveSessions, AtomicLong::get)
			.description("Sessions that are neither revoked nor expired (recounted every 30 s)")
			.register(meters);
	}

	/**
	 * Starts a session for a user whose sign-in flow completed and returns the first tokens. Runs in the
	 * caller's transaction.
	 */
	public TokenResponse start(User user, String flowId, List<String> amr, ClientInfo client) {
		if (user.banned()) {
			// Every way of signing in ends here: a banned account gets no session, whatever proved it.
			throw SignInService.banned();
		}
		Instant now = clock.instant();
		Session session = new Session(SecureTokens.newId("ses"), user.id(), flowId, amr, client.ip(),
				client.userAgent(), now, now, now.plus(settings.sessionMaxLifetime()), null, null);
		String sealedSecret = refreshTokens.newSealedSecret(session.id());
		sessions.insert(session, sealedSecret);
		events.publishEvent(new SessionStarted(session));
		return issue(user, publicMetadataOf(user.id()), session, sealedSecret, 1);
	}

	/**
	 * New tokens with a refresh token of the session's {@code generation}. Nothing is written for the token: its
	 * session row's generation is all that refreshing and reuse detection need (docs/security.md, "Refresh tokens").
	 * {@code publicMetadata}: the user's public metadata as stored, read only when
	 * {@code PLINTO_TOKEN_PUBLIC_METADATA} is on.
	 */
	private TokenResponse issue(User user, String publicMetadata, Session session, String sealedSecret,
			long generation) {
		String refreshToken = refreshTokens.issue(session.id(), generation, sealedSecret);
		AccessTokens.Issued access = accessTokens.issue(subject(user, publicMetadata, session));
		return new TokenResponse(access.token(), "Bearer", access.expiresIn(), refreshToken, session.id(),
				UserView.of(user));
	}

	/**
	 * A new access token of the given lifetime for a live session, e.g. the session JWT cookie of a browser session
	 * after sign-in or refresh; empty when the session has ended or belongs to someone else.
	 */
	public java.util.Optional<AccessTokens.Issued> sessionToken(String userId, String sessionId,
			java.time.Duration ttl) {
		Instant now = clock.instant();
		return sessions.findById(sessionId)
			.filter(s -> s.userId().equals(userId) && s.isLive(now, settings.sessionIdleTimeout()))
			.flatMap(s -> tokenUser(userId).map(u -> accessTokens.issue(subject(u.user(), u.publicMetadata(), s),
					ttl)));
	}

	/** A user as a token needs them: their public metadata as stored when it goes into tokens, else null. */
	private record TokenUser(User user, String publicMetadata) {
	}

	/**
	 * The user for a new access token, in one statement: with {@code PLINTO_TOKEN_PUBLIC_METADATA} on, the read that
	 * gives the account gives its public metadata too ({@link UserRepository#findProfile}).
	 */
	private java.util.Optional<TokenUser> tokenUser(String userId) {
		if (!settings.tokenPublicMetadata()) {
			return users.findById(userId).map(u -> new TokenUser(u, null));
		}
		return users.findProfile(userId).map(p -> new TokenUser(p.user(), p.metadata().publicJson()));
	}

	/**
	 * The user's public metadata as stored, for a session's first tokens, when {@code PLINTO_TOKEN_PUBLIC_METADATA}
	 * is on (one read at sign-in); null, and no statement, when it is off.
	 */
	private String publicMetadataOf(String userId) {
		if (!settings.tokenPublicMetadata()) {
			return null;
		}
		return users.findProfile(userId).map(p -> p.metadata().publicJson()).orElse(null);
	}

	/**
	 * The token subject, with the active organization's claims as the membership stands now and, with
	 * {@code PLINTO_TOKEN_PUBLIC_METADATA} on, the user's public metadata as stored now (left out when it is larger
	 * than {@link UserMetadata#TOKEN_CLAIM_MAX_BYTES}).
	 */
	private AccessTokens.Subject subject(User user, String publicMetadata, Session session) {
		AccessTokens.Organization organization = session.activeOrganizationId() == null ? null
				: organizationClaims.claims(user.id(), session.activeOrganizationId()).orElse(null);
		java.util.Map<String, Object> metadataClaim = settings.tokenPublicMetadata()
				? UserMetadata.publicClaim(publicMetadata).orElse(null) : null;
		return new AccessTokens.Subject(user.id(), session.id(), user.email(), user.emailVerified(), session.amr(),
				session.createdAt(), session.expiresAt(), organization, session.impersonator(), metadataClaim);
	}

	/**
	 * Sets (or with null clears) the active organization of the caller's live session and returns a new access
	 * token that carries its claims at once; the refresh token is unchanged. The caller has checked that the user
	 * belongs to the organization. Runs in the caller's transaction.
	 */
	public AccessTokenResponse switchOrganization(String userId, String sessionId, String organizationId,
			ClientInfo client) {
		Instant now = clock.instant();
		Session session = sessions.findById(sessionId)
			.filter(s -> s.userId().equals(userId) && s.isLive(now, settings.sessionIdleTimeout()))
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The session has ended; sign in again."));
		TokenUser user = tokenUser(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
		sessions.setActiveOrganization(sessionId, organizationId);
		audit.recordForOrganization(AuditEvent.Type.ACTIVE_ORGANIZATION_CHANGED, userId, sessionId, client,
				organizationId, organizationId == null ? "cleared" : "set");
		Session updated = new Session(session.id(), session.userId(), session.flowId(), session.amr(), session.ip(),
				session.userAgent(), session.createdAt(), session.lastActiveAt(), session.expiresAt(),
				session.revokedAt(), session.revokeReason(), organizationId, session.impersonator());
		AccessTokens.Issued access = accessTokens.issue(subject(user.user(), user.publicMetadata(), updated));
		return new AccessTokenResponse(access.token(), "Bearer", access.expiresIn(), sessionId);
	}

	/** A new access token for the same session, without a new refresh token (served with no-store). */
	public record AccessTokenResponse(String accessToken, String tokenType, long expiresIn, String sessionId) {
	}

	/**
	 * Clears the active organization of the user's sessions (of every session when {@code userId} is null) that
	 * work in it, in the caller's transaction; their next tokens carry no organization claims.
	 */
	public void leftOrganization(String userId, String organizationId) {
		sessions.clearActiveOrganization(userId, organizationId);
	}

	private sealed interface RefreshOutcome permits Refreshed, Refused {
	}

	private record Refreshed(TokenResponse tokens) implements RefreshOutcome {
	}

	/** {@code sessionId}: the session revoked for reuse, to stop its access tokens on this node at once. */
	private record Refused(ErrorCode code, String detail, String sessionId) implements RefreshOutcome {
	}

	/**
	 * Rotates a refresh token: returns new tokens, or throws 401 {@code invalid_refresh_token} / reuse. Tokens of the
	 * current form ({@link RefreshTokenCodec}) are checked against their session's generation, tokens of the earlier
	 * form against their row in {@code refresh_tokens}; both continue in the current form.
	 */
	public TokenResponse refresh(String refreshToken, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.REFRESH, client.ip());
		String token = refreshToken == null ? "" : refreshToken;
		java.util.Optional<RefreshTokenCodec.Parsed> parsed = RefreshTokenCodec.parse(token);
		RefreshOutcome outcome = tx.execute(status -> parsed.isPresent() ? refreshBound(parsed.get(), client)
				: refreshEarlierForm(SecureTokens.hash(token), client));
		if (outcome instanceof Refused refused) {
			if (refused.code() == ErrorCode.REFRESH_TOKEN_REUSED) {
				metrics.refresh("reused");
				revocations.markRevoked(refused.sessionId());
			}
			else {
				metrics.refresh("invalid");
			}
			throw new ApiException(refused.code(), refused.detail());
		}
		metrics.refresh("success");
		return ((Refreshed) outcome).tokens();
	}

	/**
	 * A rotated-out refresh token bound to this session was presented elsewhere than the JSON API (the OpenID
	 * provider's token endpoint): the same answer as {@link #refresh} gives to reuse (RFC 9700 §4.14.2), the session
	 * revoked with reason {@link SessionEnded#REUSE_DETECTED}, its {@code session.reuse_detected} event and the
	 * {@code refresh_token.reused} audit entry, and its access tokens stopped at once.
	 */
	public void refreshTokenReused(String userId, String sessionId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			if (sessions.revoke(sessionId, clock.instant(), SessionEnded.REUSE_DETECTED)) {
				events.publishEvent(new SessionEnded(sessionId, userId, SessionEnded.REUSE_DETECTED));
				audit.record(AuditEvent.Type.REFRESH_TOKEN_REUSED, userId, sessionId, client,
						"a rotated-out refresh token of an OpenID client was presented; session revoked");
			}
		});
		revocations.markRevoked(sessionId);
		metrics.refresh("reused");
	}

	/**
	 * A refresh token of the current form. Its MAC is verified first: a token this server did not issue is invalid
	 * and ends nothing, whatever session and generation it names, so that nobody can end a session whose id they
	 * know by presenting a made-up token. A verified token of the session's current generation is rotated by one
	 * conditional UPDATE of the session row; a verified token of an older generation was rotated out, so a second
	 * party holds (or held) a copy: the session is revoked (RFC 9700 §4.14.2, refresh token rotation: "if a refresh
	 * token is compromised and subsequently used by both the attacker and the legitimate client, one of them will
	 * present an invalidated refresh token, which will inform the authorization server of the breach"). The one
	 * exception is the previous generation within {@code PLINTO_REFRESH_REUSE_GRACE} of its rotation: a client
	 * retrying a refresh whose answer it lost.
	 */
	private RefreshOutcome refreshBound(RefreshTokenCodec.Parsed token, ClientInfo client) {
		Instant now = clock.instant();
		SessionRepository.RefreshState state = sessions.findRefreshState(token.sessionId()).orElse(null);
		if (state == null || state.sealedSecret() == null || !refreshTokens.verify(token, state.sealedSecret())) {
			return invalid("The refresh token is not valid.");
		}
		long current = state.generation();
		if (token.generation() > current) {
			// Issued for a generation the database has not reached: only after a restore from an earlier backup.
			return invalid("The refresh token is not valid.");
		}
		if (token.generation() < current) {
			// A rotated-out token is answered as reuse even when its session has already ended, e.g. revoked a
			// moment ago by a concurrent refresh that detected the reuse first (RFC 9700 §4.14.2).
			if (token.generation() == current - 1 && inGrace(state.rotatedAt(), now)) {
				return retry(state, now);
			}
			return reused(state.session(), client, now);
		}
		if (!state.session().isLive(now, settings.sessionIdleTimeout())) {
			return invalid("The session has ended; sign in again.");
		}
		if (!sessions.rotate(state.session().id(), current, now)) {
			// Another refresh advanced the generation first, or the session was revoked meanwhile: decide on what
			// is committed now. Of concurrent refreshes with the same token exactly one rotates; the others are
			// retries within the grace, or reuse.
			SessionRepository.RefreshState after = sessions.findRefreshState(token.sessionId()).orElse(null);
			if (after == null || after.generation() == current) {
				return invalid("The session has ended; sign in again.");
			}
			if (after.generation() == current + 1 && inGrace(after.rotatedAt(), now)) {
				return retry(after, now);
			}
			return reused(after.session(), client, now);
		}
		return new Refreshed(issue(state.user(), state.publicMetadata(), state.session(), state.sealedSecret(),
				current + 1));
	}

	/**
	 * A refresh token of the earlier form, known by its SHA-256 hash in {@code refresh_tokens}: single use by one
	 * conditional UPDATE of its row, reuse detected from its {@code used_at}. Accepted, it continues the session in
	 * the current form: the session gets its secret (if it has none yet) and its next generation.
	 */
	private RefreshOutcome refreshEarlierForm(String hash, ClientInfo client) {
		Instant now = clock.instant();
		SessionRepository.RefreshTokenRecord record = sessions.findRefreshToken(hash).orElse(null);
		if (record == null) {
			return invalid("The refresh token is not valid.");
		}
		Session session = record.session();
		// A rotated-out token is answered as reuse even when its session has already ended, e.g. revoked a
		// moment ago by a concurrent refresh that detected the reuse first (RFC 9700 §4.14.2).
		boolean rotatedOut = record.usedAt() != null && !inGrace(record.usedAt(), now);
		if (!rotatedOut && !session.isLive(now, settings.sessionIdleTimeout())) {
			return invalid("The session has ended; sign in again.");
		}
		boolean won = record.usedAt() == null && sessions.markRefreshTokenUsed(hash, now);
		if (!won && !inGrace(record.usedAt() != null ? record.usedAt() : now, now)) {
			return reused(session, client, now);
		}
		SessionRepository.RefreshState state = sessions.findRefreshState(session.id()).orElse(null);
		if (state == null) {
			return invalid("The session has ended; sign in again.");
		}
		if (!won && state.sealedSecret() != null) {
			return retry(state, now);
		}
		if (!sessions.upgradeRefresh(session.id(), refreshTokens.newSealedSecret(session.id()), now)) {
			return invalid("The session has ended; sign in again.");
		}
		SessionRepository.RefreshState upgraded = sessions.findRefreshState(session.id()).orElseThrow();
		return new Refreshed(issue(upgraded.user(), upgraded.publicMetadata(), upgraded.session(),
				upgraded.sealedSecret(), upgraded.generation()));
	}

	/**
	 * A retry within the grace of a token rotated out a moment ago: new tokens for the session's current
	 * generation, without advancing it, so the refresh token answered to the first try stays valid as well.
	 */
	private RefreshOutcome retry(SessionRepository.RefreshState state, Instant now) {
		Session session = state.session();
		if (!session.isLive(now, settings.sessionIdleTimeout())) {
			return invalid("The session has ended; sign in again.");
		}
		if (session.lastActiveAt().isBefore(now.minus(TOUCH_GRANULARITY))) {
			sessions.touch(session.id(), now);
		}
		return new Refreshed(issue(state.user(), state.publicMetadata(), session, state.sealedSecret(),
				state.generation()));
	}

	/** Revokes the session for refresh-token reuse (audited and announced once) and answers reuse. */
	private Refused reused(Session session, ClientInfo client, Instant now) {
		if (sessions.revoke(session.id(), now, SessionEnded.REUSE_DETECTED)) {
			events.publishEvent(new SessionEnded(session.id(), session.userId(), SessionEnded.REUSE_DETECTED));
			audit.record(AuditEvent.Type.REFRESH_TOKEN_REUSED, session.userId(), session.id(), client,
					"a rotated-out refresh token was presented; session revoked");
		}
		return new Refused(ErrorCode.REFRESH_TOKEN_REUSED,
				"This refresh token was already used, so its session was revoked; sign in again.", session.id());
	}

	private static Refused invalid(String detail) {
		return new Refused(ErrorCode.INVALID_REFRESH_TOKEN, detail, null);
	}

	/** Whether a token rotated out at {@code rotatedAt} may still be presented (PLINTO_REFRESH_REUSE_GRACE). */
	private boolean inGrace(Instant rotatedAt, Instant now) {
		java.time.Duration grace = settings.refreshReuseGrace();
		return !grace.isZero() && rotatedAt != null && !now.isAfter(rotatedAt.plus(grace));
	}

	public List<Session> live(String userId) {
		Instant now = clock.instant();
		return sessions.findLive(userId, now, now.minus(settings.sessionIdleTimeout()));
	}

	/** Signs out: revokes the caller's own session. */
	public void signOut(String userId, String sessionId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			if (sessions.revoke(sessionId, clock.instant(), "sign_out")) {
				events.publishEvent(new SessionEnded(sessionId, userId, "sign_out"));
				audit.record(AuditEvent.Type.SIGN_OUT, userId, sessionId, client, null);
			}
		});
		revocations.markRevoked(sessionId);
	}

	/** Revokes one of the user's sessions; 404 when it is not theirs or already ended. */
	public void revoke(String userId, String sessionId, String currentSessionId, ClientInfo client) {
		Session session = sessions.findById(sessionId).filter(s -> s.userId().equals(userId)).orElse(null);
		if (session == null || !session.isLive(clock.instant(), settings.sessionIdleTimeout())) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No live session with this id belongs to you.");
		}
		tx.executeWithoutResult(status -> {
			if (sessions.revoke(sessionId, clock.instant(), "revoked_by_user")) {
				events.publishEvent(new SessionEnded(sessionId, userId, "revoked_by_user"));
				audit.record(AuditEvent.Type.SESSION_REVOKED, userId, currentSessionId, client,
						"revoked session " + sessionId);
			}
		});
		revocations.markRevoked(sessionId);
	}

	/** Why the operator ended a session (the Backend API), in {@code session.revoked} events and webhooks. */
	public static final String REVOKED_BY_ADMIN = "revoked_by_admin";

	/**
	 * Who starts an impersonation: an API key's id ({@code user} false), or an administrator's user id and the
	 * session they act from ({@code user} true, the admin dashboard).
	 */
	public record Impersonator(String id, boolean user, String sessionId) {
	}

	/**
	 * Starts a session for {@code user} on behalf of {@code actor} (an API key with {@code users:impersonate}, or an
	 * administrator of the dashboard): a support engineer sees the product as the user does. The session lives at
	 * most {@code lifetime} and cannot be extended beyond it; its access tokens carry {@code act: {sub: actor}}
	 * (RFC 8693 §4.1), so backends can tell it apart and refuse what a stand-in must not do; the Backend API refuses
	 * them like any session token. Audited as {@code user.impersonated} on the user (the user sees it among their
	 * security events) with the actor. When the actor is a user, the same transaction records
	 * {@code user.impersonation_started} on the actor's own account, naming the user and the new session, so that
	 * the administrator's own security events show it too (OWASP Logging Cheat Sheet, "Which events to log": use of
	 * higher-risk functionality, attributable to the account that used it); an API key has no account, and is the
	 * actor of the one event. A banned user cannot be impersonated. Runs in its own transaction.
	 */
	public TokenResponse impersonate(User user, Impersonator actor, java.time.Duration lifetime, ClientInfo client) {
		if (user.banned()) {
			throw SignInService.banned();
		}
		return tx.execute(status -> {
			Instant now = clock.instant();
			Session session = new Session(SecureTokens.newId("ses"), user.id(), null, List.of(), client.ip(),
					client.userAgent(), now, now, now.plus(lifetime), null, null, null, actor.id());
			String sealedSecret = refreshTokens.newSealedSecret(session.id());
			sessions.insert(session, sealedSecret);
			events.publishEvent(new SessionStarted(session));
			audit.record(AuditEvent.Type.USER_IMPERSONATED, user.id(), session.id(), client, "by " + actor.id());
			if (actor.user()) {
				audit.record(AuditEvent.Type.USER_IMPERSONATION_STARTED, actor.id(), actor.sessionId(), client,
						"as " + user.id() + " in session " + session.id());
			}
			return issue(user, publicMetadataOf(user.id()), session, sealedSecret, 1);
		});
	}

	/** A session by id, live or not (the Backend API). */
	public java.util.Optional<Session> find(String sessionId) {
		return sessions.findById(sessionId);
	}

	/**
	 * Revokes a live session at the operator's request (the Backend API), whoever it belongs to; its access tokens
	 * stop on every node ({@link SessionRevocations}). 404 when no live session has this id.
	 */
	public Session revokeByOperator(String sessionId, ClientInfo client) {
		Session session = sessions.findById(sessionId).orElse(null);
		if (session == null || !session.isLive(clock.instant(), settings.sessionIdleTimeout())) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No live session has this id.");
		}
		tx.executeWithoutResult(status -> {
			if (sessions.revoke(sessionId, clock.instant(), REVOKED_BY_ADMIN)) {
				events.publishEvent(new SessionEnded(sessionId, session.userId(), REVOKED_BY_ADMIN));
				audit.record(AuditEvent.Type.SESSION_REVOKED, session.userId(), null, client,
						"revoked session " + sessionId + " (" + REVOKED_BY_ADMIN + ")");
			}
		});
		revocations.markRevoked(sessionId);
		return session;
	}

	/** Ends the sessions of an account whose password changed, in the transaction of the change. */
	@EventListener
	void passwordChanged(PasswordChanged change) {
		revokeAll(change.userId(), change.keptSessionId(), change.reason(), change.client());
	}

	/**
	 * Revokes all of the user's sessions except {@code keepSessionId} (null revokes all) in the caller's
	 * transaction, and stops their access tokens on this node at once.
	 */
	public List<String> revokeAll(String userId, String keepSessionId, String reason, ClientInfo client) {
		Instant now = clock.instant();
		List<String> live = sessions.findLive(userId, now, now.minus(settings.sessionIdleTimeout()))
			.stream()
			.map(Session::id)
			.toList();
		List<String> revoked = sessions.revokeAllForUser(userId, keepSessionId, now, reason);
		revoked.forEach(revocations::markRevoked);
		// Sessions that had already ended by idle timeout or max lifetime are marked too, but not reported.
		List<String> ended = revoked.stream().filter(live::contains).toList();
		for (String id : ended) {
			events.publishEvent(new SessionEnded(id, userId, reason));
			audit.record(AuditEvent.Type.SESSION_REVOKED, userId, keepSessionId, client,
					"revoked session " + id + " (" + reason + ")");
		}
		return ended;
	}

	public int revokeOthers(String userId, String currentSessionId, ClientInfo client) {
		return tx.execute(status -> revokeAll(userId, currentSessionId, "revoked_by_user", client)).size();
	}

	@Scheduled(fixedDelay = 30_000, initialDelay = 0)
	void countLive() {
		Instant now = clock.instant();
		liveSessions.set(sessions.countLive(now, now.minus(settings.sessionIdleTimeout())));
	}
}
