package dev.plinto.mail;

import java.time.Instant;
import java.util.List;

/** The {@code mail_outbox} table: queued mail, its delivery attempts, and delivered mail until it is purged. */
interface MailOutboxRepository {

	/** A queued message whose body is still sealed with the master key. */
	record Pending(String id, String recipient, String subject, String sealedBody, int attempts) {
	}

	/** Queues a message, due at once, in the caller's transaction. */
	void insert(String id, String recipient, String subject, String sealedBody, Instant now);

	/** Up to {@code limit} unsent messages due at {@code now}, oldest first. */
	List<Pending> findDue(Instant now, int limit);

	/** Marks a message delivered and erases its body. */
	void markSent(String id, Instant at);

	/** Records a failed attempt and when to try again. */
	void markFailed(String id, int attempts, Instant nextAttemptAt, String error);

	/** Deletes mail delivered before {@code before}; returns how many messages it deleted. */
	int deleteSentBefore(Instant before);
}
