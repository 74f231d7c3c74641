package dev.plinto.session;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The session API: rotating a refresh token, signing out, and listing and revoking the caller's sessions. Sessions
 * begin in {@link SignInController}.
 */
@RestController
@Tag(name = "Sessions")
final class SessionController {

	private final SessionService sessions;

	SessionController(SessionService sessions) {
		this.sessions = sessions;
	}

	record SessionView(String id, Instant createdAt, Instant lastActiveAt, Instant expiresAt, String ip,
			String userAgent, List<String> amr, boolean current) {
	}

	record SessionList(List<SessionView> data) {
	}

	record Revoked(int revoked) {
	}

	record RefreshRequest(@NotBlank @Size(max = 512) String refreshToken) {
	}

	@PostMapping(path = "/v1/token/refresh", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Rotate a refresh token",
			description = "Returns a new access token and a new refresh token; the old refresh token is spent. "
					+ "Errors: invalid_refresh_token (401), refresh_token_reused (401, the session is revoked), "
					+ "rate_limited (429).")
	@ApiDocs.Errors({ "invalid_refresh_token", "refresh_token_reused", "rate_limited", "validation_failed" })
	ResponseEntity<TokenResponse> refresh(@Valid @RequestBody RefreshRequest body, ClientInfo client) {
		TokenResponse tokens = sessions.refresh(body.refreshToken(), client);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens);
	}

	@PostMapping("/v1/sign-out")
	@Operation(summary = "Sign out: revoke the current session", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	@ApiDocs.Status(value = 204, description = "Signed out; the session's tokens stop working")
	ResponseEntity<Void> signOut(Caller caller) {
		sessions.signOut(caller.userId(), caller.sessionId(), caller.client());
		return ResponseEntity.noContent().build();
	}

	@GetMapping(path = "/v1/me/sessions", produces = "application/json")
	@Operation(summary = "List the caller's live sessions", description = "Newest first; `current` marks the session "
			+ "of the access token used for this call.", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	SessionList list(Caller caller) {
		String current = caller.sessionId();
		return new SessionList(sessions.live(caller.userId())
			.stream()
			.map(s -> new SessionView(s.id(), s.createdAt(), s.lastActiveAt(), s.expiresAt(), s.ip(), s.userAgent(),
					s.amr(), s.id().equals(current)))
			.toList());
	}

	@DeleteMapping("/v1/me/sessions/{id}")
	@Operation(summary = "Revoke one of the caller's sessions", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found" })
	@ApiDocs.Status(value = 204, description = "Revoked")
	ResponseEntity<Void> revoke(Caller caller, @PathVariable String id) {
		sessions.revoke(caller.userId(), id, caller.sessionId(), caller.client());
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping(path = "/v1/me/sessions", produces = "application/json")
	@Operation(summary = "Sign out everywhere else", description = "Revokes every session of the caller except the "
			+ "current one and returns how many were revoked.", security = @SecurityRequirement(name = "bearer"))
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	Revoked revokeOthers(Caller caller) {
		return new Revoked(sessions.revokeOthers(caller.userId(), caller.sessionId(), caller.client()));
	}
}
