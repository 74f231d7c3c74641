package dev.plinto.account;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Deletes an account at its owner's request ({@code DELETE /v1/me}, the account page), after re-authentication:
 * the password, and a code of the second factor when the user has one (OWASP Authentication Cheat Sheet, "Require
 * Re-authentication for Sensitive Features"; OWASP ASVS 4.0.3 V3.7.1). Wrong passwords and codes count toward the
 * account lockout like sign-in attempts.
 * <p>
 * One transaction does everything, so a failure leaves the account whole and a committed deletion is complete: the
 * {@link AccountDeletionHook}s first (organizations refuse while the user is the last owner of one, then end the
 * memberships; sessions are revoked, so their access tokens stop working on every node), then the {@code
 * user.deleted} event for webhooks ({@link AccountEvent}), the audit event, the notice mail to the address, and
 * the account's row, whose dependants the foreign keys delete. The audit log keeps the account's events, with its
 * id, for {@code PLINTO_AUDIT_RETENTION}: they are security records (OWASP Logging Cheat Sheet). What is deleted and
 * what is kept is listed in docs/security.md, "Deleting an account".
 */
@Service
public final class AccountDeletion {

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final SignInLockout lockout;

	private final List<AccountDeletionHook> hooks;

	private final ObjectProvider<ReauthenticationFactor> factor;

	private final AccountMails mails;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AccountDeletion(UserRepository users, PasswordHasher hasher, SignInLockout lockout,
			List<AccountDeletionHook> hooks, ObjectProvider<ReauthenticationFactor> factor, AccountMails mails,
			AuditLog audit, TransactionOperations tx, Clock clock, ApplicationEventPublisher events) {
		this.users = users;
		this.hasher = hasher;
		this.lockout = lockout;
		this.hooks = List.copyOf(hooks);
		this.factor = factor;
		this.mails = mails;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.events = events;
	}

	/** Whether deleting this account needs a second-factor code besides the password. */
	public boolean codeRequired(String userId) {
		ReauthenticationFactor f = factor.getIfAvailable();
		return f != null && f.required(userId);
	}

	/**
	 * Deletes the account after checking the password and, when the user has a second factor, its code (a TOTP or a
	 * recovery code).
	 *
	 * @param language the language of the notice mail (an {@code Accept-Language} value or a language code)
	 */
	public void delete(String userId, String sessionId, String password, String code, String language,
			ClientInfo client) {
		User user = users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
		hooks.forEach(hook -> hook.check(userId));
		lockout.tryAttempt(user.email()).ifPresent(wait -> {
			throw ApiException.rateLimited(wait);
		});
		if (!hasher.verify(password == null ? "" : password, user.passwordHash())) {
			throw ApiException.validation("password", ErrorCode.WRONG_PASSWORD, "The password is not correct.");
		}
		if (codeRequired(userId)) {
			if (code == null || code.isBlank()) {
				throw ApiException.validation("code", ErrorCode.MFA_CODE_REQUIRED,
						"Two-step verification is on: send a current code from the authenticator app, or an unused "
								+ "recovery code.");
			}
			if (!factor.getObject().verify(user, code, sessionId, client)) {
				audit.record(AuditEvent.Type.MFA_FAILED, userId, sessionId, client, "account deletion: wrong code");
				throw ApiException.validation("code", ErrorCode.WRONG_MFA_CODE,
						"The code is not correct, or was already used; enter the current code.");
			}
		}
		lockout.succeeded(user.email());
		deleteNow(userId, sessionId, language, client, ErrorCode.INVALID_TOKEN);
	}

	/**
	 * Deletes the account at the operator's request (the Backend API), without re-authentication: the same
	 * transaction as {@link #delete}, with the notice mail in the default language. 404 when it does not exist, 409
	 * {@code last_owner} while it is the last owner of an organization.
	 */
	void deleteByOperator(String userId, ClientInfo client) {
		deleteNow(userId, null, null, client, ErrorCode.NOT_FOUND);
	}

	private void deleteNow(String userId, String sessionId, String language, ClientInfo client, ErrorCode gone) {
		tx.executeWithoutResult(status -> {
			if (!users.lock(userId)) {
				throw new ApiException(gone, "The account no longer exists.");
			}
			for (AccountDeletionHook hook : hooks) {
				hook.check(userId);
			}
			for (AccountDeletionHook hook : hooks) {
				hook.delete(userId, sessionId, client);
			}
			User current = users.findById(userId).orElseThrow();
			Instant now = clock.instant();
			events.publishEvent(new AccountEvent(AccountEvent.Kind.DELETED, UserView.of(current)));
			audit.record(AuditEvent.Type.ACCOUNT_DELETED, userId, sessionId, client, null);
			mails.accountDeleted(current.email(), now, language);
			users.delete(userId);
		});
	}
}
