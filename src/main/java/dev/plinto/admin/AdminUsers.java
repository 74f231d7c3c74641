package dev.plinto.admin;

import dev.plinto.account.AccountAdministration;
import dev.plinto.account.User;
import dev.plinto.account.UserMetadata;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.mfa.MfaService;
import dev.plinto.migration.UserDataExport;
import dev.plinto.org.OrganizationService;
import dev.plinto.session.Session;
import dev.plinto.session.SessionService;
import dev.plinto.session.TokenResponse;
import dev.plinto.throttle.SignInLockout;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Users as the operator manages them, for the Backend API's controllers and the admin dashboard: search, read,
 * create, change, ban, lock, reset second factors, delete, and a user's sessions, identities, organizations and
 * security events. It holds no rules of its own about accounts: each change is made by the feature that owns it
 * ({@link AccountAdministration}, {@link SessionService}, {@link MfaService}, {@link SignInLockout}), inside
 * {@link AuditLog#actingAs}, so every audit event the change causes carries the API key's id as its actor (OWASP
 * Logging Cheat Sheet, "Which events to log"; OWASP API Security Top 10 2023, API2).
 */
@Service
public final class AdminUsers {

	/** How long an impersonation session lives, at most (it cannot be extended). */
	public static final Duration IMPERSONATION_LIFETIME = Duration.ofHours(1);

	/** How long an operator's lock lasts when no end is given: until unlocked. */
	static final Instant INDEFINITELY = Instant.parse("9999-12-31T00:00:00Z");

	private final UserDirectory directory;

	private final AccountAdministration accounts;

	private final SessionService sessions;

	private final MfaService mfa;

	private final SignInLockout lockout;

	private final OrganizationService organizations;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final UserDataExport dataExport;

	private final DashboardRoles roles;

	AdminUsers(UserDirectory directory, AccountAdministration accounts, SessionService sessions, MfaService mfa,
			SignInLockout lockout, OrganizationService organizations, AuditLog audit, TransactionOperations tx,
			Clock clock, UserDataExport dataExport, DashboardRoles roles) {
		this.dataExport = dataExport;
		this.roles = roles;
		this.directory = directory;
		this.accounts = accounts;
		this.sessions = sessions;
		this.mfa = mfa;
		this.lockout = lockout;
		this.organizations = organizations;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	/** A user as the Backend API shows it, private metadata included. */
	public record AdminUser(String id, String email, boolean emailVerified, @Schema(nullable = true) String name,
			Instant createdAt, Instant updatedAt, boolean banned, @Schema(nullable = true) Instant bannedAt,
			@Schema(description = "Until when sign-in is locked (by the operator or after failed attempts); null "
					+ "when it is not", nullable = true) Instant lockedUntil,
			@Schema(nullable = true) Instant lastSignInAt, boolean hasMfa, Map<String, Object> publicMetadata,
			Map<String, Object> privateMetadata, Map<String, Object> unsafeMetadata) {
	}

	public record SessionView(String id, String userId, Instant createdAt, Instant lastActiveAt, Instant expiresAt,
			@Schema(nullable = true) String ip, @Schema(nullable = true) String userAgent, List<String> amr,
			@Schema(nullable = true) String activeOrganizationId,
			@Schema(description = "Who started this session by impersonation: the API key, or the administrator's user id on the dashboard; null for the user's own", nullable = true)
			String impersonator) {

		static SessionView of(Session s) {
			return new SessionView(s.id(), s.userId(), s.createdAt(), s.lastActiveAt(), s.expiresAt(), s.ip(),
					s.userAgent(), s.amr(), s.activeOrganizationId(), s.impersonator());
		}
	}

	public record IdentityView(String id, String provider, String subject, @Schema(nullable = true) String email,
			boolean emailVerified, Instant createdAt, @Schema(nullable = true) Instant lastUsedAt) {
	}

	public record MembershipView(String organizationId, String name, String slug, String role) {
	}

	public record EventView(String id, String type, Instant occurredAt, @Schema(nullable = true) String sessionId,
			@Schema(nullable = true) String ip, @Schema(nullable = true) String userAgent,
			@Schema(nullable = true) String detail,
			@Schema(description = "Who made the change when not the user: an API key's id", nullable = true)
			String actorId) {
	}

	public Page<AdminUser> search(UserQuery query, String cursor, int limit) {
		Instant beforeTime = null;
		String beforeId = null;
		String after = PageCursor.decode(cursor);
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					throw new IllegalArgumentException("not a user id");
				}
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		List<UserDirectory.Row> rows = directory.search(query, beforeTime, beforeId, Page.rowsFor(limit));
		return Page.of(rows, limit, r -> r.createdAt() + "|" + r.id(), this::view);
	}

