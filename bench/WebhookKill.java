import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook kill test's receiver and driver (bench/webhook-kill.sh starts and kills the server). Steps, each
 * driven by a line on standard input from the script and answered on standard output:
 * <ol>
 * <li>{@code receive}: starts a slow receiver on SINK_PORT that verifies every request with the Standard Webhooks
 * Java library under the endpoint secret (written to SECRET_FILE by the script) and records its id, its
 * user.created email and its body; a request that does not verify fails the run.</li>
 * <li>{@code signup}: signs up N users (each sign-up commits a user.created event) and prints their emails to
 * EMAILS_FILE; every sign-up must be acknowledged (201).</li>
 * <li>{@code midbatch}: waits until deliveries are arriving and the receiver is answering one of them, with events
 * still undelivered, then prints {@code kill} (the script kills the server with SIGKILL).</li>
 * <li>{@code verify}: waits (up to the given seconds) until every event id in EVENTS_FILE (the database's events,
 * written by the script after the restart) has arrived, then checks that each arrived at least once, that no id
 * or email arrived that Plinto did not create, and that every repeat of an id carried the same body.</li>
 * </ol>
 * Usage: java -cp standardwebhooks.jar bench/WebhookKill.java BASE_URL SINK_PORT N SECRET_FILE EMAILS_FILE
 * EVENTS_FILE ANSWER_MS
 */
public class WebhookKill {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	static final Map<String, String> bodies = new ConcurrentHashMap<>();

	static final Map<String, String> emails = new ConcurrentHashMap<>();

	static final AtomicInteger requests = new AtomicInteger();

	static final AtomicInteger answering = new AtomicInteger();

	static final List<String> failures = new ArrayList<>();

	public static void main(String[] args) throws Exception {
		String base = args[0];
		int sinkPort = Integer.parseInt(args[1]);
		int n = Integer.parseInt(args[2]);
		Path secretFile = Path.of(args[3]);
		Path emailsFile = Path.of(args[4]);
		Path eventsFile = Path.of(args[5]);
		long answerMs = Long.parseLong(args[6]);
		java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
		List<String> signedUp = new ArrayList<>();
		for (String step = in.readLine(); step != null; step = in.readLine()) {
			String[] words = step.trim().split(" ");
			switch (words[0]) {
				case "receive" -> {
					receiver(sinkPort, new Webhook(Files.readString(secretFile).trim()), answerMs);
					say("receiving");
				}
				case "signup" -> {
					for (int i = 0; i < n; i++) {
						signedUp.add(signUp(base));
					}
					Files.write(emailsFile, signedUp);
					say("signed-up " + signedUp.size() + " received " + bodies.size());
				}
				case "midbatch" -> {
					long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
					while (!(answering.get() > 0 && bodies.size() > 0)) {
						if (System.nanoTime() > deadline) {
							fail("no delivery arrived within 120 s");
						}
						Thread.sleep(5);
					}
					if (bodies.size() >= n) {
						fail("every event had already arrived before the kill: raise N or ANSWER_MS");
					}
					say("kill " + bodies.size());
				}
				case "verify" -> {
					Set<String> created = new HashSet<>(Files.readAllLines(eventsFile).stream()
						.map(String::trim)
						.filter(s -> !s.isEmpty())
						.toList());
					long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(words[1])).toNanos();
					while (!bodies.keySet().containsAll(created) && System.nanoTime() < deadline) {
						Thread.sleep(100);
					}
					verify(created, new HashSet<>(signedUp), n);
					say("ok " + created.size() + " events, " + requests.get() + " requests, "
							+ (requests.get() - bodies.size()) + " repeated");
					System.exit(0);
				}
				default -> fail("unknown step " + step);
			}
		}
	}

	static void verify(Set<String> created, Set<String> signedUp, int n) {
		if (created.size() != n) {
			failures.add("the database holds " + created.size() + " user.created events for " + n + " sign-ups");
		}
		Set<String> missing = new HashSet<>(created);
		missing.removeAll(bodies.keySet());
		if (!missing.isEmpty()) {
			failures.add(missing.size() + " events never arrived: " + missing);
		}
		Set<String> unknown = new HashSet<>(bodies.keySet());
		unknown.removeAll(created);
		if (!unknown.isEmpty()) {
			failures.add("ids Plinto never created arrived: " + unknown);
		}
		Set<String> arrivedEmails = new HashSet<>(emails.values());
		if (!arrivedEmails.equals(signedUp)) {
			Set<String> strange = new HashSet<>(arrivedEmails);
			strange.removeAll(signedUp);
			Set<String> absent = new HashSet<>(signedUp);
			absent.removeAll(arrivedEmails);
			failures.add("emails arrived that were not signed up: " + strange + "; signed up, never arrived: " + absent);
		}
		synchronized (failures) {
			if (!failures.isEmpty()) {
				fail(String.join("\n", failures));
			}
		}
	}

	static void receiver(int port, Webhook webhook, long answerMs) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
		server.setExecutor(Executors.newFixedThreadPool(8));
		Pattern email = Pattern.compile("\"email\":\"([^\"]+)\"");
		server.createContext("/hooks", exchange -> {
			answering.incrementAndGet();
			try {
				String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
				Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
				exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
				requests.incrementAndGet();
				try {
					webhook.verify(body, HttpHeaders.of(headers, (a, b) -> true));
				}
				catch (Exception e) {
					record("a request did not verify (" + e.getMessage() + "): " + body);
					exchange.sendResponseHeaders(400, -1);
					return;
				}
				String id = headers.get("webhook-id").get(0);
				String earlier = bodies.putIfAbsent(id, body);
				if (earlier != null && !earlier.equals(body)) {
					record("event " + id + " arrived again with another body");
				}
				Matcher m = email.matcher(body);
				if (!body.contains("\"type\":\"user.created\"") || !m.find()) {
					record("not a user.created event: " + body);
				}
				else {
					emails.put(id, m.group(1));
				}
				Thread.sleep(answerMs); // a receiver doing its work before it answers
				exchange.sendResponseHeaders(204, -1);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			finally {
				exchange.close();
				answering.decrementAndGet();
			}
		});
		server.start();
	}

	static String signUp(String base) throws Exception {
		String address = "kill-" + UUID.randomUUID() + "@example.com";
		String body = "{\"email\":\"" + address + "\",\"password\":\"a long kill-test passphrase\"}";
		HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/sign-up"))
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		if (r.statusCode() != 201) {
			fail("sign-up answered " + r.statusCode() + ": " + r.body());
		}
		return address;
	}

	static void record(String failure) {
		synchronized (failures) {
			failures.add(failure);
		}
	}

	static void say(String line) {
		System.out.println(line);
		System.out.flush();
	}

	static void fail(String message) {
		System.out.println("FAIL " + message);
		System.out.flush();
		System.exit(1);
	}
}
