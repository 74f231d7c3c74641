package dev.plinto.webhook;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import dev.plinto.web.Page;
import dev.plinto.web.PageCursor;
import dev.plinto.webhook.WebhookRepository.Endpoint;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Managing webhook endpoints: the one implementation behind the command line ({@code plinto webhooks …}), the
 * Backend API ({@code /v1/admin/webhooks}) and the admin dashboard ({@code /admin/webhooks}), each a thin edge.
 * Every change is audited ({@code webhook.*} events, with the caller's {@link ClientInfo}; the edges set the actor
 * with {@code AuditLog.actingAs}); failures are {@link ApiException}s with a stable code ({@code not_found},
 * {@code validation_failed} naming the field).
 * <p>
 * The signing secret is generated here (256 random bits, {@link WebhookSigner#newSecret()}), shown once when the
 * endpoint is created or its secret rotated, and stored only sealed with the master key (OWASP Secrets Management
 * Cheat Sheet, "Encryption at rest"); it must be readable again to sign, so it cannot be hashed.
 */
@Service
public final class WebhookService {

	/** An endpoint as shown to an operator: never its secret. */
	public record WebhookEndpoint(String id, String url, @Schema(nullable = true) String description,
			@Schema(description = "Empty: every type") List<String> eventTypes, boolean enabled,
			@Schema(nullable = true, description = "`manual` or `failing` while disabled") String disabledReason,
			@Schema(nullable = true, description = "Until when the previous secret also signs")
			Instant previousSecretExpiresAt,
			@Schema(nullable = true) Instant failingSince, Instant createdAt, Instant updatedAt) {

		static WebhookEndpoint of(Endpoint e) {
			return new WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(),
					e.disabledReason(), e.previousSecretExpiresAt(), e.failingSince(), e.createdAt(), e.updatedAt());
		}
	}

	/** A new endpoint or a rotated secret, with the secret shown this once. */
	public record WithSecret(WebhookEndpoint endpoint,
			@Schema(description = "The signing secret, shown only this once", example = "whsec_…") String secret) {
	}

	/** A line of an endpoint's delivery log. */
	public record DeliveryAttempt(@Schema(description = "The event's id, the `webhook-id` header") String eventId,
			String eventType,
			@Schema(description = "The delivery's state now: `pending`, `delivered` or `failed`") String deliveryStatus,
			Instant attemptedAt,
			@Schema(description = "`success`, `http_error`, `redirect`, `timeout`, `network_error` or `refused`") String outcome,
			@Schema(nullable = true) Integer statusCode, long latencyMs,
			@Schema(nullable = true, description = "The start of the receiver's answer") String response,
			@Schema(nullable = true) String error) {
	}

	/** Endpoints disabled by hand carry this reason; those the dispatcher disabled carry {@code failing}. */
	static final String DISABLED_MANUALLY = "manual";

	static final String DISABLED_FAILING = "failing";

	private static final int MAX_DESCRIPTION = 500;

	private final WebhookRepository repository;

	private final WebhookSecrets secrets;

	private final EndpointAddresses addresses;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final Duration defaultOverlap;

	WebhookService(WebhookRepository repository, SecretBox box, AuditLog audit, TransactionOperations tx, Clock clock,
			PlintoSettings settings, EndpointAddresses addresses) {
		this.repository = repository;
		this.secrets = new WebhookSecrets(box);
		this.addresses = addresses;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.defaultOverlap = settings.webhooks().secretOverlap();
	}

	/** Adds an enabled endpoint; an empty {@code eventTypes} subscribes it to every type. */
	public WithSecret create(String url, String description, List<String> eventTypes, ClientInfo client) {
		return create(url, description, eventTypes, true, client);
	}

	/**
	 * Adds an endpoint; an empty {@code eventTypes} subscribes it to every type. A disabled one receives nothing
	 * until enabled (its receiver can be set up with the secret first).
	 */
	public WithSecret create(String url, String description, List<String> eventTypes, boolean enabled,
			ClientInfo client) {
		String checkedUrl = checkUrl(url);
		List<String> types = checkTypes(eventTypes);
		String text = checkDescription(description);
		Instant now = clock.instant();
		String id = SecureTokens.newId("wh");
		String secret = WebhookSigner.newSecret();
		Endpoint endpoint = new Endpoint(id, checkedUrl, text, types, enabled, enabled ? null : DISABLED_MANUALLY,
				secrets.sealCurrent(id, secret), null, null, null, now, now);
		tx.executeWithoutResult(status -> {
			repository.insertEndpoint(endpoint);
			audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_CREATED, null, null, client,
					id + " " + checkedUrl + (enabled ? "" : " (disabled)"));
		});
		return new WithSecret(WebhookEndpoint.of(endpoint), secret);
	}

	public List<WebhookEndpoint> list() {
		return repository.findEndpoints().stream().map(WebhookEndpoint::of).toList();
	}

	public WebhookEndpoint get(String id) {
		return WebhookEndpoint.of(find(id));
	}

	/** Changes the given fields; null leaves a field unchanged, an empty list subscribes to every type. */
	public WebhookEndpoint update(String id, String url, String description, List<String> eventTypes,
			ClientInfo client) {
		return update(id, url, description, eventTypes, null, client);
	}

	/**
	 * Changes the given fields and, when {@code enabled} is not null, enables or disables the endpoint as
	 * {@link #enable} and {@link #disable} do, in one transaction; null leaves a field unchanged, an empty list
	 * subscribes to every type, a blank description clears it.
	 */
	public WebhookEndpoint update(String id, String url, String description, List<String> eventTypes,
			Boolean enabled, ClientInfo client) {
		Endpoint current = find(id);
		String newUrl = url == null ? current.url() : checkUrl(url);
		String newDescription = description == null ? current.description() : checkDescription(description);
		List<String> newTypes = eventTypes == null ? current.eventTypes() : checkTypes(eventTypes);
		return tx.execute(status -> {
			if (url != null || description != null || eventTypes != null) {
				if (!repository.updateEndpoint(id, newUrl, newDescription, newTypes, clock.instant())) {
					throw notFound(id);
				}
				audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_UPDATED, null, null, client, id + " " + newUrl);
			}
			if (enabled != null) {
				return enabled ? enable(id, client) : disable(id, client);
			}
			return WebhookEndpoint.of(find(id));
		});
	}

	/** Enables an endpoint: new events are delivered to it again (earlier failures can be replayed). */
	public WebhookEndpoint enable(String id, ClientInfo client) {
		find(id);
		return tx.execute(status -> {
			if (repository.setEnabled(id, true, null, clock.instant())) {
				audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_ENABLED, null, null, client, id);
			}
			return WebhookEndpoint.of(find(id));
		});
	}

	/** Disables an endpoint: it receives nothing, and its pending deliveries are marked failed (replayable). */
	public WebhookEndpoint disable(String id, ClientInfo client) {
		find(id);
		return tx.execute(status -> {
			if (repository.setEnabled(id, false, DISABLED_MANUALLY, clock.instant())) {
				repository.failPending(id, "endpoint disabled", clock.instant());
				audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_DISABLED, null, null, client, id + " (manual)");
			}
			return WebhookEndpoint.of(find(id));
		});
	}

	/** Deletes an endpoint with its deliveries and their log. */
	public void delete(String id, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			if (!repository.deleteEndpoint(id)) {
				throw notFound(id);
			}
			audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_DELETED, null, null, client, id);
		});
	}

	/**
	 * Gives the endpoint a new secret. For {@code overlap} (null: {@code PLINTO_WEBHOOKS_SECRET_OVERLAP}) every
	 * delivery is signed with the new and the old secret, so the receiver can switch secrets without rejecting
	 * a delivery; a zero overlap drops the old secret at once (for a leaked secret).
	 */
	public WithSecret rotateSecret(String id, Duration overlap, ClientInfo client) {
		Duration keep = overlap == null ? defaultOverlap : overlap;
		if (keep.isNegative()) {
			throw ApiException.validation("overlap", ErrorCode.VALIDATION_FAILED, "The overlap cannot be negative.");
		}
		String secret = WebhookSigner.newSecret();
		return tx.execute(status -> {
			Endpoint current = find(id);
			Instant now = clock.instant();
			String previous = keep.isZero() ? null : secrets.sealPrevious(id, secrets.openCurrent(current));
			repository.updateSecrets(id, secrets.sealCurrent(id, secret), previous, keep.isZero() ? null
					: now.plus(keep), now);
			audit.record(AuditEvent.Type.WEBHOOK_SECRET_ROTATED, null, null, client,
					id + " (old secret valid for " + PlintoSettings.DurationFormat.format(keep) + ")");
			return new WithSecret(WebhookEndpoint.of(find(id)), secret);
		});
	}

	/**
	 * A page of the endpoint's delivery log, newest attempt first: {@code limit} attempts (at most
	 * {@link Page#MAX_LIMIT}) after the {@code cursor} of the previous page (null: from the newest).
	 */
	public Page<DeliveryAttempt> deliveries(String id, String cursor, int limit) {
		find(id);
		Instant beforeTime = null;
		String beforeId = null;
		String after = PageCursor.decode(cursor);
		if (after != null) {
			try {
				String[] parts = after.split("\\|", 2);
				beforeTime = Instant.parse(parts[0]);
				beforeId = parts[1];
			}
			catch (RuntimeException e) {
				throw PageCursor.forged();
			}
		}
		return Page.of(repository.findAttempts(id, beforeTime, beforeId, Page.rowsFor(limit)), limit,
				l -> l.attempt().attemptedAt() + "|" + l.attempt().id(), WebhookService::attempt);
	}

	/** The newest attempts of the endpoint's delivery log, newest first. */
	public List<DeliveryAttempt> attempts(String id, int limit) {
		find(id);
		return repository.findAttempts(id, Math.max(1, Math.min(limit, 1000)))
			.stream()
			.map(WebhookService::attempt)
			.toList();
	}

	private static DeliveryAttempt attempt(WebhookRepository.LoggedAttempt l) {
		return new DeliveryAttempt(l.eventId(), l.eventType(), l.messageStatus(), l.attempt().attemptedAt(),
				l.attempt().outcome(), l.attempt().statusCode(), l.attempt().latencyMs(), l.attempt().response(),
				l.attempt().error());
	}

	/** Sends one event ({@code msg_…}) to the endpoint again, whatever happened to it before. */
	public void replay(String id, String eventId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			find(id);
			if (!repository.replay(eventId, id, clock.instant())) {
				throw new ApiException(ErrorCode.NOT_FOUND, "There is no stored event " + eventId
						+ " (events are kept for PLINTO_WEBHOOKS_LOG_RETENTION, and only when an endpoint wanted them).");
			}
			audit.record(AuditEvent.Type.WEBHOOK_REPLAYED, null, null, client, id + " " + eventId);
		});
	}

	/** Sends again every delivery to the endpoint that failed, of events created since {@code since}. */
	public int replayFailed(String id, Instant since, ClientInfo client) {
		return tx.execute(status -> {
			find(id);
			int count = repository.replayFailed(id, since, clock.instant());
			audit.record(AuditEvent.Type.WEBHOOK_REPLAYED, null, null, client,
					id + " " + count + " failed since " + since);
			return count;
		});
	}

	private Endpoint find(String id) {
		return repository.findEndpoint(id == null ? "" : id).orElseThrow(() -> notFound(id));
	}

	private static ApiException notFound(String id) {
		return new ApiException(ErrorCode.NOT_FOUND, "There is no webhook endpoint " + id + ".");
	}

	private String checkUrl(String url) {
		try {
			return addresses.checkUrl(url).toString();
		}
		catch (EndpointAddresses.Refused e) {
			throw ApiException.validation("url", ErrorCode.VALIDATION_FAILED, e.getMessage());
		}
	}

	private static List<String> checkTypes(List<String> eventTypes) {
		List<String> types = new ArrayList<>();
		for (String type : eventTypes == null ? List.<String>of() : eventTypes) {
			String t = type == null ? "" : type.trim();
			if (t.isEmpty() || types.contains(t)) {
				continue;
			}
			if (WebhookEventType.of(t).isEmpty()) {
				throw ApiException.validation("event_types", ErrorCode.VALIDATION_FAILED, "There is no event type '"
						+ t + "'; the types are " + String.join(", ",
								Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).toList())
						+ ".");
			}
			types.add(t);
		}
		return List.copyOf(types);
	}

	private static String checkDescription(String description) {
		if (description == null || description.isBlank()) {
			return null;
		}
		if (description.length() > MAX_DESCRIPTION || description.chars().anyMatch(Character::isISOControl)) {
			throw ApiException.validation("description", ErrorCode.VALIDATION_FAILED,
					"The description must be one line of at most " + MAX_DESCRIPTION + " characters.");
		}
		return description.trim();
	}
}