	public AdminUser get(String userId) {
		return directory.search(new UserQuery(null, userId, null, null, null, null, null, null, null, null), null,
				null, 1)
			.stream()
			.findFirst()
			.map(this::view)
			.orElseThrow(AdminUsers::notFound);
	}

	public AdminUser create(AdminCaller caller, AccountAdministration.NewAccount account) {
		User user = as(caller, () -> accounts.create(account, caller.client()));
		return get(user.id());
	}

	public AdminUser update(AdminCaller caller, String userId, AccountAdministration.Changes changes) {
		as(caller, () -> accounts.update(userId, changes, caller.client()));
		return get(userId);
	}

	/**
	 * Bans the user and revokes every session in the same transaction: their access tokens stop on every node,
	 * and no way of signing in gives them a new one until the ban is lifted.
	 */
	public AdminUser ban(AdminCaller caller, String userId) {
		as(caller, () -> tx.execute(status -> {
			accounts.setBanned(userId, true, caller.client());
			return sessions.revokeAll(userId, null, SessionService.REVOKED_BY_ADMIN, caller.client());
		}));
		return get(userId);
	}

	public AdminUser unban(AdminCaller caller, String userId) {
		as(caller, () -> accounts.setBanned(userId, false, caller.client()));
		return get(userId);
	}

	/**
	 * Locks sign-in with a password or code for {@code duration} (null: until unlocked), through the account lockout
	 * of {@link SignInLockout}: attempts are refused with 429 {@code rate_limited}. Sessions stay; a ban ends them.
	 */
	public AdminUser lock(AdminCaller caller, String userId, Duration duration) {
		User user = accounts.get(userId);
		Instant until = duration == null ? INDEFINITELY : clock.instant().plus(duration);
		as(caller, () -> {
			lockout.lock(user.email(), until);
			audit.record(AuditEvent.Type.USER_LOCKED, userId, null, caller.client(),
					duration == null ? "until unlocked" : "until " + until);
			return null;
		});
		return get(userId);
	}

	public AdminUser unlock(AdminCaller caller, String userId) {
		User user = accounts.get(userId);
		as(caller, () -> {
			lockout.succeeded(user.email());
			audit.record(AuditEvent.Type.USER_UNLOCKED, userId, null, caller.client(), null);
			return null;
		});
		return get(userId);
	}

	/** Removes every second factor; returns the user as now (without MFA). */
	public AdminUser resetMfa(AdminCaller caller, String userId) {
		accounts.get(userId);
		as(caller, () -> mfa.reset(userId, caller.client()));
		return get(userId);
	}

	public void delete(AdminCaller caller, String userId) {
		as(caller, () -> {
			accounts.delete(userId, caller.client());
			return null;
		});
	}

