package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the scripts of {@code conformance/} (README there): unmodified npm OpenID Connect and OAuth 2 clients
 * ({@code openid-client}, {@code oauth4webapi}, at the exact versions of {@code conformance/package-lock.json})
 * against the provider under test. {@code npm ci} installs them once per test run into
 * {@code conformance/node_modules} (git-ignored); each script takes its inputs from environment variables and passes
 * with exit status 0. Without Node.js or npm the calling test is skipped with a notice, and fails when {@code CI} is
 * set ({@code .ci/run} installs Debian's {@code nodejs} and {@code npm}).
 */
final class NodeClients {

	static final Path DIR = Path.of("conformance");

	private static boolean installed;

	private NodeClients() {
	}

	/**
	 * Runs {@code conformance/<script>} with the given environment (added to this process's) and returns its output;
	 * fails the test with that output when it exits non-zero or runs longer than a minute.
	 */
	static String run(String script, Map<String, String> env) throws IOException, InterruptedException {
		install();
		ProcessBuilder builder = new ProcessBuilder("node", script).directory(DIR.toFile()).redirectErrorStream(true);
		builder.environment().putAll(env);
		Process node = builder.start();
		node.getOutputStream().close();
		String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!node.waitFor(60, TimeUnit.SECONDS)) {
			node.destroyForcibly();
			fail("conformance/" + script + " did not finish within a minute:\n" + out);
		}
		if (node.exitValue() != 0) {
			fail("conformance/" + script + " failed (exit " + node.exitValue() + "):\n" + out);
		}
		return out;
	}

	/** {@code npm ci} once per JVM: the locked versions, never an upgrade. */
	private static synchronized void install() throws IOException, InterruptedException {
		if (installed) {
			return;
		}
		if (!available("node") || !available("npm")) {
			if (System.getenv("CI") != null) {
				fail("node and npm are required in CI to run the conformance clients of conformance/");
			}
			System.err.println("NOTICE: the Node conformance clients (conformance/) are skipped; install node and npm "
					+ "to run them.");
			Assumptions.abort("node or npm not installed: the Node conformance clients are skipped");
		}
		if (!Files.exists(DIR.resolve("package-lock.json"))) {
			fail("conformance/package-lock.json is missing");
		}
		Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
			.directory(DIR.toFile())
			.redirectErrorStream(true)
			.start();
		String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
			fail("npm ci in conformance/ failed:\n" + out);
		}
		installed = true;
	}

	private static boolean available(String command) {
		try {
			Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
		}
		catch (IOException e) {
			return false;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
}
