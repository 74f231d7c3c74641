package dev.plinto.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/** Storage of endpoints, the event outbox, deliveries and the delivery log. */
interface WebhookRepository {

	/** An endpoint as stored: its secrets sealed (see {@link WebhookSecrets}). */
	record Endpoint(String id, String url, String description, List<String> eventTypes, boolean enabled,
			String disabledReason, String sealedSecret, String sealedPreviousSecret, Instant previousSecretExpiresAt,
			Instant failingSince, Instant createdAt, Instant updatedAt) {

		/** Whether this endpoint wants events of the given type (an empty filter wants every type). */
		boolean wants(String type) {
			return eventTypes.isEmpty() || eventTypes.contains(type);
		}
	}

	/** A delivery of one event to one endpoint, claimed for an attempt. */
	record Claimed(String messageId, String eventId, String eventType, String payload, Instant eventCreatedAt,
			int attempts, int claim, Endpoint endpoint) {
	}

	/** One attempt, as the delivery log keeps it. */
	record Attempt(String id, String messageId, String endpointId, Instant attemptedAt, String outcome,
			Integer statusCode, long latencyMs, String response, String error) {
	}

	/** A line of the delivery log: an attempt with its event. */
	record LoggedAttempt(Attempt attempt, String eventId, String eventType, String messageStatus) {
	}

	void insertEndpoint(Endpoint endpoint);

	Optional<Endpoint> findEndpoint(String id);

	List<Endpoint> findEndpoints();

	List<Endpoint> findEnabledEndpoints();

	boolean updateEndpoint(String id, String url, String description, List<String> eventTypes, Instant now);

	/** Enables (clearing the failure streak) or disables with a reason; false when it already was so. */
	boolean setEnabled(String id, boolean enabled, String reason, Instant now);

	boolean updateSecrets(String id, String sealedSecret, String sealedPreviousSecret, Instant previousExpiresAt,
			Instant now);

	boolean deleteEndpoint(String id);

	void insertEvent(String id, String type, String payload, Instant now);

	/** Queues the event for each endpoint, due at once. */
	void insertMessages(String eventId, List<String> endpointIds, Instant now);

	/**
	 * Claims up to {@code limit} due deliveries for this node, at most {@code perEndpoint} of one endpoint, none of
	 * an endpoint that has a delivery leased to a node, each endpoint's oldest first (queue order). The {@code n}
	 * deliveries claimed for one endpoint are pushed to {@code leaseFor(n)} (due again then if this node never
	 * records a result) and their claim counter changes. Two nodes never claim for one endpoint at once. Runs in its
	 * own transaction. Returned grouped by endpoint, each group in queue order.
	 */
	List<Claimed> claimDue(Instant now, IntFunction<Instant> leaseFor, int limit, int perEndpoint);

	void insertAttempt(Attempt attempt);

	/** Records the end of a claimed delivery; false when the claim is no longer this node's (lease expired). */
	boolean finish(String messageId, int claim, String status, int attempts, Instant nextAttemptAt, String error,
			Instant now);

	/** Starts or continues an endpoint's failure streak; returns when it started. */
	Instant endpointFailed(String endpointId, Instant now);

	void endpointSucceeded(String endpointId);

	/** Marks the endpoint's pending deliveries failed (it was disabled); returns how many. */
	int failPending(String endpointId, String error, Instant now);

	/** Queues one event again for one endpoint; false when the event is not (or no longer) stored. */
	boolean replay(String eventId, String endpointId, Instant now);

	/** Queues again the endpoint's failed deliveries of events created since {@code since}; returns how many. */
	int replayFailed(String endpointId, Instant since, Instant now);

	/** The endpoint's newest attempts, newest first. */
	default List<LoggedAttempt> findAttempts(String endpointId, int limit) {
		return findAttempts(endpointId, null, null, limit);
	}

	/**
	 * The endpoint's attempts older than the attempt ({@code beforeTime}, {@code beforeId}) (both null: from the
	 * newest), newest first: a page of the delivery log.
	 */
	List<LoggedAttempt> findAttempts(String endpointId, Instant beforeTime, String beforeId, int limit);

	long countPending();

	Optional<Instant> oldestPending();

	/** Deletes the log, finished deliveries and events older than {@code before}; returns the attempts deleted. */
	int deleteBefore(Instant before);
}
