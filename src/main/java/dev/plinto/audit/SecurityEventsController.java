package dev.plinto.audit;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.Caller;
import dev.plinto.web.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Security events")
@SecurityRequirement(name = "bearer")
final class SecurityEventsController {

	private final AuditLog audit;

	SecurityEventsController(AuditLog audit) {
		this.audit = audit;
	}

	record EventView(String id, String type, Instant occurredAt, String sessionId, String ip, String userAgent) {
	}

	record EventPage(List<EventView> data, String nextCursor) {
	}

	@GetMapping(path = "/v1/me/security-events", produces = "application/json")
	@Operation(summary = "The caller's own audit events, newest first",
			description = "Pass `next_cursor` back as `cursor` for the next page; it is null on the last page. "
					+ "`limit` is 1–100 (default 20).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed" })
	EventPage list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) String cursor) {
		if (limit < 1 || limit > 100) {
			throw ApiException.validation("limit", ErrorCode.VALIDATION_FAILED, "limit must be from 1 to 100.");
		}
		Instant beforeTime = null;
		String beforeId = null;
		if (cursor != null && !cursor.isBlank()) {
			try {
				String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					// not an id Plinto issued (e.g. a NUL byte, which PostgreSQL refuses as a 500)
					throw new IllegalArgumentException("not an event id");
				}
			}
			catch (RuntimeException e) {
				throw ApiException.validation("cursor", ErrorCode.VALIDATION_FAILED,
						"cursor is not a value returned as next_cursor.");
			}
		}
		List<AuditEvent> events = audit.forUser(caller.userId(), beforeTime, beforeId, limit + 1);
		boolean more = events.size() > limit;
		List<AuditEvent> page = more ? events.subList(0, limit) : events;
		String next = null;
		if (more) {
			AuditEvent last = page.get(page.size() - 1);
			next = Base64.getUrlEncoder().withoutPadding().encodeToString(
					(last.occurredAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
		}
		return new EventPage(page.stream()
			.map(e -> new EventView(e.id(), e.type().wireName(), e.occurredAt(), e.sessionId(), e.ip(), e.userAgent()))
			.toList(), next);
	}
}
