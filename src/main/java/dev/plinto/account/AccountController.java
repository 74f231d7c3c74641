package dev.plinto.account;

import dev.plinto.session.SignInService;
import dev.plinto.session.TokenResponse;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
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

	record SignUpRequest(@NotBlank @Email @Size(max = 320) String email, @NotNull @Size(max = 1024) String password,
			@Size(max = 200) String name) {
	}

	record UpdateProfileRequest(@Size(max = 200) String name) {
	}

	record ChangePasswordRequest(@NotNull @Size(max = 1024) String currentPassword,
			@NotNull @Size(max = 1024) String newPassword) {
	}

	@PostMapping(path = "/v1/sign-up", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create an account",
			description = "201 with the token response and a verification email; with PLINTO_EMAIL_VERIFICATION="
					+ "required, 202 {\"status\":\"verification_required\"} and no session until the email is confirmed; "
					+ "with PLINTO_MFA=required, 201 {\"status\":\"mfa_enrollment_required\", enrollment_token, "
					+ "expires_at, user} and no session until a second factor is enrolled (docs/mfa.md).")
	@ApiDocs.Errors({ "validation_failed", "email_taken", "password_too_short", "password_too_long",
			"password_too_common", "password_matches_email", "rate_limited" })
	ResponseEntity<Object> signUp(@Valid @RequestBody SignUpRequest body, HttpServletRequest request) {
		AccountService.SignUpResult result = accounts.signUp(body.email(), body.password(), body.name(),
				Clients.of(request));
		if (result.enrollment() != null) {
			SignInService.EnrollmentRequired e = result.enrollment();
			return ResponseEntity.status(HttpStatus.CREATED)
				.cacheControl(CacheControl.noStore())
				.body(Map.of("status", "mfa_enrollment_required", "enrollment_token", e.enrollmentToken(),
						"expires_at", e.expiresAt(), "user", e.user()));
		}
		if (result.verificationRequired()) {
			return ResponseEntity.status(HttpStatus.ACCEPTED)
				.cacheControl(CacheControl.noStore())
				.body(Map.of("status", "verification_required", "user", TokenResponse.UserView.of(result.user())));
		}
		return ResponseEntity.status(HttpStatus.CREATED).cacheControl(CacheControl.noStore()).body(result.tokens());
	}

	@GetMapping(path = "/v1/me", produces = "application/json")
	@Operation(summary = "The signed-in user", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	TokenResponse.UserView me(@AuthenticationPrincipal Jwt jwt) {
		return TokenResponse.UserView.of(accounts.get(jwt.getSubject()));
	}

	@PatchMapping(path = "/v1/me", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Update the signed-in user's profile", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed" })
	TokenResponse.UserView update(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody UpdateProfileRequest body,
			HttpServletRequest request) {
		return TokenResponse.UserView.of(accounts.updateName(jwt.getSubject(), body.name(), Clients.of(request),
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
