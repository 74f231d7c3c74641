package dev.plinto.admin;

import dev.plinto.account.EmailAddress;
import dev.plinto.account.User;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's organizations ({@code /v1/admin/organizations…}, docs/api.md "Backend API"): a thin shell over
 * {@link AdminOrganizations}; scopes declared in {@code security.WebSecurityConfiguration} (reads
 * {@code organizations:read}, changes {@code organizations:write}). Every organization is reachable without a
 * membership; a member, role, invitation, connection or domain is always looked up within the organization of the
 * path, so naming another organization's is 404 (OWASP API Security Top 10 2023, API1 "Broken Object Level
 * Authorization").
 */
@RestController
@Tag(name = "Backend API: organizations")
@SecurityRequirement(name = "apiKey")
final class AdminOrganizationsController {

	private final AdminOrganizations organizations;

	AdminOrganizationsController(AdminOrganizations organizations) {
		this.organizations = organizations;
	}

	@Schema(name = "OperatorCreateOrganizationRequest")
	record CreateOrganizationRequest(
			@Schema(example = "Acme") @NotBlank @Size(max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name,
			@Schema(description = "Derived from the name when absent (with a random suffix when taken)",
					example = "acme") @Size(max = 100) String slug,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata,
			@Schema(description = "An existing user who becomes the first member, as owner; absent: the "
					+ "organization starts without members") @Size(max = 100) String ownerUserId) {
	}

	record AddMemberRequest(@NotBlank @Size(max = 100) String userId,
			@Schema(example = "member") @NotBlank @Size(max = 100) String role) {
	}

	record ChangeRoleRequest(@Schema(example = "admin") @NotBlank @Size(max = 100) String role) {
	}

	record InviteRequest(
			@Schema(example = "grace@example.com", format = "idn-email") @NotBlank @EmailAddress.Valid @Size(max = 320) String email,
			@Schema(example = "member") @NotBlank @Size(max = 100) String role) {
	}

	@Schema(name = "OperatorInvitationList")
	record InvitationList(List<AdminOrganizations.InvitationView> data) {
	}

	@Schema(name = "OperatorUpdateOrganizationRequest")
	record UpdateOrganizationRequest(
			@Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name,
			@Schema(example = "acme") @Size(max = 100) String slug,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata) {
	}

	@Schema(name = "OperatorRoleList")
	record RoleList(List<AdminOrganizations.RoleView> data) {
	}

	@Schema(name = "OperatorCreateRoleRequest")
	record CreateRoleRequest(@Schema(example = "billing") @NotBlank @Size(max = 100) String key,
			@Schema(example = "Billing") @NotBlank @Size(max = 200) @Pattern(regexp = ApiDocs.ONE_LINE) String name,
			@Size(max = 500) String description,
			@NotNull @Size(max = 50) List<@NotNull @Size(max = 200) String> permissions) {
	}

	@Schema(name = "OperatorUpdateRoleRequest")
	record UpdateRoleRequest(@Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.ONE_LINE) String name,
			@Size(max = 500) String description,
			@Size(max = 50) List<@NotNull @Size(max = 200) String> permissions) {
	}

	@Schema(name = "OperatorAttributeMappingRequest", description = "Which claims (OpenID Connect) or attributes "
			+ "(SAML) hold the email, the name and the groups; `roles` maps a group to the organization role its "
			+ "members get")
	record AttributeMappingBody(@Schema(nullable = true, example = "email") String email,
			@Schema(nullable = true, example = "name") String name,
			@Schema(nullable = true, example = "groups") String groups,
			@Schema(nullable = true, example = "{\"acme-admins\": \"admin\"}") @Size(max = 50) Map<String, String> roles) {

		AdminOrganizations.AttributeMappingView view() {
			return new AdminOrganizations.AttributeMappingView(email, name, groups, roles);
		}
	}

