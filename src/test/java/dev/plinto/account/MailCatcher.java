package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server (GreenMail) on a fixed free loopback port, for tests of mail delivery. It can be stopped and
 * started again on the same port, to play an SMTP outage.
 */
public final class MailCatcher {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final Duration POLL = Duration.ofMillis(50);

	private static final Pattern CODE = Pattern.compile("\\n(\\d{6})\\n");

	private static final Pattern LINK = Pattern.compile("(https?://\\S+\\?token=([A-Za-z0-9_%.~-]+))");

	private final int port;

	private GreenMail server;

	public MailCatcher() {
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		start();
	}

	/** The {@code PLINTO_SMTP_URL} that points at this server. */
	public String smtpUrl() {
		return "smtp://127.0.0.1:" + port;
	}

	/** Starts a new, empty server on the same port. */
	synchronized void start() {
		server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
	}

	public synchronized void stop() {
		server.stop();
	}

	/** Every message received so far (by the current server) with this recipient. */
	public synchronized List<MimeMessage> messagesTo(String recipient) {
		return Arrays.stream(server.getReceivedMessages()).filter(m -> isTo(m, recipient)).toList();
	}

	/** Waits until the {@code n}-th message to this recipient has arrived and returns it; fails after 15 s. */
	public MimeMessage awaitMessage(String recipient, int n) {
		return await("message #" + n + " to " + recipient).atMost(WAIT)
			.pollInterval(POLL)
			.until(() -> messagesTo(recipient), received -> received.size() >= n)
			.get(n - 1);
	}

	/** The single-use link in a message's text. */
	public static String link(MimeMessage message) {
		Matcher m = LINK.matcher(text(message));
		assertThat(m.find()).as("a link with a token in the message").isTrue();
		return m.group(1);
	}

	/** The token of the single-use link in a message's text, URL-decoded. */
	public static String token(MimeMessage message) {
		Matcher m = LINK.matcher(text(message));
		assertThat(m.find()).as("a link with a token in the message").isTrue();
		return URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
	}

	/** The six-digit sign-in code on a line of its own in a message's text. */
	public static String code(MimeMessage message) {
		Matcher m = CODE.matcher(text(message).replace("\r\n", "\n"));
		assertThat(m.find()).as("a six-digit code in the message").isTrue();
		return m.group(1);
	}

	public static String text(MimeMessage message) {
		try {
			return message.getContent().toString();
		}
		catch (IOException | MessagingException e) {
			throw new IllegalStateException(e);
		}
	}

	private static boolean isTo(MimeMessage message, String recipient) {
		try {
			Address[] to = message.getRecipients(Message.RecipientType.TO);
			return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
		}
		catch (MessagingException e) {
			throw new IllegalStateException(e);
		}
	}
}
