package dev.plinto.account;

import dev.plinto.account.OneTimeTokenRepository.OneTimeToken;
import dev.plinto.account.OneTimeTokenRepository.Purpose;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Accounts: sign-up, profile, password change, email verification and password reset.
 * <p>
 * Sign-up answers {@code email_taken} for a registered email: a deliberate trade-off documented in
 * docs/security.md (OWASP Authentication Cheat Sheet accepts it for registration when sign-up is rate limited,
 * which it is). Password reset and verification-mail requests always answer 202 after storing the same request
 * row whatever the email, and the lookup and mail happen in the background, so neither the answer nor its timing
 * tells whether an account exists (OWASP Forgot Password Cheat Sheet, "Forgot password request"), and an
 * accepted request survives a restart.
 */
@Service
public final class AccountService {

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final PasswordPolicy policy;

	private final RateLimiter rateLimiter;

	private final SignInLockout lockout;

	private final EmailLinks links;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final EmailRequestQueue requests;

	private final ApplicationEventPublisher events;

	private final EmailChanges emailChanges;

	private final PasswordDomains passwordDomains;

	public AccountService(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, RateLimiter rateLimiter,
			SignInLockout lockout, EmailLinks links, AuditLog audit, TransactionOperations tx, Clock clock,
			EmailRequestQueue requests, ApplicationEventPublisher events, EmailChanges emailChanges,
			PasswordDomains passwordDomains) {
		this.passwordDomains = passwordDomains;
		this.events = events;
		this.emailChanges = emailChanges;
		this.users = users;
		this.hasher = hasher;
		this.policy = policy;
		this.rateLimiter = rateLimiter;
		this.lockout = lockout;
		this.links = links;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.requests = requests;
	}

