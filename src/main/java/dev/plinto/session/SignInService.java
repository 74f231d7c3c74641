package dev.plinto.session;

import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.ops.PlintoSettings;
import dev.plinto.security.AuditEvent;
import dev.plinto.security.AuditLog;
import dev.plinto.security.ClientInfo;
import dev.plinto.security.PasswordHasher;
import dev.plinto.security.RateLimiter;
import dev.plinto.security.SecureTokens;
import dev.plinto.security.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Password sign-in as a stored flow.
 * <p>
 * Account enumeration is prevented as the OWASP Authentication Cheat Sheet ("Authentication and Error Messages")
 * asks: an unknown email and a wrong password give the same 401 {@code invalid_credentials}, and an unknown email
 * still pays for one Argon2id verification against a decoy hash so the timing matches. Per-IP buckets and the
 * per-account lockout ({@link SignInLockout}) throttle guessing; a locked account is refused before its password
 * is checked. Hashes made with old parameters are re-hashed after a successful sign-in.
 */
@Service
public final class SignInService {

	/** How long a started flow stays usable; a second factor will be entered within this window. */
	static final Duration FLOW_LIFETIME = Duration.ofMinutes(5);

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final SignInLockout lockout;

	private final RateLimiter rateLimiter;

	private final SignInFlowRepository flows;

	private final SessionService sessions;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final SignInMetrics metrics;

	public SignInService(UserRepository users, PasswordHasher hasher, SignInLockout lockout, RateLimiter rateLimiter,
			SignInFlowRepository flows, SessionService sessions, AuditLog audit, TransactionOperations tx, Clock clock,
			PlintoSettings settings, SignInMetrics metrics) {
		this.users = users;
		this.hasher = hasher;
		this.lockout = lockout;
		this.rateLimiter = rateLimiter;
		this.flows = flows;
		this.sessions = sessions;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
		this.metrics = metrics;
	}

	public TokenResponse signInWithPassword(String rawEmail, String password, SignInFlow.Type type,
			ClientInfo client) {
		Optional<Duration> ipWait = rateLimiter.tryConsume(RateLimiter.Limit.SIGN_IN, client.ip());
		if (ipWait.isPresent()) {
			metrics.signIn("rate_limited");
			throw ApiException.rateLimited(ipWait.get());
		}
		String email = User.normalizeEmail(rawEmail);
		Optional<User> user = users.findByEmail(email);
		Optional<Duration> locked = lockout.tryAttempt(email);
		if (locked.isPresent()) {
			metrics.signIn("locked");
			audit.record(AuditEvent.Type.SIGN_IN_LOCKED, user.map(User::id).orElse(null), null, client,
					"attempt refused: account temporarily locked after repeated failures");
			throw ApiException.rateLimited(locked.get());
		}
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), type, SignInFlow.Strategy.PASSWORD,
				SignInFlow.State.STARTED, user.map(User::id).orElse(null), List.of(), client.ip(), client.userAgent(),
				now, now.plus(FLOW_LIFETIME), null);
		flows.insert(flow);
		boolean valid;
		if (user.isPresent()) {
			valid = hasher.verify(password == null ? "" : password, user.get().passwordHash());
		}
		else {
			hasher.verifyDecoy(password == null ? "" : password);
			valid = false;
		}
		if (!valid) {
			flows.transition(flow.fail(clock.instant()), SignInFlow.State.STARTED);
			metrics.signIn("invalid_credentials");
			audit.record(AuditEvent.Type.SIGN_IN_FAILED, user.map(User::id).orElse(null), null, client,
					user.isPresent() ? "wrong password" : "unknown account");
			throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "The email or password is not correct.");
		}
		User u = user.get();
		lockout.succeeded(email);
		if (hasher.needsRehash(u.passwordHash())) {
			users.updatePasswordHash(u.id(), hasher.hash(password), clock.instant());
		}
		if (settings.emailVerification() == PlintoSettings.EmailVerification.REQUIRED && !u.emailVerified()) {
			flows.transition(flow.fail(clock.instant()), SignInFlow.State.STARTED);
			metrics.signIn("email_not_verified");
			throw new ApiException(ErrorCode.EMAIL_NOT_VERIFIED,
					"Confirm your email address with the link we sent before signing in.");
		}
		TokenResponse tokens = tx.execute(status -> {
			SignInFlow done = flow.complete(u.id(), List.of("pwd"), clock.instant());
			if (!flows.transition(done, SignInFlow.State.STARTED)) {
				throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "This sign-in attempt is no longer valid.");
			}
			TokenResponse response = sessions.start(u, done.id(), done.amr(), client);
			audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, u.id(), response.sessionId(), client, "password");
			return response;
		});
		metrics.signIn("success");
		return tokens;
	}
}