	/**
	 * Signs in as the user for {@link #IMPERSONATION_LIFETIME}: tokens whose {@code act.sub} is the API key's id or
	 * the administrator's user id (RFC 8693 §4.1), audited on the user with the caller as actor, and for an
	 * administrator on their own account as well ({@link SessionService#impersonate}). An account with an instance
	 * role ({@code owner}, {@code admin}, {@code support}) cannot be impersonated: 403 {@code forbidden}. A key with
	 * {@code users:impersonate} must not become an administrator's session, nor an administrator another's
	 * (OWASP Authorization Cheat Sheet, "Enforce Least Privileges"; the impersonation session is also refused by the
	 * dashboard and by every change of how the account signs in).
	 */
	public TokenResponse impersonate(AdminCaller caller, String userId) {
		User user = accounts.get(userId);
		if (roles.roleOf(userId).isPresent()) {
			throw new ApiException(ErrorCode.FORBIDDEN,
					"An account with an instance role (owner, admin or support) cannot be impersonated.");
		}
		SessionService.Impersonator actor = new SessionService.Impersonator(caller.keyId(), caller.user(),
				caller.sessionId());
		return as(caller, () -> sessions.impersonate(user, actor, IMPERSONATION_LIFETIME, caller.client()));
	}

	/**
	 * Everything Plinto holds about a user, for a data access request the operator answers (GDPR Art. 15 and 20):
	 * the document the user's own {@code GET /v1/me/export} gives, without secrets, recorded on the user as
	 * {@code account.data_exported} with the key as its actor.
	 */
	public UserDataExport.Export export(AdminCaller caller, String userId) {
		get(userId);
		return as(caller, () -> dataExport.export(userId, null, caller.client(), clock.instant()));
	}

	public List<SessionView> sessions(String userId) {
		accounts.get(userId);
		return sessions.live(userId).stream().map(SessionView::of).toList();
	}

	public SessionView revokeSession(AdminCaller caller, String sessionId) {
		return SessionView.of(as(caller, () -> sessions.revokeByOperator(sessionId, caller.client())));
	}

	/** Revokes every live session of the user; returns how many. */
	public int revokeSessions(AdminCaller caller, String userId) {
		accounts.get(userId);
		return as(caller, () -> tx.execute(status -> sessions.revokeAll(userId, null,
				SessionService.REVOKED_BY_ADMIN, caller.client()))).size();
	}

	public List<IdentityView> identities(String userId) {
		accounts.get(userId);
		return directory.identities(userId)
			.stream()
			.map(i -> new IdentityView(i.id(), i.provider(), i.subject(), i.email(), i.emailVerified(),
					i.createdAt(), i.lastUsedAt()))
			.toList();
	}

	public List<MembershipView> organizations(String userId) {
		accounts.get(userId);
		return organizations.mine(userId, null, 1000)
			.stream()
			.map(v -> new MembershipView(v.organization().id(), v.organization().name(), v.organization().slug(),
					v.role().key()))
			.toList();
	}

	public Page<EventView> securityEvents(String userId, String cursor, int limit) {
		accounts.get(userId);
		Instant beforeTime = null;
		String beforeId = null;
		String after = PageCursor.decode(cursor);
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					throw new IllegalArgumentException("not an event id");
				}
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		List<AuditEvent> events = audit.forUser(userId, beforeTime, beforeId, Page.rowsFor(limit));
		return Page.of(events, limit, e -> e.occurredAt() + "|" + e.id(),
				e -> new EventView(e.id(), e.type().wireName(), e.occurredAt(), e.sessionId(), e.ip(), e.userAgent(),
						e.detail(), e.actorId()));
	}

	private AdminUser view(UserDirectory.Row r) {
		UserMetadata metadata = new UserMetadata(r.publicMetadata(), r.privateMetadata(), r.unsafeMetadata());
		Instant lockedUntil = lockout.lockedFor(r.email()).map(d -> clock.instant().plus(d)).orElse(null);
		return new AdminUser(r.id(), r.email(), r.emailVerified(), r.name(), r.createdAt(), r.updatedAt(),
				r.bannedAt() != null, r.bannedAt(), lockedUntil, r.lastSignInAt(), r.hasMfa(),
				metadata.publicMetadata(), metadata.privateMetadata(), metadata.unsafeMetadata());
	}

	private static <T> T as(AdminCaller caller, Supplier<T> work) {
		return AuditLog.actingAs(caller.keyId(), work);
	}

	private static ApiException notFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "No user with this id exists.");
	}
}
