package dev.plinto.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.mfa.TotpSecrets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each source's sample export (src/test/resources/migration, one user per supported hash type) imported, then
 * every user signs in with the known password through the real server, the hash is Argon2id afterwards, imported
 * TOTP secrets produce accepted codes, and organizations and roles are as in the source.
 */
class ImportApiTests extends ApiTestSupport {

	static final String PASSWORD = "correct horse battery";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	Importer importer;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	/** Collects what an import reports. */
	static final class Collected implements Importer.Report {

		final List<SourceRecord.Refused> refused = new ArrayList<>();

		final List<String> partial = new ArrayList<>();

		@Override
		public void refused(SourceRecord.Refused row) {
			refused.add(row);
		}

		@Override
		public void partial(ImportedUser user, String what) {
			partial.add(user.email() + ": " + what);
		}
	}

	Path resource(String name) throws IOException {
		Path file = dir.resolve(name);
		try (InputStream in = getClass().getResourceAsStream("/migration/" + name)) {
			Files.copy(in, file);
		}
		return file;
	}

	Importer.Summary run(Source source, Path file, Importer.Options options, Importer.Report report)
			throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return importer.run(file, in, Importer.fingerprint(file), options, report, (records, bytes) -> {
			});
		}
	}

	static Importer.Options options(Source source) {
		return new Importer.Options(source, Source.Options.none(), false, Importer.OnConflict.SKIP, false, 1000);
	}

	Map<String, String> passwords(String name) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/migration/" + name)) {
			Map<String, String> out = new LinkedHashMap<>();
			JSON.readTree(in).properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
			return out;
		}
	}

	String hashOf(String email) {
		return jdbc.sql("select password_hash from users where email = :e").param("e", email).query(String.class).single();
	}

	/** Signs in with the password (and the TOTP secret when the user has one); returns the access token. */
	String signInAndCheckUpgrade(String email, String password, String totpSecret) {
		assertThat(hashOf(email)).as("stored as imported").doesNotStartWith("$argon2id$v=19$m=1024,t=1,p=1$");
		ApiClient.Response r = signIn(email, password);
		assertThat(r.status()).as("%s: %s", email, r).isEqualTo(200);
		if (totpSecret != null) {
			assertThat(r.text("status")).as(email).isEqualTo("mfa_required");
			r = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", r.text("mfa_token"), "factor", "totp", "code",
					MfaSteps.code(totpSecret, clock.instant())));
			assertThat(r.status()).as("%s TOTP: %s", email, r).isEqualTo(200);
		}
		assertThat(r.text("access_token")).as(email).isNotNull();
		assertThat(hashOf(email)).as("%s upgraded at sign-in", email).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
		assertThat(signIn(email, password).status()).as("%s signs in with the upgraded hash", email).isEqualTo(200);
		assertThat(signIn(email, password + "!").status()).isEqualTo(401);
		return r.text("access_token");
	}

	String roleOf(String email, String orgExternalId) {
		return jdbc.sql("""
				select m.role_key from organization_memberships m join organizations o on o.id = m.organization_id
				join users u on u.id = m.user_id where u.email = :e and o.external_id = :o""")
			.param("e", email)
			.param("o", orgExternalId)
			.query(String.class)
			.single();
	}

	@Test
	void importWhenGenericJsonLinesWithEveryHashTypeThenEachUserSignsInAndIsUpgraded() throws IOException {
		Collected report = new Collected();
		Importer.Summary s = run(Source.JSONL, resource("users.jsonl"), options(Source.JSONL), report);
		assertThat(s.imported()).isEqualTo(16);
		assertThat(s.refused()).isZero();
		assertThat(report.partial).containsExactly("pat@jsonl.example: sign-in with google");
		String totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
		passwords("users-passwords.json").forEach((email, password) -> signInAndCheckUpgrade(email, password,
				email.startsWith("oli@") ? totp : null));
		assertThat(roleOf("ann@jsonl.example", "org_acme")).isEqualTo("admin");
		assertThat(roleOf("oli@jsonl.example", "org_acme")).isEqualTo("billing");
		assertThat(jdbc.sql("""
				select r.permissions from organization_roles r join organizations o on o.id = r.organization_id
				where o.external_id = 'org_acme' and r.role_key = 'billing'""").query(String.class).single())
			.isEqualTo("app:billing.read org:members:read");
		assertThat(jdbc.sql("select slug from organizations where external_id = 'org_acme'").query(String.class)
			.single()).isEqualTo("acme-jsonl");
		assertThat(signIn("pat@jsonl.example", "any password at all").status()).as("no password, nothing matches")
			.isEqualTo(401);
		assertThat(jdbc.sql("select external_id from users where email = 'eve@jsonl.example'").query(String.class)
			.single()).isEqualTo("jsonl-5");
	}

	@Test
	void importWhenClerkCsvThenHashesTotpAndRefusedRowsAsInTheExport() throws IOException {
		Collected report = new Collected();
		Importer.Summary s = run(Source.CLERK, resource("clerk.csv"), options(Source.CLERK), report);
		assertThat(s.imported()).isEqualTo(8);
		assertThat(report.refused).extracting(SourceRecord.Refused::externalId, SourceRecord.Refused::reason)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("user_2i", "unsupported password hasher phpass"),
					org.assertj.core.groups.Tuple.tuple("user_2j", "no email address (Plinto signs in with email)"));
		assertThat(report.partial).containsExactly("cat@clerk.example: phone number (Plinto signs in with email)");
		passwords("clerk-passwords.json").forEach((email, password) -> signInAndCheckUpgrade(email, password,
				email.startsWith("cat@") ? "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" : null));
		assertThat(jdbc.sql("select email_verified from users where email = 'cass@clerk.example'")
			.query(Boolean.class).single()).as("only in unverified_email_addresses").isFalse();
		assertThat(jdbc.sql("select name from users where external_id = 'user_2a'").query(String.class).single())
			.isEqualTo("Cleo Bcrypt");
	}

	@Test
	void importWhenAuth0UsersThenHashExportThenPasswordsSignInAndSocialUsersAreReported() throws IOException {
		Collected report = new Collected();
		Importer.Summary users = run(Source.AUTH0, resource("auth0-users.ndjson"), options(Source.AUTH0), report);
		assertThat(users.imported()).isEqualTo(3);
		assertThat(signIn("ada@auth0.example", PASSWORD).status()).as("no hash yet").isEqualTo(401);
		Importer.Summary hashes = run(Source.AUTH0, resource("auth0-hashes.ndjson"), options(Source.AUTH0), report);
		assertThat(hashes.updated()).isEqualTo(2);
		assertThat(hashes.imported()).isZero();
		signInAndCheckUpgrade("ada@auth0.example", PASSWORD, null);
		signInAndCheckUpgrade("abe@auth0.example", PASSWORD, null);
		assertThat(report.partial).containsExactly(
				"amy@auth0.example: sign-in with google-oauth2 (configure the same provider client in Plinto)");
		assertThat(jdbc.sql("select external_id from users where email = 'ada@auth0.example'").query(String.class)
			.single()).isEqualTo("auth0|60425dc43519d90068f82973");
		assertThat(jdbc.sql("select source_metadata from users where email = 'ada@auth0.example'")
			.query(String.class)
			.single()).contains("\"theme\":\"dark\"").contains("\"plan\":\"gold\"");
		assertThat(jdbc.sql("select name from users where email = 'abe@auth0.example'").query(String.class).single())
			.isEqualTo("Abe Auth0");
	}

	@Test
	void importWhenFirebaseExportWithHashParametersThenModifiedScryptSignsIn() throws IOException {
		Collected report = new Collected();
		Importer.Options options = new Importer.Options(Source.FIREBASE, new Source.Options(
				"jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==", "Bw==", 8,
				14, false), false, Importer.OnConflict.SKIP, false, 1000);
		Importer.Summary s = run(Source.FIREBASE, resource("firebase.json"), options, report);
		assertThat(s.imported()).isEqualTo(2);
		assertThat(report.refused).extracting(SourceRecord.Refused::externalId).containsExactly("fbUid0003");
		signInAndCheckUpgrade("fay@firebase.example", "user1password", null);
		assertThat(report.partial).containsExactly(
				"fox@firebase.example: sign-in with google.com (configure the same provider client in Plinto)");
	}

	@Test
	void importWhenFirebaseHashesWithoutParametersThenThoseRowsAreRefused() throws IOException {
		Path file = dir.resolve("firebase-no-params.json");
		Files.writeString(file, Files.readString(resource("firebase.json")).replace("firebase.example",
				"firebase-noparams.example").replace("fbUid", "fbNoP"));
		Collected report = new Collected();
		Importer.Summary s = run(Source.FIREBASE, file, options(Source.FIREBASE), report);
		assertThat(report.refused).extracting(SourceRecord.Refused::externalId).containsExactly("fbNoP0001",
				"fbNoP0003");
		assertThat(s.imported()).isEqualTo(1);
	}

	@Test
	void importWhenKeycloakRealmThenPbkdf2AndArgon2SignInTotpWorksAndGroupsBecomeOrganizations()
			throws IOException {
		Collected report = new Collected();
		Importer.Options options = new Importer.Options(Source.KEYCLOAK, new Source.Options(null, null, 0, 0, true),
				false, Importer.OnConflict.SKIP, false, 1000);
		Importer.Summary s = run(Source.KEYCLOAK, resource("keycloak-realm.json"), options, report);
		assertThat(s.imported()).isEqualTo(4);
		String kitSecret = TotpSecrets.base32("ZmG5PNkFQh2Qk7b5hUsB".getBytes(StandardCharsets.UTF_8));
		passwords("keycloak-passwords.json").forEach((email, password) -> signInAndCheckUpgrade(email, password,
				email.startsWith("kit@") ? kitSecret : null));
		assertThat(roleOf("kai@keycloak.example", "keycloak-group:acme-kc")).isEqualTo("admin");
		assertThat(roleOf("kit@keycloak.example", "keycloak-group:acme-kc")).isEqualTo("member");
		assertThat(report.partial).containsExactly(
				"kay@keycloak.example: sign-in with github (configure the same provider client in Plinto)");
	}

	@Test
	void importWhenSupabaseCsvAndJsonThenBcryptSignsInAndConfirmedEmailIsVerified() throws IOException {
		Collected report = new Collected();
		assertThat(run(Source.SUPABASE, resource("supabase-users.csv"), options(Source.SUPABASE), report).imported())
			.isEqualTo(2);
		assertThat(run(Source.SUPABASE, resource("supabase-users.json"), options(Source.SUPABASE), report)
			.imported()).isEqualTo(2);
		for (String email : List.of("sue@supabase.example", "sam@supabase.example", "sue.json@supabase.example",
				"sam.json@supabase.example")) {
			signInAndCheckUpgrade(email, PASSWORD, null);
		}
		assertThat(jdbc.sql("select email_verified from users where email = 'sue@supabase.example'")
			.query(Boolean.class).single()).isTrue();
		assertThat(jdbc.sql("select email_verified from users where email = 'sam@supabase.example'")
			.query(Boolean.class).single()).isFalse();
		assertThat(jdbc.sql("select name from users where email = 'sue.json@supabase.example'").query(String.class)
			.single()).isEqualTo("Sue Supabase");
		assertThat(report.partial).contains(
				"sam@supabase.example: sign-in with github (configure the same provider client in Plinto)");
	}

	/** A generic file of {@code n} users with unique emails; names carry {@code suffix}. */
	Path generated(String tag, int n, String suffix) throws IOException {
		Path file = dir.resolve(tag + "-" + suffix + ".jsonl");
		StringBuilder text = new StringBuilder();
		for (int i = 1; i <= n; i++) {
			text.append(JSON.writeValueAsString(Map.of("id", tag + "-" + i, "email", tag + "-" + i + "@gen.example",
					"name", "User " + i + suffix, "password_hash",
					"$2a$04$3917dtCe6m.JeSzjtJR3Tu9gRlIlTnyqzyYw0CddwjUjsBn0CKekS")))
				.append('\n');
		}
		Files.writeString(file, text);
		return file;
	}

	long count(String tag) {
		return jdbc.sql("select count(*) from users where external_id like :p").param("p", tag + "-%")
			.query(Long.class)
			.single();
	}

	static String tag() {
		return "t" + UUID.randomUUID().toString().substring(0, 8);
	}

	@Test
	void importWhenDryRunThenCountsAsIfImportedAndChangesNothing() throws IOException {
		String tag = tag();
		Importer.Options dry = new Importer.Options(Source.JSONL, Source.Options.none(), true,
				Importer.OnConflict.SKIP, false, 2);
		Importer.Summary s = run(Source.JSONL, generated(tag, 5, ""), dry, Importer.Report.NONE);
		assertThat(s.imported()).isEqualTo(5);
		assertThat(s.dryRun()).isTrue();
		assertThat(count(tag)).isZero();
	}

	@Test
	void importWhenSameFileTwiceThenSecondRunChangesNothing() throws IOException {
		String tag = tag();
		Path file = generated(tag, 3, "");
		assertThat(run(Source.JSONL, file, options(Source.JSONL), Importer.Report.NONE).imported()).isEqualTo(3);
		String before = hashOf(tag + "-1@gen.example");
		Importer.Options update = new Importer.Options(Source.JSONL, Source.Options.none(), false,
				Importer.OnConflict.UPDATE, false, 1000);
		Importer.Summary again = run(Source.JSONL, file, update, Importer.Report.NONE);
		assertThat(again.imported()).isZero();
		assertThat(again.updated()).isZero();
		assertThat(again.unchanged()).isEqualTo(3);
		assertThat(count(tag)).isEqualTo(3);
		assertThat(hashOf(tag + "-1@gen.example")).isEqualTo(before);
	}

	@Test
	void importWhenUsersExistWithOtherValuesThenSkipLeavesUpdateOverwritesFailStops() throws IOException {
		String tag = tag();
		run(Source.JSONL, generated(tag, 3, ""), options(Source.JSONL), Importer.Report.NONE);
		Path changed = generated(tag, 3, " (renamed)");
		Importer.Summary skip = run(Source.JSONL, changed, options(Source.JSONL), Importer.Report.NONE);
		assertThat(skip.unchanged()).isEqualTo(3);
		assertThat(nameOf(tag + "-2@gen.example")).isEqualTo("User 2");

		Importer.Options fail = new Importer.Options(Source.JSONL, Source.Options.none(), false,
				Importer.OnConflict.FAIL, false, 1000);
		assertThatThrownBy(() -> run(Source.JSONL, changed, fail, Importer.Report.NONE))
			.isInstanceOf(ImportException.class)
			.hasMessageContaining("Record 1 (line 1)")
			.hasMessageContaining("--on-conflict fail");
		assertThat(nameOf(tag + "-2@gen.example")).isEqualTo("User 2");

		Importer.Options update = new Importer.Options(Source.JSONL, Source.Options.none(), false,
				Importer.OnConflict.UPDATE, false, 1000);
		Importer.Summary updated = run(Source.JSONL, changed, update, Importer.Report.NONE);
		assertThat(updated.updated()).isEqualTo(3);
		assertThat(nameOf(tag + "-2@gen.example")).isEqualTo("User 2 (renamed)");
		assertThat(count(tag)).isEqualTo(3);
	}

	String nameOf(String email) {
		return jdbc.sql("select name from users where email = :e").param("e", email).query(String.class).single();
	}

	@Test
	void importWhenFileHasBrokenRowsThenGoodRowsAreImportedAndEachBadOneIsReportedWithItsReason()
			throws IOException {
		Collected report = new Collected();
		Importer.Summary s = run(Source.JSONL, resource("broken.jsonl"), options(Source.JSONL), report);
		assertThat(s.imported()).isEqualTo(2);
		assertThat(s.refused()).isEqualTo(6);
		assertThat(report.refused).extracting(r -> r.line() + " " + r.reason())
			.containsExactly("2 invalid email address", "3 unsupported or malformed password hash (P)",
					"4 not valid JSON: Unexpected end-of-input within/between Object entries",
					"5 duplicate: the same email as record 1 of the file",
					"6 no email address (Plinto signs in with email)",
					"7 TOTP secret is not base32 of at least 80 bits");
		signInAndCheckUpgrade("good1@broken.example", PASSWORD, null);
		signInAndCheckUpgrade("good2@broken.example", PASSWORD, null);
	}

	@Test
	void importWhenInterruptedAfterABatchThenResumeContinuesWithoutDuplicates() throws IOException {
		String tag = tag();
		Path file = generated(tag, 25, "");
		Importer.Options first = new Importer.Options(Source.JSONL, Source.Options.none(), false,
				Importer.OnConflict.FAIL, false, 10);
		assertThatThrownBy(() -> {
			try (InputStream in = Files.newInputStream(file)) {
				importer.run(file, in, Importer.fingerprint(file), first, Importer.Report.NONE, (records, bytes) -> {
					if (records >= 10) {
						throw new IllegalStateException("the process died");
					}
				});
			}
		}).hasMessage("the process died");
		assertThat(count(tag)).isEqualTo(10);

		Importer.Options resume = new Importer.Options(Source.JSONL, Source.Options.none(), false,
				Importer.OnConflict.FAIL, true, 10);
		Importer.Summary s = run(Source.JSONL, file, resume, Importer.Report.NONE);
		assertThat(s.resumedAfter()).isEqualTo(10);
		assertThat(s.imported()).isEqualTo(15);
		assertThat(count(tag)).isEqualTo(25);
		assertThat(jdbc.sql("select status from import_runs where id = :id").param("id", s.runId())
			.query(String.class)
			.single()).isEqualTo("done");
	}

	@Test
	void exportWhenImportedUserThenOwnDataWithoutSecretsAndRecordedAsSecurityEvent() throws IOException {
		String tag = tag();
		run(Source.JSONL, generated(tag, 1, ""), options(Source.JSONL), Importer.Report.NONE);
		String email = tag + "-1@gen.example";
		String token = signInAndCheckUpgrade(email, PASSWORD, null);
		ApiClient.Response r = api.get("/v1/me/export", token);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.header("Cache-Control")).contains("no-store");
		JsonNode body = r.json();
		assertThat(body.at("/user/email").asString()).isEqualTo(email);
		assertThat(body.at("/user/external_id").asString()).isEqualTo(tag + "-1");
		assertThat(body.at("/user/has_password").asBoolean()).isTrue();
		assertThat(body.get("sessions")).isNotEmpty();
		List<String> types = new ArrayList<>();
		body.get("security_events").forEach(e -> types.add(e.get("type").asString()));
		assertThat(types).contains("sign_in.succeeded", "account.data_exported");
		assertThat(r.raw()).doesNotContain("$argon2").doesNotContain("$2a$");
	}
}
