package dev.plinto.admin;

import dev.plinto.account.User;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditLog;
import dev.plinto.org.AttributeMapping;
import dev.plinto.org.DomainRouting;
import dev.plinto.org.EnterpriseConnections;
import dev.plinto.org.Invitation;
import dev.plinto.org.InvitationService;
import dev.plinto.org.Member;
import dev.plinto.org.Organization;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.OrganizationDomain;
import dev.plinto.org.OrganizationDomains;
import dev.plinto.org.OrganizationService;
import dev.plinto.org.Role;
import dev.plinto.scim.ScimTokens;
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
 * its private metadata and member count, its members, roles, open invitations, enterprise connections and email
 * domains, and the operator's changes (create, update, delete; add a member, change a role, remove a member; define,
 * change and delete custom roles; invite, resend and revoke invitations; create, change and delete connections and
 * their SCIM tokens; claim, verify, route and remove domains). It holds no rules of its own: each change is made by
 * {@link OrganizationService}, {@link InvitationService}, {@link EnterpriseConnections}, {@link OrganizationDomains}
 * or {@link ScimTokens}, the services of the member API, inside {@link AuditLog#actingAs}, so the audit events and
 * webhook events are those of the member API, with the API key's id (or the administrator's user id) as actor
 * (OWASP Logging Cheat Sheet, "Which events to log"). A connection's client secret is accepted, never returned
 * (OWASP API Security Top 10 2023, API3 "Broken Object Property Level Authorization").
 */
@Service
public final class AdminOrganizations {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final OrganizationDirectory directory;

	private final OrganizationService organizations;

	private final InvitationService invitations;

	private final EnterpriseConnections connections;

	private final OrganizationDomains domains;

	private final ScimTokens scimTokens;

	private final UserRepository users;

	private final Clock clock;