	@Schema(name = "OperatorCreateConnectionRequest")
	record CreateConnectionRequest(@Schema(allowableValues = { "oidc", "saml" }) @NotBlank @Size(max = 8) String type,
			@Schema(example = "Acme Okta") @NotBlank @Size(max = 200) @Pattern(regexp = ApiDocs.ONE_LINE) String name,
			@Schema(nullable = true, description = "Default true") Boolean enabled,
			@Schema(nullable = true, example = "https://acme.okta.com", description = "oidc: the issuer (https)") @Size(max = 2048) String issuer,
			@Schema(nullable = true, description = "oidc: the client id Plinto has at the identity provider") @Size(max = 255) String clientId,
			@Schema(nullable = true, description = "oidc: the client secret; write-only, stored sealed, never returned") @Size(max = 500) String clientSecret,
			@Schema(nullable = true, description = "saml: the identity provider's metadata URL (https)") @Size(max = 2048) String metadataUrl,
			@Schema(nullable = true, description = "saml: the identity provider's metadata XML (md:EntityDescriptor)") @Size(max = 60000) String metadataXml,
			@Schema(nullable = true) @Valid AttributeMappingBody attributeMapping,
			@Schema(nullable = true, description = "The role of a member who joins through the connection; default member") @Size(max = 100) String defaultRole) {

		AdminOrganizations.ConnectionSettings settings() {
			return new AdminOrganizations.ConnectionSettings(type, name, enabled, issuer, clientId, clientSecret,
					metadataUrl, metadataXml, attributeMapping == null ? null : attributeMapping.view(), defaultRole);
		}
	}

	@Schema(name = "OperatorUpdateConnectionRequest")
	record UpdateConnectionRequest(@Schema(nullable = true, description = "If given, the connection's own type: `oidc` or `saml`") @Size(max = 8) String type,
			@Schema(nullable = true) @Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name,
			@Schema(nullable = true) Boolean enabled, @Schema(nullable = true) @Size(max = 2048) String issuer,
			@Schema(nullable = true) @Size(max = 255) String clientId,
			@Schema(nullable = true, description = "A new client secret; write-only") @Size(max = 500) String clientSecret,
			@Schema(nullable = true) @Size(max = 2048) String metadataUrl,
			@Schema(nullable = true) @Size(max = 60000) String metadataXml,
			@Schema(nullable = true, description = "Replaces the whole mapping") @Valid AttributeMappingBody attributeMapping,
			@Schema(nullable = true) @Size(max = 100) String defaultRole) {

		AdminOrganizations.ConnectionSettings settings() {
			return new AdminOrganizations.ConnectionSettings(type, name, enabled, issuer, clientId, clientSecret,
					metadataUrl, metadataXml, attributeMapping == null ? null : attributeMapping.view(), defaultRole);
		}
	}

	@Schema(name = "OperatorConnectionList")
	record ConnectionList(List<AdminOrganizations.ConnectionView> data) {
	}

	@Schema(name = "OperatorClaimDomainRequest")
	record ClaimDomainRequest(@Schema(example = "acme.com") @NotBlank @Size(max = 253) String domain) {
	}

	@Schema(name = "OperatorRouteDomainRequest")
	record RouteDomainRequest(
			@Schema(nullable = true, description = "The connection that signs this domain's users in; null: none") @Size(max = 100) String connectionId,
			@Schema(description = "Refuse passwords for this domain's addresses (needs connection_id)") @NotNull Boolean passwordsDisabled) {
	}

	@Schema(name = "OperatorDomainList")
	record DomainList(List<AdminOrganizations.DomainView> data) {
	}

	@GetMapping(path = "/v1/admin/organizations", produces = "application/json")
	@Operation(summary = "List and search organizations, newest first", description = "Scope `organizations:read`. "
			+ "`query` matches part of the name or slug. Pass `next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	Page<AdminOrganizations.AdminOrganization> list(AdminCaller caller,
			@RequestParam(required = false) @Parameter(description = "Part of the name or slug",
					schema = @Schema(maxLength = 200)) String query,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		if (query != null && query.length() > 200) {
			throw ApiException.validation("query", ErrorCode.VALIDATION_FAILED,
					"query is at most 200 characters.");
		}
		return organizations.search(query, cursor, Page.limit(limit));
	}

	@GetMapping(path = "/v1/admin/organizations/{id}", produces = "application/json")
	@Operation(summary = "An organization, private metadata and member count included",
			description = "Scope `organizations:read`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminOrganizations.AdminOrganization get(AdminCaller caller, @PathVariable String id) {
		return organizations.get(id);
	}

	@GetMapping(path = "/v1/admin/organizations/{id}/members", produces = "application/json")
	@Operation(summary = "An organization's members", description = "Scope `organizations:read`. By user id; "
			+ "`email` keeps members whose email contains it (case-insensitive). Pass `next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Page<AdminOrganizations.MemberView> members(AdminCaller caller, @PathVariable String id,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor,
			@RequestParam(required = false) @Parameter(description = "Part of the email (case-insensitive)",
					schema = @Schema(maxLength = 320)) String email) {
		String query = email == null || email.isBlank() ? null : User.normalizeEmail(email);
		if (query != null && (query.length() > 320 || !query.chars().allMatch(c -> c >= 0x20))) {
			throw ApiException.validation("email", ErrorCode.VALIDATION_FAILED,
					"email must be printable text of at most 320 characters.");
		}
		return organizations.members(id, query, cursor, Page.limit(limit));
	}

