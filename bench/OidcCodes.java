import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Collects authorization codes for the code-exchange benchmark (bench/run.sh, scenario code-exchange): signs one
 * user in once on the hosted sign-in page, as a browser does (CSRF token and cookies), then follows
 * {@code /oauth2/authorize} with that session cookie N times, each with a new PKCE verifier (RFC 7636, S256) and
 * state, and writes one line "code verifier" per code to OUT_FILE. The client must be first-party (no consent page)
 * and registered with REDIRECT_URI. Codes live 5 minutes: collect right before they are used.
 * <p>
 * Usage: java bench/OidcCodes.java BASE_URL CLIENT_ID REDIRECT_URI EMAIL PASSWORD N OUT_FILE [THREADS]
 */
public class OidcCodes {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	static final SecureRandom RANDOM = new SecureRandom();

	// HTTP/1.1, as wrk speaks it: the client's default (HTTP/2) first tries an h2c upgrade on every new connection
	// to a plain-http server.
	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	static final Map<String, String> cookies = Collections.synchronizedMap(new LinkedHashMap<>());

	public static void main(String[] args) throws Exception {
		String base = args[0];
		String clientId = args[1];
		String redirectUri = args[2];
		String email = args[3];
		String password = args[4];
		int n = Integer.parseInt(args[5]);
		Path out = Path.of(args[6]);
		int threads = args.length > 7 ? Integer.parseInt(args[7]) : 2;

		HttpResponse<String> page = send(base, HttpRequest.newBuilder(URI.create(base + "/sign-in")).GET());
		Matcher csrf = CSRF.matcher(page.body());
		if (page.statusCode() != 200 || !csrf.find()) {
			throw new IllegalStateException("GET /sign-in answered " + page.statusCode() + " without a CSRF token");
		}
		String form = form(Map.of("email", email, "password", password, "_csrf", csrf.group(1)));
		HttpResponse<String> signedIn = send(base, HttpRequest.newBuilder(URI.create(base + "/sign-in"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Origin", base)
			.POST(HttpRequest.BodyPublishers.ofString(form)));
		if (signedIn.statusCode() != 303) {
			throw new IllegalStateException("POST /sign-in answered " + signedIn.statusCode() + ": "
					+ signedIn.body().substring(0, Math.min(300, signedIn.body().length())));
		}

		List<String> lines = Collections.synchronizedList(new ArrayList<>(n));
		AtomicInteger next = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<?>> workers = new ArrayList<>();
		long started = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			workers.add(pool.submit(() -> {
				while (next.getAndIncrement() < n) {
					lines.add(code(base, clientId, redirectUri));
				}
				return null;
			}));
		}
		try {
			for (Future<?> w : workers) {
				w.get();
			}
		}
		finally {
			// Also when a worker failed: its idle threads would otherwise keep the JVM (and bench/run.sh) waiting.
			pool.shutdownNow();
		}
		Files.write(out, lines);
		System.err.printf("collected %d codes in %.1f s%n", lines.size(), (System.nanoTime() - started) / 1e9);
	}

	/** One authorization request with the session cookie; returns "code verifier". */
	static String code(String base, String clientId, String redirectUri) throws Exception {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
				MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		RANDOM.nextBytes(bytes);
		String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String url = base + "/oauth2/authorize?response_type=code&client_id=" + encode(clientId) + "&redirect_uri="
				+ encode(redirectUri) + "&scope=openid&state=" + state + "&code_challenge=" + challenge
				+ "&code_challenge_method=S256";
		HttpResponse<String> r = send(base, HttpRequest.newBuilder(URI.create(url)).GET());
		String location = r.headers().firstValue("Location").orElse("");
		if (r.statusCode() != 302 || !location.startsWith(redirectUri + "?")) {
			throw new IllegalStateException("the authorization request answered " + r.statusCode() + " to "
					+ location + " (is the client first-party, and the user signed in?)");
		}
		String code = param(location, "code");
		if (code == null || !state.equals(param(location, "state"))) {
			throw new IllegalStateException("no code, or another state, in " + location);
		}
		return code + " " + verifier;
	}

	static HttpResponse<String> send(String base, HttpRequest.Builder request) throws Exception {
		String cookie;
		synchronized (cookies) {
			cookie = cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
				.collect(Collectors.joining("; "));
		}
		if (!cookie.isEmpty()) {
			request.header("Cookie", cookie);
		}
		// A request unanswered for 30 s fails the collection instead of stalling it
		HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		for (String header : response.headers().allValues("Set-Cookie")) {
			String pair = header.split(";", 2)[0];
			int eq = pair.indexOf('=');
			if (eq > 0) {
				String value = pair.substring(eq + 1);
				if (value.isEmpty()) {
					cookies.remove(pair.substring(0, eq));
				}
				else {
					cookies.put(pair.substring(0, eq), value);
				}
			}
		}
		return response;
	}

	static String param(String url, String name) {
		String query = URI.create(url).getRawQuery();
		for (String pair : query == null ? new String[0] : query.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0 && pair.substring(0, eq).equals(name)) {
				return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	static String form(Map<String, String> fields) {
		return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
