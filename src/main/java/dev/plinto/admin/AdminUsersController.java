package dev.plinto.admin;

import dev.plinto.account.AccountAdministration;
import dev.plinto.account.EmailAddress;
import dev.plinto.account.PasswordPolicy;
import dev.plinto.account.UserMetadata;
import dev.plinto.migration.UserDataExport;
import dev.plinto.session.TokenResponse;
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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Backend API's users and sessions ({@code /v1/admin/…}, docs/api.md "Backend API"): a thin shell over
 * {@link AdminUsers}. Which scope each route needs is declared in {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: users")
@SecurityRequirement(name = "apiKey")
final class AdminUsersController {

	private final AdminUsers users;

	AdminUsersController(AdminUsers users) {
		this.users = users;
	}

	record CreateUserRequest(@Schema(example = "ada@example.com") @NotBlank @Size(max = 320) String email,
			@Schema(example = "Ada Lovelace") @Size(max = 200) String name,
			@Schema(description = "A password meeting the password policy; or send password_hash, or neither (the user gets a mail to choose one)", minLength = PasswordPolicy.MIN_LENGTH, maxLength = PasswordPolicy.MAX_LENGTH, example = "amber lantern meadow 7") @Size(max = 1024) String password,
			@Schema(description = "A password hash in a format Plinto verifies (Argon2, bcrypt, scrypt, PBKDF2, ...; docs/migration.md)") @Size(max = 1024) String passwordHash,
			@Schema(description = "Whether the address counts as verified (default false)") Boolean emailVerified,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata,
			Map<String, Object> unsafeMetadata) {
	}

	record UpdateUserRequest(@Size(max = 320) String email, @Size(max = 200) String name, Boolean emailVerified,
			Map<String, Object> publicMetadata, Map<String, Object> privateMetadata,
			Map<String, Object> unsafeMetadata) {
	}

	record LockRequest(@Schema(description = "How long, in seconds; absent or null locks until unlocked")
			@Min(1) @Max(315_360_000) Long durationSeconds) {
	}

	record Revoked(int revoked) {
	}

	record SessionList(List<AdminUsers.SessionView> data) {
	}

	record IdentityList(List<AdminUsers.IdentityView> data) {
	}

	record MembershipList(List<AdminUsers.MembershipView> data) {
	}

	@GetMapping(path = "/v1/admin/users", produces = "application/json")
	@Operation(summary = "List and search users, newest first", description = "Scope `users:read`. Filters combine; "
			+ "`query` matches part of the email or name, `id` one user, `email` the whole address, `name` part of "
			+ "the name. Pass `next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed" })
	Page<AdminUsers.AdminUser> list(AdminCaller caller,
			@RequestParam(required = false) @Parameter(description = "Part of the email or name") String query,
			@RequestParam(required = false) @Parameter(description = "A user's id") String id,
			@RequestParam(required = false) @Parameter(description = "The whole email address, in any case") String email,
			@RequestParam(required = false) @Parameter(description = "Part of the name, in any case") String name,
			@RequestParam(name = "created_after", required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String createdAfter,
			@RequestParam(name = "created_before", required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String createdBefore,
			@RequestParam(name = "last_sign_in_after", required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String lastSignInAfter,
			@RequestParam(name = "last_sign_in_before", required = false) @Parameter(schema = @Schema(type = "string", format = "date-time")) String lastSignInBefore,
			@RequestParam(required = false) @Parameter(schema = @Schema(type = "boolean")) String banned,
			@RequestParam(name = "has_mfa", required = false) @Parameter(schema = @Schema(type = "boolean")) String hasMfa,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		shortText("query", query);
		shortText("id", id);
		shortText("email", email);
		shortText("name", name);
		UserQuery filters = new UserQuery(query, id == null || id.isBlank() ? null : id.strip(),
				email == null ? null : EmailAddress.canonical(email).orElse(email.strip().toLowerCase(java.util.Locale.ROOT)),
				name, instant("created_after", createdAfter), instant("created_before", createdBefore),
				instant("last_sign_in_after", lastSignInAfter), instant("last_sign_in_before", lastSignInBefore),
				bool("banned", banned), bool("has_mfa", hasMfa));
		return users.search(filters, cursor, Page.limit(limit));
	}

	/** Refuses a text filter longer than an email address may be (400 {@code validation_failed} naming it). */
	private static void shortText(String parameter, String value) {
		if (value != null && value.length() > 320) {
			throw ApiException.validation(parameter, ErrorCode.VALIDATION_FAILED, "At most 320 characters.");
		}
	}

	@PostMapping(path = "/v1/admin/users", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create a user", description = "Scope `users:write`. With `password`, `password_hash`, or "
			+ "neither: then the address gets a mail with a link to choose a password.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "validation_failed",
			"email_taken", "password_too_short", "password_too_long", "password_too_common", "password_matches_email",
			"metadata_too_large" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<AdminUsers.AdminUser> create(AdminCaller caller, @Valid @RequestBody CreateUserRequest body) {
		AdminUsers.AdminUser created = users.create(caller, new AccountAdministration.NewAccount(body.email(),
				body.name(), body.password(), body.passwordHash(), Boolean.TRUE.equals(body.emailVerified()),
				UserMetadata.store("public_metadata", body.publicMetadata()),
				UserMetadata.store("private_metadata", body.privateMetadata()),
				UserMetadata.store("unsafe_metadata", body.unsafeMetadata())));
		return ResponseEntity.created(URI.create("/v1/admin/users/" + created.id())).body(created);
	}

	@GetMapping(path = "/v1/admin/users/{id}", produces = "application/json")
	@Operation(summary = "A user, private metadata included", description = "Scope `users:read`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminUsers.AdminUser get(AdminCaller caller, @PathVariable String id) {
		return users.get(id);
	}

	@PatchMapping(path = "/v1/admin/users/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change a user", description = "Scope `users:write`. Absent or null fields stay; a blank "
			+ "`name` clears it; each metadata object sent replaces the stored one. A new `email` keeps the "
			+ "verification state unless `email_verified` is sent.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed", "email_taken", "metadata_too_large" })
	AdminUsers.AdminUser update(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody UpdateUserRequest body) {
		return users.update(caller, id, new AccountAdministration.Changes(body.email(), body.name(),
				body.emailVerified(), UserMetadata.store("public_metadata", body.publicMetadata()),
				UserMetadata.store("private_metadata", body.privateMetadata()),
				UserMetadata.store("unsafe_metadata", body.unsafeMetadata())));
	}

	@DeleteMapping("/v1/admin/users/{id}")
	@Operation(summary = "Delete a user", description = "Scope `users:write`. Sessions, factors, identities and "
			+ "memberships go with the account; the audit log keeps its events (docs/security.md).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"last_owner" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(AdminCaller caller, @PathVariable String id) {
		users.delete(caller, id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/admin/users/{id}/ban", produces = "application/json")
	@Operation(summary = "Ban a user", description = "Scope `users:write`. Every session is revoked at once; every "
			+ "sign-in is refused with `user_banned` until the ban is lifted.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminUsers.AdminUser ban(AdminCaller caller, @PathVariable String id) {
		return users.ban(caller, id);
	}

	@PostMapping(path = "/v1/admin/users/{id}/unban", produces = "application/json")
	@Operation(summary = "Lift a user's ban", description = "Scope `users:write`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminUsers.AdminUser unban(AdminCaller caller, @PathVariable String id) {
		return users.unban(caller, id);
	}

	@PostMapping(path = "/v1/admin/users/{id}/lock", produces = "application/json")
	@Operation(summary = "Lock a user's sign-in", description = "Scope `users:write`. Sign-in attempts are refused "
			+ "with `rate_limited` until the lock ends or is lifted; sessions stay. An optional JSON body "
			+ "`{\"duration_seconds\": n}` limits the lock.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	AdminUsers.AdminUser lock(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody(required = false) LockRequest body) {
		Long seconds = body == null ? null : body.durationSeconds();
		return users.lock(caller, id, seconds == null ? null : Duration.ofSeconds(seconds));
	}

	@PostMapping(path = "/v1/admin/users/{id}/unlock", produces = "application/json")
	@Operation(summary = "Lift a user's sign-in lock", description = "Scope `users:write`. Also clears the count "
			+ "of failed attempts.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminUsers.AdminUser unlock(AdminCaller caller, @PathVariable String id) {
		return users.unlock(caller, id);
	}

	@PostMapping(path = "/v1/admin/users/{id}/mfa/reset", produces = "application/json")
	@Operation(summary = "Remove every second factor of a user", description = "Scope `users:write`. The "
			+ "authenticator, recovery codes and passkeys; sessions stay.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	AdminUsers.AdminUser resetMfa(AdminCaller caller, @PathVariable String id) {
		return users.resetMfa(caller, id);
	}

	@PostMapping(path = "/v1/admin/users/{id}/impersonate", produces = "application/json")
	@Operation(summary = "Sign in as a user (impersonation)", description = "Scope `users:impersonate`. A session "
			+ "of at most one hour whose access tokens carry `act: {sub: <key id>}` (RFC 8693); audited on the user as "
			+ "`user.impersonated`. The tokens cannot call the Backend API, the dashboard, nor the routes that change how "
			+ "the account signs in or export its data (`forbidden`). An account with an instance role cannot be "
			+ "impersonated (`forbidden`).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "forbidden", "rate_limited",
			"not_found", "user_banned" })
	@ApiDocs.Status(value = 201, description = "Signed in as the user")
	ResponseEntity<TokenResponse> impersonate(AdminCaller caller, @PathVariable String id) {
		return ResponseEntity.status(201).cacheControl(org.springframework.http.CacheControl.noStore())
			.body(users.impersonate(caller, id));
	}

	@GetMapping(path = "/v1/admin/users/{id}/sessions", produces = "application/json")
	@Operation(summary = "A user's live sessions", description = "Scope `users:read`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	SessionList sessions(AdminCaller caller, @PathVariable String id) {
		return new SessionList(users.sessions(id));
	}

	@DeleteMapping(path = "/v1/admin/users/{id}/sessions", produces = "application/json")
	@Operation(summary = "Revoke every session of a user", description = "Scope `sessions:write`. Their access "
			+ "tokens stop on every node at once.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	Revoked revokeSessions(AdminCaller caller, @PathVariable String id) {
		return new Revoked(users.revokeSessions(caller, id));
	}

	@DeleteMapping("/v1/admin/sessions/{id}")
	@Operation(summary = "Revoke one session", description = "Scope `sessions:write`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Revoked")
	ResponseEntity<Void> revokeSession(AdminCaller caller, @PathVariable String id) {
		users.revokeSession(caller, id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/v1/admin/users/{id}/export", produces = "application/json")
	@Operation(summary = "All of a user's data, as one JSON document", description = "Scope `users:read`. For a "
			+ "data access or portability request the operator answers: the same document as the user's own "
			+ "`GET /v1/me/export` (profile, sessions, second factors without their secrets, organizations, every "
			+ "security event). Answered with `Cache-Control: no-store`; recorded on the user as "
			+ "`account.data_exported` with the key as actor.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	ResponseEntity<UserDataExport.Export> export(AdminCaller caller, @PathVariable String id) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(users.export(caller, id));
	}

	@GetMapping(path = "/v1/admin/users/{id}/identities", produces = "application/json")
	@Operation(summary = "A user's accounts at identity providers", description = "Scope `users:read`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	IdentityList identities(AdminCaller caller, @PathVariable String id) {
		return new IdentityList(users.identities(id));
	}

	@GetMapping(path = "/v1/admin/users/{id}/organizations", produces = "application/json")
	@Operation(summary = "A user's organizations, with the user's role", description = "Scope `users:read`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	MembershipList organizations(AdminCaller caller, @PathVariable String id) {
		return new MembershipList(users.organizations(id));
	}

	@GetMapping(path = "/v1/admin/users/{id}/security-events", produces = "application/json")
	@Operation(summary = "A user's audit events, newest first", description = "Scope `audit:read`. Events an API "
			+ "key caused carry its id as `actor_id`. Pass `next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Page<AdminUsers.EventView> securityEvents(AdminCaller caller, @PathVariable String id,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		return users.securityEvents(id, cursor, Page.limit(limit));
	}

	private static Instant instant(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException e) {
			throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED,
					field + " must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z.");
		}
	}

	private static Boolean bool(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return switch (value.strip()) {
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw ApiException.validation(field, ErrorCode.VALIDATION_FAILED, field + " must be true or false.");
		};
	}
}
