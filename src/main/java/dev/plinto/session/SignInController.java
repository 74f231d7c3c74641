package dev.plinto.session;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
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

	@PostMapping(path = "/v1/sign-in", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Sign in with email and password",
			description = "Returns the token response. Errors: invalid_credentials (401, also for an unknown email), "
					+ "email_not_verified (403, when PLINTO_EMAIL_VERIFICATION=required), rate_limited (429, per IP "
					+ "or after repeated failures for the account), validation_failed (400).")
	@ApiDocs.Errors({ "invalid_credentials", "email_not_verified", "rate_limited", "validation_failed" })
	ResponseEntity<TokenResponse> signIn(@Valid @RequestBody SignInRequest body, HttpServletRequest request) {
		TokenResponse tokens = signIn.signInWithPassword(body.email(), body.password(), SignInFlow.Type.API,
				Clients.of(request));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
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
