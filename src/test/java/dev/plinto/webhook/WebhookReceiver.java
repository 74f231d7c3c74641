package dev.plinto.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on loopback: records every request it gets (headers and body) and answers as told — 204 by
 * default, or one scripted fault per request (500, no answer until released, a closed connection, a redirect, 204
 * after a moment). It also counts how many requests it was answering at once.
 */
final class WebhookReceiver implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** What to do with the next request. */
	enum Answer { OK, SERVER_ERROR, HANG, CLOSE, REDIRECT, SLOW }

	/** A received request. */
	record Received(Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = headers.get(name);
			return values == null ? null : values.get(0);
		}

		JsonNode json() {
			return JSON.readTree(body);
		}

		String type() {
			return json().get("type").asString();
		}

		/** The signature the Standard Webhooks Java library computes for this delivery with {@code secret}. */
		String signature(String secret) throws WebhookSigningException {
			return new Webhook(secret).sign(header("webhook-id"), Long.parseLong(header("webhook-timestamp")), body);
		}

		/** Verifies the signature with the Standard Webhooks Java library (the receiver's side of the spec). */
		void verify(String secret) throws WebhookVerificationException {
			new Webhook(secret).verify(body, HttpHeaders.of(headers, (a, b) -> true));
		}
	}

	private final HttpServer server;

	private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

	private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private volatile int redirectTargetHits;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger maxConcurrent = new AtomicInteger();

	WebhookReceiver() throws IOException {
		this(InetAddress.getLoopbackAddress());
	}

	/** A receiver on another loopback address, such as 127.0.0.2 (so that 127.0.0.1 can stay refused). */
	WebhookReceiver(InetAddress address) throws IOException {
		server = HttpServer.create(new InetSocketAddress(address, 0), 0);
		server.setExecutor(Executors.newCachedThreadPool());
		server.createContext("/hooks", this::handle);
		server.createContext("/elsewhere", exchange -> {
			redirectTargetHits++;
			answer(exchange, 204);
		});
		server.start();
	}

	/** The URL endpoints use: {@code http://127.0.0.1:port/hooks} (or the address it listens on). */
	String url() {
		return "http://" + host() + ":" + server.getAddress().getPort() + "/hooks";
	}

	private String host() {
		return server.getAddress().getAddress().getHostAddress();
	}

	int port() {
		return server.getAddress().getPort();
	}

	/** The next requests get these answers, in order; after them, 204. */
	void then(Answer... answers) {
		script.addAll(List.of(answers));
	}

	List<Received> received() {
		synchronized (received) {
			return List.copyOf(received);
		}
	}

	List<Received> received(String type) {
		return received().stream().filter(r -> r.type().equals(type)).toList();
	}

	/** The most requests to {@code /hooks} this receiver was handling at the same time. */
	int maxConcurrent() {
		return maxConcurrent.get();
	}

	int redirectTargetHits() {
		return redirectTargetHits;
	}

	private void handle(HttpExchange exchange) throws IOException {
		maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
		try {
			respond(exchange);
		}
		finally {
			inFlight.decrementAndGet();
		}
	}

	private void respond(HttpExchange exchange) throws IOException {
		byte[] body = exchange.getRequestBody().readAllBytes();
		Map<String, List<String>> headers = new TreeMap<>();
		exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
		received.add(new Received(headers, new String(body, StandardCharsets.UTF_8)));
		Answer answer = script.poll();
		switch (answer == null ? Answer.OK : answer) {
			case OK -> answer(exchange, 204);
			case SERVER_ERROR -> answer(exchange, 500, "database down");
			case HANG -> {
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				exchange.close();
			}
			case CLOSE -> exchange.close();
			case SLOW -> {
				try {
					Thread.sleep(150); // a receiver doing its work before answering; others may arrive meanwhile
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				answer(exchange, 204);
			}
			case REDIRECT -> {
				exchange.getResponseHeaders().add("location", "http://" + host() + ":" + port() + "/elsewhere");
				answer(exchange, 302);
			}
		}
	}

	private static void answer(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	private static void answer(HttpExchange exchange, int status, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		release.countDown();
		server.stop(0);
	}
}
