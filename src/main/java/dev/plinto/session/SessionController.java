package dev.plinto.session;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Clients;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sessions")
@SecurityRequirement(name = "bearer")
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

	@GetMapping(path = "/v1/me/sessions", produces = "application/json")
	@Operation(summary = "List the caller's live sessions", description = "Newest first; `current` marks the session "
			+ "of the access token used for this call.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	SessionList list(@AuthenticationPrincipal Jwt jwt) {
		String current = jwt.getClaimAsString("sid");
		return new SessionList(sessions.live(jwt.getSubject())
			.stream()
			.map(s -> new SessionView(s.id(), s.createdAt(), s.lastActiveAt(), s.expiresAt(), s.ip(), s.userAgent(),
					s.amr(), s.id().equals(current)))
			.toList());
	}

	@DeleteMapping("/v1/me/sessions/{id}")
	@Operation(summary = "Revoke one of the caller's sessions")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "not_found" })
	ResponseEntity<Void> revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
			HttpServletRequest request) {
		sessions.revoke(jwt.getSubject(), id, jwt.getClaimAsString("sid"), Clients.of(request));
		return ResponseEntity.noContent().build();
	}

	@DeleteMapping(path = "/v1/me/sessions", produces = "application/json")
	@Operation(summary = "Sign out everywhere else", description = "Revokes every session of the caller except the "
			+ "current one and returns how many were revoked.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token" })
	Revoked revokeOthers(@AuthenticationPrincipal Jwt jwt, HttpServletRequest request) {
		return new Revoked(sessions.revokeOthers(jwt.getSubject(), jwt.getClaimAsString("sid"), Clients.of(request)));
	}
}
