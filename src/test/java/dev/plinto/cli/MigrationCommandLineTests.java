package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plinto import} and {@code plinto export} as an operator runs them, in a child JVM on an embedded database:
 * the summary line, the report of refused rows, the export with secrets encrypted like a backup and its import
 * into another installation, and one-sentence refusals.
 */
class MigrationCommandLineTests {

	private static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	private static final String BACKUP_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

	@TempDir
	Path dir;

	record Result(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
		}
	}

	private Result run(String dataDir, Map<String, String> extra, String... args)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.plinto.PlintoApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().put("PLINTO_DATA_DIR", dir.resolve(dataDir).toString());
		builder.environment().put("PLINTO_MASTER_KEY", MASTER_KEY);
		builder.environment().putAll(extra);
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

	private Path resource(String name) throws IOException {
		Path file = dir.resolve(name);
		try (InputStream in = getClass().getResourceAsStream("/migration/" + name)) {
			Files.copy(in, file);
		}
		return file;
	}

	@Test
	void importThenExportWithSecretsThenImportElsewhereWhenRunAsCommandsThenSummariesReportAndRoundTrip()
			throws Exception {
		Path broken = resource("broken.jsonl");
		Result imported = run("a", Map.of(), "import", "jsonl", broken.toString(), "--report", "report.csv");
		assertThat(imported.exitCode()).as(imported.toString()).isZero();
		assertThat(imported.stdout()).as(imported.toString())
			.contains("8 records: 2 imported, 0 updated, 0 unchanged, 6 refused")
			.contains("(see report.csv)");
		assertThat(Files.readAllLines(dir.resolve("report.csv"))).hasSize(7)
			.first()
			.isEqualTo("record,line,external_id,email,outcome,reason");
		assertThat(Files.readString(dir.resolve("report.csv")))
			.contains("2,2,brk-2,not-an-email,refused,\"invalid email address\"")
			.doesNotContain("$2a$");

		Result export = run("a", Map.of("PLINTO_BACKUP_KEY", BACKUP_KEY), "export", "--format", "jsonl",
				"users.enc", "--include-secrets");
		assertThat(export.exitCode()).as(export.toString()).isZero();
		assertThat(export.stdout()).contains("Exported 2 users to users.enc (with TOTP secrets, encrypted like a backup)");
		assertThat(Files.readString(dir.resolve("users.enc"), java.nio.charset.StandardCharsets.ISO_8859_1))
			.startsWith("PLINTOBK")
			.doesNotContain("broken.example");

		Result noKey = run("b", Map.of(), "import", "jsonl", "users.enc");
		assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(1);
		assertThat(noKey.stderr()).contains("PLINTO_BACKUP_KEY");

		Result elsewhere = run("b", Map.of("PLINTO_BACKUP_KEY", BACKUP_KEY), "import", "jsonl", "users.enc");
		assertThat(elsewhere.exitCode()).as(elsewhere.toString()).isZero();
		assertThat(elsewhere.stdout()).contains("2 records: 2 imported, 0 updated, 0 unchanged, 0 refused");

		Result again = run("b", Map.of("PLINTO_BACKUP_KEY", BACKUP_KEY), "import", "jsonl", "users.enc",
				"--on-conflict", "update");
		assertThat(again.stdout()).as(again.toString()).contains("2 records: 0 imported, 0 updated, 2 unchanged");

		Result wrongSource = run("b", Map.of(), "import", "okta", "users.enc");
		assertThat(wrongSource.exitCode()).isEqualTo(2);
		assertThat(wrongSource.stderr()).contains("the sources are clerk, auth0, firebase, keycloak, supabase and jsonl");
	}
}
