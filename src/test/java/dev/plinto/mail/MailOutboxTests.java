package dev.plinto.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.MutableClock;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** {@link Mailer} queues into the outbox, {@link MailDispatcher} delivers from it. */
@ExtendWith(OutputCaptureExtension.class)
class MailOutboxTests {

	/** A sender that records what it would have sent, or fails like an unreachable SMTP server. */
	static final class FakeSender extends JavaMailSenderImpl {

		final List<MimeMessage> sent = new ArrayList<>();

		final boolean failing;

		FakeSender(boolean failing) {
			this.failing = failing;
		}

		@Override
		protected void doSend(MimeMessage[] messages, Object[] originals) {
			if (failing) {
				throw new MailSendException("Mail server connection failed: connection refused");
			}
			sent.addAll(List.of(messages));
		}
	}

	/** One queued row, as stored. */
	record Row(String id, String body, int attempts, Instant nextAttemptAt, Instant sentAt, String lastError) {
	}

	abstract static class Contract extends DatabaseContract {

		final SecretBox box = new SecretBox(SecureTokens.randomBytes(32));

		final PlintoSettings settings = PlintoSettings
			.parse(Map.of("PLINTO_MAIL_FROM", "Plinto <no-reply@plinto.test>")::get);

		MutableClock clock;

		SimpleMeterRegistry meters;

		Mailer mailer;

		String recipient;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createMailer() {
			// The dispatcher sends every due row, so each test starts from an empty outbox of its own database.
			jdbc.sql("delete from mail_outbox").update();
			clock = new MutableClock();
			meters = new SimpleMeterRegistry();
			mailer = new Mailer(new JdbcMailOutboxRepository(jdbc), box, clock);
			recipient = "user-" + UUID.randomUUID() + "@example.com";
		}

		MailDispatcher dispatcher(JavaMailSender sender) {
			return dispatcher(sender, settings);
		}

		MailDispatcher dispatcher(JavaMailSender sender, PlintoSettings settings) {
			StaticListableBeanFactory beans = new StaticListableBeanFactory();
			if (sender != null) {
				beans.addBean("mailSender", sender);
			}
			ObjectProvider<JavaMailSender> provider = beans.getBeanProvider(JavaMailSender.class);
			return new MailDispatcher(new JdbcMailOutboxRepository(jdbc), box, clock, provider, settings, meters);
		}

		Row row() {
			return jdbc.sql("""
					select id, body, attempts, next_attempt_at, sent_at, last_error from mail_outbox
					where recipient = :to""")
				.param("to", recipient)
				.query((rs, i) -> {
					OffsetDateTime sent = rs.getObject("sent_at", OffsetDateTime.class);
					return new Row(rs.getString("id"), rs.getString("body"), rs.getInt("attempts"),
							rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(),
							sent == null ? null : sent.toInstant(), rs.getString("last_error"));
				})
				.single();
		}

		double deliveries(String outcome) {
			return meters.get("plinto.mail.deliveries").tag("outcome", outcome).counter().count();
		}

		static final String LINK = "https://auth.example.com/reset-password?token=s3cr3t-t0ken-value";

		@Test
		void enqueueWhenQueuedThenBodyEncryptedAtRestAndDueNow() {
			mailer.enqueue(recipient, "Reset your password", "Follow " + LINK);

			Row row = row();
			assertThat(row.body()).doesNotContain("s3cr3t").doesNotContain("Follow");
			assertThat(box.open(row.body(), "mail:" + row.id())).isEqualTo("Follow " + LINK);
			assertThat(row.attempts()).isZero();
			assertThat(row.nextAttemptAt()).isEqualTo(clock.instant());
			assertThat(row.sentAt()).isNull();
		}

