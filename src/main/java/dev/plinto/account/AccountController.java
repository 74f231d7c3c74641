package dev.plinto.account;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Account")
final class AccountController {

	private final AccountService accounts;

	private final AccountAdministration administration;

	AccountController(AccountService accounts, AccountAdministration administration) {
		this.accounts = accounts;
		this.administration = administration;
	}

	/** Absent or null fields stay unchanged, as in every PATCH of the API; a blank name clears it. */
	record UpdateProfileRequest(@Schema(description = "The display name; blank clears it, absent or null keeps it",
			example = "Ada Lovelace") @Size(max = 200) String name,
			@Schema(description = "Replaces the user's unsafe metadata: a JSON object of at most 8 KiB that the "
					+ "user may write and nothing may trust") Map<String, Object> unsafeMetadata) {
	}

	/**
	 * The signed-in user: the account, the public metadata the backend set (read only) and the unsafe metadata the
	 * user may write; never the private metadata.
	 */
	record MeView(String id, String email, boolean emailVerified, @Schema(nullable = true) String name,
			Instant createdAt, Map<String, Object> publicMetadata, Map<String, Object> unsafeMetadata) {

		static MeView of(User u, UserMetadata metadata) {
			return new MeView(u.id(), u.email(), u.emailVerified(), u.name(), u.createdAt(),
					metadata.publicMetadata(), metadata.unsafeMetadata());
		}
	}

	/** The signed-in user as {@code GET /v1/me} shows them, read in one statement. */
	private MeView view(String userId) {
		UserRepository.Profile profile = accounts.profile(userId);
		return MeView.of(profile.user(), profile.metadata());
	}

	record ChangePasswordRequest(@Schema(maxLength = PasswordPolicy.MAX_LENGTH, example = "violet kettle harbour 42")
			@NotNull @Size(max = 1024) String currentPassword,
			@Schema(description = "The new password: 8–128 characters (Unicode code points), not among the most common passwords, not the email", minLength = PasswordPolicy.MIN_LENGTH, maxLength = PasswordPolicy.MAX_LENGTH, example = "amber lantern meadow 7") @NotNull @Size(max = 1024) String newPassword) {
	}

	@GetMapping(path = "/v1/me", produces = "application/json")
	@Operation(summary = "The signed-in user", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	MeView me(Caller caller) {
		return view(caller.userId());
	}

	@PatchMapping(path = "/v1/me", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Update the signed-in user's profile", description = "Absent or null fields stay "
			+ "unchanged; a blank `name` clears it; `unsafe_metadata` replaces the stored object (at most 8 KiB). A field this call does not know is refused (`validation_failed`).",
			security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed", "metadata_too_large" })
	MeView update(Caller caller, @Valid @RequestBody UpdateProfileRequest body) {
		if (body.unsafeMetadata() != null) {
			administration.updateUnsafeMetadata(caller.userId(), body.unsafeMetadata(), caller.sessionId(),
					caller.client());
		}
		if (body.name() != null) {
			accounts.updateName(caller.userId(), body.name(), caller.client(), caller.sessionId());
		}
		return view(caller.userId());
	}

	@PostMapping(path = "/v1/me/password", consumes = "application/json")
	@Operation(summary = "Change the password", description = "Requires the current password; revokes every other "
			+ "session of the user.", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "wrong_password", "validation_failed", "password_too_short",
			"password_too_long", "password_too_common", "password_matches_email", "rate_limited" })
	@ApiDocs.Status(value = 204, description = "Changed; every other session is revoked")
	ResponseEntity<Void> changePassword(Caller caller, @Valid @RequestBody ChangePasswordRequest body) {
		accounts.changePassword(caller.userId(), caller.sessionId(), body.currentPassword(),
				body.newPassword(), caller.client());
		return ResponseEntity.noContent().build();
	}
}
