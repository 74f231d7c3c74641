import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The load generator and judge of bench/faults.sh (run as a single-file program: java bench/FaultLoad.java).
 *
 * Drives Plinto through nginx at a steady, bounded rate (open loop: a slow answer does not slow the next request)
 * with sign-ups, sign-ins, refresh chains and /v1/me, while it runs the faults it is given one after another, each
 * between quiet periods. Then it checks every acknowledged write directly on a node: every sign-up that got 201 must
 * sign in, and every refresh chain must continue from the last token it got with a 200. It prints one table row per
 * fault: requests by status ("failed": no answer at all), the error window (from the first to the last request
 * sent that got a 5xx or no answer), when that last one was sent relative to the end of the fault (the component
 * back), p99 latency during the fault and after it, acknowledged writes lost, and sessions revoked by a failed
 * request. A request waits 35 s for its answer, longer than nginx waits for a node (30 s), so that every answer
 * nginx gets reaches the client, as it would reach a patient one.
 *
 * Arguments (key=value): base=https://127.0.0.1:PORT (nginx), direct=http://127.0.0.1:PORT (a node, for the
 * checks), quiet=SECONDS (before and after each fault), and for each fault i = 1..n: faultI.name, faultI.start (a
 * shell command), faultI.hold=SECONDS, faultI.end (a shell command; it may wait until the component is back).
 * Rates per second: signups=1, signins=1.5, chains=8 (each refreshed once a second), me=10. The shipped nginx
 * config limits sign-in to 2/s and sign-up to 1/s per client address, so the defaults stay under them.
 */
public final class FaultLoad {

	record Sample(long at, String op, int status, long micros) {
	}

	record Phase(String name, long start, long end, long quietEnd, boolean no5xx) {
	}

	private static final Pattern TOKEN = Pattern.compile("\"(access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");

	private final HttpClient http;

	private final String base;

	private final List<Sample> samples = new CopyOnWriteArrayList<>();

	private final Map<String, Long> ackedSignUps = new ConcurrentHashMap<>();

	private final List<Chain> chains = new ArrayList<>();

	private final List<String> accessTokens = new CopyOnWriteArrayList<>();

	private final List<String> users = new CopyOnWriteArrayList<>();

	private final AtomicInteger counter = new AtomicInteger();

	private static final String PASSWORD = "fault harness passphrase";

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(35);

	/** A session refreshed once a second: the last refresh token acknowledged with 200, and what happened to it. */
	static final class Chain {

		volatile String token;

		volatile boolean inFlight;

		volatile long revokedAt = -1;

		volatile String revokedCode;
	}

	FaultLoad(String base) throws Exception {
		this.base = base;
		SSLContext trustAll = SSLContext.getInstance("TLS");
		trustAll.init(null, new TrustManager[] { new X509TrustManager() {
			public void checkClientTrusted(X509Certificate[] c, String a) {
			}

			public void checkServerTrusted(X509Certificate[] c, String a) {
			}

			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		} }, null); // loopback only, to nginx's self-signed certificate
		System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
		// HTTP/1.1 as most API clients speak it (nginx closes a kept-alive HTTP/1.1 connection between requests; an
		// HTTP/2 connection it retires after 1000 requests may take in-flight requests with it).
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(trustAll)
			.connectTimeout(Duration.ofSeconds(5))
			.executor(Executors.newFixedThreadPool(64))
			.build();
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> a = new TreeMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			a.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		FaultLoad load = new FaultLoad(a.get("base"));
		System.exit(load.run(a));
	}

