package dev.plinto.ops;

import static dev.plinto.ProcessOutput.awaitLine;
import static dev.plinto.ProcessOutput.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SIGTERM} while a request is being served, as a container runtime or Kubernetes sends it: the server stops
 * taking new work, finishes the request (server.shutdown=graceful) and exits. The real program runs in a child JVM
 * like in {@code CommandLineTests}; a sign-up with deliberately expensive Argon2id parameters is the slow request.
 */
class GracefulShutdownTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	@Test
	void serveWhenSigtermDuringASlowRequestThenTheRequestCompletesAndTheProcessExits() throws Exception {
		Path out = dir.resolve("stdout.txt");
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.plinto.PlintoApplication",
				"serve");
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(out.toFile());
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().put("PLINTO_DATA_DIR", dir.resolve("data").toString());
		builder.environment().put("PLINTO_PORT", "0");
		// One password hash takes seconds with these costs: the request is still running when SIGTERM arrives.
		builder.environment().put("PLINTO_ARGON2_MEMORY_KIB", "32768");
		builder.environment().put("PLINTO_ARGON2_ITERATIONS", "20");
		Process server = builder.start();
		try {
			String base = "http://localhost:" + awaitLine(server, out, Pattern.compile("Listening on http://localhost:(\\d+)"), TIMEOUT)
				.group(1);
			HttpClient http = HttpClient.newHttpClient();
			CompletableFuture<HttpResponse<String>> signUp = http.sendAsync(HttpRequest
				.newBuilder(URI.create(base + "/v1/sign-up"))
				.header("Content-Type", "application/json")
				.timeout(TIMEOUT)
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"email\":\"slow@example.com\",\"password\":\"a long enough passphrase\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			awaitActivePost(http, base, server, out);

			server.destroy(); // SIGTERM
			HttpResponse<String> answer = signUp.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
			assertThat(answer.body()).contains("\"access_token\"");
			assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
		}
		finally {
			server.destroyForcibly();
		}
		String log = read(out);
		int commencing = log.indexOf("Commencing graceful shutdown");
		int signedUp = log.indexOf("audit sign_up ");
		int complete = log.indexOf("Graceful shutdown complete");
		assertThat(commencing).as(log).isNotNegative();
		assertThat(signedUp).as("the sign-up finished after shutdown began:\n" + log).isGreaterThan(commencing);
		assertThat(complete).as(log).isGreaterThan(signedUp);
	}

	/** Waits until the server reports one POST in progress (Micrometer's long task timer of HTTP requests). */
	private static void awaitActivePost(HttpClient http, String base, Process server, Path out) {
		// A long task timer: Prometheus' text format names its count http_server_requests_active_seconds_gcount.
		Pattern active = Pattern.compile("^http_server_requests_active_seconds_gcount\\{[^}]*method=\"POST\"[^}]*\\}"
				+ " ([0-9.]+)", Pattern.MULTILINE);
		await("the sign-up showing up as an active request").atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(20))
			.failFast("the server exited",
					() -> assertThat(server.isAlive()).as(() -> "the server exited:\n" + read(out)).isTrue())
			.until(() -> {
				String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
						HttpResponse.BodyHandlers.ofString()).body();
				Matcher m = active.matcher(metrics);
				while (m.find()) {
					if (Double.parseDouble(m.group(1)) >= 1) {
						return true;
					}
				}
				return false;
			});
	}
}
