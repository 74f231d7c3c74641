package dev.plinto.mail;

import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Queues mail in the outbox table, in the caller's transaction, so a message is sent if and only if the change
 * that asked for it commits, and survives a crash until {@link MailDispatcher} has delivered it. Bodies carry
 * single-use links, so they are sealed with the master key while queued and erased once sent (OWASP
 * Cryptographic Storage Cheat Sheet: encrypt sensitive data at rest).
 */
@Component
public final class Mailer {

	private final MailOutboxRepository outbox;

	private final SecretBox box;

	private final Clock clock;

	/** The sealed bodies of queued mail, for {@code plinto master-key rotate}; sealed with "mail:" + id. */
	static final SealedColumn SEALED = new SealedColumn("mail_outbox", "id", "body", "mail:");

	@Bean
	static SealedColumn queuedMailBodies() {
		return SEALED;
	}

	Mailer(MailOutboxRepository outbox, SecretBox box, Clock clock) {
		this.outbox = outbox;
		this.box = box;
		this.clock = clock;
	}

	/** Queues the mail {@code name} of {@link MailTemplates}, in the request's language (caller's transaction). */
	public void enqueue(String recipient, MailTemplates.Message message) {
		enqueue(recipient, message.subject(), message.body());
	}

	public void enqueue(String recipient, String subject, String body) {
		String id = SecureTokens.newId("mail");
		outbox.insert(id, recipient, subject, box.seal(body, SEALED.associatedData(id)), clock.instant());
	}
}
