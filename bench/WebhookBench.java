import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook benchmark's load generator and receiver (bench/webhooks.sh starts the server and runs this on the
 * other CPU). Prints one line per measurement:
 * <ul>
 * <li>{@code signup none|endpoint ROUND RATE CPU_MS}: sign-ups per second over the measured seconds, without and with
 * one endpoint subscribed to every event type (each sign-up stores and delivers user.created and session.created),
 * after an unmeasured warm-up of both, in alternating order from round to round; and the server's CPU milliseconds
 * per sign-up, from the round's start until its deliveries are done (user and system time of its threads from
 * /proc, the JIT compiler's threads left out);</li>
 * <li>{@code threads none|endpoint ROUND GROUP=CPU_MS ...}: the same CPU milliseconds per sign-up split by thread
 * group (the thread's name without its numbers: Tomcat's request threads, the webhook dispatcher, the HTTP client,
 * the garbage collector, ...), the largest first, so that a round that cost more shows where;</li>
 * <li>{@code delivery EVENTS SECONDS RATE CPU_MS}: a backlog of user.updated events, replayed to the receiver at once
 * with {@code plinto webhooks replay --since}, delivered per second from the first receipt to the last, and the
 * server's CPU milliseconds per delivered event (from the replay until the queue is empty; again without the JIT
 * compiler's threads).</li>
 * </ul>
 * Usage: java bench/WebhookBench.java BASE_URL SINK_PORT SECONDS ROUNDS CONCURRENCY BACKLOG CLI_COMMAND...
 */
public class WebhookBench {

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	static final AtomicLong received = new AtomicLong();

	static volatile long firstReceivedNanos;

	static volatile long lastReceivedNanos;

	public static void main(String[] args) throws Exception {
		String base = args[0];
		int sinkPort = Integer.parseInt(args[1]);
		int seconds = Integer.parseInt(args[2]);
		int rounds = Integer.parseInt(args[3]);
		int concurrency = Integer.parseInt(args[4]);
		int backlog = Integer.parseInt(args[5]);
		List<String> plinto = List.of(args).subList(6, args.length);
		String sinkUrl = "http://127.0.0.1:" + sinkPort + "/hooks";

		HttpServer sink = sink(sinkPort);
		// Warm-up, not measured: both paths (without and with the endpoint) as long as two rounds each, so that the
		// JIT has compiled sign-up and delivery before the first measurement.
		String endpoint = id(cli(plinto, "webhooks", "add", sinkUrl, "--description", "bench"));
		signUps(base, 2 * seconds, concurrency);
		drain(received.get());
		cli(plinto, "webhooks", "disable", endpoint);
		signUps(base, 2 * seconds, concurrency);
		// Rounds in alternating order (none, endpoint; endpoint, none; ...), so that a drift of the machine during
		// the run does not favour one side.
		for (int round = 1; round <= rounds; round++) {
			boolean endpointFirst = round % 2 == 0;
			for (boolean withEndpoint : endpointFirst ? new boolean[] { true, false } : new boolean[] { false, true }) {
				if (withEndpoint) {
					enable(plinto, endpoint);
				}
				Map<String, Long> threadsBefore = serverCpuTicksByThreadGroup();
				long cpuBefore = serverCpuTicks();
				double rate = signUps(base, seconds, concurrency);
				// The server's CPU time until the queue is empty again: the deliveries of the round's events
				// included (the same wait without an endpoint, for a like-for-like figure).
				drain(received.get());
				long cpu = serverCpuTicks() - cpuBefore;
				Map<String, Long> threads = serverCpuTicksByThreadGroup();
				String side = withEndpoint ? "endpoint" : "none";
				System.out.printf(Locale.ROOT, "signup %s %d %.1f %.2f%n", side, round, rate,
						cpu * 1000.0 / CLOCK_TICKS / (rate * seconds));
				StringBuilder split = new StringBuilder();
				threads.entrySet().stream()
					.map(e -> Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
					.filter(e -> e.getValue() > 0)
					.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
					.forEach(e -> split.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(),
							e.getValue() * 1000.0 / CLOCK_TICKS / (rate * seconds))));
				System.out.printf(Locale.ROOT, "threads %s %d%s%n", side, round, split);
				if (withEndpoint) {
					cli(plinto, "webhooks", "disable", endpoint);
				}
			}
		}

		// A backlog: the receiver is down while the events are made, the endpoint is then disabled (its pending
		// deliveries fail), the receiver comes back and everything is replayed at once.
		sink.stop(0);
		enable(plinto, endpoint);
		cli(plinto, "webhooks", "update", endpoint, "--events", "user.updated");
		Instant since = Instant.now().minusSeconds(1);
		String token = token(base);
		makeUpdates(base, token, backlog, concurrency);
		cli(plinto, "webhooks", "disable", endpoint);
		received.set(0);
		sink = sink(sinkPort);
		enable(plinto, endpoint);
		long cpuBefore = serverCpuTicks();
		cli(plinto, "webhooks", "replay", endpoint, "--since", since.toString());
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (received.get() < backlog && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		// From the first receipt to the last: the replay command's own start-up is not delivery time.
		double took = (lastReceivedNanos - firstReceivedNanos) / 1e9;
		drain(received.get());
		long cpu = serverCpuTicks() - cpuBefore;
		System.out.printf(Locale.ROOT, "delivery %d %.1f %.0f %.2f%n", received.get(), took, received.get() / took,
				cpu * 1000.0 / CLOCK_TICKS / received.get());
		sink.stop(0);
		System.exit(0);
	}

