package dev.plinto.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.ApiTestSupport;
import dev.plinto.audit.AuditLog;
import dev.plinto.backup.BackupException;
import dev.plinto.backup.EncryptedFiles;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecretBox;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.mfa.TotpSecrets;
import dev.plinto.platform.InfrastructureConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code plinto export} into a file, encrypted like a backup when it holds TOTP secrets, then {@code plinto import
 * jsonl} of that file into a fresh database: every user comes back with the same email, name, verified flag,
 * password hash, TOTP secret, metadata, organizations and roles.
 */
class ExportRoundTripTests extends ApiTestSupport {

	private static final String BACKUP_KEY = Base64.getEncoder().encodeToString(new byte[32]);

	@Autowired
	Importer importer;

	@Autowired
	Exporter exporter;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SecretBox secrets;

	@TempDir
	Path dir;

	/** Users, each as a sorted map of what must survive the round trip, with their memberships and TOTP secret. */
	private static Map<String, String> snapshot(JdbcClient db, SecretBox box, boolean originalIds) {
		Map<String, String> out = new TreeMap<>();
		db.sql("select * from users").query().listOfRows().forEach(u -> {
			String id = (String) u.get("id");
			String external = (String) u.get("external_id");
			List<String> orgs = db.sql("""
					select coalesce(o.external_id, o.id) || ' ' || o.slug || ' ' || o.name || ' ' || m.role_key || ' '
					|| coalesce(r.permissions, '') from organization_memberships m
					join organizations o on o.id = m.organization_id left join organization_roles r
					on r.organization_id = m.organization_id and r.role_key = m.role_key where m.user_id = :id
					order by o.slug""").param("id", id).query(String.class).list();
			List<String> totp = db.sql("select secret from totp_factors where user_id = :id and confirmed_at is not null")
				.param("id", id)
				.query(String.class)
				.list()
				.stream()
				.map(s -> box.open(s, TotpSecrets.associatedData(id)))
				.toList();
			out.put((String) u.get("email"), String.join(" | ", String.valueOf(originalIds && external == null ? id
					: external), String.valueOf(u.get("name")), String.valueOf(u.get("email_verified")),
					(String) u.get("password_hash"), String.valueOf(u.get("source_metadata")), orgs.toString(),
					totp.toString()));
		});
		return out;
	}

	@Test
	void exportThenImportIntoAFreshDatabaseWhenSecretsIncludedThenEveryUserComesBackTheSame() throws IOException {
		// Users with hashes of every kind, TOTP, organizations and a custom role; and one signed up here.
		Path sample = dir.resolve("users.jsonl");
		try (InputStream in = getClass().getResourceAsStream("/migration/users.jsonl")) {
			Files.writeString(sample, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
				.replace("jsonl.example", "roundtrip.example").replace("\"jsonl-", "\"rt-")
				.replace("org_acme", "org_rt").replace("acme-jsonl", "acme-rt"));
		}
		try (InputStream in = Files.newInputStream(sample)) {
			importer.run(sample, in, Importer.fingerprint(sample), ImportApiTests.options(Source.JSONL),
					Importer.Report.NONE, (r, b) -> {
					});
		}
		signUp("native-" + UUID.randomUUID() + "@roundtrip.example");

		PlintoSettings settings = PlintoSettings.parse(Map.of("PLINTO_BACKUP_KEY", BACKUP_KEY)::get);
		Path export = dir.resolve("export.jsonl.enc");
		long exported;
		try (OutputStream file = Files.newOutputStream(export); OutputStream out = EncryptedFiles.encrypt(file,
				settings, null)) {
			exported = exporter.write(out, true, export.toString());
		}
		assertThat(EncryptedFiles.isEncrypted(export)).isTrue();
		assertThat(new String(Files.readAllBytes(export), java.nio.charset.StandardCharsets.ISO_8859_1))
			.doesNotContain("roundtrip.example");

		PlintoSettings fresh = PlintoSettings.parse(Map.of("PLINTO_DATABASE_URL",
				"jdbc:h2:mem:roundtrip-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")::get);
		try (HikariDataSource ds = new HikariDataSource(InfrastructureConfiguration.hikari(fresh))) {
			Flyway.configure().dataSource(ds).load().migrate();
			Importer target = new Importer(JdbcClient.create(ds), new JdbcTemplate(ds),
					new TransactionTemplate(new DataSourceTransactionManager(ds)), secrets, AuditLog.of(ds),
					Clock.systemUTC());
			Importer.Summary s;
			try (InputStream raw = Files.newInputStream(export);
					InputStream in = EncryptedFiles.decrypt(raw, settings, null)) {
				s = target.run(export, in, Importer.fingerprint(export), ImportApiTests.options(Source.JSONL),
						Importer.Report.NONE, (r, b) -> {
						});
			}
			assertThat(s.refused()).isZero();
			assertThat(s.imported()).isEqualTo(exported);
			Map<String, String> before = snapshot(jdbc, secrets, true);
			Map<String, String> after = snapshot(JdbcClient.create(ds), secrets, false);
			assertThat(after).isEqualTo(before);
			assertThat(after.get("oli@roundtrip.example")).contains("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
				.contains("billing app:billing.read org:members:read");

			try (InputStream raw = Files.newInputStream(export)) {
				PlintoSettings otherKey = PlintoSettings.parse(Map.of("PLINTO_BACKUP_KEY",
						Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
								15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 }))::get);
				assertThatThrownBy(() -> EncryptedFiles.decrypt(raw, otherKey, null))
					.isInstanceOf(BackupException.class);
			}
		}
	}

	@Test
	void exportWhenSecretsNotIncludedThenNoTotpSecretInTheClearFile() throws IOException {
		String email = "totp-" + UUID.randomUUID() + "@roundtrip.example";
		MfaSteps.Enrolled totp = MfaSteps.enrolTotp(api, signUp(email).text("access_token"), clock.instant());
		Path export = dir.resolve("export.jsonl");
		try (OutputStream out = Files.newOutputStream(export)) {
			exporter.write(out, false, export.toString());
		}
		assertThat(Files.readString(export)).contains("\"email\":\"" + email + "\"")
			.contains("\"password_hash\":\"$argon2id$")
			.doesNotContain("totp_secret")
			.doesNotContain(totp.secret());
	}

}
