package dev.plinto.account;

import dev.plinto.account.EmailRequestRepository.EmailRequest;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

	/** Requests taken per run. */
	private static final int BATCH = 100;

	private final EmailRequestRepository requests;

	private final UserRepository users;

	private final EmailLinks links;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	EmailRequestQueue(EmailRequestRepository requests, UserRepository users, EmailLinks links, AuditLog audit,
			TransactionOperations tx, Clock clock) {
		this.requests = requests;
		this.users = users;
		this.links = links;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	void add(Purpose purpose, String email, ClientInfo client) {
		requests.insert(new EmailRequest(SecureTokens.newId("req"), purpose, email, client), clock.instant());
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.mail-poll:1000}", initialDelay = 1000)
	@SchedulerLock(name = "email-requests", lockAtMostFor = "5m")
	void process() {
		requests.deleteRequestedBefore(clock.instant().minus(MAX_AGE));
		List<EmailRequest> pending = requests.findOldest(BATCH);
		for (EmailRequest r : pending) {
			try {
				tx.executeWithoutResult(status -> handle(r));
			}
			catch (RuntimeException e) {
				log.error("Email request {} not processed, will retry: {}", r.id(), e.getClass().getSimpleName());
			}
		}
	}

	private void handle(EmailRequest r) {
		if (!requests.delete(r.id())) {
			return;
		}
		users.findByAddress(r.email()).ifPresent(user -> {
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
