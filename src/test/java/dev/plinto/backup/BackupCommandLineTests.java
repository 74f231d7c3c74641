package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plinto backup} and {@code plinto restore} as an operator runs them, in a child JVM with only the
 * {@code PLINTO_*} variables of the test: moving an embedded installation to a new data directory with
 * {@code PLINTO_BACKUP_KEY} and with a passphrase file, and the refusals with their exit codes — never printing
 * the key or the passphrase.
 */
class BackupCommandLineTests {

	private static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	private static final String BACKUP_KEY = Base64.getEncoder().encodeToString(BackupRestoreTests.randomKey());

	private static final String PASSPHRASE = "Sup3r-secret passphrase 4711";

	@TempDir
	Path dir;

	record Result(int exitCode, String stdout, String stderr) {

		String output() {
			return stdout + stderr;
		}

		@Override
		public String toString() {
			return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
		}
	}

	private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.plinto.PlintoApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().putAll(env);
		Path out = Files.createTempFile(dir, "stdout", ".txt");
		Path err = Files.createTempFile(dir, "stderr", ".txt");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		try {
			if (!process.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS)) {
				fail("plinto " + String.join(" ", args) + " did not finish within 2 minutes");
			}
		}
		finally {
			process.destroyForcibly();
		}
		Result r = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
		assertThat(r.output()).as(r.toString())
			.doesNotContain(BACKUP_KEY)
			.doesNotContain(PASSPHRASE)
			.doesNotContain("Exception")
			.doesNotContainPattern("\\sat (dev|org|java|picocli)\\.");
		return r;
	}

	private Map<String, String> env(String dataDir, String... nameValues) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("PLINTO_DATA_DIR", dir.resolve(dataDir).toString());
		env.put("PLINTO_MASTER_KEY", MASTER_KEY);
		for (int i = 0; i < nameValues.length; i += 2) {
			env.put(nameValues[i], nameValues[i + 1]);
		}
		return env;
	}

	/** The audit event types in the embedded database of a data directory, read after the command has exited. */
	private List<String> auditTypes(String dataDir) throws Exception {
		try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
				+ dir.resolve(dataDir).resolve("plinto"), "sa", "");
				java.sql.ResultSet rs = c.createStatement().executeQuery("select type from audit_events")) {
			List<String> types = new ArrayList<>();
			while (rs.next()) {
				types.add(rs.getString(1));
			}
			return types;
		}
	}

	@Test
	void restoreWhenEmbeddedNewDataDirWithoutTheMasterKeyFileThenSaysWhichKeyAndStartsOnlyWithIt() throws Exception {
		Map<String, String> oldDir = env("old");
		oldDir.remove("PLINTO_MASTER_KEY");
		Result keys = run(oldDir, "keys", "list");
		assertThat(keys.exitCode()).as(keys.toString()).isZero();
		Path oldKeyFile = dir.resolve("old").resolve("master.key");
		String keyId = dev.plinto.crypto.MasterKeyCheck.hex(dev.plinto.crypto.SecretBox.keyId(
				Base64.getDecoder().decode(Files.readString(oldKeyFile).strip())));
		oldDir.put("PLINTO_BACKUP_KEY", BACKUP_KEY);
		assertThat(run(oldDir, "backup", "--out", "plinto.backup").exitCode()).isZero();
		Map<String, String> newDir = env("new", "PLINTO_BACKUP_KEY", BACKUP_KEY);
		newDir.remove("PLINTO_MASTER_KEY");
		Path newKeyFile = dir.resolve("new").resolve("master.key");

		Result restore = run(newDir, "restore", "--in", "plinto.backup");

		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.stdout()).contains("The restored data needs master key " + keyId + ", the key of the "
				+ "installation it was backed up from: copy that installation's master.key into "
				+ dir.resolve("new"));
		Result withoutKey = run(newDir, "keys", "list");
		assertThat(withoutKey.exitCode()).as(withoutKey.toString()).isEqualTo(2);
		assertThat(withoutKey.stderr()).contains("sealed under master key " + keyId)
			.contains("use the key of the installation you restored");
		assertThat(newKeyFile).as("no new key beside the restored data").doesNotExist();

		Files.writeString(newKeyFile, Base64.getEncoder().encodeToString(dev.plinto.crypto.SecureTokens
			.randomBytes(32)) + "\n");
		Result wrongKey = run(newDir, "keys", "list");
		assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(2);
		assertThat(wrongKey.stderr()).contains("The master key does not match the data in embedded H2 at "
				+ dir.resolve("new")).contains("use the key of the installation you restored");

		Files.copy(oldKeyFile, newKeyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		Result withKey = run(newDir, "keys", "list");
		assertThat(withKey.exitCode()).as(withKey.toString()).isZero();
	}

	@Test
	void backupThenRestoreWhenKeyFromEnvironmentThenNewDataDirHoldsTheSameKeysAndRestoreRefusesTwice()
			throws Exception {
		Result keys = run(env("old"), "keys", "list");
		assertThat(keys.exitCode()).as(keys.toString()).isZero();
		String kid = keys.stdout().lines().filter(l -> l.startsWith("key_")).findFirst().orElseThrow().split(" ")[0];

		Result backup = run(env("old", "PLINTO_BACKUP_KEY", BACKUP_KEY), "backup", "--out", "plinto.backup");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		assertThat(backup.stdout()).containsPattern("Backed up \\d+ tables, [0-9,]+ rows \\(schema version \\d+\\) "
				+ "from embedded H2 at .*old.* to .*plinto\\.backup");
		assertThat(backup.stdout() + backup.stderr()).as("no connection-pool log lines beside the progress")
			.doesNotContain("Hikari", "INFO");

		assertThat(auditTypes("old")).containsOnlyOnce("BACKUP_CREATED");

		Result noKey = run(env("new"), "restore", "--in", "plinto.backup");
		assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(1);
		assertThat(noKey.stderr().strip()).isEqualTo("This backup was encrypted with PLINTO_BACKUP_KEY; set it to "
				+ "the key used when the backup was made.");

		Result wrongKey = run(env("new", "PLINTO_BACKUP_KEY",
				Base64.getEncoder().encodeToString(BackupRestoreTests.randomKey())), "restore", "--in",
				"plinto.backup");
		assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(1);
		assertThat(wrongKey.stderr()).contains("PLINTO_BACKUP_KEY is not the key this backup was made with");

		Result restore = run(env("new", "PLINTO_BACKUP_KEY", BACKUP_KEY), "restore", "--in", "plinto.backup");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.stdout()).containsPattern("Restored \\d+ tables, [0-9,]+ rows \\(schema version \\d+, "
				+ "backed up from h2 at ");
		assertThat(restore.stdout()).containsPattern("The restored data needs master key [0-9a-f]{8}, which is in "
				+ "force here\\.");
		assertThat(restore.stdout() + restore.stderr()).as("no connection-pool log lines beside the progress")
			.doesNotContain("Hikari", "INFO");
		assertThat(auditTypes("new")).as("the backup's own event came after the backup").containsOnlyOnce(
				"BACKUP_RESTORED").doesNotContain("BACKUP_CREATED");
		Result restoredKeys = run(env("new"), "keys", "list");
		assertThat(restoredKeys.stdout()).as(restoredKeys.toString()).contains(kid);

		Result again = run(env("new", "PLINTO_BACKUP_KEY", BACKUP_KEY), "restore", "--in", "plinto.backup");
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
		assertThat(again.stderr()).contains("The target database is not empty");
	}

	@Test
	void backupThenRestoreWhenPassphraseFileThenRestoredAndMissingKeyOrPassphraseIsOneSentence() throws Exception {
		assertThat(run(env("old"), "migrate").exitCode()).isZero();
		Result noKey = run(env("old"), "backup", "--out", "plinto.backup");
		assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(1);
		assertThat(noKey.stderr().strip()).startsWith("No backup key: set PLINTO_BACKUP_KEY");
		assertThat(dir.resolve("plinto.backup")).doesNotExist();

		Files.writeString(dir.resolve("passphrase.txt"), PASSPHRASE + "\n");
		Result backup = run(env("old"), "backup", "--out", "plinto.backup", "--passphrase-file", "passphrase.txt");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();

		Result noPassphrase = run(env("new", "PLINTO_BACKUP_KEY", BACKUP_KEY), "restore", "--in", "plinto.backup");
		assertThat(noPassphrase.exitCode()).as(noPassphrase.toString()).isEqualTo(1);
		assertThat(noPassphrase.stderr()).contains("This backup was encrypted with a passphrase");

		Result restore = run(env("new", "PLINTO_BACKUP_PASSPHRASE", PASSPHRASE), "restore", "--in",
				"plinto.backup");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
	}
}
