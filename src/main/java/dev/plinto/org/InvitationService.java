package dev.plinto.org;

import dev.plinto.account.AccountEvent;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.account.UserView;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mail.MailTemplates;
import dev.plinto.mail.Mailer;
import dev.plinto.org.OrganizationAccess.Access;
import dev.plinto.session.SessionService;
import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.throttle.RateLimiter;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Invitations to organizations. The emailed link carries a token of 256 random bits stored only as its SHA-256
 * hash; it expires ({@code PLINTO_ORG_INVITATION_TTL}), is spent by one conditional update so it works once,
 * and resending replaces it (OWASP Forgot Password Cheat Sheet, "URL tokens", applied to invitation links).
 * Accepting needs either the account of the invited address with that address verified, or no account yet: then
 * the link itself proves control of the address and the new account starts verified (and, with
 * {@code PLINTO_MFA=required}, gets an enrolment token instead of a session, as at sign-up). Creating, resending and
 * accepting are rate limited (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption"), since
 * each invitation sends a mail to an address of the inviter's choosing.
 */
@Service
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
public class InvitationService {

	/** How long ended (expired, accepted, revoked) invitations are kept before the daily purge. */
	static final Duration RETENTION = Duration.ofDays(30);

	private final OrganizationRepository organizations;

	private final OrganizationAccess access;

	private final UserRepository users;

	private final PasswordHasher hasher;

	private final PasswordPolicy policy;

	private final RateLimiter rateLimiter;

	private final Mailer mailer;

	private final MailTemplates templates;

	private final SessionService sessions;

	private final SignInService signIn;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final LiveSettings live;

	private final ApplicationEventPublisher events;

	InvitationService(OrganizationRepository organizations, OrganizationAccess access, UserRepository users,
			PasswordHasher hasher, PasswordPolicy policy, RateLimiter rateLimiter, Mailer mailer,
			MailTemplates templates, SessionService sessions, SignInService signIn, AuditLog audit, TransactionOperations tx, Clock clock,
			PlintoSettings settings, LiveSettings live, ApplicationEventPublisher events) {
		this.events = events;
		this.signIn = signIn;
		this.organizations = organizations;
		this.access = access;
		this.users = users;
		this.hasher = hasher;
		this.policy = policy;
		this.rateLimiter = rateLimiter;
		this.mailer = mailer;
		this.templates = templates;
		this.sessions = sessions;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
		this.live = live;
	}

	/**
	 * What accepting as a new user returns: the organization joined and either the new session's tokens or, with
	 * {@code PLINTO_MFA=required}, the enrolment token the account needs before it gets a session.
	 */
	public record Joined(TokenResponse tokens, SignInService.EnrollmentRequired enrollment,
			OrganizationService.View organization) {
	}

	/**
	 * What an invitation link is for, as its page shows it: the organization, who invited (null when unknown), the
	 * invited email, and whether an account already has that address (the link's holder received it at that address,
	 * so this tells them nothing they could not learn by trying to sign in).
	 */
	public record Preview(String organizationName, String inviter, String email, boolean accountExists) {
	}

	/**
	 * An invitation waiting for a signed-in user: its id, the organization, the role, who invited (null when
	 * unknown) and until when it can be accepted.
	 */
	public record Pending(String id, String organizationId, String organizationName, String role, String inviter,
			Instant expiresAt) {
	}

	/**
	 * The invitation of a link that can still be accepted, without spending it (the page checks the link when it
	 * opens; a mail scanner that prefetches it spends nothing).
	 *
	 * @throws ApiException with the same code and sentence as accepting would give for a dead link
	 */
	public Preview preview(String token) {
		return tx.execute(status -> {
			Invitation invitation = open(token);
			Organization organization = organizations.findById(invitation.organizationId())
				.orElseThrow(InvitationService::invalid);
			return new Preview(organization.name(), inviter(invitation), invitation.email(),
					users.findByAddress(invitation.email()).isPresent());
		});
	}

	/**
	 * The invitations the user may accept without the link: those pending for their address, and only once that
	 * address is verified (the same proof of control {@link #acceptAsMember} demands; OWASP Authorization Cheat
	 * Sheet, "validate that the user may act on the object"). Newest first; empty for an unverified address.
	 */
	public List<Pending> pendingFor(String userId) {
		return tx.execute(status -> {
			User user = users.findById(userId).orElse(null);
			if (user == null || !user.emailVerified()) {
				return List.<Pending>of();
			}
			return pending(user).stream().map(i -> {
				Organization organization = organizations.findById(i.organizationId()).orElseThrow();
				return new Pending(i.id(), organization.id(), organization.name(), i.role(), inviter(i), i.expiresAt());
			}).toList();
		});
	}

	/**
	 * Accepts a pending invitation by its id for the signed-in user: the same rules as {@link #acceptAsMember}
	 * (the invited address, verified), the same rate limit, audit events, member limit and single-use step as
	 * accepting with the link. An invitation that is not pending for this user is 404 {@code not_found}, whether or
	 * not it exists.
	 */
	public OrganizationService.View accept(Caller actor, String invitationId) {
		rateLimiter.consume(RateLimiter.Limit.INVITATION_ACCEPT, actor.client().ip());
		return tx.execute(status -> join(pendingForActor(actor, invitationId), actor.userId(), actor.sessionId(),
				actor.client()));
	}

	/**
	 * Declines a pending invitation for the signed-in user with the invited, verified address: it ends like a
	 * revoked one (its link stops working), audited as {@code INVITATION_REVOKED} by the invitee.
	 */
	public void decline(Caller actor, String invitationId) {
		tx.executeWithoutResult(status -> {
			Invitation invitation = pendingForActor(actor, invitationId);
			if (!organizations.revokeInvitation(invitation.organizationId(), invitation.id(), clock.instant())) {
				throw notPending();
			}
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.INVITATION_REVOKED,
					organizations.findInvitation(invitation.organizationId(), invitation.id()).orElseThrow()));
			audit.recordForOrganization(AuditEvent.Type.INVITATION_REVOKED, actor.userId(), actor.sessionId(),
					actor.client(), invitation.organizationId(), "invitation " + invitation.id() + " declined");
		});
	}

	private Invitation pendingForActor(Caller actor, String invitationId) {
		User user = users.findById(actor.userId())
			.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
		if (!user.emailVerified()) {
			throw new ApiException(ErrorCode.EMAIL_NOT_VERIFIED,
					"Confirm your email address with the link we sent, then accept the invitation.");
		}
		return pending(user).stream()
			.filter(i -> i.id().equals(invitationId))
			.findFirst()
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
					"No invitation with this id is pending for your email address."));
	}

	private List<Invitation> pending(User user) {
		return organizations.findPendingInvitationsFor(EmailAddress.lookupForms(user.email()), clock.instant());
	}

	/** Who sent an invitation, as its invitee sees it: "name (email)", the email, or null when unknown. */
	private String inviter(Invitation invitation) {
		return invitation.invitedBy() == null ? null
				: users.findById(invitation.invitedBy())
					.map(u -> u.name() == null || u.name().isBlank() ? u.email() : u.name() + " (" + u.email() + ")")
					.orElse(null);
	}

	/**
	 * Invites an email address with a role and mails the link; needs {@code org:invitations:manage} and every
	 * {@code org:*} permission of the role.
	 */
	Invitation invite(Caller actor, String organizationId, String rawEmail, String roleKey) {
		throttle(actor);
		String email = EmailAddress.canonical("email", rawEmail);
		return tx.execute(status -> {
			Access a = access.require(actor.userId(), organizationId, Role.INVITATIONS_MANAGE);
			return invite(actor, a, a.organization(), email, roleKey);
		});
	}

	/**
	 * Invites an email address with any role of the organization ({@code owner} included) at the operator's request
	 * and mails the link, as {@link #invite(Caller, String, String, String)} does; the invitation names no inviter.
	 * The per-user and per-IP invitation rate limits are for members; the operator's calls are bounded by the Backend
	 * API's limit per key (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption").
	 * 404 when the organization does not exist.
	 */
	public Invitation inviteByOperator(String organizationId, String rawEmail, String roleKey, ClientInfo client) {
		String email = EmailAddress.canonical("email", rawEmail);
		return tx.execute(status -> invite(new Caller(null, null, client), null, access.operator(organizationId), email,
				roleKey));
	}

	/** The invitation; {@code a} is the inviter's access, which must cover the role (null: the operator). */
	private Invitation invite(Caller actor, Access a, Organization organization, String email, String roleKey) {
		String organizationId = organization.id();
		// Locked before the role is read, as deleteRole does, so a role cannot be deleted while an invitation
		// to it is being created (deleteRole counts open invitations as holders).
		organizations.lock(organizationId);
		Role role = access.findRole(organizationId, roleKey);
		if (role == null) {
			throw ApiException.validation("role", ErrorCode.UNKNOWN_ROLE, "This organization has no role '"
					+ roleKey + "'; use owner, admin, member or one of its custom roles.");
		}
		if (a != null) {
			access.requireCovers(a, role, "invite with the role '" + role.key() + "'");
		}
		Instant now = clock.instant();
		if (users.findByAddress(email)
			.flatMap(u -> organizations.findMembership(organizationId, u.id()))
			.isPresent()) {
			throw ApiException.validation("email", ErrorCode.ALREADY_MEMBER,
					"This email already belongs to a member of the organization.");
		}
		if (organizations.pendingInvitationExists(organizationId, email, now)) {
			throw ApiException.validation("email", ErrorCode.INVITATION_PENDING,
					"This email already has a pending invitation; resend or revoke it.");
		}
		requireRoomForOneMore(organizationId, now);
		String secret = SecureTokens.newSecret();
		Invitation invitation = new Invitation(SecureTokens.newId("inv"), organizationId, email, role.key(),
				SecureTokens.hash(secret), actor.userId(), now, now.plus(settings.organizations().invitationTtl()),
				null, null, null);
		organizations.insertInvitation(invitation);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.INVITATION_CREATED, invitation));
		mail(organization, email, secret);
		audit.recordForOrganization(AuditEvent.Type.INVITATION_CREATED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "invitation " + invitation.id() + " as " + role.key());
		return invitation;
	}

	/** Open invitations (pending or expired), newest first; needs {@code org:invitations:manage}. */
	List<Invitation> list(String userId, String organizationId) {
		access.require(userId, organizationId, Role.INVITATIONS_MANAGE);
		return organizations.findOpenInvitations(organizationId);
	}

	/** Open invitations (pending or expired), newest first, for the operator; 404 when there is no organization. */
	public List<Invitation> listByOperator(String organizationId) {
		return organizations.findOpenInvitations(access.operator(organizationId).id());
	}

	/** Mails a new link for an open invitation, valid for a full TTL again; the previous link stops working. */
	Invitation resend(Caller actor, String organizationId, String invitationId) {
		throttle(actor);
		return tx.execute(status -> {
			Access a = access.require(actor.userId(), organizationId, Role.INVITATIONS_MANAGE);
			return resend(actor, a, a.organization(), invitationId);
		});
	}

	/**
	 * Mails a new link for an open invitation at the operator's request, as
	 * {@link #resend(Caller, String, String)} does (a full lifetime again, the previous link stops working, the same
	 * audit event), whatever its role; the members' invitation rate limits do not apply, as for
	 * {@link #inviteByOperator}. 404 when the organization does not exist or has no invitation with this id (an
	 * invitation of another organization included), 409 {@code invitation_not_pending} when it was accepted or
	 * revoked.
	 */
	public Invitation resendByOperator(String organizationId, String invitationId, ClientInfo client) {
		return tx.execute(status -> resend(new Caller(null, null, client), null, access.operator(organizationId),
				invitationId));
	}

	/** The resend; {@code a} is the sender's access, which must cover the invitation's role (null: the operator). */
	private Invitation resend(Caller actor, Access a, Organization organization, String invitationId) {
		String organizationId = organization.id();
		organizations.lock(organizationId);
		Invitation invitation = find(organizationId, invitationId);
		if (!invitation.open()) {
			throw notPending();
		}
		Role role = access.findRole(organizationId, invitation.role());
		if (a != null && role != null) {
			access.requireCovers(a, role, "resend an invitation with the role '" + invitation.role() + "'");
		}
		Instant now = clock.instant();
		if (!now.isBefore(invitation.expiresAt())) {
			requireRoomForOneMore(organizationId, now); // an expired invitation does not hold a place
		}
		String secret = SecureTokens.newSecret();
		Instant expires = now.plus(settings.organizations().invitationTtl());
		if (!organizations.renewInvitation(organizationId, invitationId, SecureTokens.hash(secret), now, expires)) {
			throw notPending();
		}
		mail(organization, invitation.email(), secret);
		audit.recordForOrganization(AuditEvent.Type.INVITATION_RESENT, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "invitation " + invitationId);
		return find(organizationId, invitationId);
	}

	/** Revokes an open invitation: its link stops working; needs {@code org:invitations:manage}. */
	void revoke(Caller actor, String organizationId, String invitationId) {
		tx.executeWithoutResult(status -> {
			access.require(actor.userId(), organizationId, Role.INVITATIONS_MANAGE);
			revokeOpen(actor, organizationId, invitationId);
		});
	}

	/**
	 * Revokes an open invitation at the operator's request, as {@link #revoke(Caller, String, String)} does: 404 when
	 * the organization does not exist or has no invitation with this id (an invitation of another organization
	 * included), 409 {@code invitation_not_pending} when it was already accepted or revoked.
	 */
	public void revokeByOperator(String organizationId, String invitationId, ClientInfo client) {
		tx.executeWithoutResult(status -> revokeOpen(new Caller(null, null, client), access.operator(organizationId).id(),
				invitationId));
	}

	private void revokeOpen(Caller actor, String organizationId, String invitationId) {
		find(organizationId, invitationId);
		if (!organizations.revokeInvitation(organizationId, invitationId, clock.instant())) {
			throw notPending();
		}
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.INVITATION_REVOKED, find(organizationId, invitationId)));
		audit.recordForOrganization(AuditEvent.Type.INVITATION_REVOKED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "invitation " + invitationId);
	}

	/**
	 * Accepts for a signed-in user: their email must be the invited one and verified, so that nobody joins with an
	 * address they have not proven (OWASP Authorization Cheat Sheet: validate that the user may act on the object).
	 */
	public OrganizationService.View acceptAsMember(String userId, String sessionId, String token, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.INVITATION_ACCEPT, client.ip());
		return tx.execute(status -> {
			Invitation invitation = open(token);
			User user = users.findById(userId)
				.orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "The account no longer exists."));
			if (!EmailAddress.same(user.email(), invitation.email())) {
				throw new ApiException(ErrorCode.INVITATION_EMAIL_MISMATCH, "This invitation is for another email "
						+ "address; sign in with that account, or sign up through the link without signing in.");
			}
			if (!user.emailVerified()) {
				throw new ApiException(ErrorCode.EMAIL_NOT_VERIFIED,
						"Confirm your email address with the link we sent, then accept the invitation.");
			}
			return join(invitation, userId, sessionId, client);
		});
	}

	/**
	 * Accepts for someone without an account: creates the account for the invited email, verified because the
	 * link proved control of the address, adds the membership and starts a session. An existing account must
	 * sign in and accept instead ({@code email_taken}).
	 */
	public Joined acceptAsNewUser(String token, String password, String name, ClientInfo client) {
		rateLimiter.consume(RateLimiter.Limit.INVITATION_ACCEPT, client.ip());
		Invitation checked = tx.execute(status -> open(token));
		policy.check("password", password, checked.email());
		String hash = hasher.hash(password);
		try {
			return tx.execute(status -> {
				Invitation invitation = open(token);
				if (users.findByAddress(invitation.email()).isPresent()) {
					throw emailTaken();
				}
				Instant now = clock.instant();
				User user = new User(SecureTokens.newId("usr"), invitation.email(), true,
						name == null || name.isBlank() ? null : name.trim(), hash, now, now);
				users.insert(user);
				events.publishEvent(new AccountEvent(AccountEvent.Kind.CREATED, UserView.of(user)));
				audit.record(AuditEvent.Type.SIGN_UP, user.id(), null, client, "invitation " + invitation.id());
				OrganizationService.View view = join(invitation, user.id(), null, client);
				if (live.current().mfa().policy() == PlintoSettings.MfaPolicy.REQUIRED) {
					// like sign-up: no session before a second factor is enrolled (docs/mfa.md)
					return new Joined(null, signIn.startEnrollment(user, client), view);
				}
				TokenResponse tokens = sessions.start(user, null, List.of("pwd"), client);
				audit.record(AuditEvent.Type.SIGN_IN_SUCCEEDED, user.id(), tokens.sessionId(), client, "invitation");
				return new Joined(tokens, null, view);
			});
		}
		catch (DuplicateKeyException e) {
			throw emailTaken();
		}
	}

	private OrganizationService.View join(Invitation invitation, String userId, String sessionId,
			ClientInfo client) {
		String organizationId = invitation.organizationId();
		organizations.lock(organizationId);
		Instant now = clock.instant();
		// The link was checked before the organization's lock was taken; the update checks it again, so an old link
		// that a resend replaced meanwhile, or one that expired, cannot be accepted (single use, OWASP Forgot
		// Password Cheat Sheet "URL tokens", as for password reset links).
		if (!organizations.markInvitationAccepted(invitation.id(), invitation.tokenHash(), userId, now)) {
			Invitation current = organizations.findInvitation(organizationId, invitation.id()).orElseThrow();
			if (current.open() && current.tokenHash().equals(invitation.tokenHash())) {
				throw new ApiException(ErrorCode.INVITATION_EXPIRED,
						"This invitation has expired; ask for it to be resent.");
			}
			if (current.open()) {
				throw invalid();
			}
			throw new ApiException(ErrorCode.INVITATION_USED, "This invitation was already accepted or revoked.");
		}
		Organization organization = organizations.findById(organizationId).orElseThrow();
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.INVITATION_ACCEPTED,
				organizations.findInvitation(organizationId, invitation.id()).orElseThrow()));
		audit.recordForOrganization(AuditEvent.Type.INVITATION_ACCEPTED, userId, sessionId, client, organizationId,
				"invitation " + invitation.id());
		Membership existing = organizations.findMembership(organizationId, userId).orElse(null);
		if (existing != null) {
			return new OrganizationService.View(organization, access.findRole(organizationId, existing.role()));
		}
		if (organizations.countMembers(organizationId) >= settings.organizations().maxMembers()) {
			throw memberLimit();
		}
		Role role = access.findRole(organizationId, invitation.role());
		Membership membership = new Membership(organizationId, userId, role.key(), now, now);
		organizations.insertMembership(membership);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_CREATED, membership));
		audit.recordForOrganization(AuditEvent.Type.MEMBER_ADDED, userId, sessionId, client, organizationId,
				"member " + userId + " as " + role.key() + " (invitation " + invitation.id() + ")");
		return new OrganizationService.View(organization, role);
	}

	/** The invitation of a token if it can still be accepted; otherwise the code that says why not. */
	private Invitation open(String token) {
		if (token == null || token.isBlank() || token.length() > 200) {
			throw invalid();
		}
		Invitation invitation = organizations.findInvitationByTokenHash(SecureTokens.hash(token))
			.orElseThrow(InvitationService::invalid);
		if (invitation.revokedAt() != null) {
			throw new ApiException(ErrorCode.INVITATION_REVOKED, "This invitation was revoked; ask for a new one.");
		}
		if (invitation.acceptedAt() != null) {
			throw new ApiException(ErrorCode.INVITATION_USED, "This invitation was already accepted.");
		}
		if (!clock.instant().isBefore(invitation.expiresAt())) {
			throw new ApiException(ErrorCode.INVITATION_EXPIRED,
					"This invitation has expired; ask for it to be resent.");
		}
		return invitation;
	}

	private Invitation find(String organizationId, String invitationId) {
		if (!OrganizationAccess.plausibleId(invitationId)) {
			throw invitationNotFound();
		}
		return organizations.findInvitation(organizationId, invitationId)
			.orElseThrow(InvitationService::invitationNotFound);
	}

	private void requireRoomForOneMore(String organizationId, Instant now) {
		if (organizations.countMembers(organizationId)
				+ organizations.countPendingInvitations(organizationId, now) >= settings.organizations().maxMembers()) {
			throw memberLimit();
		}
	}

	/** One token per invitation mail from the inviting user's bucket and one from their IP's. */
	private void throttle(Caller actor) {
		rateLimiter.consume(RateLimiter.Limit.INVITATION, "user:" + actor.userId());
		rateLimiter.consume(RateLimiter.Limit.INVITATION, "ip:" + actor.client().ip());
	}

	/**
	 * Queues the invitation mail in the caller's transaction. The organization's name is quoted in the body (the
	 * invitee needs to know what they join); the subject carries no text chosen by the inviter.
	 */
	private void mail(Organization organization, String email, String secret) {
		String link = settings.organizations().invitationUrl() + "?token="
				+ URLEncoder.encode(secret, StandardCharsets.UTF_8);
		mailer.enqueue(email, templates.render("invitation", organization.name(), link,
				settings.organizations().invitationTtl()));
	}

	/** Deletes invitations 30 days after they expired, were accepted or revoked; daily, on one node. */
	@Scheduled(fixedDelay = 86_400_000, initialDelay = 600_000)
	@SchedulerLock(name = "invitation-cleanup", lockAtMostFor = "1h")
	void purgeEnded() {
		organizations.deleteInvitationsEndedBefore(clock.instant().minus(RETENTION));
	}

	private static ApiException invalid() {
		return new ApiException(ErrorCode.INVALID_INVITATION, "This invitation link is not valid; ask for a new one.");
	}

	private static ApiException notPending() {
		return new ApiException(ErrorCode.INVITATION_NOT_PENDING,
				"This invitation was already accepted or revoked.");
	}

	private static ApiException memberLimit() {
		return new ApiException(ErrorCode.MEMBER_LIMIT_REACHED,
				"The organization has reached its limit of members and pending invitations.");
	}

	private static ApiException emailTaken() {
		return ApiException.validation("email", ErrorCode.EMAIL_TAKEN, "An account with the invited email exists; "
				+ "sign in and accept the invitation with your access token.");
	}

	static ApiException invitationNotFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "This organization has no invitation with this id.");
	}
}
