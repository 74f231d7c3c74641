package dev.plinto.account;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import dev.plinto.crypto.SecureTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Accepted requests for verification and password-reset mail. The HTTP request only stores a row — the same
 * work whether or not an account has the email, so neither the answer nor its timing reveals it (OWASP Forgot
 * Password Cheat Sheet, "Forgot password request": consistent response and time) — and this queue, on one node
 * at a time, looks the email up and queues the mail in the same transaction that deletes the request. A restart
 * between the 202 and the mail loses nothing.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
class EmailRequestQueue {

	private static final Logger log = LoggerFactory.getLogger(EmailRequestQueue.class);

	/** Requests older than this are dropped unprocessed (the links they would create would be stale anyway). */
	private static final Duration MAX_AGE = Duration.ofDays(1);

	enum Purpose { EMAIL_VERIFICATION, PASSWORD_RESET }

	private record Request(String id, Purpose purpose, String email, ClientInfo client) {
	}

	private final JdbcClient jdbc;

	private final UserRepository users;

	private final EmailLinks links;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	EmailRequestQueue(JdbcClient jdbc, UserRepository users, EmailLinks links, AuditLog audit,
			TransactionOperations tx, Clock clock) {
		this.jdbc = jdbc;
		this.users = users;
		this.links = links;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	void add(Purpose purpose, String email, ClientInfo client) {
		jdbc.sql("""
				insert into email_requests (id, purpose, email, ip, user_agent, requested_at)
				values (:id, :purpose, :email, :ip, :ua, :at)""")
			.param("id", SecureTokens.newId("req"))
			.param("purpose", purpose.name())
			.param("email", email)
			.param("ip", client.ip())
			.param("ua", client.userAgent())
			.param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
			.update();
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.mail-poll:1000}", initialDelay = 1000)
	@SchedulerLock(name = "email-requests", lockAtMostFor = "5m")
	void process() {
		jdbc.sql("delete from email_requests where requested_at < :before")
			.param("before", OffsetDateTime.ofInstant(clock.instant().minus(MAX_AGE), ZoneOffset.UTC))
			.update();
		List<Request> pending = jdbc.sql("""
				select id, purpose, email, ip, user_agent from email_requests
				order by requested_at fetch first 100 rows only""")
			.query((rs, i) -> new Request(rs.getString("id"), Purpose.valueOf(rs.getString("purpose")),
					rs.getString("email"), new ClientInfo(rs.getString("ip"), rs.getString("user_agent"))))
			.list();
		for (Request r : pending) {
			try {
				tx.executeWithoutResult(status -> handle(r));
			}
			catch (RuntimeException e) {
				log.error("Email request {} not processed, will retry: {}", r.id(), e.getClass().getSimpleName());
			}
		}
	}

	private void handle(Request r) {
		if (jdbc.sql("delete from email_requests where id = :id").param("id", r.id()).update() == 0) {
			return;
		}
		users.findByEmail(r.email()).ifPresent(user -> {
			if (r.purpose() == Purpose.PASSWORD_RESET) {
				links.sendPasswordReset(user);
				audit.record(AuditEvent.Type.PASSWORD_RESET_REQUESTED, user.id(), null, r.client(), null);
			}
			else if (!user.emailVerified()) {
				links.sendVerification(user);
			}
		});
	}
}
