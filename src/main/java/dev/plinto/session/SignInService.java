package dev.plinto.session;

import dev.plinto.account.AccountService;
import dev.plinto.account.PasswordDomains;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.account.UserView;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Sign-in as a stored flow: the password strategy here, the passkey strategy's start, and {@link #proceed}, where
 * every first factor (password, passkey, emailed code or link in {@link EmailSignInService}) continues to the
 * second factor, the enrolment step or the session. {@link #requireMethod} refuses a first factor that
 * {@code PLINTO_SIGN_IN_METHODS} switched off.
 * <p>
 * Account enumeration is prevented as the OWASP Authentication Cheat Sheet ("Authentication and Error Messages")
 * asks: an unknown email and a wrong password give the same 401 {@code invalid_credentials}, and an unknown email
 * still pays for one Argon2id verification against a decoy hash so the timing matches. Per-IP buckets and the
 * per-account lockout ({@link SignInLockout}) throttle guessing; a locked account is refused before its password
 * is checked. Hashes made with old parameters are re-hashed after a successful sign-in.
 * <p>
 * When the user has a second factor, a correct password does not end the flow: it moves to {@code MFA_REQUIRED}
 * and the caller receives an {@code mfa_token}, a 256-bit single-use secret stored only as a SHA-256 hash on the
 * flow and valid for the flow's five minutes (OWASP Multifactor Authentication Cheat Sheet, "Implementing MFA":
 * the second step must be bound to the first). The account's failure count is then only cleared once the second
 * factor succeeds, so alternating a correct password with guessed codes cannot reset the lockout. With
 * {@code PLINTO_MFA=required} a user without a factor gets a restricted enrolment token instead of a session
 * (docs/mfa.md). Every successful strategy ends through {@link #complete}, which starts the session, audits it and
 * counts it.
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

	private final LiveSettings live;

	private final SignInMetrics metrics;

	private final SecondFactors factors;

	private final AccountService accounts;

	private final PasswordDomains passwordDomains;

	/** How long an enrolment token of {@code PLINTO_MFA=required} lets its user enrol. */
	static final Duration ENROLLMENT_LIFETIME = Duration.ofMinutes(15);

	/** Prefixes of the flow tokens, so that the token kinds cannot be mistaken for one another. */
	public static final String MFA_TOKEN_PREFIX = "mfa_";

	public static final String ENROLLMENT_TOKEN_PREFIX = "enr_";

	/** What a password sign-in ends with: a session, a second-factor step, or a required enrolment. */
	public sealed interface SignInResult permits Completed, MfaRequired, EnrollmentRequired {
	}

	public record Completed(TokenResponse tokens) implements SignInResult {
	}

	public record MfaRequired(String mfaToken, List<String> factors, Instant expiresAt) implements SignInResult {
	}

	public record EnrollmentRequired(String enrollmentToken, Instant expiresAt, UserView user)
			implements SignInResult {
	}

	/**
	 * The outcome of sign-up: tokens; or (with required verification) no session until the email is confirmed;
	 * or (with {@code PLINTO_MFA=required}) an enrolment token instead of a session (docs/mfa.md).
	 */
	public record SignUpResult(TokenResponse tokens, User user, EnrollmentRequired enrollment) {

		public boolean verificationRequired() {
			return tokens == null && enrollment == null;
		}
	}

	public SignInService(UserRepository users, PasswordHasher hasher, SignInLockout lockout, RateLimiter rateLimiter,
			SignInFlowRepository flows, SessionService sessions, AuditLog audit, TransactionOperations tx, Clock clock,
			PlintoSettings settings, LiveSettings live, SignInMetrics metrics, SecondFactors factors, AccountService accounts,
			PasswordDomains passwordDomains) {
		this.passwordDomains = passwordDomains;
		this.accounts = accounts;
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
		this.live = live;
		this.metrics = metrics;
		this.factors = factors;
	}
	/**
	 * Creates an account and, in the same transaction, what follows: a session (201), nothing until the email is
	 * confirmed ({@code PLINTO_EMAIL_VERIFICATION=required}), or an enrolment step ({@code PLINTO_MFA=required}).
	 */
	public SignUpResult signUp(String email, String password, String name, ClientInfo client) {
		return accounts.signUp(email, password, name, client, user -> {
			if (settings.emailVerification() == PlintoSettings.EmailVerification.REQUIRED) {
				return new SignUpResult(null, user, null);
			}
			if (live.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED) {
				return new SignUpResult(null, user, startEnrollment(user, client));
			}
			TokenResponse tokens = sessions.start(user, null, List.of("pwd"), client);
			audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, user.id(), tokens.sessionId(), client, "sign-up");
			return new SignUpResult(tokens, user, null);
		});
	}


	public SignInResult signInWithPassword(String rawEmail, String password, SignInFlow.Type type,
			ClientInfo client) {
		requireMethod(PlintoSettings.SignInMethod.PASSWORD);
		Optional<Duration> ipWait = rateLimiter.tryConsume(RateLimiter.Limit.SIGN_IN, client.ip());
		if (ipWait.isPresent()) {
			metrics.signIn("rate_limited");
			throw ApiException.rateLimited(ipWait.get());
		}
		if (passwordDomains.passwordsDisabled(rawEmail)) {
			// Decided on the domain alone, before the account is looked up: the same answer for every address of
			// the domain, so it tells nothing about which accounts exist (OWASP Authentication Cheat Sheet).
			metrics.signIn("passwords_disabled");
			audit.record(AuditEvent.Type.SIGN_IN_FAILED, null, null, client,
					"password refused: passwords are disabled for the email domain");
			passwordDomains.requirePasswordsAllowed(rawEmail);
		}
		Optional<User> user = users.findByAddress(rawEmail);
		String email = user.map(User::email).orElseGet(() -> User.normalizeEmail(rawEmail));
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
		if (hasher.needsRehash(u.passwordHash())) {
			users.updatePasswordHash(u.id(), hasher.hash(password), clock.instant());
		}
		if (settings.emailVerification() == PlintoSettings.EmailVerification.REQUIRED && !u.emailVerified()) {
			lockout.succeeded(email);
			flows.transition(flow.fail(clock.instant()), SignInFlow.State.STARTED);
			metrics.signIn("email_not_verified");
			throw new ApiException(ErrorCode.EMAIL_NOT_VERIFIED,
					"Confirm your email address with the link we sent before signing in.");
		}
		return proceed(flow, u, List.of("pwd"), client, "password", ErrorCode.INVALID_CREDENTIALS);
	}

	/**
	 * What follows a correct first factor of any strategy, for a flow still in {@code STARTED}: the second-factor
	 * step when the user has a factor ({@code mfa_token}), the enrolment step when {@code PLINTO_MFA=required} and
	 * the user has none, otherwise the session ({@link #complete}).
	 *
	 * @param amr the methods the first factor satisfied (RFC 8176), e.g. {@code pwd}
	 * @param how the audit detail of a successful sign-in, e.g. {@code password}
	 * @param lostRace the code of the answer when another request moved the flow first
	 */
	public SignInResult proceed(SignInFlow flow, User u, List<String> amr, ClientInfo client, String how,
			ErrorCode lostRace) {
		if (u.banned()) {
			// After a correct first factor only, so the answer tells nothing to someone who does not know it.
			flows.transition(flow.fail(clock.instant()), SignInFlow.State.STARTED, null);
			lockout.succeeded(u.email());
			metrics.signIn("banned");
			audit.record(AuditEvent.Type.SIGN_IN_FAILED, u.id(), null, client, "account banned");
			throw banned();
		}
		List<String> available = factors.available(u.id());
		if (!available.isEmpty()) {
			// The failure count stays until the second factor succeeds (see the class comment).
			String token = MFA_TOKEN_PREFIX + SecureTokens.newSecret();
			SignInFlow waiting = flow.moveTo(SignInFlow.State.MFA_REQUIRED, u.id(), amr,
					clock.instant().plus(FLOW_LIFETIME));
			if (!flows.transition(waiting, SignInFlow.State.STARTED, SecureTokens.hash(token))) {
				throw new ApiException(lostRace, "This sign-in attempt is no longer valid.");
			}
			metrics.signIn("mfa_required");
			return new MfaRequired(token, available, waiting.expiresAt());
		}
		if (live.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED) {
			lockout.succeeded(u.email());
			EnrollmentRequired enrollment = enroll(flow, u, amr);
			metrics.signIn("mfa_enrollment_required");
			return enrollment;
		}
		return new Completed(complete(flow, SignInFlow.State.STARTED, u, amr, client, how, lostRace));
	}

	/**
	 * With {@code PLINTO_MFA=required}: a new account (just signed up with its password) gets an enrolment token
	 * instead of a session, exactly like a sign-in of a user without a factor. Runs in the caller's transaction.
	 */
	public EnrollmentRequired startEnrollment(User user, ClientInfo client) {
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), SignInFlow.Type.API, SignInFlow.Strategy.PASSWORD,
				SignInFlow.State.STARTED, user.id(), List.of(), client.ip(), client.userAgent(), now,
				now.plus(FLOW_LIFETIME), null);
		flows.insert(flow);
		return enroll(flow, user, List.of("pwd"));
	}

	private EnrollmentRequired enroll(SignInFlow flow, User user, List<String> amr) {
		String token = ENROLLMENT_TOKEN_PREFIX + SecureTokens.newSecret();
		SignInFlow enrolling = flow.moveTo(SignInFlow.State.ENROLLMENT_REQUIRED, user.id(), amr,
				clock.instant().plus(ENROLLMENT_LIFETIME));
		if (!flows.transition(enrolling, SignInFlow.State.STARTED, SecureTokens.hash(token))) {
			throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "This sign-in attempt is no longer valid.");
		}
		return new EnrollmentRequired(token, enrolling.expiresAt(), UserView.of(user));
	}

	/**
	 * Ends a flow successfully: moves it from {@code expected} to {@code COMPLETED} with the satisfied methods
	 * (exactly once: a flow another request completed first is refused with {@code lostRace}), starts the session,
	 * audits the sign-in, clears the account's failure count and counts the success.
	 */
	public TokenResponse complete(SignInFlow flow, SignInFlow.State expected, User user, List<String> amr,
			ClientInfo client, String how, ErrorCode lostRace) {
		TokenResponse tokens = tx.execute(status -> {
			SignInFlow done = flow.complete(user.id(), amr, clock.instant());
			if (!flows.transition(done, expected, null)) {
				throw new ApiException(lostRace, "This sign-in attempt is no longer valid.");
			}
			TokenResponse response = sessions.start(user, done.id(), done.amr(), client);
			audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, user.id(), response.sessionId(), client, how);
			return response;
		});
		lockout.succeeded(user.email());
		metrics.signIn("success");
		return tokens;
	}

	/** The flow waiting for a second factor behind this {@code mfa_token}; 401 {@code invalid_mfa_token} if none. */
	public SignInFlow awaitingSecondFactor(String mfaToken) {
		return byToken(mfaToken, MFA_TOKEN_PREFIX, SignInFlow.State.MFA_REQUIRED)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_MFA_TOKEN,
					"The mfa_token is unknown, expired or already used; sign in with the password again."));
	}

	/**
	 * The flow waiting for its user to enrol a second factor behind this enrolment token ({@code PLINTO_MFA=required});
	 * 401 {@code invalid_mfa_token} if none, so the user signs in with the password again.
	 */
	public SignInFlow awaitingEnrollment(String enrollmentToken) {
		return byToken(enrollmentToken, ENROLLMENT_TOKEN_PREFIX, SignInFlow.State.ENROLLMENT_REQUIRED)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_MFA_TOKEN,
					"The enrolment token is unknown, expired or already used; sign in with the password again."));
	}

	/** The user a live enrolment token of {@code PLINTO_MFA=required} belongs to, if it is one. */
	public Optional<String> enrollingUser(String enrollmentToken) {
		return byToken(enrollmentToken, ENROLLMENT_TOKEN_PREFIX, SignInFlow.State.ENROLLMENT_REQUIRED)
			.map(SignInFlow::userId);
	}

	private Optional<SignInFlow> byToken(String token, String prefix, SignInFlow.State state) {
		if (token == null || !token.startsWith(prefix)) {
			return Optional.empty();
		}
		Instant now = clock.instant();
		return flows.findByTokenHash(SecureTokens.hash(token))
			.filter(f -> f.state() == state && f.expiresAt().isAfter(now));
	}

	/** Starts a passwordless passkey flow; the user is known only once the assertion names its credential. */
	public SignInFlow startPasskey(SignInFlow.Type type, ClientInfo client) {
		requireMethod(PlintoSettings.SignInMethod.PASSKEY);
		Instant now = clock.instant();
		SignInFlow flow = new SignInFlow(SecureTokens.newId("sia"), type, SignInFlow.Strategy.PASSKEY,
				SignInFlow.State.STARTED, null, List.of(), client.ip(), client.userAgent(), now,
				now.plus(FLOW_LIFETIME), null);
		flows.insert(flow);
		return flow;
	}

	/** A live flow in the given state, by id. */
	public Optional<SignInFlow> live(String flowId, SignInFlow.State state) {
		Instant now = clock.instant();
		return flows.findById(flowId).filter(f -> f.state() == state && f.expiresAt().isAfter(now));
	}

	/** Marks a flow failed (e.g. a passkey assertion that did not verify); false if it had moved on. */
	public boolean fail(SignInFlow flow, SignInFlow.State expected) {
		return flows.transition(flow.fail(clock.instant()), expected, null);
	}

	/**
	 * Refuses a first factor that {@code PLINTO_SIGN_IN_METHODS} switched off: 403 {@code sign_in_method_disabled},
	 * before anything is looked up or counted, so the answer is the same for every address.
	 */
	public void requireMethod(PlintoSettings.SignInMethod method) {
		if (!live.current().signIn().enabled(method)) {
			throw new ApiException(ErrorCode.SIGN_IN_METHOD_DISABLED,
					"Signing in with " + method.key().replace('_', ' ') + " is switched off on this server.");
		}
	}

	/** The refusal of a banned account's sign-in: 403 {@code user_banned}. */
	static ApiException banned() {
		return new ApiException(ErrorCode.USER_BANNED, "This account has been banned; contact the operator.");
	}

	/** Counts a sign-in outcome of another strategy in {@code plinto_sign_ins_total}. */
	public void count(String outcome) {
		metrics.signIn(outcome);
	}
}
