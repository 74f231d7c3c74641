package dev.plinto.audit;

import dev.plinto.web.ApiDocs;
import dev.plinto.web.Caller;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
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

	record EventView(String id, String type, Instant occurredAt, @Schema(nullable = true) String sessionId, @Schema(nullable = true) String ip,
			@Schema(nullable = true) String userAgent) {
	}

	@GetMapping(path = "/v1/me/security-events", produces = "application/json")
	@Operation(summary = "The caller's own audit events, newest first",
			description = "Pass `next_cursor` back as `cursor` for the next page; it is null on the last page. "
					+ "`limit` is 1–100 (default 20).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_token", "validation_failed" })
	Page<EventView> list(Caller caller,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer",
					format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limitParam,
			@RequestParam(required = false) String cursor) {
		int limit = Page.limit(limitParam);
		int rows = Page.rowsFor(limit);
		String after = PageCursor.decode(cursor);
		Instant beforeTime = null;
		String beforeId = null;
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
				if (!beforeId.matches("[a-z]+_[0-9a-z]+")) {
					// not an id Plinto issued (e.g. a NUL byte, which PostgreSQL refuses as a 500)
					throw new IllegalArgumentException("not an event id");
				}
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		List<AuditEvent> events = audit.forUser(caller.userId(), beforeTime, beforeId, rows);
		return Page.of(events, limit, e -> e.occurredAt() + "|" + e.id(),
				e -> new EventView(e.id(), e.type().wireName(), e.occurredAt(), e.sessionId(), e.ip(), e.userAgent()));
	}
}
