package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code src/test/node/verify-webhooks.mjs} with the npm {@code standardwebhooks} package, installed once into
 * {@code target/node-webhooks} (never into the source tree). Without Node.js or npm the check is skipped with a
 * notice, and fails when {@code CI} is set, like the other tests that need an outside tool.
 */
final class NodeVerifier {

	/** The npm package and version the check verifies with. */
	static final String PACKAGE = "standardwebhooks@1.1.1";

	private static final Path DIR = Path.of("target/node-webhooks");

	private NodeVerifier() {
	}

	/** The verifier's output; fails the test when it exits non-zero. */
	static String verify(String secret, List<WebhookReceiver.Received> deliveries) throws Exception {
		install();
		List<Map<String, Object>> items = deliveries.stream()
			.map(d -> Map.<String, Object>of("body", d.body(), "headers", Map.of("webhook-id", d.header("webhook-id"),
					"webhook-timestamp", d.header("webhook-timestamp"), "webhook-signature",
					d.header("webhook-signature"))))
			.toList();
		String input = JsonMapper.builder().build().writeValueAsString(Map.of("secret", secret, "deliveries", items));
		Files.copy(Path.of("src/test/node/verify-webhooks.mjs"), DIR.resolve("verify-webhooks.mjs"),
				java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Process node = new ProcessBuilder("node", "verify-webhooks.mjs").directory(DIR.toFile())
			.redirectErrorStream(true)
			.start();
		node.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		node.getOutputStream().close();
		String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!node.waitFor(60, TimeUnit.SECONDS) || node.exitValue() != 0) {
			fail("the npm standardwebhooks package did not verify every delivery:\n" + out);
		}
		return out;
	}

	private static void install() throws IOException, InterruptedException {
		if (!available("node") || !available("npm")) {
			if (System.getenv("CI") != null) {
				fail("node and npm are required in CI to check webhooks with the npm standardwebhooks package");
			}
			System.err.println("NOTICE: the Node webhook check is skipped; install node and npm to run it.");
			Assumptions.abort("node or npm not installed");
		}
		if (Files.isDirectory(DIR.resolve("node_modules/standardwebhooks"))) {
			return;
		}
		Files.createDirectories(DIR);
		Files.writeString(DIR.resolve("package.json"), "{\"private\": true, \"type\": \"module\"}\n");
		Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent", PACKAGE)
			.directory(DIR.toFile())
			.redirectErrorStream(true)
			.start();
		String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
			fail("npm install " + PACKAGE + " failed:\n" + out);
		}
	}

	private static boolean available(String command) {
		try {
			Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
		}
		catch (IOException | InterruptedException e) {
			return false;
		}
	}
}
