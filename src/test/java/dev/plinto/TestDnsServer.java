package dev.plinto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS server for tests on a UDP port of loopback that answers TXT questions from a map (RFC 1035 §4: header,
 * question, answers with a compression pointer to the question's name), NXDOMAIN for names it does not hold, and
 * SERVFAIL while {@link #failing} is set. Enough for the JDK's DNS client to verify domains against it.
 */
public final class TestDnsServer implements AutoCloseable {

	private static final int TYPE_TXT = 16;

	private final DatagramSocket socket;

	private final Map<String, List<String>> txt = new ConcurrentHashMap<>();

	private final AtomicInteger queries = new AtomicInteger();

	private volatile boolean failing;

	private TestDnsServer(int port) {
		try {
			socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (SocketException e) {
			throw new UncheckedIOException(e);
		}
		Thread thread = new Thread(this::serve, "test-dns-" + port);
		thread.setDaemon(true);
		thread.start();
	}

	/** A server on 127.0.0.1:{@code port} (UDP). */
	public static TestDnsServer start(int port) {
		return new TestDnsServer(port);
	}

	/** Publishes TXT records of a name (replacing those it had). */
	public void publish(String name, String... values) {
		txt.put(name.toLowerCase(Locale.ROOT), List.of(values));
	}

	public void failing(boolean failing) {
		this.failing = failing;
	}

	/** How many questions it was asked. */
	public int queries() {
		return queries.get();
	}

	private void serve() {
		byte[] buffer = new byte[512];
		while (!socket.isClosed()) {
			try {
				DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
				socket.receive(packet);
				queries.incrementAndGet();
				byte[] answer = answer(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
				socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
			}
			catch (IOException e) {
				// closed, or a malformed query: nothing to answer
			}
			catch (RuntimeException e) {
				// a malformed query
			}
		}
	}

	private byte[] answer(byte[] query) {
		// the question: labels from offset 12, then QTYPE and QCLASS
		int pos = 12;
		List<String> labels = new ArrayList<>();
		while (query[pos] != 0) {
			int length = query[pos] & 0xff;
			labels.add(new String(query, pos + 1, length, StandardCharsets.US_ASCII));
			pos += length + 1;
		}
		pos++;
		int qtype = ((query[pos] & 0xff) << 8) | (query[pos + 1] & 0xff);
		int questionEnd = pos + 4;
		String name = String.join(".", labels).toLowerCase(Locale.ROOT);
		List<String> records = qtype == TYPE_TXT ? txt.get(name) : null;
		int rcode = failing ? 2 : records == null ? 3 : 0;
		List<String> answers = failing || records == null ? List.of() : records;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(query[0]);
		out.write(query[1]);
		out.write(0x81); // QR, opcode 0, RD
		out.write(0x80 | rcode); // RA, rcode
		short16(out, 1);
		short16(out, answers.size());
		short16(out, 0);
		short16(out, 0);
		out.write(query, 12, questionEnd - 12);
		for (String value : answers) {
			byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			ByteArrayOutputStream rdata = new ByteArrayOutputStream();
			for (int i = 0; i < bytes.length; i += 255) {
				int n = Math.min(255, bytes.length - i);
				rdata.write(n);
				rdata.write(bytes, i, n);
			}
			short16(out, 0xc00c); // the name of the question
			short16(out, TYPE_TXT);
			short16(out, 1); // IN
			short16(out, 0);
			short16(out, 0); // TTL 0
			short16(out, rdata.size());
			out.writeBytes(rdata.toByteArray());
		}
		return out.toByteArray();
	}

	private static void short16(ByteArrayOutputStream out, int value) {
		out.write((value >> 8) & 0xff);
		out.write(value & 0xff);
	}

	@Override
	public void close() {
		socket.close();
	}
}