	/** The server's process id (bench/webhooks.sh passes it), for its CPU time from /proc. */
	static final long SERVER_PID = Long.getLong("bench.serverPid", -1);

	/** Linux's USER_HZ: /proc reports CPU time in these ticks per second. */
	static final int CLOCK_TICKS = 100;

	/**
	 * User and system CPU time of the server's threads so far, in clock ticks, without its JIT compiler threads: on
	 * this path (tens of requests per second) the JIT keeps compiling for minutes, a one-time cost that lands at
	 * random in either side's rounds. 0 without /proc or a server pid.
	 */
	static long serverCpuTicks() {
		long ticks = 0;
		try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + SERVER_PID + "/task"))) {
			for (java.nio.file.Path task : tasks.toList()) {
				try {
					if (java.nio.file.Files.readString(task.resolve("comm")).contains("CompilerThre")) {
						continue;
					}
					String stat = java.nio.file.Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
				}
				catch (java.io.IOException e) {
					// the thread ended meanwhile
				}
			}
		}
		catch (java.io.IOException | RuntimeException e) {
			return 0;
		}
		return ticks;
	}

	/**
	 * User and system CPU time of the server's live threads so far, in clock ticks, summed by thread group: the
	 * thread's name as Linux keeps it (15 characters) without digits (e.g. {@code http-nio--} for Tomcat's request
	 * threads). A thread that ended during a round takes its time with it, so the groups of a round need not add up
	 * to its total. Empty without /proc or a server pid.
	 */
	static Map<String, Long> serverCpuTicksByThreadGroup() {
		Map<String, Long> groups = new java.util.TreeMap<>();
		try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + SERVER_PID + "/task"))) {
			for (java.nio.file.Path task : tasks.toList()) {
				try {
					String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
					String stat = java.nio.file.Files.readString(task.resolve("stat"));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					groups.merge(name.replaceAll("[0-9]", "").replace(' ', '_'),
							Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
				}
				catch (java.io.IOException e) {
					// the thread ended meanwhile
				}
			}
		}
		catch (java.io.IOException | RuntimeException e) {
			return Map.of();
		}
		return groups;
	}

	static HttpServer sink(int port) throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
		server.setExecutor(Executors.newFixedThreadPool(16));
		server.createContext("/hooks", exchange -> {
			exchange.getRequestBody().readAllBytes();
			long at = System.nanoTime();
			if (received.incrementAndGet() == 1) {
				firstReceivedNanos = at;
			}
			lastReceivedNanos = at;
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		server.start();
		return server;
	}

	static double signUps(String base, int seconds, int concurrency) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		List<Future<Integer>> workers = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			workers.add(pool.submit(() -> {
				int done = 0;
				while (System.nanoTime() < end) {
					String body = "{\"email\":\"bench-" + UUID.randomUUID() + "@example.com\",\"password\":"
							+ "\"a long bench passphrase\"}";
					HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/sign-up"))
						.header("content-type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (r.statusCode() != 201) {
						throw new IllegalStateException("sign-up answered " + r.statusCode() + ": " + r.body());
					}
					done++;
				}
				return done;
			}));
		}
		long total = 0;
		for (Future<Integer> w : workers) {
			total += w.get();
		}
		pool.shutdown();
		return total / (double) seconds;
	}

	static String token(String base) throws Exception {
		String body = "{\"email\":\"bench-" + UUID.randomUUID() + "@example.com\",\"password\":\"a long bench passphrase\"}";
		HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/sign-up"))
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
		if (!m.find()) {
			throw new IllegalStateException("no access token: " + r.body());
		}
		return m.group(1);
	}

	static void makeUpdates(String base, String token, int count, int concurrency) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		AtomicLong next = new AtomicLong();
		List<Future<?>> workers = new ArrayList<>();
		for (int i = 0; i < concurrency; i++) {
			workers.add(pool.submit(() -> {
				for (long n = next.getAndIncrement(); n < count; n = next.getAndIncrement()) {
					HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/me"))
						.header("content-type", "application/json")
						.header("authorization", "Bearer " + token)
						.method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench " + n + "\"}"))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (r.statusCode() != 200) {
						throw new IllegalStateException("PATCH /v1/me answered " + r.statusCode() + ": " + r.body());
					}
				}
				return null;
			}));
		}
		for (Future<?> w : workers) {
			w.get();
		}
		pool.shutdown();
	}

	/** Waits until the receiver has had nothing new for three seconds (the queue is empty). */
	static void drain(long before) throws InterruptedException {
		long last = -1;
		int quiet = 0;
		while (quiet < 30) {
			Thread.sleep(100);
			long now = received.get();
			quiet = now == last ? quiet + 1 : 0;
			last = now;
		}
	}

	static String enable(List<String> plinto, String endpoint) throws Exception {
		cli(plinto, "webhooks", "enable", endpoint);
		return endpoint;
	}

	static String id(String output) {
		Matcher m = Pattern.compile("(wh_[0-9a-z]+)").matcher(output);
		if (!m.find()) {
			throw new IllegalStateException("no endpoint id in: " + output);
		}
		return m.group(1);
	}

	static String cli(List<String> plinto, String... args) throws Exception {
		List<String> command = new ArrayList<>(plinto);
		command.addAll(List.of(args));
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes());
		if (p.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", args) + " failed: " + out);
		}
		return out;
	}
}
