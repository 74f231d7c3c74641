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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Changing an account's email address, with proof of control of the new one:
 * <ol>
 * <li>The request needs the current password (OWASP Authentication Cheat Sheet, "Require Re-authentication for
 * Sensitive Features": the address is where password resets go, so changing it is taking over the account);
 * wrong passwords count toward the account lockout.</li>
 * <li>A single-use link is mailed to the new address (an email-verification link of purpose {@code EMAIL_CHANGE},
 * opening {@code PLINTO_EMAIL_VERIFICATION_URL}); the address changes only when it is confirmed (OWASP ASVS 4.0.3
 * V2.5.5 / V3.7: notify, and verify the new channel). A newer request supersedes older links.</li>
 * <li>Confirming switches the address, marks it verified, invalidates the password-reset links mailed to the old
 * one, and mails the old address a notice, so an unwanted change does not go unnoticed.</li>
 * </ol>
 * An address that belongs to another account is answered {@code email_taken}, exactly as sign-up answers it and
 * under the same per-IP sign-up rate limit, and only after the password was checked: the change reveals no more
 * than sign-up does (docs/security.md, "Account enumeration").
 */
@Service
public final class EmailChanges {

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final SignInLockout lockout;

	private final RateLimiter rateLimiter;

	private final EmailLinks links;

	private final AccountMails mails;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	EmailChanges(UserRepository users, PasswordHasher hasher, SignInLockout lockout, RateLimiter rateLimiter,
			EmailLinks links, AccountMails mails, AuditLog audit,
			TransactionOperations tx, Clock clock, ApplicationEventPublisher events) {
		this.users = users;
		this.hasher = hasher;
		this.lockout = lockout;
		this.rateLimiter = rateLimiter;
		this.links = links;
		this.mails = mails;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Mails a confirmation link to {@code rawEmail} after checking the password.
	 *
	 * @param language the language of the mail (an {@code Accept-Language} value or a language code)
	 * @return the canonical new address the link was mailed to
	 */
	public String request(String userId, String sessionId, String rawEmail, String password, String language,
			ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.SIGN_UP, client.ip());
		User user = users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
		String email = EmailAddress.canonical("email", rawEmail);
		lockout.tryAttempt(user.email()).ifPresent(wait -> {
			throw ApiException.rateLimited(wait);
		});
		if (!hasher.verify(password == null ? "" : password, user.passwordHash())) {
			throw ApiException.validation("password", ErrorCode.WRONG_PASSWORD, "The password is not correct.");
		}
		lockout.succeeded(user.email());
		if (EmailAddress.same(email, user.email())) {
			throw ApiException.validation("email", ErrorCode.VALIDATION_FAILED, "email is already this account's "
					+ "address.");
		}
		if (users.findByAddress(email).isPresent()) {
			throw emailTaken();
		}
		tx.executeWithoutResult(status -> {
			links.sendEmailChange(user, email, language, mails);
			audit.record(AuditEvent.Type.EMAIL_CHANGE_REQUESTED, userId, sessionId, client, null);
		});
		return email;
	}

	/** Whether an email-change link can still be confirmed, checked without spending it. */
	boolean live(String token) {
		return links.peek(SecureTokens.hash(token), Purpose.EMAIL_CHANGE)
			.flatMap(t -> users.findById(t.userId()))
			.isPresent();
	}

	/**
	 * Spends an email-change link and switches the address, in the caller's transaction; empty when the token is
	 * no live email-change link.
	 */
	Optional<User> confirm(String token, String language, ClientInfo client) {
		Optional<OneTimeToken> redeemed = links.redeem(token, Purpose.EMAIL_CHANGE);
		if (redeemed.isEmpty()) {
			return Optional.empty();
		}
		OneTimeToken t = redeemed.get();
		User before = users.findById(t.userId()).orElse(null);
		if (before == null) {
			return Optional.empty();
		}
		if (users.findByAddress(t.email()).filter(u -> !u.id().equals(before.id())).isPresent()) {
			throw emailTaken();
		}
		Instant now = clock.instant();
		try {
			users.updateEmail(before.id(), t.email(), now);
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
		links.invalidate(before.id(), Purpose.PASSWORD_RESET);
		links.invalidate(before.id(), Purpose.EMAIL_VERIFICATION);
		User after = users.findById(before.id()).orElseThrow();
		audit.record(AuditEvent.Type.EMAIL_CHANGED, before.id(), null, client, null);
		events.publishEvent(new AccountEvent(AccountEvent.Kind.UPDATED, UserView.of(after)));
		mails.emailChanged(before.email(), now, language);
		return Optional.of(after);
	}

	private static ApiException emailTaken() {
		return ApiException.validation("email", ErrorCode.EMAIL_TAKEN,
				"An account with this email already exists; sign in or reset the password.");
	}
}