	AdminOrganizations(OrganizationDirectory directory, OrganizationService organizations,
			InvitationService invitations, EnterpriseConnections connections, OrganizationDomains domains,
			ScimTokens scimTokens, UserRepository users, Clock clock) {
		this.directory = directory;
		this.organizations = organizations;
		this.invitations = invitations;
		this.connections = connections;
		this.domains = domains;
		this.scimTokens = scimTokens;
		this.users = users;
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
	@Schema(name = "OperatorRole")
	public record RoleView(String key, String name, @Schema(nullable = true) String description,
			List<String> permissions, boolean builtIn) {

		static RoleView of(Role r) {
			return new RoleView(r.key(), r.name(), r.description(), r.permissions(), r.builtIn());
		}
	}

	@Schema(name = "OperatorAttributeMapping", description = "Which claims (OpenID Connect) or attributes (SAML) "
			+ "hold the email, the name and the groups; `roles` maps a group to the organization role its members get")
	public record AttributeMappingView(@Schema(nullable = true, example = "email") String email,
			@Schema(nullable = true, example = "name") String name,
			@Schema(nullable = true, example = "groups") String groups,
			@Schema(nullable = true, example = "{\"acme-admins\": \"admin\"}") Map<String, String> roles) {

		AttributeMapping toMapping() {
			return new AttributeMapping(email, name, groups, roles);
		}
	}

	/** An enterprise connection; whether a client secret is stored, never the secret. */
	@Schema(name = "OperatorConnection")
	public record ConnectionView(String id, String organizationId,
			@Schema(allowableValues = { "oidc", "saml" }) String type, String name, boolean enabled,
			@Schema(nullable = true) String issuer, @Schema(nullable = true) String clientId,
			@Schema(description = "Whether a client secret is stored (it is never returned)") boolean clientSecretSet,
			@Schema(nullable = true) String metadataUrl, @Schema(nullable = true) String metadataXml,
			AttributeMappingView attributeMapping, String defaultRole,
			@Schema(description = "Whether a SCIM token is set for the connection (it is never returned)") boolean scimTokenSet,
			@Schema(description = "Where a browser starts a sign-in through this connection") String startPath,
			Instant createdAt, Instant updatedAt) {

		static ConnectionView of(OrganizationConnection c) {
			AttributeMapping m = AttributeMapping.read(c.attributeMapping());
			return new ConnectionView(c.id(), c.organizationId(), c.type().wire(), c.name(), c.enabled(),
					c.oidcIssuer(), c.oidcClientId(), c.oidcClientSecret() != null, c.samlMetadataUrl(),
					c.samlMetadataXml(), new AttributeMappingView(m.email(), m.name(), m.groups(), m.roles()),
					c.defaultRole(), c.scimTokenHash() != null,
					new DomainRouting.Route(c.id(), c.type(), false).startPath(), c.createdAt(), c.updatedAt());
		}
	}

	/**
	 * A connection's settings as the operator sends them; null means "not given" (on update: unchanged), the client
	 * secret in clear (sealed by the service).
	 */
	public record ConnectionSettings(String type, String name, Boolean enabled, String issuer, String clientId,
			String clientSecret, String metadataUrl, String metadataXml, AttributeMappingView attributeMapping,
			String defaultRole) {

		EnterpriseConnections.Settings toSettings() {
			return new EnterpriseConnections.Settings(type, name, enabled, issuer, clientId, clientSecret, metadataUrl,
					metadataXml, attributeMapping == null ? null : attributeMapping.toMapping(), defaultRole);
		}
	}

	/** A connection's new SCIM token, shown once, and the SCIM base URL to configure at the identity provider. */
	@Schema(name = "OperatorScimToken")
	public record ScimTokenView(String connectionId,
			@Schema(description = "The bearer token for the identity provider; shown only in this answer") String token,
			Instant createdAt,
			@Schema(description = "The SCIM base URL (Tenant URL) to configure in the identity provider") String scimBaseUrl) {
	}

	@Schema(name = "OperatorDomainVerification", description = "The DNS TXT record that verifies the claim")
	public record Verification(@Schema(allowableValues = "TXT") String type,
			@Schema(example = "_plinto-verification.acme.com") String name,
			@Schema(example = "plinto-verification=3q2-7wEAAAB8Kk0J2r1xZ4lqQ9e0g5u2cV1s4m8oT6c") String value) {
	}

	/** A claimed email domain with the TXT record that verifies it. */
	@Schema(name = "OperatorDomain")
	public record DomainView(String domain, @Schema(nullable = true) String connectionId, boolean passwordsDisabled,
			boolean verified, @Schema(nullable = true) Instant verifiedAt,
			@Schema(nullable = true, description = "`dns` or `admin` (the instance operator's command line)") String verifiedBy,
			Verification verification, Instant createdAt) {

		static DomainView of(OrganizationDomain d) {
			return new DomainView(d.domain(), d.connectionId(), d.passwordsDisabled(), d.verified(), d.verifiedAt(),
					d.verifiedBy(), new Verification("TXT", OrganizationDomains.recordName(d.domain()),
							OrganizationDomains.recordValue(d)),
					d.createdAt());
		}
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
		return members(organizationId, null, cursor, limit);
	}

	/** The members whose email contains {@code emailQuery} (every member when null), by user id. */
	public Page<MemberView> members(String organizationId, String emailQuery, String cursor, int limit) {
		get(organizationId);
		String after = PageCursor.decode(cursor);
		if (after != null && !after.matches("[a-z]+_[0-9a-z]+")) {
			throw PageCursor.forged();
		}
		return Page.of(directory.members(organizationId, emailQuery, after, Page.rowsFor(limit)), limit,
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

	/**
	 * The id of the account an administrator names in a form, by its email address (as an address is looked up at
	 * sign-in) or by its user id, which is passed on unchecked: the service adding the member checks it. 404
	 * {@code not_found} when no account has the address.
	 */
	public String userId(String emailOrId) {
		String typed = emailOrId == null ? "" : emailOrId.strip();
		if (!typed.contains("@")) {
			return typed;
		}
		return users.findByAddress(typed)
			.map(User::id)
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No account has this email address."));
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
		return organizations.rolesByOperator(organizationId).stream().map(RoleView::of).toList();
	}

	public RoleView createRole(AdminCaller caller, String organizationId, String key, String name,
			String description, List<String> permissions) {
		return RoleView.of(AuditLog.actingAs(caller.keyId(), () -> organizations.createRoleByOperator(organizationId,
				key, name, description, permissions, caller.client())));
	}

	public RoleView updateRole(AdminCaller caller, String organizationId, String key, String name,
			String description, List<String> permissions) {
		return RoleView.of(AuditLog.actingAs(caller.keyId(), () -> organizations.updateRoleByOperator(organizationId,
				key, name, description, permissions, caller.client())));
	}

	public void deleteRole(AdminCaller caller, String organizationId, String key) {
		AuditLog.actingAs(caller.keyId(), () -> {
			organizations.deleteRoleByOperator(organizationId, key, caller.client());
			return null;
		});
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

	public InvitationView resendInvitation(AdminCaller caller, String organizationId, String invitationId) {
		Invitation invitation = AuditLog.actingAs(caller.keyId(),
				() -> invitations.resendByOperator(organizationId, invitationId, caller.client()));
		return InvitationView.of(invitation, clock.instant());
	}

	public void revokeInvitation(AdminCaller caller, String organizationId, String invitationId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			invitations.revokeByOperator(organizationId, invitationId, caller.client());
			return null;
		});
	}

	public AdminOrganization update(AdminCaller caller, String organizationId, String name, String slug,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata) {
		AuditLog.actingAs(caller.keyId(), () -> organizations.updateByOperator(organizationId, name, slug,
				publicMetadata, privateMetadata, caller.client()));
		return get(organizationId);
	}

	// --- enterprise connections and their SCIM tokens -----------------------------------------------------------

	public List<ConnectionView> connections(String organizationId) {
		return connections.listByOperator(organizationId).stream().map(ConnectionView::of).toList();
	}

	public ConnectionView connection(String organizationId, String connectionId) {
		return ConnectionView.of(connections.getByOperator(organizationId, connectionId));
	}

	public ConnectionView createConnection(AdminCaller caller, String organizationId, ConnectionSettings settings) {
		return ConnectionView.of(AuditLog.actingAs(caller.keyId(),
				() -> connections.createByOperator(organizationId, settings.toSettings(), caller.client())));
	}

	public ConnectionView updateConnection(AdminCaller caller, String organizationId, String connectionId,
			ConnectionSettings settings) {
		return ConnectionView.of(AuditLog.actingAs(caller.keyId(), () -> connections.updateByOperator(organizationId,
				connectionId, settings.toSettings(), caller.client())));
	}

	public void deleteConnection(AdminCaller caller, String organizationId, String connectionId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			connections.deleteByOperator(organizationId, connectionId, caller.client());
			return null;
		});
	}