	int run(Map<String, String> a) throws Exception {
		long quiet = Long.parseLong(a.getOrDefault("quiet", "10")) * 1000;
		double signUps = Double.parseDouble(a.getOrDefault("signups", "1"));
		double signIns = Double.parseDouble(a.getOrDefault("signins", "1.5"));
		int chainCount = Integer.parseInt(a.getOrDefault("chains", "8"));
		double me = Double.parseDouble(a.getOrDefault("me", "10"));

		// Users to sign in as and sessions to refresh, made before the load starts (straight to a node).
		String direct = a.get("direct");
		for (int i = 0; i < Math.max(chainCount, 4); i++) {
			String email = "fault-seed-" + ProcessHandle.current().pid() + "-" + i + "@example.com";
			HttpResponse<String> r = post(direct, "/v1/sign-up", json("email", email, "password", PASSWORD), null);
			if (r.statusCode() != 201) {
				throw new IllegalStateException("seeding a user: " + r.statusCode() + " " + r.body());
			}
			users.add(email);
			accessTokens.add(field(r.body(), "access_token"));
			if (i < chainCount) {
				Chain chain = new Chain();
				chain.token = field(r.body(), "refresh_token");
				chains.add(chain);
			}
		}

		ScheduledExecutorService ticks = Executors.newScheduledThreadPool(4);
		long t0 = System.currentTimeMillis();
		every(ticks, signUps, this::signUp);
		every(ticks, signIns, this::signIn);
		every(ticks, me, this::me);
		for (int i = 0; i < chains.size(); i++) {
			Chain chain = chains.get(i);
			ticks.scheduleAtFixedRate(() -> refresh(chain), 1000L * i / chains.size(), 1000, TimeUnit.MILLISECONDS);
		}

		List<Phase> phases = new ArrayList<>();
		Thread.sleep(quiet);
		for (int i = 1; a.containsKey("fault" + i + ".name"); i++) {
			String name = a.get("fault" + i + ".name");
			long start = System.currentTimeMillis();
			System.err.printf("%6.1f s  %s: start%n", (start - t0) / 1000.0, name);
			shell(a.get("fault" + i + ".start"));
			Thread.sleep(Long.parseLong(a.getOrDefault("fault" + i + ".hold", "0")) * 1000);
			shell(a.getOrDefault("fault" + i + ".end", "true"));
			long end = System.currentTimeMillis();
			System.err.printf("%6.1f s  %s: over%n", (end - t0) / 1000.0, name);
			Thread.sleep(quiet);
			phases.add(new Phase(name, start, end, System.currentTimeMillis(),
					Boolean.parseBoolean(a.getOrDefault("fault" + i + ".no5xx", "false"))));
		}
		ticks.shutdown();
		ticks.awaitTermination(30, TimeUnit.SECONDS);
		Thread.sleep(REQUEST_TIMEOUT.toMillis() + 1000); // answers still in flight

		// Acknowledged writes, checked on a node directly.
		Map<String, Long> lostSignUps = new TreeMap<>();
		for (Map.Entry<String, Long> e : ackedSignUps.entrySet()) {
			HttpResponse<String> r = post(direct, "/v1/sign-in", json("email", e.getKey(), "password", PASSWORD),
					null);
			if (r.statusCode() != 200) {
				lostSignUps.put(e.getKey(), e.getValue());
			}
		}
		List<Long> brokenChains = new ArrayList<>();
		for (Chain chain : chains) {
			if (chain.revokedAt < 0) {
				HttpResponse<String> r = post(direct, "/v1/token/refresh", json("refresh_token", chain.token), null);
				if (r.statusCode() != 200) {
					chain.revokedAt = System.currentTimeMillis();
					chain.revokedCode = code(r.body()) + " (final check)";
				}
			}
			if (chain.revokedAt >= 0) {
				brokenChains.add(chain.revokedAt);
				System.err.println("session ended: " + chain.revokedCode);
			}
		}

		System.out.println("| fault | requests by status | error window | last error vs. recovery | p99 during | "
				+ "p99 after | acknowledged writes lost | sessions wrongly revoked |");
		System.out.println("|---|---|---|---|---|---|---|---|");
		boolean ok = true;
		for (Phase p : phases) {
			List<Sample> all = samples.stream().filter(s -> s.at() >= p.start() && s.at() < p.quietEnd()).toList();
			Map<String, Integer> byStatus = new TreeMap<>();
			long firstError = -1;
			long lastError = -1;
			for (Sample s : all) {
				byStatus.merge(s.status() == 0 ? "failed" : Integer.toString(s.status()), 1, Integer::sum);
				if (s.status() == 0 || s.status() >= 500) {
					firstError = firstError < 0 ? s.at() : Math.min(firstError, s.at());
					lastError = Math.max(lastError, s.at());
				}
			}
			long lost = lostSignUps.values().stream().filter(t -> t >= p.start() && t < p.quietEnd()).count();
			long revoked = brokenChains.stream().filter(t -> t >= p.start() && t < p.quietEnd()).count();
			ok &= lost == 0 && revoked == 0 && (!p.no5xx() || firstError < 0);
			StringBuilder statuses = new StringBuilder();
			byStatus.forEach((k, v) -> statuses.append(statuses.length() == 0 ? "" : ", ").append(k).append(": ")
				.append(v));
			System.out.printf("| %s | %s | %s | %s | %s | %s | %d | %d |%n", p.name(), statuses,
					firstError < 0 ? "none" : String.format("%.1f s", (lastError - firstError) / 1000.0),
					firstError < 0 ? "–" : String.format("%+.1f s", (lastError - p.end()) / 1000.0),
					p99(all, p.start(), p.end()), p99(all, p.end(), p.quietEnd()), lost, revoked);
		}
		// Which operations got the errors, and when relative to the fault's start: what the table cannot show.
		for (Phase p : phases) {
			Map<String, Integer> errors = new TreeMap<>();
			for (Sample s : samples) {
				if (s.at() >= p.start() && s.at() < p.quietEnd() && (s.status() == 0 || s.status() >= 500)) {
					errors.merge(s.op() + " " + (s.status() == 0 ? "failed" : s.status()) + " at +"
							+ (s.at() - p.start()) / 1000 + " s", 1, Integer::sum);
				}
			}
			if (!errors.isEmpty()) {
				System.out.println("errors during \"" + p.name() + "\": " + errors);
			}
		}
		long outside = lostSignUps.size() + brokenChains.size()
				- phases.stream().mapToLong(p -> lostSignUps.values().stream()
					.filter(t -> t >= p.start() && t < p.quietEnd()).count()
						+ brokenChains.stream().filter(t -> t >= p.start() && t < p.quietEnd()).count()).sum();
		System.out.printf("%n%d requests in %.0f s; %d acknowledged sign-ups checked; %d refresh chains checked; "
				+ "lost or revoked outside a fault: %d%n", samples.size(), (System.currentTimeMillis() - t0) / 1000.0,
				ackedSignUps.size(), chains.size(), outside);
		return ok && outside == 0 ? 0 : 1;
	}

