package dev.plinto.admin;

import dev.plinto.account.EmailAddress;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's organizations ({@code /v1/admin/organizations…}, docs/api.md "Backend API"): a thin shell over
 * {@link AdminOrganizations}; scopes declared in {@code security.WebSecurityConfiguration}. Every organization is
 * reachable without a membership; a member or invitation is always looked up within the organization of the path,
 * so naming another organization's member or invitation is 404 (OWASP API Security Top 10 2023, API1 "Broken Object
 * Level Authorization").
 */
@RestController
@Tag(name = "Backend API: organizations")
@SecurityRequirement(name = "apiKey")
final class AdminOrganizationsController {

	private final AdminOrganizations organizations;

	AdminOrganizationsController(AdminOrganizations organizations) {
		this.organizations = organizations;
	}

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

	record InvitationList(List<AdminOrganizations.InvitationView> data) {
	}

	record UpdateOrganizationRequest(
			@Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata) {
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
			throw dev.plinto.web.ApiException.validation("query", dev.plinto.web.ErrorCode.VALIDATION_FAILED,
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
	@Operation(summary = "An organization's members", description = "Scope `organizations:read`. Pass "
			+ "`next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Page<AdminOrganizations.MemberView> members(AdminCaller caller, @PathVariable String id,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		return organizations.members(id, cursor, Page.limit(limit));
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
	@Operation(summary = "Change an organization's name or metadata", description = "Scope `organizations:write`. "
			+ "Absent or null fields stay; each metadata object sent replaces the stored one (8 KiB each). The "
			+ "private metadata is never shown to members.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "metadata_too_large" })
	AdminOrganizations.AdminOrganization update(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody UpdateOrganizationRequest body) {
		return organizations.update(caller, id, body.name(), body.publicMetadata(), body.privateMetadata());
	}
}
