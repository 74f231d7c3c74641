package dev.plinto.org;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.session.SessionService;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Memberships that an organization's identity provider manages rather than a member (SCIM provisioning,
 * docs/federation.md), and the organization-permission check of the features that manage an organization's
 * connections. Each change runs in the caller's transaction with its audit event, which names no acting user but
 * the connection in its detail, and its {@code membership.*} webhook event.
 * <p>
 * An identity provider never grants nor touches {@code owner} (OWASP Authorization Cheat Sheet, "Enforce least
 * privileges"): the token an admin creates for a connection cannot make anyone an owner, cannot demote or remove
 * an owner, and so cannot lock the organization's owners out or remove its last owner.
 */
@Service
public final class ProvisionedMemberships {

	private final OrganizationRepository organizations;

	private final OrganizationAccess access;

	private final SessionService sessions;

	private final AuditLog audit;

	private final Clock clock;

	private final PlintoSettings settings;

	private final ApplicationEventPublisher events;

	ProvisionedMemberships(OrganizationRepository organizations, OrganizationAccess access, SessionService sessions,
			AuditLog audit, Clock clock, PlintoSettings settings, ApplicationEventPublisher events) {
		this.organizations = organizations;
		this.access = access;
		this.sessions = sessions;
		this.audit = audit;
		this.clock = clock;
		this.settings = settings;
		this.events = events;
	}

	/**
	 * Checks that the user is a member of the organization whose role holds {@code permission}: 404
	 * {@code not_found} for a non-member or an organization that does not exist, 403 {@code forbidden} for a
	 * member without it ({@link OrganizationAccess}).
	 */
	public void requirePermission(String userId, String organizationId, String permission) {
		access.require(userId, organizationId, permission);
	}

	/**
	 * Checks that the organization exists, for the operator (the Backend API, the admin dashboard), who reaches every
	 * organization without a membership: 404 {@code not_found} otherwise.
	 */
	public void requireOrganization(String organizationId) {
		access.operator(organizationId);
	}

	/** The user's role key in the organization, when a member. */
	public Optional<String> roleOf(String organizationId, String userId) {
		return organizations.findMembership(organizationId, userId).map(Membership::role);
	}

	/**
	 * The role an identity provider may give: {@code admin}, {@code member} or one of the organization's custom
	 * roles; never {@code owner}.
	 */
	public Optional<Role> grantableRole(String organizationId, String key) {
		if (key == null || Role.OWNER.equals(key)) {
			return Optional.empty();
		}
		return Optional.ofNullable(access.findRole(organizationId, key));
	}

	/** What {@link #ensure} did. */
	public enum Outcome {
		ADDED, ROLE_CHANGED, UNCHANGED, OWNER_KEPT
	}

	/**
	 * Makes the user a member with the role (added, or its role changed); an owner keeps being owner. Refuses with
	 * {@code member_limit_reached} when a new member would exceed {@code PLINTO_ORG_MAX_MEMBERS}. {@code via} names
	 * the connection in the audit detail.
	 */
	public Outcome ensure(String organizationId, String userId, String roleKey, String via, ClientInfo client) {
		Role role = grantableRole(organizationId, roleKey).orElseThrow(
				() -> new IllegalArgumentException("not a role an identity provider may grant: " + roleKey));
		organizations.lock(organizationId);
		Instant now = clock.instant();
		Membership current = organizations.findMembership(organizationId, userId).orElse(null);
		if (current == null) {
			if (organizations.countMembers(organizationId) >= settings.organizations().maxMembers()) {
				throw new ApiException(ErrorCode.MEMBER_LIMIT_REACHED, "The organization has as many members as "
						+ "allowed (PLINTO_ORG_MAX_MEMBERS); remove a member first.");
			}
			Membership membership = new Membership(organizationId, userId, role.key(), now, now);
			organizations.insertMembership(membership);
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_CREATED, membership));
			audit.recordForOrganization(AuditEvent.Type.MEMBER_ADDED, null, null, client, organizationId,
					"member " + userId + " as " + role.key() + " (" + via + ")");
			return Outcome.ADDED;
		}
		if (Role.OWNER.equals(current.role())) {
			return Outcome.OWNER_KEPT;
		}
		if (current.role().equals(role.key())) {
			return Outcome.UNCHANGED;
		}
		organizations.updateMembershipRole(organizationId, userId, role.key(), now);
		organizations.findMembership(organizationId, userId)
			.ifPresent(m -> events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_UPDATED, m)));
		audit.recordForOrganization(AuditEvent.Type.MEMBER_ROLE_CHANGED, null, null, client, organizationId,
				"member " + userId + " role " + current.role() + " -> " + role.key() + " (" + via + ")");
		return Outcome.ROLE_CHANGED;
	}

	/**
	 * Ends the user's membership, unless they are an owner (false then, and when they were no member); their
	 * sessions working in the organization lose it as their active organization.
	 */
	public boolean remove(String organizationId, String userId, String via, ClientInfo client) {
		organizations.lock(organizationId);
		Membership current = organizations.findMembership(organizationId, userId).orElse(null);
		if (current == null || Role.OWNER.equals(current.role())) {
			return false;
		}
		organizations.deleteMembership(organizationId, userId);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_DELETED, current));
		sessions.leftOrganization(userId, organizationId);
		audit.recordForOrganization(AuditEvent.Type.MEMBER_REMOVED, null, null, client, organizationId,
				"member " + userId + " (was " + current.role() + "; " + via + ")");
		return true;
	}
}
