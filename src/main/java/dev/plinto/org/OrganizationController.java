package dev.plinto.org;

import dev.plinto.account.EmailAddress;
import dev.plinto.account.User;
import dev.plinto.session.SessionService;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Organizations")
@SecurityRequirement(name = "bearer")
final class OrganizationController {

	/** Names are free text on one line: no control characters (they end up in emails). */
	static final String ONE_LINE = ApiDocs.ONE_LINE;

	private final OrganizationService organizations;

	private final InvitationService invitations;

	private final Clock clock;

	OrganizationController(OrganizationService organizations, InvitationService invitations, Clock clock) {
		this.organizations = organizations;
		this.invitations = invitations;
		this.clock = clock;
	}

	record CreateOrganizationRequest(@Schema(example = "Acme") @NotBlank @Size(max = 200) @Pattern(regexp = ONE_LINE) String name,
			@Size(max = 100) String slug, Map<String, Object> publicMetadata) {
	}

	record UpdateOrganizationRequest(@Size(min = 1, max = 200) @Pattern(regexp = ApiDocs.NON_BLANK_LINE) String name, @Size(max = 100) String slug, Map<String, Object> publicMetadata) {
	}

	record OrganizationView(String id, String name, String slug, Map<String, Object> publicMetadata,
			Instant createdAt, Instant updatedAt, String role, List<String> permissions) {

		static OrganizationView of(Organization o, Role role) {
			return new OrganizationView(o.id(), o.name(), o.slug(), Metadata.read(o.publicMetadata()), o.createdAt(),
					o.updatedAt(), role.key(), role.permissions());
		}

		static OrganizationView of(OrganizationService.View v) {
			return of(v.organization(), v.role());
		}
	}

	record MemberView(String userId, String email, @Schema(nullable = true) String name, String role, Instant joinedAt) {

		static MemberView of(Member m) {
			return new MemberView(m.userId(), m.email(), m.name(), m.role(), m.joinedAt());
		}
	}

	record ChangeRoleRequest(@NotBlank @Size(max = 100) String role) {
	}

	record RoleView(String key, String name, @Schema(nullable = true) String description, List<String> permissions,
			boolean builtIn) {

		static RoleView of(Role r) {
			return new RoleView(r.key(), r.name(), r.description(), r.permissions(), r.builtIn());
		}
	}

	record RoleList(List<RoleView> data) {
	}

	record CreateRoleRequest(@NotBlank @Size(max = 100) String key,
			@NotBlank @Size(max = 200) @Pattern(regexp = ONE_LINE) String name,
			@Size(max = 500) String description, @NotNull @Size(max = 50) List<@NotNull @Size(max = 200) String> permissions) {
	}

	record UpdateRoleRequest(@Size(min = 1, max = 200) @Pattern(regexp = ONE_LINE) String name,
			@Size(max = 500) String description, @Size(max = 50) List<@NotNull @Size(max = 200) String> permissions) {
	}

	record InviteRequest(@Schema(example = "grace@example.com", format = "idn-email", description = "Email address (docs/security.md, section Email addresses): surrounding white space is removed; the domain may be Unicode (stored in its IDNA ASCII form)") @NotBlank @EmailAddress.Valid @Size(max = 320) String email,
			@Schema(example = "member") @NotBlank @Size(max = 100) String role) {
	}

	record InvitationView(String id, String email, String role, String status,
			@Schema(nullable = true, description = "Null when the operator sent it or its sender's account was deleted") String invitedBy,
			Instant createdAt, Instant expiresAt) {

		static InvitationView of(Invitation i, Instant now) {
			return new InvitationView(i.id(), i.email(), i.role(), i.status(now), i.invitedBy(), i.createdAt(),
					i.expiresAt());
		}
	}

	record InvitationList(List<InvitationView> data) {
	}

	record ActiveOrganizationRequest(@Schema(nullable = true, description = "The organization to make active; null or absent clears it") @Size(max = 100) String organizationId) {
	}

