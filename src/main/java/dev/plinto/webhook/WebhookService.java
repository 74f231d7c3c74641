package dev.plinto.webhook;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import dev.plinto.webhook.WebhookRepository.Endpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Managing webhook endpoints: what the command line ({@code plinto webhooks …}) calls today and the Backend API
 * will call as a thin controller. Every change is audited ({@code webhook.*} events, with the caller's
 * {@link ClientInfo}); failures are {@link ApiException}s with a stable code ({@code not_found},
 * {@code validation_failed} naming the field).
 * <p>
 * The signing secret is generated here (256 random bits, {@link WebhookSigner#newSecret()}), shown once when the
 * endpoint is created or its secret rotated, and stored only sealed with the master key (OWASP Secrets Management
 * Cheat Sheet, "Encryption at rest"); it must be readable again to sign, so it cannot be hashed.
 */
@Service
public final class WebhookService {

	/** An endpoint as shown to an operator: never its secret. */
	public record WebhookEndpoint(String id, String url, String description, List<String> eventTypes,
			boolean enabled, String disabledReason, Instant previousSecretExpiresAt, Instant failingSince,
			Instant createdAt, Instant updatedAt) {

		static WebhookEndpoint of(Endpoint e) {
			return new WebhookEndpoint(e.id(), e.url(), e.description(), e.eventTypes(), e.enabled(),
					e.disabledReason(), e.previousSecretExpiresAt(), e.failingSince(), e.createdAt(), e.updatedAt());
		}
	}

	/** A new endpoint or a rotated secret, with the secret shown this once. */
	public record WithSecret(WebhookEndpoint endpoint, String secret) {
	}

	/** A line of an endpoint's delivery log. */
	public record DeliveryAttempt(String eventId, String eventType, String deliveryStatus, Instant attemptedAt,
			String outcome, Integer statusCode, long latencyMs, String response, String error) {
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
		String checkedUrl = checkUrl(url);
		List<String> types = checkTypes(eventTypes);
		String text = checkDescription(description);
		Instant now = clock.instant();
		String id = SecureTokens.newId("wh");
		String secret = WebhookSigner.newSecret();
		Endpoint endpoint = new Endpoint(id, checkedUrl, text, types, true, null, secrets.sealCurrent(id, secret),
				null, null, null, now, now);
		tx.executeWithoutResult(status -> {
			repository.insertEndpoint(endpoint);
			audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_CREATED, null, null, client, id + " " + checkedUrl);
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
		Endpoint current = find(id);
		String newUrl = url == null ? current.url() : checkUrl(url);
		String newDescription = description == null ? current.description() : checkDescription(description);
		List<String> newTypes = eventTypes == null ? current.eventTypes() : checkTypes(eventTypes);
		return tx.execute(status -> {
			if (!repository.updateEndpoint(id, newUrl, newDescription, newTypes, clock.instant())) {
				throw notFound(id);
			}
			audit.record(AuditEvent.Type.WEBHOOK_ENDPOINT_UPDATED, null, null, client, id + " " + newUrl);
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

	/** The newest attempts of the endpoint's delivery log, newest first. */
	public List<DeliveryAttempt> attempts(String id, int limit) {
		find(id);
		return repository.findAttempts(id, Math.max(1, Math.min(limit, 1000)))
			.stream()
			.map(l -> new DeliveryAttempt(l.eventId(), l.eventType(), l.messageStatus(), l.attempt().attemptedAt(),
					l.attempt().outcome(), l.attempt().statusCode(), l.attempt().latencyMs(), l.attempt().response(),
					l.attempt().error()))
			.toList();
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
			String t = type.trim();
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
