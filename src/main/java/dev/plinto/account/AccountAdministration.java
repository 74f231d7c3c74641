package dev.plinto.account;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Accounts as the operator manages them (the Backend API and the admin dashboard): creating an account with a
 * password, an imported hash or neither, changing its email, name, verification and metadata, banning it, and the
 * user's own unsafe metadata. Each change is audited and announced to webhooks ({@link AccountEvent}) in its
 * transaction, like the user's own changes in {@link AccountService}; who made it (an API key) is recorded by the
 * caller through {@link AuditLog#actingAs}.
 */
@Service
public final class AccountAdministration {

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final PasswordPolicy policy;

	private final EmailLinks links;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	private final AccountDeletion deletion;

	AccountAdministration(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, EmailLinks links,
			AuditLog audit, TransactionOperations tx, Clock clock, ApplicationEventPublisher events,
			AccountDeletion deletion) {
		this.users = users;
		this.hasher = hasher;
		this.policy = policy;
		this.links = links;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.events = events;
		this.deletion = deletion;
	}

	/**
	 * A new account. At most one of {@code password} and {@code passwordHash}; metadata as stored JSON texts (see
	 * {@link UserMetadata#store}), null for an empty object.
	 */
	public record NewAccount(String email, String name, String password, String passwordHash, boolean emailVerified,
			String publicMetadata, String privateMetadata, String unsafeMetadata) {
	}

	/** Changes to an account; a null field stays as it is, a blank name clears it. */
	public record Changes(String email, String name, Boolean emailVerified, String publicMetadata,
			String privateMetadata, String unsafeMetadata) {
	}

	/** An account found by id, or 404 {@code not_found}. */
	public User get(String userId) {
		return users.findById(userId)
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No user with this id exists."));
	}

	/** The account's metadata; 404 when it does not exist. */
	public UserMetadata metadata(String userId) {
		return users.findProfile(userId)
			.map(UserRepository.Profile::metadata)
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No user with this id exists."));
	}

	/**
	 * Creates an account. With a password it must meet the password policy and is hashed with Argon2id; an imported
	 * hash must be one Plinto verifies ({@link PasswordHasher#verifiable}: Argon2, bcrypt, scrypt, PBKDF2 and the
	 * other documented forms) and is upgraded at the first sign-in; with neither, the account has no password and
	 * the address gets a mail with a link to choose one (the password-reset mail, which also verifies the address).
	 * An unverified address with a password gets the verification mail.
	 */
	public User create(NewAccount account, ClientInfo client) {
		if (account.password() != null && account.passwordHash() != null) {
			throw ApiException.validation("password_hash", ErrorCode.VALIDATION_FAILED,
					"Send either password or password_hash, not both.");
		}
		String email = EmailAddress.canonical("email", account.email());
		String hash;
		if (account.password() != null) {
			policy.check("password", account.password(), email);
			hash = hasher.hash(account.password());
		}
		else if (account.passwordHash() != null) {
			if (!PasswordHasher.verifiable(account.passwordHash())) {
				throw ApiException.validation("password_hash", ErrorCode.VALIDATION_FAILED,
						"password_hash is not in a supported format (docs/migration.md lists them).");
			}
			hash = account.passwordHash();
		}
		else {
			hash = PasswordHasher.NO_PASSWORD;
		}
		if (users.findByAddress(account.email()).isPresent()) {
			throw emailTaken();
		}
		Instant now = clock.instant();
		User user = new User(SecureTokens.newId("usr"), email, account.emailVerified(), blankToNull(account.name()),
				hash, now, now);
		try {
			return tx.execute(status -> {
				users.insert(user);
				users.updateMetadata(user.id(), account.publicMetadata(), account.privateMetadata(),
						account.unsafeMetadata(), now);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
				audit.record(AuditEvent.Type.USER_CREATED, user.id(), null, client,
						hash.equals(PasswordHasher.NO_PASSWORD) ? "without a password; mail to set one sent"
								: account.password() != null ? "with a password" : "with a password hash");
				if (hash.equals(PasswordHasher.NO_PASSWORD)) {
					links.sendPasswordReset(user);
				}
				else if (!user.emailVerified()) {
					links.sendVerification(user);
				}
				return user;
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	/** Applies the changes that are not null; audited with the names of the fields that changed. */
	public User update(String userId, Changes changes, ClientInfo client) {
		String email = changes.email() == null ? null : EmailAddress.canonical("email", changes.email());
		try {
			return tx.execute(status -> {
				User before = get(userId);
				Instant now = clock.instant();
				List<String> changed = new ArrayList<>();
				if (email != null && !email.equals(before.email())) {
					if (users.findByAddress(changes.email()).filter(u -> !u.id().equals(userId)).isPresent()) {
						throw emailTaken();
					}
					users.updateEmail(userId, email, now);
					// updateEmail marks the new address verified; an operator's change keeps the old state unless told
					boolean verified = changes.emailVerified() != null ? changes.emailVerified() : before.emailVerified();
					users.setEmailVerified(userId, verified, now);
					changed.add("email");
				}
				else if (changes.emailVerified() != null && changes.emailVerified() != before.emailVerified()) {
					users.setEmailVerified(userId, changes.emailVerified(), now);
					changed.add("email_verified");
				}
				if (changes.name() != null) {
					users.updateName(userId, blankToNull(changes.name()), now);
					changed.add("name");
				}
				if (changes.publicMetadata() != null || changes.privateMetadata() != null
						|| changes.unsafeMetadata() != null) {
					users.updateMetadata(userId, changes.publicMetadata(), changes.privateMetadata(),
							changes.unsafeMetadata(), now);
					if (changes.publicMetadata() != null) {
						changed.add("public_metadata");
					}
					if (changes.privateMetadata() != null) {
						changed.add("private_metadata");
					}
					if (changes.unsafeMetadata() != null) {
						changed.add("unsafe_metadata");
					}
				}
				User after = get(userId);
				if (!changed.isEmpty()) {
					audit.record(AuditEvent.Type.USER_UPDATED, userId, null, client, String.join(", ", changed));
					events.publishEvent(new AccountEvent(AccountEvent.Kind.UPDATED, UserView.of(after)));
					if (!before.emailVerified() && after.emailVerified()) {
						events.publishEvent(new AccountEvent(AccountEvent.Kind.EMAIL_VERIFIED, UserView.of(after)));
					}
				}
				return after;
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	/**
	 * Bans the account (or lifts the ban) in the caller's transaction, audited; the caller revokes the sessions in
	 * the same transaction. Returns the account as it is now.
	 */
	public User setBanned(String userId, boolean banned, ClientInfo client) {
		return tx.execute(status -> {
			User before = get(userId);
			Instant now = clock.instant();
			if (banned != before.banned()) {
				users.setBanned(userId, banned ? now : null, now);
				audit.record(banned ? AuditEvent.Type.USER_BANNED : AuditEvent.Type.USER_UNBANNED, userId, null,
						client, null);
			}
			return get(userId);
		});
	}

	/**
	 * The user's own change of their unsafe metadata (PATCH /v1/me): a JSON object the user may write, bounded like
	 * the other metadata.
	 */
	public UserMetadata updateUnsafeMetadata(String userId, Map<String, Object> unsafe, String sessionId,
			ClientInfo client) {
		String stored = UserMetadata.store("unsafe_metadata", unsafe);
		return tx.execute(status -> {
			users.updateMetadata(userId, null, null, stored, clock.instant());
			audit.record(AuditEvent.Type.PROFILE_UPDATED, userId, sessionId, client, "unsafe_metadata");
			return metadata(userId);
		});
	}

	/**
	 * Deletes the account without the owner's re-authentication (the operator decided): the same transaction as the
	 * owner's own deletion (sessions revoked, memberships ended, the {@code user.deleted} event, the audit event, the
	 * notice mail, the row and its dependants). The audit log keeps the account's events (docs/security.md).
	 */
	public void delete(String userId, ClientInfo client) {
		get(userId);
		deletion.deleteByOperator(userId, client);
	}

	private static ApiException emailTaken() {
		return ApiException.validation("email", ErrorCode.EMAIL_TAKEN, "An account with this email already exists.");
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}
}