	@PostMapping(path = "/v1/admin/organizations", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create an organization", description = "Scope `organizations:write`. With `owner_user_id`, "
			+ "that user is its first member, as owner; without, it starts with no member and is managed through the "
			+ "Backend API until someone joins (e.g. by an invitation with the role `owner`). The per-user limit "
			+ "`PLINTO_ORG_MAX_PER_USER` does not apply.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "slug_taken", "metadata_too_large" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<AdminOrganizations.AdminOrganization> create(AdminCaller caller,
			@Valid @RequestBody CreateOrganizationRequest body) {
		AdminOrganizations.AdminOrganization created = organizations.create(caller, body.name(), body.slug(),
				body.publicMetadata(), body.privateMetadata(), body.ownerUserId());
		return ResponseEntity.created(URI.create("/v1/admin/organizations/" + created.id())).body(created);
	}

	@DeleteMapping("/v1/admin/organizations/{id}")
	@Operation(summary = "Delete an organization", description = "Scope `organizations:write`. As the member API's "
			+ "delete: every membership and open invitation is removed, each audited; sessions working in it lose "
			+ "their active organization; webhooks get `organization.deleted`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(AdminCaller caller, @PathVariable String id) {
		organizations.delete(caller, id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/members", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Add a user as a member", description = "Scope `organizations:write`. Any role of the "
			+ "organization, `owner` included. Counts against `PLINTO_ORG_MAX_MEMBERS` (members plus pending "
			+ "invitations).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_role", "already_member", "member_limit_reached" })
	@ApiDocs.Status(value = 201, description = "Added")
	ResponseEntity<AdminOrganizations.MemberView> addMember(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody AddMemberRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(organizations.addMember(caller, id, body.userId(), body.role()));
	}

