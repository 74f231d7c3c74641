package dev.plinto.admin;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's organizations ({@code /v1/admin/organizations…}): a thin shell over
 * {@link AdminOrganizations}; scopes declared in {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: organizations")
@SecurityRequirement(name = "apiKey")
final class AdminOrganizationsController {

	private final AdminOrganizations organizations;

	AdminOrganizationsController(AdminOrganizations organizations) {
		this.organizations = organizations;
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