	public ScimTokenView issueScimToken(AdminCaller caller, String organizationId, String connectionId) {
		ScimTokens.Issued issued = AuditLog.actingAs(caller.keyId(),
				() -> scimTokens.issueByOperator(organizationId, connectionId, caller.client()));
		return new ScimTokenView(issued.connectionId(), issued.token(), issued.createdAt(), issued.scimBaseUrl());
	}

	public void revokeScimToken(AdminCaller caller, String organizationId, String connectionId) {
		AuditLog.actingAs(caller.keyId(), () -> {
			scimTokens.revokeByOperator(organizationId, connectionId, caller.client());
			return null;
		});
	}

	// --- email domains --------------------------------------------------------------------------------------------

	public List<DomainView> domains(String organizationId) {
		return domains.listByOperator(organizationId).stream().map(DomainView::of).toList();
	}

	public DomainView domain(String organizationId, String domain) {
		return DomainView.of(domains.getByOperator(organizationId, domain));
	}

	public DomainView claimDomain(AdminCaller caller, String organizationId, String domain) {
		return DomainView.of(AuditLog.actingAs(caller.keyId(),
				() -> domains.claimByOperator(organizationId, domain, caller.client())));
	}

	public DomainView verifyDomain(AdminCaller caller, String organizationId, String domain) {
		return DomainView.of(AuditLog.actingAs(caller.keyId(),
				() -> domains.verifyDnsByOperator(organizationId, domain, caller.client())));
	}

	public DomainView routeDomain(AdminCaller caller, String organizationId, String domain, String connectionId,
			boolean passwordsDisabled) {
		return DomainView.of(AuditLog.actingAs(caller.keyId(), () -> domains.routeByOperator(organizationId, domain,
				connectionId, passwordsDisabled, caller.client())));
	}

	public void deleteDomain(AdminCaller caller, String organizationId, String domain) {
		AuditLog.actingAs(caller.keyId(), () -> {
			domains.deleteByOperator(organizationId, domain, caller.client());
			return null;
		});
	}

	private static AdminOrganization view(OrganizationDirectory.Row r) {
		return new AdminOrganization(r.id(), r.name(), r.slug(), read(r.publicMetadata()), read(r.privateMetadata()),
				r.createdBy(), r.createdAt(), r.updatedAt(), r.members());
	}

	private static Map<String, Object> read(String stored) {
		return JSON.readValue(stored == null ? "{}" : stored, OBJECT);
	}
}