		@Test
		void dispatchWhenSenderWorksThenDeliveredOnceMarkedSentAndBodyErased() throws MessagingException, IOException {
			mailer.enqueue(recipient, "Verify your email", "Follow " + LINK);
			FakeSender sender = new FakeSender(false);
			MailDispatcher dispatcher = dispatcher(sender);

			clock.advance(Duration.ofSeconds(1));
			dispatcher.dispatch();
			dispatcher.dispatch();

			assertThat(sender.sent).hasSize(1);
			MimeMessage message = sender.sent.get(0);
			assertThat(message.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo(recipient);
			assertThat(message.getFrom()[0].toString()).isEqualTo("Plinto <no-reply@plinto.test>");
			assertThat(message.getSubject()).isEqualTo("Verify your email");
			assertThat(message.getContent().toString()).isEqualTo("Follow " + LINK);
			Row row = row();
			assertThat(row.sentAt()).isEqualTo(clock.instant());
			assertThat(row.body()).isNull();
			assertThat(row.lastError()).isNull();
			assertThat(deliveries("sent")).isEqualTo(1.0);
		}

		@Test
		void dispatchWhenSenderFailsThenKeptWithAttemptCountedAndRetriedLater() {
			mailer.enqueue(recipient, "Reset your password", "Follow " + LINK);
			Instant first = clock.instant();
			MailDispatcher failing = dispatcher(new FakeSender(true));

			failing.dispatch();

			Row row = row();
			assertThat(row.sentAt()).isNull();
			assertThat(row.attempts()).isEqualTo(1);
			assertThat(row.nextAttemptAt()).isEqualTo(first.plus(Duration.ofSeconds(30)));
			assertThat(row.lastError()).isEqualTo("MailSendException").doesNotContain("s3cr3t");
			assertThat(box.open(row.body(), "mail:" + row.id())).isEqualTo("Follow " + LINK);
			assertThat(deliveries("failed")).isEqualTo(1.0);

			// not due yet: nothing is attempted
			clock.advance(Duration.ofSeconds(29));
			failing.dispatch();
			assertThat(row().attempts()).isEqualTo(1);

			// due: attempted again, and the back-off doubles
			clock.advance(Duration.ofSeconds(1));
			failing.dispatch();
			Row second = row();
			assertThat(second.attempts()).isEqualTo(2);
			assertThat(second.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofSeconds(60)));
		}

		@Test
		void purgeSentWhenDeliveredOverAWeekAgoThenDeletedAndUnsentKept() {
			mailer.enqueue(recipient, "Verify your email", "Follow " + LINK);
			dispatcher(new FakeSender(false)).dispatch();
			String waiting = "user-" + UUID.randomUUID() + "@example.com";
			mailer.enqueue(waiting, "Reset your password", "Follow " + LINK);
			MailDispatcher failing = dispatcher(new FakeSender(true));
			failing.dispatch();

			clock.advance(Duration.ofDays(7));
			failing.purgeSent();
			assertThat(rows(recipient)).as("delivered exactly a week ago").isEqualTo(1);

			clock.advance(Duration.ofSeconds(1));
			failing.purgeSent();
			assertThat(rows(recipient)).as("delivered over a week ago").isZero();
			assertThat(rows(waiting)).as("not delivered yet").isEqualTo(1);
		}

		long rows(String to) {
			return jdbc.sql("select count(*) from mail_outbox where recipient = :to").param("to", to)
				.query(Long.class)
				.single();
		}

		@Test
		void dispatchWhenServerBackAfterFailureThenDelivered() {
			mailer.enqueue(recipient, "Reset your password", "Follow " + LINK);
			dispatcher(new FakeSender(true)).dispatch();
			FakeSender working = new FakeSender(false);

			clock.advance(Duration.ofSeconds(30));
			dispatcher(working).dispatch();

			assertThat(working.sent).hasSize(1);
			Row row = row();
			assertThat(row.sentAt()).isEqualTo(clock.instant());
			assertThat(row.body()).isNull();
			assertThat(row.lastError()).isNull();
		}

		@Test
		void dispatchWhenNoSmtpConfiguredThenLoggedAndMarkedSent() {
			mailer.enqueue(recipient, "Verify your email", "Follow " + LINK);

			dispatcher(null).dispatch();

			Row row = row();
			assertThat(row.sentAt()).isEqualTo(clock.instant());
			assertThat(row.body()).isNull();
		}

		@Test
		void dispatchWhenNoSmtpAndHttpsIssuerThenNotLoggedButKeptForLater(CapturedOutput output) {
			PlintoSettings production = PlintoSettings.parse(Map.of("PLINTO_MAIL_FROM", "Plinto <no-reply@plinto.test>",
					"PLINTO_ISSUER", "https://auth.example.com")::get);
			mailer.enqueue(recipient, "Verify your email", "Follow " + LINK);
			MailDispatcher dispatcher = dispatcher(null, production);

			dispatcher.dispatch();

			Row row = row();
			assertThat(row.sentAt()).isNull();
			assertThat(row.attempts()).isEqualTo(1);
			assertThat(row.lastError()).isEqualTo("SmtpNotConfigured");
			assertThat(box.open(row.body(), "mail:" + row.id())).isEqualTo("Follow " + LINK);
			assertThat(deliveries("failed")).isEqualTo(1.0);
			assertThat(output.getAll()).contains("not delivered").doesNotContain("s3cr3t");
			assertThat(dispatcher.transport(production)).contains("PLINTO_SMTP_URL is not set");

			// once SMTP is configured, the kept message goes out
			clock.advance(Duration.ofSeconds(30));
			FakeSender working = new FakeSender(false);
			dispatcher(working, production).dispatch();
			assertThat(working.sent).hasSize(1);
		}
	}

	@Nested
	class OnH2 extends Contract {
		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {
		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
