package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plinto admin grant|revoke} as a process on embedded storage: an account imported first gets the role and
 * loses it again, and an unknown email or role exits 1 with one sentence.
 */
class DashboardAdminCommandTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	record Result(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
		}
	}

	private Result run(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.plinto.PlintoApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().put("PLINTO_DATA_DIR", dir.resolve("data").toString());
		builder.environment().put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		Path out = Files.createTempFile(dir, "stdout", ".txt");
		Path err = Files.createTempFile(dir, "stderr", ".txt");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		try {
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				fail("plinto " + String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT);
			}
		}
		finally {
			process.destroyForcibly();
		}
		return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
	}

	@Test
	void grantAndRevokeWhenAccountExistsThenRoleChangesAndUnknownsExit1() throws Exception {
		Path users = dir.resolve("users.jsonl");
		Files.writeString(users, "{\"id\": \"u_1\", \"email\": \"ada@example.com\", \"email_verified\": true}\n");
		Result imported = run("import", "jsonl", users.toString());
		assertThat(imported.exitCode()).as(imported.toString()).isZero();

		Result unknown = run("admin", "grant", "nobody@example.com");
		assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
		assertThat(unknown.stderr()).contains("No account has the email nobody@example.com.");
		Result badRole = run("admin", "grant", "ada@example.com", "--role", "root");
		assertThat(badRole.exitCode()).isEqualTo(1);
		assertThat(badRole.stderr()).contains("--role must be admin, support or owner.");

		Result granted = run("admin", "grant", "ADA@example.com", "--role", "support");
		assertThat(granted.exitCode()).as(granted.toString()).isZero();
		assertThat(granted.stdout()).contains("ada@example.com now has the instance role support.");
		Result promoted = run("admin", "grant", "ada@example.com");
		assertThat(promoted.stdout()).as(promoted.toString())
			.contains("ada@example.com now has the instance role admin (was support).");
		Result revoked = run("admin", "revoke", "ada@example.com");
		assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
		assertThat(revoked.stdout()).contains("ada@example.com no longer has the instance role admin.");
		Result again = run("admin", "revoke", "ada@example.com");
		assertThat(again.stdout()).contains("ada@example.com had no instance role.");
	}
}
