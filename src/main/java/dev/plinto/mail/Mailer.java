package dev.plinto.mail;

import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
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

	private final JdbcClient jdbc;

	private final SecretBox box;

	private final Clock clock;

	/** The sealed bodies of queued mail, for {@code plinto master-key rotate}; sealed with "mail:" + id. */
	static final SealedColumn SEALED = new SealedColumn("mail_outbox", "id", "body", "mail:");

	@Bean
	static SealedColumn queuedMailBodies() {
		return SEALED;
	}

	public Mailer(JdbcClient jdbc, SecretBox box, Clock clock) {
		this.jdbc = jdbc;
		this.box = box;
		this.clock = clock;
	}

	public void enqueue(String recipient, String subject, String body) {
		String id = SecureTokens.newId("mail");
		OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
		jdbc.sql("""
				insert into mail_outbox (id, recipient, subject, body, created_at, next_attempt_at, attempts)
				values (:id, :to, :subject, :body, :now, :now, 0)""")
			.param("id", id)
			.param("to", recipient)
			.param("subject", subject)
			.param("body", box.seal(body, SEALED.associatedData(id)))
			.param("now", now)
			.update();
	}
}
