package dev.plinto.mail;

import dev.plinto.platform.SqlRows;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcMailOutboxRepository implements MailOutboxRepository {

	private final JdbcClient jdbc;

	JdbcMailOutboxRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(String id, String recipient, String subject, String sealedBody, Instant now) {
		jdbc.sql("""
				insert into mail_outbox (id, recipient, subject, body, created_at, next_attempt_at, attempts)
				values (:id, :to, :subject, :body, :now, :now, 0)""")
			.param("id", id)
			.param("to", recipient)
			.param("subject", subject)
			.param("body", sealedBody)
			.param("now", SqlRows.timestamp(now))
			.update();
	}

	@Override
	public List<Pending> findDue(Instant now, int limit) {
		return jdbc.sql("""
				select id, recipient, subject, body, attempts from mail_outbox
				where sent_at is null and next_attempt_at <= :now
				order by created_at fetch first :batch rows only""")
			.param("now", SqlRows.timestamp(now))
			.param("batch", limit)
			.query((rs, i) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getInt(5)))
			.list();
	}

	@Override
	public void markSent(String id, Instant at) {
		jdbc.sql("update mail_outbox set sent_at = :at, body = null, last_error = null where id = :id")
			.param("at", SqlRows.timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void markFailed(String id, int attempts, Instant nextAttemptAt, String error) {
		jdbc.sql("""
				update mail_outbox set attempts = :attempts, next_attempt_at = :next, last_error = :error
				where id = :id""")
			.param("attempts", attempts)
			.param("next", SqlRows.timestamp(nextAttemptAt))
			.param("error", error)
			.param("id", id)
			.update();
	}

	@Override
	public int deleteSentBefore(Instant before) {
		return jdbc.sql("delete from mail_outbox where sent_at < :before").param("before", SqlRows.timestamp(before)).update();
	}

}
