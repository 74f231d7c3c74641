package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.org.Invitation;
import dev.plinto.org.InvitationService;
import dev.plinto.org.Member;
import dev.plinto.org.Organization;
import dev.plinto.org.OrganizationService;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Organizations as the operator sees them, for the Backend API and the admin dashboard: every organization with
 * its private metadata and member count, its members, roles and open invitations, and the operator's changes
 * (create, update, delete, add a member, change a role, remove a member, invite, revoke an invitation). It holds no
 * rules of its own: each change is made by {@link OrganizationService} or {@link InvitationService}, the services
 * of the member API, inside {@link AuditLog#actingAs}, so the audit events and webhook events are those of the
 * member API, with the API key's id (or the administrator's user id) as actor (OWASP Logging Cheat Sheet, "Which
 * events to log").
 */
@Service
public final class AdminOrganizations {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final OrganizationDirectory directory;

	private final OrganizationService organizations;

	private final InvitationService invitations;

	private final Clock clock;

	AdminOrganizations(OrganizationDirectory directory, OrganizationService organizations,
			InvitationService invitations, Clock clock) {
		this.directory = directory;
		this.organizations = organizations;
		this.invitations = invitations;
		this.clock = clock;
	}

	public record AdminOrganization(String id, String name, String slug, Map<String, Object> publicMetadata,
			Map<String, Object> privateMetadata, @Schema(nullable = true) String createdBy, Instant createdAt,
			Instant updatedAt, long membersCount) {
	}

	public record MemberView(String userId, String email, @Schema(nullable = true) String name, String role,
			Instant joinedAt) {

		static MemberView of(Member m) {
			return new MemberView(m.userId(), m.email(), m.name(), m.role(), m.joinedAt());
		}
	}

	/** An open invitation; {@code invited_by} is null when the operator (or a since deleted user) sent it. */
	@Schema(name = "OperatorInvitation")
	public record InvitationView(String id, String email, String role,
			@Schema(allowableValues = { "pending", "expired" }) String status,
			@Schema(nullable = true) String invitedBy, Instant createdAt, Instant expiresAt) {

		static InvitationView of(Invitation i, Instant now) {
			return new InvitationView(i.id(), i.email(), i.role(), i.status(now), i.invitedBy(), i.createdAt(),
					i.expiresAt());
		}
	}

	/** A role an organization's member can hold: the built-in ones and the organization's own. */
	public record RoleView(String key, String name, boolean builtIn) {
	}

	public Page<AdminOrganization> search(String query, String cursor, int limit) {
		Instant beforeTime = null;
		String beforeId = null;
		String after = PageCursor.decode(cursor);
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					throw new IllegalArgumentException("not an organization id");
				}
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		return Page.of(directory.search(query, null, beforeTime, beforeId, Page.rowsFor(limit)), limit,
				r -> r.createdAt() + "|" + r.id(), AdminOrganizations::view);
	}

	public AdminOrganization get(String organizationId) {
		return directory.search(null, organizationId, null, null, 1)
			.stream()
			.findFirst()
			.map(AdminOrganizations::view)
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No organization with this id exists."));
	}

	public Page<MemberView> members(String organizationId, String cursor, int limit) {
		get(organizationId);
		String after = PageCursor.decode(cursor);
		if (after != null && !after.matches("[a-z]+_[0-9a-z]+")) {
			throw PageCursor.forged();
		}
		return Page.of(directory.members(organizationId, after, Page.rowsFor(limit)), limit,
				OrganizationDirectory.MemberRow::userId,
				m -> new MemberView(m.userId(), m.email(), m.name(), m.role(), m.joinedAt()));
	}

	/**
	 * Creates an organization; with {@code ownerUserId} that user is its first member and owner, without it the
	 * organization starts with no member ({@link OrganizationService#createByOperator}).
	 */
	public AdminOrganization create(AdminCaller caller, String name, String slug, Map<String, Object> publicMetadata,
			Map<String, Object> privateMetadata, String ownerUserId) {
		Organization created = AuditLog.actingAs(caller.keyId(), () -> organizations.createByOperator(name, slug,
				publicMetadata, privateMetadata, ownerUserId, caller.client()));
		return get(created.id());
	}

	public void delete(AdminCaller caller, String organizationId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			organizations.deleteByOperator(organizationId, caller.client());
			return null;
		});
	}

	public MemberView addMember(AdminCaller caller, String organizationId, String userId, String role) {
		return MemberView.of(AuditLog.actingAs(caller.keyId(),
				() -> organizations.addMemberByOperator(organizationId, userId, role, caller.client())));
	}

	public MemberView changeRole(AdminCaller caller, String organizationId, String userId, String role) {
		return MemberView.of(AuditLog.actingAs(caller.keyId(),
				() -> organizations.changeRoleByOperator(organizationId, userId, role, caller.client())));
	}

	public void removeMember(AdminCaller caller, String organizationId, String userId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			organizations.removeMemberByOperator(organizationId, userId, caller.client());
			return null;
		});
	}

	public List<RoleView> roles(String organizationId) {
		return organizations.rolesByOperator(organizationId)
			.stream()
			.map(r -> new RoleView(r.key(), r.name(), r.builtIn()))
			.toList();
	}

	public List<InvitationView> invitations(String organizationId) {
		Instant now = clock.instant();
		return invitations.listByOperator(organizationId).stream().map(i -> InvitationView.of(i, now)).toList();
	}

	public InvitationView invite(AdminCaller caller, String organizationId, String email, String role) {
		Invitation invitation = AuditLog.actingAs(caller.keyId(),
				() -> invitations.inviteByOperator(organizationId, email, role, caller.client()));
		return InvitationView.of(invitation, clock.instant());
	}

	public void revokeInvitation(AdminCaller caller, String organizationId, String invitationId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			invitations.revokeByOperator(organizationId, invitationId, caller.client());
			return null;
		});
	}

	public AdminOrganization update(AdminCaller caller, String organizationId, String name,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata) {
		AuditLog.actingAs(caller.keyId(), () -> organizations.updateByOperator(organizationId, name, publicMetadata,
				privateMetadata, caller.client()));
		return get(organizationId);
	}

	private static AdminOrganization view(OrganizationDirectory.Row r) {
		return new AdminOrganization(r.id(), r.name(), r.slug(), read(r.publicMetadata()), read(r.privateMetadata()),
				r.createdBy(), r.createdAt(), r.updatedAt(), r.members());
	}

	private static Map<String, Object> read(String stored) {
		return JSON.readValue(stored == null ? "{}" : stored, OBJECT);
	}
}