	private static void every(ScheduledExecutorService ticks, double perSecond, Runnable task) {
		if (perSecond > 0) {
			ticks.scheduleAtFixedRate(task, 0, Math.round(1_000_000 / perSecond), TimeUnit.MICROSECONDS);
		}
	}

	private void signUp() {
		String email = "fault-" + ProcessHandle.current().pid() + "-" + counter.incrementAndGet() + "@example.com";
		long at = System.currentTimeMillis();
		send("sign-up", "/v1/sign-up", json("email", email, "password", PASSWORD), null, (status, body) -> {
			if (status == 201) {
				ackedSignUps.put(email, at);
			}
		});
	}

	private void signIn() {
		String email = users.get(counter.incrementAndGet() % users.size());
		send("sign-in", "/v1/sign-in", json("email", email, "password", PASSWORD), null, (s, b) -> {
		});
	}

	private void me() {
		String token = accessTokens.get(counter.incrementAndGet() % accessTokens.size());
		long start = System.nanoTime();
		long at = System.currentTimeMillis();
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/me"))
			.timeout(REQUEST_TIMEOUT)
			.header("Authorization", "Bearer " + token)
			.GET()
			.build();
		http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> samples
			.add(new Sample(at, "me", e == null ? r.statusCode() : 0, (System.nanoTime() - start) / 1000)));
	}

	/**
	 * One refresh of a chain, unless the previous one is still waiting for its answer. A 200 moves the chain on; a
	 * failed request (5xx, no answer) keeps the token to retry, as a client that lost the answer would; a 401 ends
	 * the chain: its session was revoked.
	 */
	private void refresh(Chain chain) {
		if (chain.inFlight || chain.revokedAt >= 0) {
			return;
		}
		chain.inFlight = true;
		send("refresh", "/v1/token/refresh", json("refresh_token", chain.token), null, (status, body) -> {
			if (status == 200) {
				chain.token = field(body, "refresh_token");
			}
			else if (status == 401) {
				chain.revokedAt = System.currentTimeMillis();
				chain.revokedCode = code(body);
			}
			chain.inFlight = false;
		});
	}

	interface Answer {
		void accept(int status, String body);
	}

	private void send(String op, String path, String body, String bearer, Answer answer) {
		long start = System.nanoTime();
		long at = System.currentTimeMillis();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
			.timeout(REQUEST_TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
			int status = e == null ? r.statusCode() : 0;
			if (e != null) {
				System.err.println("no answer to " + op + ": " + e);
			}
			samples.add(new Sample(at, op, status, (System.nanoTime() - start) / 1000));
			answer.accept(status, e == null ? r.body() : "");
		});
	}

	private HttpResponse<String> post(String target, String path, String body, String bearer) throws Exception {
		for (int attempt = 1;; attempt++) {
			try {
				return http.send(HttpRequest.newBuilder(URI.create(target + path))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException e) {
				if (attempt == 5) {
					throw e;
				}
				Thread.sleep(1000);
			}
		}
	}

	private static String p99(List<Sample> all, long from, long to) {
		List<Long> micros = new ArrayList<>();
		for (Sample s : all) {
			if (s.at() >= from && s.at() < to) {
				micros.add(s.micros());
			}
		}
		if (micros.isEmpty()) {
			return "–";
		}
		Collections.sort(micros);
		long p99 = micros.get(Math.min(micros.size() - 1, (int) Math.ceil(micros.size() * 0.99) - 1));
		return p99 >= 1_000_000 ? String.format("%.1f s", p99 / 1e6) : String.format("%d ms", p99 / 1000);
	}

	private static void shell(String command) throws Exception {
		Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
		if (p.waitFor() != 0) {
			throw new IllegalStateException("fault command failed: " + command);
		}
	}

	private static String json(String... keyValues) {
		StringBuilder b = new StringBuilder("{");
		for (int i = 0; i < keyValues.length; i += 2) {
			b.append(i == 0 ? "" : ",").append('"').append(keyValues[i]).append("\":\"").append(keyValues[i + 1])
				.append('"');
		}
		return b.append('}').toString();
	}

	private static String field(String body, String name) {
		Matcher m = TOKEN.matcher(body);
		while (m.find()) {
			if (m.group(1).equals(name)) {
				return m.group(2);
			}
		}
		throw new IllegalStateException("no " + name + " in " + body);
	}

	private static String code(String body) {
		Matcher m = CODE.matcher(body);
		return m.find() ? m.group(1) : "(no code)";
	}
}
