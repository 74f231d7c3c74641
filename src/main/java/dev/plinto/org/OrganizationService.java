package dev.plinto.org;

import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.OrganizationAccess.Access;
import dev.plinto.session.SessionService;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Organizations, their members and their custom roles. Every operation checks the caller's access through
 * {@link OrganizationAccess} first and runs in one transaction with its audit events, each naming the acting user
 * (OWASP Logging Cheat Sheet, "Which events to log"). Changes whose validity depends on a count (the last owner,
 * the member limit) lock the organization row first, so concurrent requests cannot both pass the check.
 * <p>
 * The operator (the Backend API with an API key, the admin dashboard with an administrator) reaches every
 * organization without being a member, through the {@code …ByOperator} methods: the same steps, audit events and
 * webhook events as the member's call, without the member's permission checks. The operator holds every
 * permission, so it may grant any role, {@code owner} included; the last-owner rule still applies to it, so an
 * organization that has an owner keeps one (OWASP Authorization Cheat Sheet, "Enforce least privileges": members
 * cannot escalate, and the operator is the instance's administrator). Its audit events name no user: the actor is
 * set by the caller with {@code AuditLog.actingAs} (the API key's id, or the administrator's user id).
 */
@Service
public final class OrganizationService {

	/** Custom roles one organization may define. */
	static final int MAX_CUSTOM_ROLES = 50;

	private final OrganizationRepository organizations;

	private final OrganizationAccess access;

	private final SessionService sessions;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	private final ApplicationEventPublisher events;

	private final ObjectProvider<ProvisioningStatus> provisioning;

	private final UserRepository users;

	OrganizationService(OrganizationRepository organizations, OrganizationAccess access, SessionService sessions,
			AuditLog audit, TransactionOperations tx, Clock clock, PlintoSettings settings,
			ApplicationEventPublisher events, ObjectProvider<ProvisioningStatus> provisioning, UserRepository users) {
		this.users = users;
		this.provisioning = provisioning;
		this.events = events;
		this.organizations = organizations;
		this.access = access;
		this.sessions = sessions;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
	}

	/** An organization as one member sees it: with their role. */
	public record View(Organization organization, Role role) {
	}

	/**
	 * Creates an organization whose owner is the caller; without {@code slug}, one is derived from the name (with a
	 * random suffix when taken).
	 */
	public View create(Caller actor, String name, String slug, String publicMetadata) {
		if (slug != null && !Slugs.valid(slug)) {
			throw invalidSlug();
		}
		try {
			return tx.execute(status -> {
				organizations.lockCreator(actor.userId());
				if (organizations.countCreatedBy(actor.userId()) >= settings.organizations().maxPerUser()) {
					throw new ApiException(ErrorCode.ORGANIZATION_LIMIT_REACHED, "You may create at most "
							+ settings.organizations().maxPerUser() + " organizations; delete one first.");
				}
				String chosen = slug != null ? slug : freeSlug(Slugs.fromName(name));
				if (slug != null && organizations.slugExists(slug)) {
					throw slugTaken();
				}
				Instant now = clock.instant();
				Organization organization = new Organization(SecureTokens.newId("org"), name.trim(), chosen,
						publicMetadata == null ? Metadata.EMPTY : publicMetadata, Metadata.EMPTY, actor.userId(), now,
						now);
				insert(actor, organization, actor.userId(), "(creator)");
				return new View(organization, Role.builtIn(Role.OWNER));
			});
		}
		catch (DuplicateKeyException e) {
			throw slugTaken();
		}
	}

	/**
	 * Creates an organization at the operator's request: with {@code ownerUserId}, that existing user is its first
	 * member and owner (404 {@code not_found} when no such user exists); without, it has no member and is managed by
	 * the operator alone until someone joins, e.g. by accepting an invitation with the role {@code owner}. The
	 * per-user limit ({@code PLINTO_ORG_MAX_PER_USER}) is for members creating their own and does not apply; the
	 * organization records no creator. Audited and announced as {@link #create} does.
	 */
	public Organization createByOperator(String name, String slug, Map<String, Object> publicMetadata,
			Map<String, Object> privateMetadata, String ownerUserId, ClientInfo client) {
		if (slug != null && !Slugs.valid(slug)) {
			throw invalidSlug();
		}
		String publicText = Metadata.store("public_metadata", publicMetadata);
		String privateText = Metadata.store("private_metadata", privateMetadata);
		try {
			return tx.execute(status -> {
				if (ownerUserId != null) {
					existingUser(ownerUserId);
				}
				String chosen = slug != null ? slug : freeSlug(Slugs.fromName(name));
				if (slug != null && organizations.slugExists(slug)) {
					throw slugTaken();
				}
				Instant now = clock.instant();
				Organization organization = new Organization(SecureTokens.newId("org"), name.trim(), chosen,
						publicText == null ? Metadata.EMPTY : publicText,
						privateText == null ? Metadata.EMPTY : privateText, null, now, now);
				insert(operator(client), organization, ownerUserId, "(first owner)");
				return organization;
			});
		}
		catch (DuplicateKeyException e) {
			throw slugTaken();
		}
	}

	/** Stores a new organization and its first owner (none when null), with their events and audit entries. */
	private void insert(Caller actor, Organization organization, String ownerId, String why) {
		organizations.insert(organization);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.ORGANIZATION_CREATED, organization));
		audit.recordForOrganization(AuditEvent.Type.ORGANIZATION_CREATED, actor.userId(), actor.sessionId(),
				actor.client(), organization.id(), "slug " + organization.slug());
		if (ownerId != null) {
			Membership owner = new Membership(organization.id(), ownerId, Role.OWNER, organization.createdAt(),
					organization.createdAt());
			organizations.insertMembership(owner);
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_CREATED, owner));
			audit.recordForOrganization(AuditEvent.Type.MEMBER_ADDED, actor.userId(), actor.sessionId(),
					actor.client(), organization.id(), "member " + ownerId + " as owner " + why);
		}
	}

	private String freeSlug(String base) {
		String candidate = base;
		for (int i = 0; i < 5 && organizations.slugExists(candidate); i++) {
			candidate = Slugs.withSuffix(base);
		}
		return candidate;
	}

	/** The user's organizations by slug, each with the user's role. */
	public List<View> mine(String userId, String afterSlug, int limit) {
		return organizations.findByMember(userId, afterSlug, limit)
			.stream()
			.map(j -> new View(j.organization(), access.roleOrDenyAll(j.organization().id(), j.role())))
			.toList();
	}

	View get(String userId, String organizationId) {
		Access a = access.member(userId, organizationId);
		return new View(a.organization(), a.role());
	}

	/**
	 * Changes an organization's name, slug and metadata at the operator's request (the Backend API), without a
	 * member's permission, as {@link #update(Caller, String, String, String, String)} does: null fields stay, the
	 * slug follows the same rules ({@code slug_taken} when another organization has it). The private metadata is the
	 * backend's own and never shown to members. Audited as {@code organization.updated} (with the API key as actor
	 * through {@code AuditLog.actingAs}) and announced to webhooks. 404 when the organization does not exist.
	 */
	public Organization updateByOperator(String organizationId, String name, String slug,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata, ClientInfo client) {
		if (slug != null && !Slugs.valid(slug)) {
			throw invalidSlug();
		}
		String publicText = Metadata.store("public_metadata", publicMetadata);
		String privateText = Metadata.store("private_metadata", privateMetadata);
		try {
			return tx.execute(status -> update(operator(client), access.operator(organizationId), name, slug,
					publicText, privateText));
		}
		catch (DuplicateKeyException e) {
			throw slugTaken();
		}
	}

	/** Changes the given fields (null: unchanged); needs {@code org:manage}. */
	View update(Caller actor, String organizationId, String name, String slug, String publicMetadata) {
		if (slug != null && !Slugs.valid(slug)) {
			throw invalidSlug();
		}
		try {
			return tx.execute(status -> {
				Access a = access.require(actor.userId(), organizationId, Role.MANAGE);
				return new View(update(actor, a.organization(), name, slug, publicMetadata, null), a.role());
			});
		}
		catch (DuplicateKeyException e) {
			throw slugTaken();
		}
	}

	/**
	 * The change of the given fields (null: unchanged; the private metadata only for the operator), audited and
	 * announced when anything changed.
	 */
	private Organization update(Caller actor, Organization o, String name, String slug, String publicMetadata,
			String privateMetadata) {
		String newSlug = slug == null ? o.slug() : slug;
		if (!newSlug.equals(o.slug()) && organizations.slugExists(newSlug)) {
			throw slugTaken();
		}
		List<String> changed = new ArrayList<>();
		if (name != null && !name.trim().equals(o.name())) {
			changed.add("name");
		}
		if (!newSlug.equals(o.slug())) {
			changed.add("slug " + o.slug() + " -> " + newSlug);
		}
		if (publicMetadata != null && !publicMetadata.equals(o.publicMetadata())) {
			changed.add("public_metadata");
		}
		if (privateMetadata != null && !privateMetadata.equals(o.privateMetadata())) {
			changed.add("private_metadata");
		}
		Instant now = clock.instant();
		organizations.update(o.id(), name == null ? o.name() : name.trim(), newSlug,
				publicMetadata == null ? o.publicMetadata() : publicMetadata, now);
		if (privateMetadata != null) {
			organizations.updatePrivateMetadata(o.id(), privateMetadata, now);
		}
		Organization updated = organizations.findById(o.id()).orElseThrow();
		if (!changed.isEmpty()) {
			audit.recordForOrganization(AuditEvent.Type.ORGANIZATION_UPDATED, actor.userId(), actor.sessionId(),
					actor.client(), o.id(), String.join(", ", changed));
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.ORGANIZATION_UPDATED, updated));
		}
		return updated;
	}

	/**
	 * Deletes an organization (needs {@code org:delete}, which only owners hold by default): every membership
	 * and open invitation is removed and audited, and sessions working in it lose their active organization.
	 */
	void delete(Caller actor, String organizationId) {
		tx.executeWithoutResult(status -> {
			Access a = access.require(actor.userId(), organizationId, Role.DELETE);
			delete(actor, a.organization());
		});
	}

	/** Deletes an organization at the operator's request, as {@link #delete(Caller, String)} does; 404 if none. */
	public void deleteByOperator(String organizationId, ClientInfo client) {
		tx.executeWithoutResult(status -> delete(operator(client), access.operator(organizationId)));
	}

	private void delete(Caller actor, Organization organization) {
		String organizationId = organization.id();
		organizations.lock(organizationId);
		Instant now = clock.instant();
		for (Invitation invitation : organizations.findOpenInvitations(organizationId)) {
			organizations.revokeInvitation(organizationId, invitation.id(), now);
			audit.recordForOrganization(AuditEvent.Type.INVITATION_REVOKED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "invitation " + invitation.id() + " (organization deleted)");
		}
		for (String memberId : organizations.findMemberIds(organizationId)) {
			organizations.deleteMembership(organizationId, memberId);
			audit.recordForOrganization(AuditEvent.Type.MEMBER_REMOVED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "member " + memberId + " (organization deleted)");
		}
		sessions.leftOrganization(null, organizationId);
		organizations.delete(organizationId);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.ORGANIZATION_DELETED, organization));
		audit.recordForOrganization(AuditEvent.Type.ORGANIZATION_DELETED, actor.userId(), actor.sessionId(),
				actor.client(), organizationId, "slug " + organization.slug());
	}

	/** Members by email, optionally those whose email contains {@code emailQuery}; needs {@code org:members:read}. */
	List<Member> members(String userId, String organizationId, String emailQuery, String afterEmail, int limit) {
		access.require(userId, organizationId, Role.MEMBERS_READ);
		return organizations.findMembers(organizationId, emailQuery, afterEmail, limit);
	}

	/**
	 * Gives a member another role; needs {@code org:members:manage} and every {@code org:*} permission of both the
	 * member's current and new role. Demoting the last owner is refused with {@code last_owner}.
	 */
	Member changeRole(Caller actor, String organizationId, String memberId, String roleKey) {
		return tx.execute(status -> changeRole(actor,
				access.require(actor.userId(), organizationId, Role.MEMBERS_MANAGE), organizationId, memberId,
				roleKey));
	}

	/**
	 * Gives a member another role at the operator's request: any role of the organization, {@code owner} included;
	 * demoting the last owner is refused with {@code last_owner} as for members. 404 when the organization does not
	 * exist or the user is not its member.
	 */
	public Member changeRoleByOperator(String organizationId, String memberId, String roleKey, ClientInfo client) {
		return tx.execute(status -> {
			access.operator(organizationId);
			return changeRole(operator(client), null, organizationId, memberId, roleKey);
		});
	}

	/** The change of role; {@code a} is the member's access, whose permissions must cover both roles (null: the operator). */
	private Member changeRole(Caller actor, Access a, String organizationId, String memberId, String roleKey) {
		Role role = existingRole(organizationId, roleKey);
		organizations.lock(organizationId);
		Membership target = membership(organizationId, memberId);
		if (a != null) {
			Role current = access.findRole(organizationId, target.role());
			if (current != null) {
				access.requireCovers(a, current, "change the role of a member who is '" + target.role() + "'");
			}
			access.requireCovers(a, role, "grant the role '" + role.key() + "'");
		}
		if (!role.key().equals(target.role())) {
			if (Role.OWNER.equals(target.role()) && organizations.countMembersWithRole(organizationId,
					Role.OWNER) <= 1) {
				throw lastOwner();
			}
			organizations.updateMembershipRole(organizationId, memberId, role.key(), clock.instant());
			organizations.findMembership(organizationId, memberId)
				.ifPresent(m -> events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_UPDATED, m)));
			audit.recordForOrganization(AuditEvent.Type.MEMBER_ROLE_CHANGED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId,
					"member " + memberId + " role " + target.role() + " -> " + role.key());
		}
		return organizations.findMember(organizationId, memberId).orElseThrow();
	}

	/**
	 * Removes a member: needs {@code org:members:manage} and every {@code org:*} permission of the member's role;
	 * removing oneself is leaving and needs no permission. The last owner can neither be removed nor leave.
	 */
	void removeMember(Caller actor, String organizationId, String memberId) {
		tx.executeWithoutResult(status -> {
			boolean leaving = actor.userId().equals(memberId);
			Access a = leaving ? access.member(actor.userId(), organizationId)
					: access.require(actor.userId(), organizationId, Role.MEMBERS_MANAGE);
			removeMember(actor, leaving ? null : a, organizationId, memberId, leaving);
		});
	}

	/**
	 * Removes a member at the operator's request, whatever their role; the last owner cannot be removed
	 * ({@code last_owner}), as for members. 404 when the organization does not exist or the user is not its member.
	 */
	public void removeMemberByOperator(String organizationId, String memberId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			access.operator(organizationId);
			removeMember(operator(client), null, organizationId, memberId, false);
		});
	}

	/** The removal; {@code a} is the remover's access, which must cover the member's role (null: no check). */
	private void removeMember(Caller actor, Access a, String organizationId, String memberId, boolean leaving) {
		organizations.lock(organizationId);
		Membership target = membership(organizationId, memberId);
		if (a != null) {
			Role current = access.findRole(organizationId, target.role());
			if (current != null) {
				access.requireCovers(a, current, "remove a member who is '" + target.role() + "'");
			}
		}
		if (Role.OWNER.equals(target.role())
				&& organizations.countMembersWithRole(organizationId, Role.OWNER) <= 1) {
			throw lastOwner();
		}
		organizations.deleteMembership(organizationId, memberId);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_DELETED, target));
		sessions.leftOrganization(memberId, organizationId);
		audit.recordForOrganization(leaving ? AuditEvent.Type.MEMBER_LEFT : AuditEvent.Type.MEMBER_REMOVED,
				actor.userId(), actor.sessionId(), actor.client(), organizationId,
				"member " + memberId + " (was " + target.role() + ")");
	}

	/**
	 * Adds an existing user as a member with a role at the operator's request (members join through invitations
	 * instead): 404 {@code not_found} when the organization or the user does not exist, 409 {@code already_member},
	 * 422 {@code unknown_role}, and the member limit ({@code PLINTO_ORG_MAX_MEMBERS}, members plus pending
	 * invitations) as for an invitation.
	 */
	public Member addMemberByOperator(String organizationId, String userId, String roleKey, ClientInfo client) {
		return tx.execute(status -> {
			access.operator(organizationId);
			organizations.lock(organizationId);
			Role role = existingRole(organizationId, roleKey);
			existingUser(userId);
			if (organizations.findMembership(organizationId, userId).isPresent()) {
				throw ApiException.validation("user_id", ErrorCode.ALREADY_MEMBER,
						"This user already belongs to the organization; change their role instead.");
			}
			Instant now = clock.instant();
			if (organizations.countMembers(organizationId)
					+ organizations.countPendingInvitations(organizationId, now) >= settings.organizations()
						.maxMembers()) {
				throw new ApiException(ErrorCode.MEMBER_LIMIT_REACHED,
						"The organization has reached its limit of members and pending invitations.");
			}
			Membership membership = new Membership(organizationId, userId, role.key(), now, now);
			organizations.insertMembership(membership);
			events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_CREATED, membership));
			audit.recordForOrganization(AuditEvent.Type.MEMBER_ADDED, null, null, client, organizationId,
					"member " + userId + " as " + role.key() + " (added by the operator)");
			return organizations.findMember(organizationId, userId).orElseThrow();
		});
	}

	/** The built-in roles, then the organization's custom roles, for the operator; 404 when it does not exist. */
	public List<Role> rolesByOperator(String organizationId) {
		access.operator(organizationId);
		List<Role> roles = new ArrayList<>(Role.builtInRoles());
		roles.addAll(organizations.findRoles(organizationId));
		return roles;
	}

	/** The operator as a caller of the shared steps: no user, no session; the actor is set by {@code AuditLog.actingAs}. */
	private static Caller operator(ClientInfo client) {
		return new Caller(null, null, client);
	}

	private void existingUser(String userId) {
		if (!OrganizationAccess.plausibleId(userId) || users.findById(userId).isEmpty()) {
			throw new ApiException(ErrorCode.NOT_FOUND, "No user with this id exists.");
		}
	}


	/** The caller leaves the organization: {@link #removeMember} of oneself ({@code last_owner} for the last owner). */
	public void leave(Caller actor, String organizationId) {
		removeMember(actor, organizationId, actor.userId());
	}

	/** The built-in roles, then the organization's custom roles; for any member. */
	List<Role> roles(String userId, String organizationId) {
		access.member(userId, organizationId);
		List<Role> roles = new ArrayList<>(Role.builtInRoles());
		roles.addAll(organizations.findRoles(organizationId));
		return roles;
	}

	/** Defines a custom role; needs {@code org:roles:manage} and every {@code org:*} permission it lists. */
	Role createRole(Caller actor, String organizationId, String key, String name, String description,
			List<String> permissions) {
		return createRole(actor, () -> access.require(actor.userId(), organizationId, Role.ROLES_MANAGE),
				organizationId, key, name, description, permissions);
	}

	/**
	 * Defines a custom role at the operator's request, as {@link #createRole(Caller, String, String, String, String,
	 * List)} does (the same key and permission rules, the same limit, the same audit event), with any permissions:
	 * the operator holds every one. 404 when the organization does not exist.
	 */
	public Role createRoleByOperator(String organizationId, String key, String name, String description,
			List<String> permissions, ClientInfo client) {
		return createRole(operator(client), () -> operatorAccess(organizationId), organizationId, key, name,
				description, permissions);
	}

	/** The definition; {@code who} resolves the caller's access inside the transaction (null: the operator). */
	private Role createRole(Caller actor, Supplier<Access> who, String organizationId, String key, String name,
			String description, List<String> permissions) {
		if (!Role.validKey(key)) {
			throw ApiException.validation("key", ErrorCode.VALIDATION_FAILED, "key must be 1 to " + Role.KEY_MAX
					+ " lower-case letters or digits, with single '-' or '_' between them.");
		}
		List<String> checked = checkedPermissions(permissions);
		try {
			return tx.execute(status -> {
				Access a = who.get();
				Instant now = clock.instant();
				Role role = new Role(key, name.trim(), blankToNull(description), checked, false, now, now);
				if (a != null) {
					access.requireCovers(a, role, "define a role with these permissions");
				}
				if (Role.isBuiltIn(key) || organizations.findRole(organizationId, key).isPresent()) {
					throw roleExists();
				}
				organizations.lock(organizationId);
				if (organizations.countRoles(organizationId) >= MAX_CUSTOM_ROLES) {
					throw new ApiException(ErrorCode.ROLE_LIMIT_REACHED, "An organization has at most "
							+ MAX_CUSTOM_ROLES + " custom roles; delete one first.");
				}
				organizations.insertRole(organizationId, role);
				audit.recordForOrganization(AuditEvent.Type.ROLE_CREATED, actor.userId(), actor.sessionId(),
						actor.client(), organizationId, "role " + key + " [" + String.join(" ", checked) + "]");
				return role;
			});
		}
		catch (DuplicateKeyException e) {
			throw roleExists();
		}
	}

	/** Changes a custom role (null fields unchanged); the caller must cover its old and new permissions. */
	Role updateRole(Caller actor, String organizationId, String key, String name, String description,
			List<String> permissions) {
		return updateRole(actor, () -> access.require(actor.userId(), organizationId, Role.ROLES_MANAGE),
				organizationId, key, name, description, permissions);
	}

	/**
	 * Changes a custom role at the operator's request, as {@link #updateRole(Caller, String, String, String, String,
	 * List)} does; built-in roles stay unchangeable ({@code role_built_in}). 404 when the organization does not
	 * exist or has no custom role with this key.
	 */
	public Role updateRoleByOperator(String organizationId, String key, String name, String description,
			List<String> permissions, ClientInfo client) {
		return updateRole(operator(client), () -> operatorAccess(organizationId), organizationId, key, name,
				description, permissions);
	}

	private Role updateRole(Caller actor, Supplier<Access> who, String organizationId, String key, String name,
			String description, List<String> permissions) {
		List<String> checked = permissions == null ? null : checkedPermissions(permissions);
		return tx.execute(status -> {
			Access a = who.get();
			Role current = customRole(organizationId, key);
			if (a != null) {
				access.requireCovers(a, current, "change the role '" + key + "'");
			}
			Role updated = new Role(key, name == null ? current.name() : name.trim(),
					description == null ? current.description() : blankToNull(description),
					checked == null ? current.permissions() : checked, false, current.createdAt(), clock.instant());
			if (a != null) {
				access.requireCovers(a, updated, "give the role '" + key + "' these permissions");
			}
			organizations.updateRole(organizationId, updated);
			audit.recordForOrganization(AuditEvent.Type.ROLE_UPDATED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "role " + key + " [" + String.join(" ", updated.permissions())
							+ "]");
			return updated;
		});
	}

	/** Deletes a custom role nobody holds; {@code role_in_use} while a member or open invitation has it. */
	void deleteRole(Caller actor, String organizationId, String key) {
		deleteRole(actor, () -> access.require(actor.userId(), organizationId, Role.ROLES_MANAGE), organizationId,
				key);
	}

	/**
	 * Deletes a custom role at the operator's request, as {@link #deleteRole(Caller, String, String)} does: refused
	 * with {@code role_in_use} while a member or open invitation holds it. 404 when the organization does not exist
	 * or has no custom role with this key.
	 */
	public void deleteRoleByOperator(String organizationId, String key, ClientInfo client) {
		deleteRole(operator(client), () -> operatorAccess(organizationId), organizationId, key);
	}

	private void deleteRole(Caller actor, Supplier<Access> who, String organizationId, String key) {
		tx.executeWithoutResult(status -> {
			Access a = who.get();
			organizations.lock(organizationId);
			Role current = customRole(organizationId, key);
			if (a != null) {
				access.requireCovers(a, current, "delete the role '" + key + "'");
			}
			long holders = organizations.countRoleHolders(organizationId, key);
			if (holders > 0) {
				throw new ApiException(ErrorCode.ROLE_IN_USE, "The role '" + key + "' is held by " + holders
						+ " members or open invitations; give them another role first.");
			}
			organizations.deleteRole(organizationId, key);
			audit.recordForOrganization(AuditEvent.Type.ROLE_DELETED, actor.userId(), actor.sessionId(),
					actor.client(), organizationId, "role " + key);
		});
	}

	/** The operator's "access": the organization must exist (404 otherwise); no permission applies (null). */
	private Access operatorAccess(String organizationId) {
		access.operator(organizationId);
		return null;
	}

	/**
	 * Makes an organization the caller's session's active one (null clears it) and returns a new access token
	 * with its claims; 404 when the caller does not belong to it.
	 */
	public SessionService.AccessTokenResponse activate(Caller actor, String organizationId) {
		return tx.execute(status -> {
			if (organizationId != null) {
				access.member(actor.userId(), organizationId);
			}
			return sessions.switchOrganization(actor.userId(), actor.sessionId(), organizationId, actor.client());
		});
	}

	private Role existingRole(String organizationId, String key) {
		Role role = access.findRole(organizationId, key);
		if (role == null) {
			throw ApiException.validation("role", ErrorCode.UNKNOWN_ROLE, "This organization has no role '" + key
					+ "'; use owner, admin, member or one of its custom roles.");
		}
		return role;
	}

	private Role customRole(String organizationId, String key) {
		if (Role.isBuiltIn(key)) {
			throw new ApiException(ErrorCode.ROLE_BUILT_IN, "The built-in role '" + key
					+ "' cannot be changed or deleted; create a custom role instead.");
		}
		if (!Role.validKey(key)) {
			throw roleNotFound();
		}
		return organizations.findRole(organizationId, key).orElseThrow(OrganizationService::roleNotFound);
	}

	private Membership membership(String organizationId, String userId) {
		if (!OrganizationAccess.plausibleId(userId)) {
			throw memberNotFound();
		}
		return organizations.findMembership(organizationId, userId).orElseThrow(OrganizationService::memberNotFound);
	}

	static List<String> checkedPermissions(List<String> permissions) {
		if (permissions == null) {
			throw ApiException.validation("permissions", ErrorCode.VALIDATION_FAILED, "permissions is required.");
		}
		if (permissions.size() > Role.PERMISSIONS_PER_ROLE_MAX) {
			throw ApiException.validation("permissions", ErrorCode.VALIDATION_FAILED,
					"A role has at most " + Role.PERMISSIONS_PER_ROLE_MAX + " permissions.");
		}
		for (String p : permissions) {
			if (!Role.validPermission(p)) {
				throw ApiException.validation("permissions", ErrorCode.UNKNOWN_PERMISSION,
						"Each permission must be one of " + Role.ORG_PERMISSIONS + " or app:<name> (lower-case "
								+ "words separated by '.', ':', '-' or '_', at most " + Role.PERMISSION_MAX
								+ " characters).");
			}
		}
		return List.copyOf(new LinkedHashSet<>(permissions));
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}

	private static ApiException invalidSlug() {
		return ApiException.validation("slug", ErrorCode.VALIDATION_FAILED, "slug must be " + Slugs.MIN + " to "
				+ Slugs.MAX + " lower-case letters or digits, with single hyphens between them.");
	}

	private static ApiException slugTaken() {
		return ApiException.validation("slug", ErrorCode.SLUG_TAKEN,
				"Another organization uses this slug; choose another one.");
	}

	private static ApiException lastOwner() {
		return new ApiException(ErrorCode.LAST_OWNER,
				"This is the organization's last owner; make another member owner first, or delete the organization.");
	}

	private static ApiException roleExists() {
		return ApiException.validation("key", ErrorCode.ROLE_EXISTS,
				"This organization already has a role with this key.");
	}

	static ApiException roleNotFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "This organization has no custom role with this key.");
	}

	static ApiException memberNotFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "This organization has no member with this user id.");
	}

	/**
	 * Just-in-time membership of a user who signed in through one of the organization's enterprise connections
	 * (docs/federation.md): a new member joins with {@code roleKey} when the organization has that role, else with
	 * {@code member}; an existing member keeps the role they have, so a sign-in never demotes an owner. Runs in the
	 * caller's transaction, with the organization's row locked like every membership change that checks the member
	 * limit ({@code PLINTO_ORG_MAX_MEMBERS}, 409 {@code member_limit_reached} when full).
	 */
	public View joinThroughConnection(String organizationId, String userId, String roleKey, String connectionId,
			dev.plinto.web.ClientInfo client) {
		if (!organizations.lock(organizationId)) {
			throw new ApiException(ErrorCode.NOT_FOUND, "This organization no longer exists.");
		}
		Organization organization = organizations.findById(organizationId).orElseThrow();
		Membership existing = organizations.findMembership(organizationId, userId).orElse(null);
		if (existing != null) {
			return new View(organization, access.roleOrDenyAll(organizationId, existing.role()));
		}
		ProvisioningStatus status = provisioning.getIfAvailable();
		if (status != null && status.deactivated(organizationId, userId)) {
			// The organization's identity provider took this user out over SCIM: a sign-in through one of its
			// connections must not bring them back in (OWASP Authorization Cheat Sheet, "Deny by default").
			throw new ApiException(ErrorCode.FORBIDDEN,
					"The organization's identity provider has deactivated this account for the organization.");
		}
		if (organizations.countMembers(organizationId) >= settings.organizations().maxMembers()) {
			throw new ApiException(ErrorCode.MEMBER_LIMIT_REACHED,
					"The organization has reached its limit of members and pending invitations.");
		}
		Role role = roleKey == null ? null : access.findRole(organizationId, roleKey);
		if (role == null || Role.OWNER.equals(role.key())) {
			// ownership is given by a person, never by a mapping
			role = Role.OWNER.equals(roleKey) ? Role.builtIn(Role.ADMIN) : Role.builtIn(Role.MEMBER);
		}
		Instant now = clock.instant();
		Membership membership = new Membership(organizationId, userId, role.key(), now, now);
		organizations.insertMembership(membership);
		events.publishEvent(OrganizationEvent.of(OrganizationEvent.Kind.MEMBERSHIP_CREATED, membership));
		audit.recordForOrganization(AuditEvent.Type.MEMBER_ADDED, userId, null, client, organizationId,
				"member " + userId + " as " + role.key() + " (connection " + connectionId + ")");
		return new View(organization, role);
	}
}
