package dev.plinto.account;

import dev.plinto.web.ClientInfo;
import java.time.Instant;
import java.util.List;

/** The {@code email_requests} table: accepted requests for verification and password-reset mail. */
interface EmailRequestRepository {

	/** A stored request, and the client that made it (for the audit trail). */
	record EmailRequest(String id, EmailRequestQueue.Purpose purpose, String email, ClientInfo client) {
	}

	void insert(EmailRequest request, Instant requestedAt);

	/** Up to {@code limit} requests, oldest first. */
	List<EmailRequest> findOldest(int limit);

	/** Deletes one request; false when it was already gone (another transaction took it). */
	boolean delete(String id);

	/** Deletes the requests made before {@code before}; returns how many it deleted. */
	int deleteRequestedBefore(Instant before);
}
