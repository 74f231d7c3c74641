package dev.plinto.mail;

import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.mail.MailOutboxRepository.Pending;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Delivers queued mail on one node at a time (ShedLock): over SMTP when {@code PLINTO_SMTP_URL} is set,
 * otherwise by writing the message to the log so a developer can follow its link. A failed delivery is kept and
 * retried with exponential back-off (30 s doubling, at most one hour apart); nothing is dropped.
 * <p>
 * Writing a message to the log writes its single-use link, a bearer credential, where OWASP's Logging Cheat Sheet
 * ("Data to exclude": access tokens, session identifiers, passwords) says it must not be. That is only done for a
 * development server, whose issuer is plain http; with an https issuer (a real deployment) and no SMTP, mail is
 * kept in the outbox as undeliverable ({@code last_error = SmtpNotConfigured}) and sent once SMTP is configured.
 */
@Component
// Not final: Spring subclasses it (CGLIB) so that ShedLock's lock wraps its @SchedulerLock job.
public class MailDispatcher {

	private static final Logger log = LoggerFactory.getLogger(MailDispatcher.class);

	private static final int BATCH = 50;

	private final MailOutboxRepository outbox;

	private final SecretBox box;

	private final Clock clock;

	private final JavaMailSender sender;

	private final String from;

	private final boolean mayLogMail;

	private final Counter sent;

	private final Counter failed;

	MailDispatcher(MailOutboxRepository outbox, SecretBox box, Clock clock, ObjectProvider<JavaMailSender> sender,
			PlintoSettings settings, MeterRegistry meters) {
		this.outbox = outbox;
		this.box = box;
		this.clock = clock;
		this.sender = sender.getIfAvailable();
		this.from = settings.mailFrom();
		this.mayLogMail = !"https".equalsIgnoreCase(settings.issuer().getScheme());
		this.sent = Counter.builder("plinto.mail.deliveries").tag("outcome", "sent").register(meters);
		this.failed = Counter.builder("plinto.mail.deliveries").tag("outcome", "failed").register(meters);
	}

	/** {@code log only} or the SMTP server, for the start-up log. */
	public String transport(PlintoSettings settings) {
		return settings.smtp()
			.map(s -> "SMTP " + s)
			.orElse(mayLogMail ? "log only (PLINTO_SMTP_URL not set)"
					: "none: PLINTO_SMTP_URL is not set, mail waits in the outbox (an https issuer never logs mail)");
	}

	/** No SMTP server and an https issuer: the message cannot be delivered yet and must not be logged. */
	private static final class SmtpNotConfigured extends RuntimeException {

		SmtpNotConfigured() {
			super("PLINTO_SMTP_URL is not set", null, false, false);
		}
	}

	@Scheduled(fixedDelayString = "${plinto.jobs.mail-poll:1000}", initialDelay = 1000)
	@SchedulerLock(name = "mail-outbox", lockAtMostFor = "5m")
	public void dispatch() {
		Instant now = clock.instant();
		List<Pending> pending = outbox.findDue(now, BATCH);
		for (Pending p : pending) {
			if (!deliver(p)) {
				return; // the transport is failing: leave the rest of the batch for the next run
			}
		}
	}

	/** Deletes delivered mail after a week (the body was already erased when it was sent). */
	@Scheduled(fixedDelay = 3_600_000, initialDelay = 300_000)
	@SchedulerLock(name = "mail-outbox-cleanup", lockAtMostFor = "30m")
	public void purgeSent() {
		outbox.deleteSentBefore(clock.instant().minus(Duration.ofDays(7)));
	}

	private boolean deliver(Pending p) {
		try {
			String body = box.open(p.sealedBody(), Mailer.SEALED.associatedData(p.id()));
			if (sender == null && !mayLogMail) {
				throw new SmtpNotConfigured();
			}
			if (sender == null) {
				log.info("Mail not sent (no PLINTO_SMTP_URL; development only) to {}: {}\n{}", p.recipient(),
						p.subject(), body);
			}
			else {
				MimeMessage message = sender.createMimeMessage();
				MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
				helper.setFrom(from);
				helper.setTo(p.recipient());
				helper.setSubject(p.subject());
				helper.setText(body);
				sender.send(message);
			}
			outbox.markSent(p.id(), clock.instant());
			sent.increment();
			return true;
		}
		catch (Exception e) {
			int attempts = p.attempts() + 1;
			Duration backoff = Duration.ofSeconds(30L << Math.min(attempts - 1, 7));
			if (backoff.compareTo(Duration.ofHours(1)) > 0) {
				backoff = Duration.ofHours(1);
			}
			String error = e.getClass().getSimpleName();
			outbox.markFailed(p.id(), attempts, clock.instant().plus(backoff), error);
			failed.increment();
			log.warn("Mail {} to {} not delivered (attempt {}: {}); retrying in {}s", p.id(), p.recipient(), attempts,
					error, backoff.toSeconds());
			return false;
		}
	}
}