	@PatchMapping(path = "/v1/admin/organizations/{id}/members/{user_id}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Change a member's role", description = "Scope `organizations:write`. Any role of the "
			+ "organization, `owner` included; the last owner cannot be demoted (`last_owner`).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_role", "last_owner" })
	AdminOrganizations.MemberView changeRole(AdminCaller caller, @PathVariable String id,
			@PathVariable("user_id") String userId, @Valid @RequestBody ChangeRoleRequest body) {
		return organizations.changeRole(caller, id, userId, body.role());
	}

	@DeleteMapping("/v1/admin/organizations/{id}/members/{user_id}")
	@Operation(summary = "Remove a member", description = "Scope `organizations:write`. Whatever their role; the "
			+ "last owner cannot be removed (`last_owner`). Their sessions working in the organization lose it as "
			+ "active organization.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"last_owner" })
	@ApiDocs.Status(value = 204, description = "Removed")
	ResponseEntity<Void> removeMember(AdminCaller caller, @PathVariable String id,
			@PathVariable("user_id") String userId) {
		organizations.removeMember(caller, id, userId);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/v1/admin/organizations/{id}/invitations", produces = "application/json")
	@Operation(summary = "An organization's open invitations", description = "Scope `organizations:read`. Neither "
			+ "accepted nor revoked, newest first; `status` is `pending` or `expired`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	InvitationList invitations(AdminCaller caller, @PathVariable String id) {
		return new InvitationList(organizations.invitations(id));
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/invitations", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Invite someone by email", description = "Scope `organizations:write`. Any role of the "
			+ "organization, `owner` included; mails a single-use link valid for `PLINTO_ORG_INVITATION_TTL`, as the "
			+ "member API does. The invitation names no inviter.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_role", "already_member", "invitation_pending", "member_limit_reached" })
	@ApiDocs.Status(value = 201, description = "Invited; the link is mailed")
	ResponseEntity<AdminOrganizations.InvitationView> invite(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody InviteRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(organizations.invite(caller, id, body.email(), body.role()));
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/invitations/{invitation_id}/resend",
			produces = "application/json")
	@Operation(summary = "Resend an invitation", description = "Scope `organizations:write`. As the member API: "
			+ "mails a new link valid for a full lifetime again; the previous link stops working.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"invitation_not_pending", "member_limit_reached" })
	AdminOrganizations.InvitationView resendInvitation(AdminCaller caller, @PathVariable String id,
			@PathVariable("invitation_id") String invitationId) {
		return organizations.resendInvitation(caller, id, invitationId);
	}

	@DeleteMapping("/v1/admin/organizations/{id}/invitations/{invitation_id}")
	@Operation(summary = "Revoke an invitation", description = "Scope `organizations:write`. Its link stops working.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"invitation_not_pending" })
	@ApiDocs.Status(value = 204, description = "Revoked")
	ResponseEntity<Void> revokeInvitation(AdminCaller caller, @PathVariable String id,
			@PathVariable("invitation_id") String invitationId) {
		organizations.revokeInvitation(caller, id, invitationId);
		return ResponseEntity.noContent().build();
	}

	@PatchMapping(path = "/v1/admin/organizations/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change an organization's name, slug or metadata", description = "Scope "
			+ "`organizations:write`. Absent or null fields stay; the slug follows the member API's rules; each "
			+ "metadata object sent replaces the stored one (8 KiB each). The private metadata is never shown to "
			+ "members.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "slug_taken", "metadata_too_large" })
	AdminOrganizations.AdminOrganization update(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody UpdateOrganizationRequest body) {
		return organizations.update(caller, id, body.name(), body.slug(), body.publicMetadata(),
				body.privateMetadata());
	}

	// --- custom roles ---------------------------------------------------------------------------------------------

	@GetMapping(path = "/v1/admin/organizations/{id}/roles", produces = "application/json")
	@Operation(summary = "An organization's roles", description = "Scope `organizations:read`. The built-in roles, "
			+ "then the organization's custom roles.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	RoleList roles(AdminCaller caller, @PathVariable String id) {
		return new RoleList(organizations.roles(id));
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/roles", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Create a custom role", description = "Scope `organizations:write`. As the member API: "
			+ "the documented `org:*` permissions and `app:<name>`; at most 50 custom roles.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_permission", "role_exists", "role_limit_reached" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<AdminOrganizations.RoleView> createRole(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody CreateRoleRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(organizations.createRole(caller, id, body.key(), body.name(), body.description(),
					body.permissions()));
	}

	@PatchMapping(path = "/v1/admin/organizations/{id}/roles/{key}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Update a custom role", description = "Scope `organizations:write`. Absent fields stay; "
			+ "members holding it get the new permissions in their next token. Built-in roles cannot change.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_permission", "role_built_in" })
	AdminOrganizations.RoleView updateRole(AdminCaller caller, @PathVariable String id, @PathVariable String key,
			@Valid @RequestBody UpdateRoleRequest body) {
		return organizations.updateRole(caller, id, key, body.name(), body.description(), body.permissions());
	}

	@DeleteMapping("/v1/admin/organizations/{id}/roles/{key}")
	@Operation(summary = "Delete a custom role", description = "Scope `organizations:write`. Refused while a member "
			+ "or open invitation holds the role (`role_in_use`).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"role_built_in", "role_in_use" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> deleteRole(AdminCaller caller, @PathVariable String id, @PathVariable String key) {
		organizations.deleteRole(caller, id, key);
		return ResponseEntity.noContent().build();
	}

	// --- enterprise connections -----------------------------------------------------------------------------------

	@GetMapping(path = "/v1/admin/organizations/{id}/connections", produces = "application/json")
	@Operation(summary = "An organization's enterprise connections", description = "Scope `organizations:read`. "
			+ "Oldest first; secrets are never returned.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	ConnectionList connections(AdminCaller caller, @PathVariable String id) {
		return new ConnectionList(organizations.connections(id));
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/connections", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Create an enterprise connection", description = "Scope `organizations:write`. As the "
			+ "member API: `oidc` needs `issuer`, `client_id`, `client_secret` (write-only, sealed); `saml` "
			+ "`metadata_url` (https) or `metadata_xml`. `default_role` and the roles of `attribute_mapping.roles` "
			+ "may be any roles of the organization.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_role" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<AdminOrganizations.ConnectionView> createConnection(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody CreateConnectionRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(organizations.createConnection(caller, id,
				body.settings()));
	}

	@GetMapping(path = "/v1/admin/organizations/{id}/connections/{connection_id}", produces = "application/json")
	@Operation(summary = "An enterprise connection", description = "Scope `organizations:read`. 404 for a "
			+ "connection of another organization.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminOrganizations.ConnectionView connection(AdminCaller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		return organizations.connection(id, connectionId);
	}

	@PatchMapping(path = "/v1/admin/organizations/{id}/connections/{connection_id}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Update an enterprise connection", description = "Scope `organizations:write`. As the "
			+ "member API: absent fields stay unchanged; the type cannot change; `attribute_mapping` replaces the "
			+ "whole mapping.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_role" })
	AdminOrganizations.ConnectionView updateConnection(AdminCaller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId, @Valid @RequestBody UpdateConnectionRequest body) {
		return organizations.updateConnection(caller, id, connectionId, body.settings());
	}

	@DeleteMapping("/v1/admin/organizations/{id}/connections/{connection_id}")
	@Operation(summary = "Delete an enterprise connection", description = "Scope `organizations:write`. Domains "
			+ "routed to it route nowhere afterwards.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> deleteConnection(AdminCaller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		organizations.deleteConnection(caller, id, connectionId);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/connections/{connection_id}/scim-token",
			produces = "application/json")
	@Operation(summary = "Create or rotate a connection's SCIM token", description = "Scope `organizations:write`. "
			+ "A new bearer token for SCIM provisioning of this connection and the SCIM base URL; the token is shown "
			+ "only here (`Cache-Control: no-store`) and stored as a SHA-256 hash; a previous token stops working at "
			+ "once.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 201, description = "Created; the token is shown once")
	ResponseEntity<AdminOrganizations.ScimTokenView> issueScimToken(AdminCaller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(organizations.issueScimToken(caller, id, connectionId));
	}

	@DeleteMapping("/v1/admin/organizations/{id}/connections/{connection_id}/scim-token")
	@Operation(summary = "Withdraw a connection's SCIM token", description = "Scope `organizations:write`. The "
			+ "token stops working at once; the users and groups it provisioned stay.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Withdrawn (also when the connection had no token)")
	ResponseEntity<Void> revokeScimToken(AdminCaller caller, @PathVariable String id,
			@PathVariable("connection_id") String connectionId) {
		organizations.revokeScimToken(caller, id, connectionId);
		return ResponseEntity.noContent().build();
	}

	// --- email domains ----------------------------------------------------------------------------------------------

	@GetMapping(path = "/v1/admin/organizations/{id}/domains", produces = "application/json")
	@Operation(summary = "An organization's claimed email domains", description = "Scope `organizations:read`. By "
			+ "domain, each with its TXT record.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	DomainList domains(AdminCaller caller, @PathVariable String id) {
		return new DomainList(organizations.domains(id));
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/domains", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Claim an email domain", description = "Scope `organizations:write`. As the member API: "
			+ "stored in its ASCII (IDNA) form; public suffixes and public mail providers are refused; publish the "
			+ "TXT record of `verification`, then verify it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "domain_not_allowed", "domain_exists", "domain_taken" })
	@ApiDocs.Status(value = 201, description = "Claimed, not yet verified")
	ResponseEntity<AdminOrganizations.DomainView> claimDomain(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody ClaimDomainRequest body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(organizations.claimDomain(caller, id, body.domain()));
	}

	@GetMapping(path = "/v1/admin/organizations/{id}/domains/{domain}", produces = "application/json")
	@Operation(summary = "A claimed email domain", description = "Scope `organizations:read`. With the TXT record "
			+ "that verifies it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminOrganizations.DomainView domain(AdminCaller caller, @PathVariable String id, @PathVariable String domain) {
		return organizations.domain(id, domain);
	}

	@PostMapping(path = "/v1/admin/organizations/{id}/domains/{domain}/verify", produces = "application/json")
	@Operation(summary = "Verify an email domain by its DNS TXT record", description = "Scope "
			+ "`organizations:write`. As the member API: looks up `_plinto-verification.<domain>` TXT now; verifying "
			+ "a verified domain answers it unchanged.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"domain_not_verified", "domain_taken", "service_unavailable" })
	AdminOrganizations.DomainView verifyDomain(AdminCaller caller, @PathVariable String id,
			@PathVariable String domain) {
		return organizations.verifyDomain(caller, id, domain);
	}

	@PutMapping(path = "/v1/admin/organizations/{id}/domains/{domain}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Route an email domain", description = "Scope `organizations:write`. Sets both the "
			+ "connection its users sign in with (`connection_id`, null for none) and `passwords_disabled` (needs a "
			+ "connection); they take effect while the domain is verified.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "unknown_connection" })
	AdminOrganizations.DomainView routeDomain(AdminCaller caller, @PathVariable String id,
			@PathVariable String domain, @Valid @RequestBody RouteDomainRequest body) {
		return organizations.routeDomain(caller, id, domain, body.connectionId(), body.passwordsDisabled());
	}

	@DeleteMapping("/v1/admin/organizations/{id}/domains/{domain}")
	@Operation(summary = "Remove an email domain", description = "Scope `organizations:write`. Its routing ends at "
			+ "once; another organization may then verify it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Removed")
	ResponseEntity<Void> deleteDomain(AdminCaller caller, @PathVariable String id, @PathVariable String domain) {
		organizations.deleteDomain(caller, id, domain);
		return ResponseEntity.noContent().build();
	}
}
