package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.plinto.ProcessOutput;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar ({@code target/plinto.jar}) as bin/plinto and the container image run it on JDK 25: in Spring
 * AOT mode ({@code -Dspring.aot.enabled=true}), with the bean definitions the build generated instead of the
 * ones worked out at start-up. The rest of the suite runs the application the ordinary way, so this is where a
 * difference between the two would show. Runs in the {@code integration-test} phase, after {@code package}.
 */
class PackagedJarTests {

	private static final Path JAR = Path.of("target", "plinto.jar");

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path dir;

	private ProcessBuilder jar(Map<String, String> env, String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Dspring.aot.enabled=true", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().put("PLINTO_DATA_DIR", dir.resolve("data").toString());
		builder.environment().putAll(env);
		return builder;
	}

	@Test
	void serveWhenAotModeThenSignUpSignInRefreshAndToolsStillWork() throws Exception {
		assertThat(JAR).as("the packaged jar (run `./mvnw verify`, which packages before this test)").exists();
		int port = freePort();
		Path log = dir.resolve("serve.log");
		Process server = jar(Map.of("PLINTO_PORT", Integer.toString(port)), "serve").redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			String base = "http://127.0.0.1:" + port;
			awaitReady(server, base, log);
			assertThat(Files.readString(log)).as("started from the build's generated bean definitions")
				.contains("Starting AOT-processed");

			HttpResponse<String> signUp = post(base + "/v1/sign-up",
					"{\"email\":\"aot@example.com\",\"password\":\"correct horse battery\"}");
			assertThat(signUp.statusCode()).as(signUp.body()).isEqualTo(201);
			JsonNode tokens = JSON.readTree(signUp.body());

			HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/me"))
				.header("Authorization", "Bearer " + tokens.get("access_token").asString())
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
			assertThat(JSON.readTree(me.body()).get("email").asString()).isEqualTo("aot@example.com");

			HttpResponse<String> refresh = post(base + "/v1/token/refresh",
					"{\"refresh_token\":\"" + tokens.get("refresh_token").asString() + "\"}");
			assertThat(refresh.statusCode()).as(refresh.body()).isEqualTo(200);
			assertThat(JSON.readTree(refresh.body()).get("refresh_token").asString())
				.isNotEqualTo(tokens.get("refresh_token").asString());

			HttpResponse<String> wrong = post(base + "/v1/sign-in",
					"{\"email\":\"aot@example.com\",\"password\":\"not the password\"}");
			assertThat(wrong.statusCode()).isEqualTo(401);
			assertThat(JSON.readTree(wrong.body()).get("code").asString()).isEqualTo("invalid_credentials");
			HttpResponse<String> signIn = post(base + "/v1/sign-in",
					"{\"email\":\"aot@example.com\",\"password\":\"correct horse battery\"}");
			assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);

			// ACCP's native library loads from inside the fat jar (it copies it out to java.io.tmpdir), with
			// native access granted by the jar's manifest, so no JDK warning about System.load.
			String serveLog = Files.readString(log);
			String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
			String arch = System.getProperty("os.arch");
			if (os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
				assertThat(serveLog).contains("JWT signing: ACCP 2.5.0 (AWS-LC");
			}
			else {
				assertThat(serveLog).contains("JWT signing: JDK providers");
			}
			assertThat(serveLog).doesNotContain("System::load has been called");
		}
		finally {
			server.destroy();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly();
				fail("the server did not stop within 30 s of SIGTERM");
			}
		}

		// The command-line tools build their own, smaller context at run time even with the AOT flag set.
		Process keys = jar(Map.of(), "keys", "list").redirectErrorStream(true).start();
		assertThat(keys.waitFor(2, TimeUnit.MINUTES)).isTrue();
		String output = new String(keys.getInputStream().readAllBytes());
		assertThat(keys.exitValue()).as(output).isZero();
		assertThat(output).containsPattern("key_[0-9a-z]+\\s+RS256\\s+signing");
	}

	private void awaitReady(Process server, String base, Path log) {
		await("the server ready").atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptionsInstanceOf(IOException.class) // not listening yet
			.failFast("the server exited", () -> assertThat(server.isAlive())
				.as(() -> "the server exited with " + server.exitValue() + ":\n" + ProcessOutput.read(log))
				.isTrue())
			.until(() -> http.send(
					HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
	}

	private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
