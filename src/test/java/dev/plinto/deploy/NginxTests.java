package dev.plinto.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shipped {@code deploy/nginx/plinto.conf} in front of two Plinto servers on loopback that share one database,
 * with the real nginx and a self-signed certificate. Only the upstream addresses, the listen ports and the
 * certificate paths of the file are replaced. nginx runs unprivileged-style from a prefix directory in the test's
 * temporary directory with {@code daemon off}.
 * <p>
 * The client talks to nginx over IPv6 loopback ({@code ::1}); nginx talks to Plinto over IPv4 loopback, which is
 * the only trusted proxy ({@code PLINTO_TRUSTED_PROXIES=127.0.0.1}). So the address Plinto records can only be
 * {@code ::1} if it came from nginx's {@code X-Forwarded-For}.
 * <p>
 * Without nginx or openssl the test is skipped with a notice; when {@code CI} is set it fails instead ({@code .ci/run}
 * installs nginx from Debian's packages when it is missing).
 */
class NginxTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Path SHIPPED = Path.of("deploy/nginx/plinto.conf");

	@TempDir
	static Path dir;

	private static PlintoNodes nodes;

	private static Process nginx;

	private static int httpsPort;

	private static HttpClient client;

	private static List<Integer> nodePorts;

	@BeforeAll
	static void startNginxInFrontOfTwoServers() throws Exception {
		String nginxBinary = executable("nginx", "/usr/sbin/nginx");
		String openssl = executable("openssl", "/usr/bin/openssl");
		Path cert = dir.resolve("cert.pem");
		Path key = dir.resolve("key.pem");
		run(List.of(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
				"-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "-keyout", key.toString(), "-out",
				cert.toString()));

		httpsPort = freePort();
		int httpPort = freePort();
		nodes = PlintoNodes.onSharedDatabase();
		Map<String, String> settings = Map.of("PLINTO_ISSUER", "https://localhost:" + httpsPort,
				"PLINTO_TRUSTED_PROXIES", "127.0.0.1",
				// Plinto's own per-IP limits out of the way: the 429s below must be nginx's.
				"PLINTO_RATE_LIMIT_SIGN_IN", "100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP", "100000/1m",
				// One password reset request per client and hour on each node (buckets are per node without Redis).
				"PLINTO_RATE_LIMIT_PASSWORD_RESET", "1/1h");
		int a = nodes.start(dir.resolve("data-a"), settings);
		int b = nodes.start(dir.resolve("data-b"), settings);
		nodePorts = List.of(a, b);

		String config = Files.readString(SHIPPED);
		config = replace(config, "server plinto-a:8080", "server 127.0.0.1:" + a);
		config = replace(config, "server plinto-b:8080", "server 127.0.0.1:" + b);
		config = replace(config, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
		config = replace(config, "listen [::]:80;", "listen [::1]:" + httpPort + ";");
		config = replace(config, "listen 443 ssl", "listen 127.0.0.1:" + httpsPort + " ssl");
		config = replace(config, "listen [::]:443 ssl", "listen [::1]:" + httpsPort + " ssl");
		config = replace(config, "/etc/letsencrypt/live/auth.example.com/fullchain.pem", cert.toString());
		config = replace(config, "/etc/letsencrypt/live/auth.example.com/privkey.pem", key.toString());
		Files.writeString(dir.resolve("plinto.conf"), config);
		Files.createDirectories(dir.resolve("logs"));
		// The frame an operator's nginx.conf (or the official image) provides around conf.d files.
		Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
				"root".equals(System.getProperty("user.name")) ? "user root;" : "", "worker_processes 1;",
				"pid " + dir.resolve("nginx.pid") + ";", "error_log " + dir.resolve("logs/error.log") + " info;",
				"events { worker_connections 256; }", "http {",
				"  client_body_temp_path " + dir.resolve("body") + ";", "  proxy_temp_path " + dir.resolve("proxy") + ";",
				"  fastcgi_temp_path " + dir.resolve("fastcgi") + ";", "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
				"  scgi_temp_path " + dir.resolve("scgi") + ";", "  access_log " + dir.resolve("logs/access.log") + ";",
				"  include " + dir.resolve("plinto.conf") + ";", "}", ""));
		nginx = new ProcessBuilder(nginxBinary, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-g",
				"daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("logs/nginx-output.txt").toFile())
			.start();
		awaitPort(httpsPort);

		KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
		trust.load(null, null);
		trust.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
		TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		tmf.init(trust);
		SSLContext tls = SSLContext.getInstance("TLS");
		tls.init(null, tmf.getTrustManagers(), null);
		client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
	}

	@AfterAll
	static void stop() throws Exception {
		if (nginx != null) {
			nginx.destroy();
			if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
				nginx.destroyForcibly();
			}
		}
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void signUpSignInRefreshWhenThroughNginxOverHttpsThenWorksOnBothNodesAndPlintoSeesTheClientAddress() {
		String base = "https://[::1]:" + httpsPort;
		String email = "nginx-" + System.nanoTime() + "@example.com";
		String password = "correct horse battery staple";

		HttpResponse<String> signUp = post(base + "/v1/sign-up", Map.of("email", email, "password", password));
		assertThat(signUp.statusCode()).as(signUp.body()).isEqualTo(201);
		assertThat(signUp.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(signUp.headers().allValues("strict-transport-security")).as("HSTS once, from nginx")
			.containsExactly("max-age=31536000; includeSubDomains");
		assertThat(signUp.headers().allValues("x-content-type-options")).containsExactly("nosniff");

		HttpResponse<String> signIn = post(base + "/v1/sign-in", Map.of("email", email, "password", password));
		assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
		HttpResponse<String> refresh = post(base + "/v1/token/refresh",
				Map.of("refresh_token", json(signIn).get("refresh_token").asString()));
		assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
		String accessToken = json(refresh).get("access_token").asString();

		HttpResponse<String> events = send(HttpRequest.newBuilder(URI.create(base + "/v1/me/security-events"))
			.header("Authorization", "Bearer " + accessToken)
			.build());
		assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
		List<String> ips = new ArrayList<>();
		json(events).get("data").forEach(e -> ips.add(e.get("ip").asString()));
		assertThat(ips).as("audit events of sign-up, sign-in and refresh").hasSizeGreaterThanOrEqualTo(3)
			.containsOnly("::1");

		assertThat(nodes.requestsServed(0)).as("requests served by node A").isPositive();
		assertThat(nodes.requestsServed(1)).as("requests served by node B").isPositive();
	}

	@Test
	void signInWhenBurstPastTheLimitThenNginxRefusesWith429Problem() {
		String base = "https://localhost:" + httpsPort;
		List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			burst.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v1/sign-in"))
				.header("Content-Type", "application/json")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> answers = burst.stream().map(CompletableFuture::join).toList();
		List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
		assertThat(answers).as("Plinto answers what nginx lets through").anySatisfy(r -> assertThat(r.statusCode())
			.isEqualTo(400));
		assertThat(refused).as("60 sign-ins at once exceed 2/s with a burst of 20").isNotEmpty();
		HttpResponse<String> limited = refused.get(0);
		assertThat(limited.headers().firstValue("content-type")).hasValue("application/problem+json");
		assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
		assertThat(limited.headers().allValues("strict-transport-security")).hasSize(1);
		JsonNode problem = json(limited);
		assertThat(problem.get("code").asString()).isEqualTo("rate_limited");
		assertThat(problem.get("status").asInt()).isEqualTo(429);
		assertThat(problem.get("type").asString()).isEqualTo("https://plinto.dev/docs/api#rate_limited");
		assertThat(problem.get("detail").asString()).contains("Retry-After");
		assertThat(problem.get("request_id").asString()).as("nginx's $request_id").matches("[0-9a-f]{32}");
		assertThat(limited.headers().firstValue("x-request-id")).as("nginx's own answer, Plinto never saw it")
			.isEmpty();
	}

	@Test
	void passwordResetWhenPlintosLimitReachedThroughNginxThenTheBucketWasTheForwardedClientsNotNginxs() {
		String base = "https://[::1]:" + httpsPort;
		HttpResponse<String> limited = null;
		for (int i = 0; i < 6 && limited == null; i++) {
			HttpResponse<String> r = post(base + "/v1/password-reset", Map.of("email", "reset-" + i + "@example.com"));
			if (r.statusCode() == 429) {
				limited = r;
			}
			else {
				assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
			}
		}
		assertThat(limited).as("each node allows one reset per client and hour, so the third request at most is refused")
			.isNotNull();
		assertThat(json(limited).get("code").asString()).isEqualTo("rate_limited");
		// Plinto's own 429: it carries Plinto's X-Request-Id header (the id nginx generated and passed on).
		assertThat(limited.headers().firstValue("x-request-id")).hasValue(json(limited).get("request_id").asString());
		// nginx connects from 127.0.0.1; had Plinto counted nginx's address, that bucket would be empty now.
		HttpClient direct = HttpClient.newHttpClient();
		for (int port : nodePorts) {
			HttpResponse<String> r = sendDirect(direct, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
					+ "/v1/password-reset"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"direct@example.com\"}"))
				.build());
			assertThat(r.statusCode()).as("node on " + port + ": " + r.body()).isEqualTo(202);
		}
	}

	private static HttpResponse<String> sendDirect(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Test
	void metricsWhenRequestedThroughNginxThenNotFound() {
		HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort
				+ "/metrics")).build());
		assertThat(metrics.statusCode()).isEqualTo(404);
		assertThat(metrics.body()).doesNotContain("jvm_");
	}

	private static HttpResponse<String> post(String url, Object body) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new IllegalStateException("request through nginx failed; nginx log:\n" + nginxLog(), e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	private static String replace(String config, String target, String replacement) {
		assertThat(config).as("the shipped nginx config contains '" + target + "'").contains(target);
		return config.replace(target, replacement);
	}

	/** The program on the PATH or at its Debian location; skips (fails under CI) when it is not installed. */
	private static String executable(String name, String debianPath) {
		for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
				return Path.of(entry, name).toString();
			}
		}
		if (Files.isExecutable(Path.of(debianPath))) {
			return debianPath;
		}
		if (System.getenv("CI") != null) {
			fail(name + " is not installed, but CI requires the nginx test to run (.ci/run installs it with apt-get)");
		}
		System.err.println("NOTICE: nginx tests skipped; install " + name + " (Debian: apt-get install nginx "
				+ "openssl) to run them.");
		Assumptions.abort(name + " not installed");
		return null;
	}

	private static void run(List<String> command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("openssl.txt").toFile())
			.start();
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
		assertThat(p.exitValue()).as(Files.readString(dir.resolve("openssl.txt"))).isZero();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void awaitPort(int port) {
		await("nginx listening on " + port).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(IOException.class) // not listening yet
			.failFast("nginx exited", () -> assertThat(nginx.isAlive())
				.as(() -> "nginx exited with " + nginx.exitValue() + ":\n" + nginxLog())
				.isTrue())
			.until(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
					return true;
				}
			});
	}

	private static String nginxLog() {
		StringBuilder log = new StringBuilder();
		for (String file : List.of("logs/nginx-output.txt", "logs/error.log")) {
			try {
				log.append(Files.readString(dir.resolve(file)));
			}
			catch (IOException e) {
				// not written yet
			}
		}
		return log.toString();
	}
}
