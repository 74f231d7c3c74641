package dev.plinto.session;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sign-in and tokens")
final class SignInController {

	private final SignInService signIn;

	private final SessionService sessions;

	SignInController(SignInService signIn, SessionService sessions) {
		this.signIn = signIn;
		this.sessions = sessions;
	}

	record SignInRequest(@NotBlank @Size(max = 320) String email, @NotBlank @Size(max = 1024) String password) {
	}

	record RefreshRequest(@NotBlank @Size(max = 512) String refreshToken) {
	}

	/** The answer when the password was right and a second factor must follow (docs/mfa.md). */
	record MfaRequiredResponse(@Schema(allowableValues = "mfa_required") String status, String mfaToken,
			@Schema(description = "Factors the user can complete the sign-in with: totp, recovery_code, passkey")
			List<String> factors, Instant expiresAt) {
	}

	/** The answer when PLINTO_MFA=required and the user has no factor yet (docs/mfa.md). */
	record EnrollmentRequiredResponse(@Schema(allowableValues = "mfa_enrollment_required") String status,
			@Schema(description = "A bearer token valid only for the enrolment endpoints until expires_at")
			String enrollmentToken, Instant expiresAt, TokenResponse.UserView user) {
	}

	@PostMapping(path = "/v1/sign-in", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Sign in with email and password",
			description = "Returns the token response; when the user has a second factor, {\"status\":\"mfa_required\", "
					+ "mfa_token, factors} instead (complete it with POST /v1/sign-in/mfa); with PLINTO_MFA=required "
					+ "and no factor, {\"status\":\"mfa_enrollment_required\", enrollment_token} (docs/mfa.md). "
					+ "Errors: invalid_credentials (401, also for an unknown email), "
					+ "email_not_verified (403, when PLINTO_EMAIL_VERIFICATION=required), rate_limited (429, per IP "
					+ "or after repeated failures for the account), validation_failed (400).")
	@ApiResponse(responseCode = "200", description = "Signed in, or a second factor / enrolment is required",
			content = @Content(schema = @Schema(oneOf = { TokenResponse.class, MfaRequiredResponse.class,
					EnrollmentRequiredResponse.class })))
	@ApiDocs.Errors({ "invalid_credentials", "email_not_verified", "rate_limited", "validation_failed" })
	ResponseEntity<Object> signIn(@Valid @RequestBody SignInRequest body, HttpServletRequest request) {
		SignInService.SignInResult result = signIn.signInWithPassword(body.email(), body.password(),
				SignInFlow.Type.API, Clients.of(request));
		Object answer;
		if (result instanceof SignInService.MfaRequired m) {
			answer = new MfaRequiredResponse("mfa_required", m.mfaToken(), m.factors(), m.expiresAt());
		}
		else if (result instanceof SignInService.EnrollmentRequired e) {
			answer = new EnrollmentRequiredResponse("mfa_enrollment_required", e.enrollmentToken(), e.expiresAt(),
					e.user());
		}
		else {
			answer = ((SignInService.Completed) result).tokens();
		}
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(answer);
	}

	@PostMapping(path = "/v1/token/refresh", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Rotate a refresh token",
			description = "Returns a new access token and a new refresh token; the old refresh token is spent. "
					+ "Errors: invalid_refresh_token (401), refresh_token_reused (401, the session is revoked), "
					+ "rate_limited (429).")
	@ApiDocs.Errors({ "invalid_refresh_token", "refresh_token_reused", "rate_limited", "validation_failed" })
	ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest body, HttpServletRequest request) {
		TokenResponse tokens = sessions.refresh(body.refreshToken(), Clients.of(request));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
	}

	@PostMapping("/v1/sign-out")
	@Operation(summary = "Sign out: revoke the current session", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	ResponseEntity<Void> signOut(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
		sessions.signOut(jwt.getSubject(), jwt.getClaimAsString("sid"), Clients.of(request));
		return ResponseEntity.noContent().build();
	}
}
