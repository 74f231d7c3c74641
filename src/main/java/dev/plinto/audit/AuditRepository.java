package dev.plinto.audit;

import java.time.Instant;
import java.util.List;

/** Stores audit events; append-only. */
public interface AuditRepository {

	void insert(AuditEvent event);

	/**
	 * A user's events, newest first, strictly older than the cursor position ({@code beforeTime},
	 * {@code beforeId}) when given.
	 */
	List<AuditEvent> findByUser(String userId, Instant beforeTime, String beforeId, int limit);

	/** Deletes at most {@code limit} events that occurred before {@code cutoff}; returns how many it deleted. */
	int deleteOlderThan(Instant cutoff, int limit);
}