	/**
	 * Creates an account and sends its verification mail, then runs {@code next} with the new user in the same
	 * transaction, so that what follows the sign-up (a session, an enrolment step) is committed with the account or
	 * not at all.
	 *
	 * @return what {@code next} returns
	 */
	public <R> R signUp(String rawEmail, String password, String name, ClientInfo client, Function<User, R> next) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_UP, client.ip());
		String email = EmailAddress.canonical("email", rawEmail);
		passwordDomains.requirePasswordsAllowed(email);
		policy.check("password", password, email);
		if (users.findByAddress(rawEmail).isPresent()) {
			// an account stored before the current rule under a look-alike form of this address
			throw emailTaken();
		}
		String hash = hasher.hash(password);
		Instant now = clock.instant();
		User user = new User(SecureTokens.newId("usr"), email, false, blankToNull(name), hash, now, now);
		try {
			return tx.execute(status -> {
				users.insert(user);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
				audit.record(AuditEvent.Type.SIGN_UP, user.id(), null, client, null);
				links.sendVerification(user);
				return next.apply(user);
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	/**
	 * Creates the account of an address that has just proven itself with an emailed sign-in code or link
	 * ({@code PLINTO_EMAIL_SIGN_UP=true}): no password ({@link PasswordHasher#NO_PASSWORD}; one can be set with a
	 * password reset), the email verified by the mail itself, and no verification mail. Then runs {@code next} with
	 * the new user in the same transaction, like {@link #signUp}.
	 */
	public <R> R signUpWithVerifiedEmail(String rawEmail, ClientInfo client, Function<User, R> next) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_UP, client.ip());
		String email = EmailAddress.canonical("email", rawEmail);
		passwordDomains.requirePasswordsAllowed(email);
		if (users.findByAddress(rawEmail).isPresent()) {
			throw emailTaken();
		}
		Instant now = clock.instant();
		User user = new User(SecureTokens.newId("usr"), email, true, null, PasswordHasher.NO_PASSWORD, now, now);
		try {
			return tx.execute(status -> {
				users.insert(user);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
				audit.record(AuditEvent.Type.SIGN_UP, user.id(), null, client, "email");
				return next.apply(user);
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	/**
	 * Creates the account of a user an organization's identity provider provisions over SCIM (docs/federation.md,
	 * "SCIM provisioning"): no password ({@link PasswordHasher#NO_PASSWORD}; the user signs in through the
	 * organization's connection, with an emailed code, or sets a password with a reset), no verification mail, and
	 * the email verified only when the caller vouches for it ({@code emailVerified}: the address is in a domain the
	 * organization has verified). No per-IP sign-up limit: the caller is authenticated by the connection's SCIM
	 * token, not anonymous. Runs in the caller's transaction; {@code email_taken} when the address has an account.
	 */
	public User createProvisioned(String rawEmail, String name, boolean emailVerified, ClientInfo client,
			String detail) {
		String email = EmailAddress.canonical("email", rawEmail);
		if (users.findByAddress(rawEmail).isPresent()) {
			throw emailTaken();
		}
		Instant now = clock.instant();
		User user = new User(SecureTokens.newId("usr"), email, emailVerified, blankToNull(name),
				PasswordHasher.NO_PASSWORD, now, now);
		try {
			users.insert(user);
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
		events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
		audit.record(AuditEvent.Type.SIGN_UP, user.id(), null, client, detail);
		return user;
	}

	/**
	 * Creates a password-less account for someone who signed in through an identity provider for the first time
	 * (just-in-time sign-up, docs/federation.md), with the email the provider gave and whether the provider verified
	 * it, and runs {@code next} (linking the identity, starting the session) in the same transaction. Limited per IP
	 * like every sign-up; {@code email_taken} when the address has an account meanwhile.
	 *
	 * @param how the audit detail of the sign-up, e.g. the provider's key
	 */
	public <R> R signUpFederated(String rawEmail, boolean emailVerified, String name, String how, ClientInfo client,
			Function<User, R> next) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_UP, client.ip());
		String email = EmailAddress.canonical("email", rawEmail);
		if (users.findByAddress(rawEmail).isPresent()) {
			throw emailTaken();
		}
		Instant now = clock.instant();
		String shortName = name == null || name.isBlank() ? null : name.strip().substring(0, Math.min(200, name.strip().length()));
		User user = new User(SecureTokens.newId("usr"), email, emailVerified, shortName, PasswordHasher.NO_PASSWORD,
				now, now);
		try {
			return tx.execute(status -> {
				users.insert(user);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
				audit.record(AuditEvent.Type.SIGN_UP, user.id(), null, client, how);
				return next.apply(user);
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	/**
	 * Marks the account's email verified after an emailed sign-in code or link proved control of it (like a
	 * password reset link does); returns the account as it is now.
	 */
	public User emailProven(User user, ClientInfo client) {
		if (user.emailVerified()) {
			return user;
		}
		return tx.execute(status -> {
			users.markEmailVerified(user.id(), clock.instant());
			audit.record(AuditEvent.Type.EMAIL_VERIFIED, user.id(), null, client, "sign-in mail");
			User verified = get(user.id());
			events.publishEvent(new AccountEvent(AccountEvent.Kind.EMAIL_VERIFIED, UserView.of(verified)));
			return verified;
		});
	}

	private static ApiException emailTaken() {
		return ApiException.validation("email", ErrorCode.EMAIL_TAKEN,
				"An account with this email already exists; sign in or reset the password.");
	}

	public User get(String userId) {
		return users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
	}

	/** The signed-in user's account and metadata in one read ({@code GET /v1/me}); as {@link #get} when gone. */
	public UserRepository.Profile profile(String userId) {
		return users.findProfile(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
	}

	public User updateName(String userId, String name, ClientInfo client, String sessionId) {
		return tx.execute(status -> {
			get(userId);
			users.updateName(userId, blankToNull(name), clock.instant());
			audit.record(AuditEvent.Type.PROFILE_UPDATED, userId, sessionId, client, "name");
			User updated = get(userId);
			events.publishEvent(new AccountEvent(AccountEvent.Kind.UPDATED, UserView.of(updated)));
			return updated;
		});
	}

	/**
	 * Changes the password after re-checking the current one (OWASP Authentication Cheat Sheet, "Require
	 * re-authentication for sensitive features"); wrong guesses count toward the account lockout. Every other
	 * session is revoked (OWASP Session Management Cheat Sheet, "Renew the session ID after any privilege
	 * level change").
	 */
	public void changePassword(String userId, String sessionId, String current, String next, ClientInfo client) {
		User user = get(userId);
		lockout.tryAttempt(user.email()).ifPresent(wait -> {
			throw ApiException.rateLimited(wait);
		});
		if (!hasher.verify(current == null ? "" : current, user.passwordHash())) {
			throw ApiException.validation("current_password", ErrorCode.WRONG_PASSWORD,
					"The current password is not correct.");
		}
		lockout.succeeded(user.email());
		policy.check("new_password", next, user.email());
		String hash = hasher.hash(next);
		tx.executeWithoutResult(status -> {
			users.updatePasswordHash(userId, hash, clock.instant());
			events.publishEvent(new PasswordChanged(userId, sessionId, "password_changed", client));
			audit.record(AuditEvent.Type.PASSWORD_CHANGED, userId, sessionId, client, null);
		});
	}

	/**
	 * Records a request for a verification mail; {@link EmailRequestQueue} sends it if an unverified account has
	 * this email. The caller always answers 202.
	 */
	public void resendVerification(String rawEmail, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.VERIFICATION_MAIL, client.ip());
		requests.add(EmailRequestQueue.Purpose.EMAIL_VERIFICATION, EmailAddress.strip(rawEmail), client);
	}

	/**
	 * Whether an emailed verification link can still be used, checked without spending it (a page that opens the
	 * link says at once when it is dead, instead of after the user acted on it).
	 */
	public boolean verificationLinkLive(String token) {
		return live(token, Purpose.EMAIL_VERIFICATION) || live(token, Purpose.EMAIL_CHANGE);
	}

	/** Whether an emailed password-reset link can still be used, checked without spending it. */
	public boolean resetLinkLive(String token) {
		return live(token, Purpose.PASSWORD_RESET);
	}

	private boolean live(String token, Purpose purpose) {
		if (token == null || token.isBlank() || token.length() > 200) {
			return false;
		}
		if (purpose == Purpose.EMAIL_CHANGE) {
			return emailChanges.live(token);
		}
		return links.peek(SecureTokens.hash(token), purpose)
			.flatMap(t -> users.findById(t.userId())
				.filter(u -> purpose != Purpose.EMAIL_VERIFICATION || u.email().equals(t.email())))
			.isPresent();
	}

	/** Confirms an email address, with the notice of a change in English; see the other overload. */
	public User confirmEmail(String token, ClientInfo client) {
		return confirmEmail(token, null, client);
	}

	/**
	 * Confirms an email address: the account's current one (a verification link), or the new one an email change
	 * mailed its link to ({@link EmailChanges}), which then becomes the account's address.
	 *
	 * @param language the language of the notice mailed to the old address after a change
	 */
	public User confirmEmail(String token, String language, ClientInfo client) {
		return tx.execute(status -> {
			Optional<User> changed = links.peek(token == null ? "" : SecureTokens.hash(token), Purpose.EMAIL_CHANGE)
				.isPresent() ? emailChanges.confirm(token, language, client) : Optional.empty();
			if (changed.isPresent()) {
				return changed.get();
			}
			OneTimeToken t = links.redeem(token, Purpose.EMAIL_VERIFICATION)
				.orElseThrow(() -> new ApiException(ErrorCode.INVALID_VERIFICATION_TOKEN,
						"This verification link is invalid, expired or already used; request a new one."));
			User user = users.findById(t.userId())
				.filter(u -> u.email().equals(t.email()))
				.orElseThrow(() -> new ApiException(ErrorCode.INVALID_VERIFICATION_TOKEN,
						"This link was for a different email address; request a new one."));
			if (!user.emailVerified()) {
				users.markEmailVerified(user.id(), clock.instant());
				audit.record(AuditEvent.Type.EMAIL_VERIFIED, user.id(), null, client, null);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.EMAIL_VERIFIED, UserView.of(get(user.id()))));
			}
			return get(user.id());
		});
	}

	/**
	 * Records a request for a reset mail; {@link EmailRequestQueue} sends it if an account has this email. The
	 * caller always answers 202.
	 */
	public void requestPasswordReset(String rawEmail, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.PASSWORD_RESET, client.ip());
		passwordDomains.requirePasswordsAllowed(rawEmail);
		requests.add(EmailRequestQueue.Purpose.PASSWORD_RESET, EmailAddress.strip(rawEmail), client);
	}

	/**
	 * Sets a new password with a reset token, revokes every session (OWASP Forgot Password Cheat Sheet: "invalidate
	 * existing sessions"), marks the email verified (the link proved control of it) and clears the lockout.
	 */
	public void resetPassword(String token, String next, ClientInfo client) {
		String hashed = token == null ? "" : SecureTokens.hash(token);
		User user = tx.execute(status -> links.peek(hashed, Purpose.PASSWORD_RESET)
			.flatMap(t -> users.findById(t.userId()))
			.orElse(null));
		if (user == null) {
			throw new ApiException(ErrorCode.INVALID_RESET_TOKEN,
					"This reset link is invalid, expired or already used; request a new one.");
		}
		passwordDomains.requirePasswordsAllowed(user.email());
		policy.check("new_password", next, user.email());
		String hash = hasher.hash(next);
		tx.executeWithoutResult(status -> {
			if (links.redeem(token, Purpose.PASSWORD_RESET).isEmpty()) {
				throw new ApiException(ErrorCode.INVALID_RESET_TOKEN,
						"This reset link is invalid, expired or already used; request a new one.");
			}
			Instant now = clock.instant();
			users.updatePasswordHash(user.id(), hash, now);
			users.markEmailVerified(user.id(), now);
			if (!user.emailVerified()) {
				events.publishEvent(new AccountEvent(AccountEvent.Kind.EMAIL_VERIFIED, UserView.of(get(user.id()))));
			}
			events.publishEvent(new PasswordChanged(user.id(), null, "password_reset", client));
			audit.record(AuditEvent.Type.PASSWORD_RESET, user.id(), null, client, null);
		});
		lockout.succeeded(user.email());
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}
}