	@PostMapping(path = "/v1/organizations", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create an organization", description = "The caller becomes its owner. Without `slug`, one "
			+ "is derived from the name (with a random suffix when taken).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "slug_taken", "metadata_too_large",
			"organization_limit_reached" })
	@ApiDocs.Status(value = 201, description = "Created; the caller is its owner")
	ResponseEntity<OrganizationView> create(Caller caller, @Valid @RequestBody CreateOrganizationRequest body) {
		OrganizationService.View view = organizations.create(caller, body.name(), body.slug(),
				Metadata.store("public_metadata", body.publicMetadata()));
		return ResponseEntity.status(HttpStatus.CREATED).body(OrganizationView.of(view));
	}

	@GetMapping(path = "/v1/organizations", produces = "application/json")
	@Operation(summary = "The caller's organizations, by slug", description = "Each with the caller's role. Pass "
			+ "`next_cursor` back as `cursor` for the next page; it is null on the last page. `limit` is 1–100 "
			+ "(default 20).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed" })
	Page<OrganizationView> list(Caller caller,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer",
					format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limitParam,
			@RequestParam(required = false) String cursor) {
		int limit = Page.limit(limitParam);
		int rows = Page.rowsFor(limit);
		List<OrganizationService.View> found = organizations.mine(caller.userId(), PageCursor.decode(cursor), rows);
		return Page.of(found, limit, v -> v.organization().slug(), OrganizationView::of);
	}

	@GetMapping(path = "/v1/organizations/{id}", produces = "application/json")
	@Operation(summary = "An organization the caller belongs to", description = "404 for organizations the caller "
			+ "does not belong to, whether or not they exist.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found" })
	OrganizationView get(Caller caller, @PathVariable String id) {
		return OrganizationView.of(organizations.get(caller.userId(), id));
	}

	@PatchMapping(path = "/v1/organizations/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Update an organization", description = "Needs `org:manage`. Absent fields stay unchanged; "
			+ "`public_metadata` replaces the whole object.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed", "slug_taken",
			"metadata_too_large" })
	OrganizationView update(Caller caller, @PathVariable String id,
			@Valid @RequestBody UpdateOrganizationRequest body) {
		return OrganizationView.of(organizations.update(caller, id, body.name(), body.slug(),
				Metadata.store("public_metadata", body.publicMetadata())));
	}

	@DeleteMapping("/v1/organizations/{id}")
	@Operation(summary = "Delete an organization", description = "Needs `org:delete` (owners). Every membership and "
			+ "invitation is removed and audited.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
		organizations.delete(caller, id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/v1/organizations/{id}/members", produces = "application/json")
	@Operation(summary = "Members, by email", description = "Needs `org:members:read`. `email` keeps members whose "
			+ "email contains it (case-insensitive). Pass `next_cursor` back as `cursor`; `limit` is 1–100 "
			+ "(default 20).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed" })
	Page<MemberView> members(Caller caller, @PathVariable String id,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer",
					format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limitParam,
			@RequestParam(required = false) String cursor,
			@RequestParam(required = false) @Size(max = 320) String email) {
		int limit = Page.limit(limitParam);
		int rows = Page.rowsFor(limit);
		String query = email == null || email.isBlank() ? null : User.normalizeEmail(email);
		if (query != null && !query.chars().allMatch(c -> c >= 0x20)) {
			throw ApiException.validation("email", ErrorCode.VALIDATION_FAILED, "email must be printable text.");
		}
		List<Member> found = organizations.members(caller.userId(), id, query, PageCursor.decode(cursor), rows);
		return Page.of(found, limit, Member::email, MemberView::of);
	}

	@PatchMapping(path = "/v1/organizations/{id}/members/{user_id}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Change a member's role", description = "Needs `org:members:manage` and every `org:*` "
			+ "permission of the member's current and new role. The last owner cannot be demoted.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_role", "last_owner" })
	MemberView changeRole(Caller caller, @PathVariable String id, @PathVariable("user_id") String userId,
			@Valid @RequestBody ChangeRoleRequest body) {
		return MemberView.of(organizations.changeRole(caller, id, userId, body.role()));
	}

	@DeleteMapping("/v1/organizations/{id}/members/{user_id}")
	@Operation(summary = "Remove a member", description = "Needs `org:members:manage` and every `org:*` permission of "
			+ "the member's role; removing yourself is leaving and needs none. The last owner cannot be removed.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "last_owner" })
	@ApiDocs.Status(value = 204, description = "Removed")
	ResponseEntity<Void> removeMember(Caller caller, @PathVariable String id,
			@PathVariable("user_id") String userId) {
		organizations.removeMember(caller, id, userId);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/v1/organizations/{id}/leave")
	@Operation(summary = "Leave an organization", description = "Any member; the last owner cannot leave.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "last_owner" })
	@ApiDocs.Status(value = 204, description = "Left")
	ResponseEntity<Void> leave(Caller caller, @PathVariable String id) {
		organizations.leave(caller, id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/v1/organizations/{id}/roles", produces = "application/json")
	@Operation(summary = "Roles", description = "Any member: the built-in roles, then the organization's custom roles.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found" })
	RoleList roles(Caller caller, @PathVariable String id) {
		return new RoleList(organizations.roles(caller.userId(), id).stream().map(RoleView::of).toList());
	}

	@PostMapping(path = "/v1/organizations/{id}/roles", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create a custom role", description = "Needs `org:roles:manage` and every `org:*` permission "
			+ "the role lists. Permissions: the documented `org:*` ones and `app:<name>`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_permission", "role_exists", "role_limit_reached" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<RoleView> createRole(Caller caller, @PathVariable String id,
			@Valid @RequestBody CreateRoleRequest body) {
		Role role = organizations.createRole(caller, id, body.key(), body.name(), body.description(),
				body.permissions());
		return ResponseEntity.status(HttpStatus.CREATED).body(RoleView.of(role));
	}

	@PatchMapping(path = "/v1/organizations/{id}/roles/{key}", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Update a custom role", description = "Needs `org:roles:manage` and every `org:*` permission "
			+ "of the role before and after. Members holding it get the new permissions in their next token.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_permission", "role_built_in" })
	RoleView updateRole(Caller caller, @PathVariable String id, @PathVariable String key,
			@Valid @RequestBody UpdateRoleRequest body) {
		return RoleView.of(organizations.updateRole(caller, id, key, body.name(), body.description(),
				body.permissions()));
	}

	@DeleteMapping("/v1/organizations/{id}/roles/{key}")
	@Operation(summary = "Delete a custom role", description = "Needs `org:roles:manage`; refused while a member or "
			+ "open invitation holds the role.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "role_built_in", "role_in_use" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> deleteRole(Caller caller, @PathVariable String id,
			@PathVariable String key) {
		organizations.deleteRole(caller, id, key);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/organizations/{id}/invitations", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Invite someone by email", description = "Needs `org:invitations:manage` and every `org:*` "
			+ "permission of the role. Mails a single-use link valid for PLINTO_ORG_INVITATION_TTL.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "validation_failed",
			"unknown_role", "already_member", "invitation_pending", "member_limit_reached", "rate_limited" })
	@ApiDocs.Status(value = 201, description = "Invited; the link is mailed")
	ResponseEntity<InvitationView> invite(Caller caller, @PathVariable String id,
			@Valid @RequestBody InviteRequest body) {
		Invitation invitation = invitations.invite(caller, id, body.email(), body.role());
		return ResponseEntity.status(HttpStatus.CREATED).body(InvitationView.of(invitation, clock.instant()));
	}

	@GetMapping(path = "/v1/organizations/{id}/invitations", produces = "application/json")
	@Operation(summary = "Open invitations", description = "Needs `org:invitations:manage`. Invitations neither "
			+ "accepted nor revoked, newest first; `status` is `pending` or `expired`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden" })
	InvitationList invitations(Caller caller, @PathVariable String id) {
		Instant now = clock.instant();
		return new InvitationList(invitations.list(caller.userId(), id)
			.stream()
			.map(i -> InvitationView.of(i, now))
			.toList());
	}

	@PostMapping(path = "/v1/organizations/{id}/invitations/{invitation_id}/resend", produces = "application/json")
	@Operation(summary = "Resend an invitation", description = "Needs `org:invitations:manage`. Mails a new link "
			+ "valid for a full lifetime again; the previous link stops working.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "invitation_not_pending",
			"member_limit_reached", "rate_limited" })
	InvitationView resend(Caller caller, @PathVariable String id,
			@PathVariable("invitation_id") String invitationId) {
		return InvitationView.of(invitations.resend(caller, id, invitationId), clock.instant());
	}

	@DeleteMapping("/v1/organizations/{id}/invitations/{invitation_id}")
	@Operation(summary = "Revoke an invitation", description = "Needs `org:invitations:manage`; its link stops "
			+ "working.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "forbidden", "invitation_not_pending" })
	@ApiDocs.Status(value = 204, description = "Revoked; the link stops working")
	ResponseEntity<Void> revoke(Caller caller, @PathVariable String id,
			@PathVariable("invitation_id") String invitationId) {
		invitations.revoke(caller, id, invitationId);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/me/active-organization", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Set the session's active organization",
			description = "`{\"organization_id\": \"org_…\"}` or `{\"organization_id\": null}` to clear it. Answers "
					+ "a new access token carrying `org_id`, `org_slug`, `org_role` and `org_permissions` (no new "
					+ "refresh token: keep yours; every refresh recomputes the claims from the membership).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found", "validation_failed" })
	ResponseEntity<SessionService.AccessTokenResponse> activate(Caller caller,
			@Valid @RequestBody ActiveOrganizationRequest body) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(organizations.activate(caller, body.organizationId()));
	}
}
