package dev.plinto.account;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Account")
final class AccountController {

	private final AccountService accounts;

	AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	record UpdateProfileRequest(@Size(max = 200) String name) {
	}

	record ChangePasswordRequest(@NotNull @Size(max = 1024) String currentPassword,
			@NotNull @Size(max = 1024) String newPassword) {
	}

	@GetMapping(path = "/v1/me", produces = "application/json")
	@Operation(summary = "The signed-in user", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	UserView me(@AuthenticationPrincipal Jwt jwt) {
		return UserView.of(accounts.get(jwt.getSubject()));
	}

	@PatchMapping(path = "/v1/me", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Update the signed-in user's profile", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed" })
	UserView update(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody UpdateProfileRequest body,
			HttpServletRequest request) {
		return UserView.of(accounts.updateName(jwt.getSubject(), body.name(), Clients.of(request),
				jwt.getClaimAsString("sid")));
	}

	@PostMapping(path = "/v1/me/password", consumes = "application/json")
	@Operation(summary = "Change the password", description = "Requires the current password; revokes every other "
			+ "session of the user.", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "wrong_password", "validation_failed", "password_too_short",
			"password_too_long", "password_too_common", "password_matches_email", "rate_limited" })
	ResponseEntity<Void> changePassword(@AuthenticationPrincipal Jwt jwt,
			@Valid @RequestBody ChangePasswordRequest body, HttpServletRequest request) {
		accounts.changePassword(jwt.getSubject(), jwt.getClaimAsString("sid"), body.currentPassword(),
				body.newPassword(), Clients.of(request));
		return ResponseEntity.noContent().build();
	}
}
