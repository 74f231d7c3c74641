package dev.plinto.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plinto organizations domains verify} as an operator runs it, in a child JVM on embedded storage: it
 * verifies (claiming first) an organization's domain without DNS, audits it with the actor {@code cli}, and refuses
 * an unknown organization, a public mail provider and a domain another organization holds verified, each with one
 * sentence and exit 1.
 */
class OrganizationsCommandTests {

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

	/** The embedded database, opened while no command runs. */
	private Connection database() throws SQLException {
		return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("plinto"), "sa", "");
	}

	private void organization(Connection db, String id) throws SQLException {
		try (PreparedStatement insert = db.prepareStatement("insert into organizations (id, name, slug, "
				+ "public_metadata, private_metadata, created_at, updated_at) values (?, ?, ?, '{}', '{}', ?, ?)")) {
			Timestamp now = Timestamp.from(Instant.now());
			insert.setString(1, id);
			insert.setString(2, "Org " + id);
			insert.setString(3, id.replace('_', '-'));
			insert.setTimestamp(4, now);
			insert.setTimestamp(5, now);
			insert.executeUpdate();
		}
	}

	@Test
	void domainsVerifyWhenOperatorRunsItThenVerifiedAuditedAsCliAndAnotherOrganizationRefused() throws Exception {
		Result migrated = run("migrate");
		assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
		String acme = "org_" + "0".repeat(25) + "a";
		String other = "org_" + "0".repeat(25) + "b";
		try (Connection db = database()) {
			organization(db, acme);
			organization(db, other);
		}

		Result verified = run("organizations", "domains", "verify", acme, "Acme-Corp.Example.COM");

		assertThat(verified.exitCode()).as(verified.toString()).isZero();
		assertThat(verified.stdout()).contains("Verified acme-corp.example.com for organization " + acme)
			.contains("verified by admin");
		Result again = run("organizations", "domains", "verify", acme, "acme-corp.example.com");
		assertThat(again.exitCode()).as(again.toString()).isZero();
		Result taken = run("organizations", "domains", "verify", other, "acme-corp.example.com");
		assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(1);
		assertThat(taken.stderr()).contains("Another organization holds acme-corp.example.com verified.")
			.doesNotContain("Exception");
		Result unknown = run("organizations", "domains", "verify", "org_" + "0".repeat(25) + "z", "beta.example.com");
		assertThat(unknown.exitCode()).isEqualTo(1);
		assertThat(unknown.stderr()).contains("No organization has the id");
		Result provider = run("organizations", "domains", "verify", acme, "gmail.com");
		assertThat(provider.exitCode()).isEqualTo(1);
		assertThat(provider.stderr()).contains("public mail provider");

		try (Connection db = database();
				PreparedStatement domains = db.prepareStatement("select organization_id, verified_by, "
						+ "verified_domain from organization_domains where domain = 'acme-corp.example.com'");
				ResultSet rows = domains.executeQuery()) {
			assertThat(rows.next()).isTrue();
			assertThat(rows.getString(1)).isEqualTo(acme);
			assertThat(rows.getString(2)).isEqualTo("admin");
			assertThat(rows.getString(3)).isEqualTo("acme-corp.example.com");
			assertThat(rows.next()).as("the other organization got no claim").isFalse();
		}
		try (Connection db = database();
				PreparedStatement audit = db.prepareStatement("select type, user_id from audit_events where "
						+ "organization_id = ? order by type");) {
			audit.setString(1, acme);
			try (ResultSet rows = audit.executeQuery()) {
				List<String> events = new ArrayList<>();
				while (rows.next()) {
					events.add(rows.getString(1) + " by " + rows.getString(2));
				}
				assertThat(events).containsExactly("DOMAIN_CLAIMED by cli", "DOMAIN_VERIFIED by cli");
			}
		}
	}
}
