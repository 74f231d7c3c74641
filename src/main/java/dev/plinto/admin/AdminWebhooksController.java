package dev.plinto.admin;

import dev.plinto.audit.AuditLog;
import dev.plinto.web.ApiDocs;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.webhook.WebhookService;
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
 * The Backend API's webhook endpoints ({@code /v1/admin/webhooks…}, docs/api.md "Backend API"): a thin shell over
 * {@link WebhookService}, the service {@code plinto webhooks} and the dashboard call, so the URL rules (https only,
 * the SSRF policy of {@code webhook.EndpointAddresses}), the event-type check and the audit events are the same on
 * every edge. Each change runs inside {@link AuditLog#actingAs} with the API key's id, so its {@code webhook.*}
 * event names the key as actor. A signing secret is answered only by creation and rotation, with
 * {@code Cache-Control: no-store} (RFC 9111 §5.2.2.5; OWASP REST Security Cheat Sheet, "Sensitive information in
 * HTTP requests"); it is never readable again. Scopes ({@code webhooks:read}, {@code webhooks:write}) are declared
 * in {@code security.WebSecurityConfiguration}.
 */
@RestController
@Tag(name = "Backend API: webhooks")
@SecurityRequirement(name = "apiKey")
final class AdminWebhooksController {

	private static final String EVENT_TYPES = "Event types the endpoint receives, e.g. `user.created` "
			+ "(docs/webhooks.md lists them); empty or absent: every type";

	private final WebhookService webhooks;

	AdminWebhooksController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	record CreateEndpointRequest(
			@Schema(example = "https://app.example.com/webhooks/plinto") @NotBlank @Size(max = 2048) String url,
			@Schema(example = "Billing service") @Size(max = 500) String description,
			@Schema(description = EVENT_TYPES) @Size(max = 100) List<@Size(max = 100) String> eventTypes,
			@Schema(description = "Whether deliveries start at once (default true)") Boolean enabled) {
	}

	record UpdateEndpointRequest(@Size(max = 2048) String url,
			@Schema(description = "A blank description clears it") @Size(max = 500) String description,
			@Schema(description = EVENT_TYPES) @Size(max = 100) List<@Size(max = 100) String> eventTypes,
			Boolean enabled) {
	}

	record RotateSecretRequest(@Schema(description = "How long, in seconds, the old secret still signs beside the "
			+ "new one; 0 drops it at once (a leaked secret); absent: PLINTO_WEBHOOKS_SECRET_OVERLAP")
			@Min(0) @Max(2_592_000) Long overlapSeconds) {
	}

	record ReplayRequest(@Schema(description = "The event's id (`msg_…`, the `webhook-id` header)",
			example = "msg_2x7…") @NotBlank @Size(max = 100) String eventId) {
	}

	record ReplayFailedRequest(@Schema(description = "RFC 3339 time: deliveries of events since then that failed",
			type = "string", format = "date-time", example = "2026-12-07T00:00:00Z") @NotBlank String since) {
	}

	record EndpointList(List<WebhookService.WebhookEndpoint> data) {
	}

	record Queued(@Schema(description = "How many deliveries were queued again") int queued) {
	}

	@GetMapping(path = "/v1/admin/webhooks", produces = "application/json")
	@Operation(summary = "List webhook endpoints", description = "Scope `webhooks:read`. Never their secrets.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited" })
	EndpointList list(AdminCaller caller) {
		return new EndpointList(webhooks.list());
	}

	@PostMapping(path = "/v1/admin/webhooks", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Create a webhook endpoint", description = "Scope `webhooks:write`. The answer holds the "
			+ "signing secret (`whsec_…`) this once (`Cache-Control: no-store`). The URL must be `https` (unless "
			+ "PLINTO_WEBHOOKS_ALLOW_HTTP) and must not name an internal address (docs/webhooks.md, SSRF policy).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited",
			"validation_failed" })
	@ApiDocs.Status(value = 201, description = "Created")
	ResponseEntity<WebhookService.WithSecret> create(AdminCaller caller,
			@Valid @RequestBody CreateEndpointRequest body) {
		WebhookService.WithSecret created = AuditLog.actingAs(caller.keyId(), () -> webhooks.create(body.url(),
				body.description(), body.eventTypes(), !Boolean.FALSE.equals(body.enabled()), caller.client()));
		return ResponseEntity.created(URI.create("/v1/admin/webhooks/" + created.endpoint().id()))
			.cacheControl(CacheControl.noStore())
			.body(created);
	}

	@GetMapping(path = "/v1/admin/webhooks/{id}", produces = "application/json")
	@Operation(summary = "A webhook endpoint", description = "Scope `webhooks:read`. Never its secret.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	WebhookService.WebhookEndpoint get(AdminCaller caller, @PathVariable String id) {
		return webhooks.get(id);
	}

	@PatchMapping(path = "/v1/admin/webhooks/{id}", consumes = "application/json", produces = "application/json")
	@Operation(summary = "Change a webhook endpoint", description = "Scope `webhooks:write`. Absent or null fields "
			+ "stay; an empty `event_types` subscribes to every type. `enabled: false` marks pending deliveries "
			+ "failed (replayable); `enabled: true` also re-enables an endpoint disabled for failing.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	WebhookService.WebhookEndpoint update(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody UpdateEndpointRequest body) {
		return AuditLog.actingAs(caller.keyId(), () -> webhooks.update(id, body.url(), body.description(),
				body.eventTypes(), body.enabled(), caller.client()));
	}

	@DeleteMapping("/v1/admin/webhooks/{id}")
	@Operation(summary = "Delete a webhook endpoint", description = "Scope `webhooks:write`. Its pending "
			+ "deliveries and its delivery log go with it.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found" })
	@ApiDocs.Status(value = 204, description = "Deleted")
	ResponseEntity<Void> delete(AdminCaller caller, @PathVariable String id) {
		AuditLog.actingAs(caller.keyId(), () -> {
			webhooks.delete(id, caller.client());
			return null;
		});
		return ResponseEntity.noContent().build();
	}

	@PostMapping(path = "/v1/admin/webhooks/{id}/rotate-secret", produces = "application/json")
	@Operation(summary = "Give a webhook endpoint a new signing secret", description = "Scope `webhooks:write`. "
			+ "The new secret is answered this once (`Cache-Control: no-store`). During the overlap every delivery "
			+ "carries a signature with the old and one with the new secret; an optional JSON body "
			+ "`{\"overlap_seconds\": n}` sets it (0 for a leaked secret).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	ResponseEntity<WebhookService.WithSecret> rotateSecret(AdminCaller caller, @PathVariable String id,
			@Valid @RequestBody(required = false) RotateSecretRequest body) {
		Long seconds = body == null ? null : body.overlapSeconds();
		WebhookService.WithSecret rotated = AuditLog.actingAs(caller.keyId(), () -> webhooks.rotateSecret(id,
				seconds == null ? null : Duration.ofSeconds(seconds), caller.client()));
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(rotated);
	}

	@GetMapping(path = "/v1/admin/webhooks/{id}/deliveries", produces = "application/json")
	@Operation(summary = "A webhook endpoint's delivery log, newest attempt first", description = "Scope "
			+ "`webhooks:read`. Each attempt: event, delivery state, outcome, HTTP status, latency and the start of "
			+ "the receiver's answer or the error. Pass `next_cursor` back as `cursor`.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Page<WebhookService.DeliveryAttempt> deliveries(AdminCaller caller, @PathVariable String id,
			@RequestParam(name = "limit", required = false) @Parameter(schema = @Schema(type = "integer", format = "int32", defaultValue = Page.DEFAULT_LIMIT)) String limit,
			@RequestParam(required = false) String cursor) {
		return webhooks.deliveries(id, cursor, Page.limit(limit));
	}

	@PostMapping(path = "/v1/admin/webhooks/{id}/replay", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Send one event to a webhook endpoint again", description = "Scope `webhooks:write`. "
			+ "Whatever happened to it before; 404 when the event is no longer stored "
			+ "(PLINTO_WEBHOOKS_LOG_RETENTION).")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Queued replay(AdminCaller caller, @PathVariable String id, @Valid @RequestBody ReplayRequest body) {
		AuditLog.actingAs(caller.keyId(), () -> {
			webhooks.replay(id, body.eventId(), caller.client());
			return null;
		});
		return new Queued(1);
	}

	@PostMapping(path = "/v1/admin/webhooks/{id}/replay-failed", consumes = "application/json",
			produces = "application/json")
	@Operation(summary = "Send again every failed delivery to a webhook endpoint since a time",
			description = "Scope `webhooks:write`. The deliveries of events since `since` that failed (retries "
					+ "used up, or the endpoint was disabled) are queued again.")
	@ApiDocs.Errors({ "unauthenticated", "invalid_api_key", "insufficient_scope", "rate_limited", "not_found",
			"validation_failed" })
	Queued replayFailed(AdminCaller caller, @PathVariable String id, @Valid @RequestBody ReplayFailedRequest body) {
		Instant since;
		try {
			since = Instant.parse(body.since().strip());
		}
		catch (DateTimeParseException e) {
			throw ApiException.validation("since", ErrorCode.VALIDATION_FAILED,
					"since must be an RFC 3339 time, e.g. 2026-12-07T00:00:00Z.");
		}
		return new Queued(AuditLog.actingAs(caller.keyId(), () -> webhooks.replayFailed(id, since, caller.client())));
	}
}
