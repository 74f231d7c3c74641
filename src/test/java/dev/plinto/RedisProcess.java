package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis server of a test's own ({@code redis-server} on a free loopback port, no persistence), which the test may
 * stop and start again on the same port to play an outage. Skipped with a notice when {@code redis-server} is not
 * installed; under {@code CI} that fails instead.
 */
public final class RedisProcess implements AutoCloseable {

	private final String binary;

	private final int port;

	private final Path dir;

	private Process process;

	private RedisProcess(String binary, int port, Path dir) {
		this.binary = binary;
		this.port = port;
		this.dir = dir;
	}

	/** Starts a new Redis on a free port. */
	public static RedisProcess start() {
		try {
			RedisProcess redis = new RedisProcess(binary(), freePort(), Files.createTempDirectory("plinto-redis"));
			redis.startAgain();
			return redis;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public String url() {
		return "redis://127.0.0.1:" + port;
	}

	public boolean running() {
		return process != null && process.isAlive();
	}

	/** Kills the server at once ({@code SIGKILL}), as a crash or a lost host would. */
	public void stop() {
		if (process != null) {
			process.destroyForcibly();
			try {
				assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("redis-server stopped").isTrue();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
			process = null;
		}
	}

	/** Starts the server again on the same port (empty: it keeps nothing on disk) and waits until it answers. */
	public void startAgain() {
		try {
			process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--dir", dir.toString()))
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		await("redis-server listening on " + port).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.ignoreExceptionsInstanceOf(IOException.class)
			.failFast("redis-server exited", () -> assertThat(process.isAlive()).as(this::log).isTrue())
			.until(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
					return true;
				}
			});
	}

	@Override
	public void close() {
		stop();
	}

	private String log() {
		try {
			return Files.readString(dir.resolve("redis.log"));
		}
		catch (IOException e) {
			return "(no log)";
		}
	}

	private static String binary() {
		for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "redis-server"))) {
				return Path.of(entry, "redis-server").toString();
			}
		}
		if (Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
			return "/usr/bin/redis-server";
		}
		if (System.getenv("CI") != null) {
			fail("redis-server is not installed, but CI requires the Redis tests to run (Debian: apt-get install "
					+ "redis-server)");
		}
		System.err.println("NOTICE: Redis outage tests skipped; install redis-server (Debian: apt-get install "
				+ "redis-server) to run them.");
		Assumptions.abort("redis-server not installed");
		return null;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
