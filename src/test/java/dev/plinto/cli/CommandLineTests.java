package dev.plinto.cli;

import static dev.plinto.ProcessOutput.awaitLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plinto.TestDatabases;
import dev.plinto.platform.BuildInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real program in a child JVM, as an operator runs it: {@code java -cp … dev.plinto.PlintoApplication <args>}
 * with nothing in its environment but {@code PATH}, {@code HOME} and the {@code PLINTO_*} variables of the test.
 * Each launch costs a few seconds, so the cases share launches where they can.
 */
class CommandLineTests {

	private static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	/** A password that must never show up in anything the program prints. */
	private static final String SECRET = "Sup3r-secret-pw-4711";

	private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	record Result(int exitCode, String stdout, String stderr) {

		String output() {
			return stdout + stderr;
		}

		List<String> lines(String text) {
			return text.lines().filter(l -> !l.isBlank()).toList();
		}

		@Override
		public String toString() {
			return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
		}
	}

	private ProcessBuilder program(Map<String, String> env, String... args) {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.plinto.PlintoApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().putAll(env);
		return builder;
	}

	private Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
		Path out = Files.createTempFile(dir, "stdout", ".txt");
		Path err = Files.createTempFile(dir, "stderr", ".txt");
		Process process = program(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
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

	/** Only the variables given, plus a data directory inside the test's temporary directory. */
	private Map<String, String> env(String... nameValues) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("PLINTO_DATA_DIR", dir.resolve("data").toString());
		for (int i = 0; i < nameValues.length; i += 2) {
			env.put(nameValues[i], nameValues[i + 1]);
		}
		return env;
	}

	private static void assertNoStackTrace(Result r) {
		assertThat(r.output()).as(r.toString())
			.doesNotContain("Exception in thread")
			.doesNotContainPattern("\\sat (dev|org|java|picocli)\\.")
			.doesNotContain("Caused by:");
	}

	@Test
	void buildJavaVersionWhenBuiltByThisBuildThenTheJavaVersionMavenRanOn() {
		// Surefire runs the tests on the JDK that compiled and filtered the resources.
		assertThat(BuildInfo.javaVersion()).isEqualTo(Runtime.version().feature());
	}

	@Test
	void serveWhenSeveralValuesBadThenExitCode2WithOneSentenceEachAndNothingSecret() throws Exception {
		Result r = run(env("PLINTO_ACCESS_TOKEN_TTL", "soon", "PLINTO_SIGNING_ALG", "HS256", "PLINTO_MASTER_KEY",
				"short", "PLINTO_DATABASE_URL", "postgresql://app:" + SECRET + "@db.example.com/plinto"));
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
		assertNoStackTrace(r);
		assertThat(r.output()).doesNotContain(SECRET);
		List<String> problems = r.lines(r.stderr());
		assertThat(problems).as(r.toString()).hasSize(3);
		assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("PLINTO_ACCESS_TOKEN_TTL ").contains("'soon'"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_SIGNING_ALG ").contains("'HS256'"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_MASTER_KEY ").contains("32 random bytes"))
			.allSatisfy(p -> assertThat(p).endsWith("."));
		assertThat(r.stdout()).as("nothing was started").doesNotContain("Listening on");
	}

	@Test
	void migrateWhenPostgresqlWithoutMasterKeyThenExitCode2NamingTheMasterKeyNotThePassword() throws Exception {
		Result r = run(env("PLINTO_DATABASE_URL", "postgresql://app:" + SECRET + "@127.0.0.1:1/plinto"), "migrate");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
		assertNoStackTrace(r);
		assertThat(r.lines(r.stderr())).singleElement()
			.asString()
			.startsWith("PLINTO_MASTER_KEY is required with PostgreSQL");
		assertThat(r.output()).doesNotContain(SECRET);
	}

	/** The whole command tree is walked in-process by {@code CommandHelpTests}; this is the real program once. */
	@Test
	void capacityHelpWhenRequiredOptionMissingThenUsageExit0AndNothingOnStderr() throws Exception {
		Result r = run(env(), "capacity", "--help");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
		assertThat(r.stdout()).startsWith("Usage: plinto capacity").contains("--dau", "the 70 % scaling trigger");
		assertThat(r.stderr()).as(r.toString()).isEmpty();
	}

	@Test
	void masterKeyWhenHelpGenerateOrNewKeyWithVariableThenUsableAnswersAndNoKeyInAnError() throws Exception {
		Result help = run(env(), "master-key", "--help");
		assertThat(help.exitCode()).as(help.toString()).isEqualTo(0);
		assertThat(help.stdout()).contains("generate", "status", "rotate");
		Result rotateHelp = run(env(), "master-key", "rotate", "--help");
		assertThat(rotateHelp.exitCode()).as(rotateHelp.toString()).isEqualTo(0);
		assertThat(rotateHelp.stdout()).contains("--new-key", "--batch-size", "stop the server");

		Result generated = run(env(), "master-key", "generate");
		assertThat(generated.exitCode()).as(generated.toString()).isEqualTo(0);
		assertThat(Base64.getDecoder().decode(generated.stdout().strip())).hasSize(32);
		assertThat(generated.stderr()).containsPattern("Key id [0-9a-f]{8}");

		Result refused = run(env("PLINTO_MASTER_KEY", MASTER_KEY), "master-key", "rotate", "--new-key");
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertNoStackTrace(refused);
		assertThat(refused.lines(refused.stderr())).singleElement()
			.asString()
			.startsWith("PLINTO_MASTER_KEY is set")
			.contains("PLINTO_MASTER_KEY_PREVIOUS");
		assertThat(refused.output()).doesNotContain(MASTER_KEY);
		assertThat(dir.resolve("data").resolve("master.key")).doesNotExist();
	}

	@Test
	void masterKeyRotateWhenEmbeddedNewKeyThenEverythingResealedAndTheNewKeyAloneOpensIt() throws Exception {
		Result created = run(env(), "keys", "rotate");
		assertThat(created.exitCode()).as(created.toString()).isEqualTo(0);
		Path keyFile = dir.resolve("data").resolve("master.key");
		String oldKey = Files.readString(keyFile).strip();

		Result rotated = run(env(), "master-key", "rotate", "--new-key", "--batch-size", "1");

		assertThat(rotated.exitCode()).as(rotated.toString()).isEqualTo(0);
		List<String> keys = Files.readAllLines(keyFile).stream().filter(l -> !l.isBlank()).toList();
		assertThat(keys).hasSize(2).element(1).isEqualTo(oldKey);
		String newKey = keys.get(0);
		assertThat(Base64.getDecoder().decode(newKey)).hasSize(32);
		assertThat(rotated.stdout()).contains("Wrote a new master key")
			.contains("signing_keys.private_jwk: 1 re-sealed")
			.contains("signing_keys.private_jwk: 2 re-sealed")
			.contains("Re-sealed 2 value(s); every sealed value is now under master key");
		assertThat(rotated.output()).doesNotContain(oldKey).doesNotContain(newKey);

		// The previous key is no longer needed: only the new one in the file, and the signing keys still open.
		Files.writeString(keyFile, newKey + "\n");
		Result list = run(env(), "keys", "list");
		assertThat(list.exitCode()).as(list.toString()).isEqualTo(0);
		assertThat(list.stdout()).contains("signing", "next");
		Result status = run(env(), "master-key", "status");
		assertThat(status.stdout()).as(status.toString()).contains("Every sealed value is under the current key.");

		// And the old key alone no longer opens them: the start is refused before anything is opened or sealed.
		Files.writeString(keyFile, oldKey + "\n");
		Result withOldKey = run(env(), "keys", "list");
		assertThat(withOldKey.exitCode()).as(withOldKey.toString()).isEqualTo(2);
		assertNoStackTrace(withOldKey);
		assertThat(withOldKey.stderr()).contains("The master key does not match the data in embedded H2 at ")
			.contains("PLINTO_MASTER_KEY_PREVIOUS")
			.doesNotContain(oldKey);
	}

	@Test
	void masterKeyRotateWhenPostgresqlWithPreviousKeyThenResealedAndTheNewKeyAloneServes() throws Exception {
		String oldKey = Base64.getEncoder().encodeToString(dev.plinto.crypto.SecureTokens.randomBytes(32));
		String newKey = Base64.getEncoder().encodeToString(dev.plinto.crypto.SecureTokens.randomBytes(32));
		try (TestDatabases.Postgres db = TestDatabases.newPostgres()) {
			Result created = run(env("PLINTO_DATABASE_URL", db.url(), "PLINTO_MASTER_KEY", oldKey), "keys", "rotate");
			assertThat(created.exitCode()).as(created.toString()).isEqualTo(0);

			Result rotated = run(env("PLINTO_DATABASE_URL", db.url(), "PLINTO_MASTER_KEY", newKey,
					"PLINTO_MASTER_KEY_PREVIOUS", oldKey), "master-key", "rotate");
			assertThat(rotated.exitCode()).as(rotated.toString()).isEqualTo(0);
			assertThat(rotated.stdout()).contains("2 value(s) to do").contains("Re-sealed 2 value(s)");
			assertThat(rotated.output()).doesNotContain(oldKey).doesNotContain(newKey);

			Result list = run(env("PLINTO_DATABASE_URL", db.url(), "PLINTO_MASTER_KEY", newKey), "keys", "list");
			assertThat(list.exitCode()).as(list.toString()).isEqualTo(0);
			assertThat(list.stdout()).contains("signing", "next");
		}
	}

	@Test
	void apiKeysWhenCreatedListedRotatedAndRevokedThenSecretsArePrintedOnceAndTheKeyIsRevoked() throws Exception {
		Result created = run(env(), "api-keys", "create", "--name", "billing-backend", "--scope", "users:read",
				"--scope", "users:write", "--expires-in", "90d");
		assertThat(created.exitCode()).as(created.toString()).isZero();
		java.util.regex.Matcher m = java.util.regex.Pattern
			.compile("^(key_\\w+)  billing-backend  scopes: users:read users:write  expires: ", java.util.regex.Pattern.MULTILINE)
			.matcher(created.stdout());
		assertThat(m.find()).as(created.toString()).isTrue();
		String id = m.group(1);
		java.util.regex.Matcher secret = java.util.regex.Pattern.compile("shown only this once[^:]*: (sk_live_[A-Za-z0-9_-]{43})")
			.matcher(created.stdout());
		assertThat(secret.find()).as(created.toString()).isTrue();
		Result list = run(env(), "api-keys", "list");
		assertThat(list.stdout()).as(list.toString()).contains(id).contains("active").contains("never")
			.contains(secret.group(1).substring(0, 12) + "...")
			.doesNotContain(secret.group(1));
		Result rotated = run(env(), "api-keys", "rotate", id);
		assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
		assertThat(rotated.stdout()).containsPattern("shown only this once[^:]*: sk_live_[A-Za-z0-9_-]{43}")
			.doesNotContain(secret.group(1));
		Result revoked = run(env(), "api-keys", "revoke", id);
		assertThat(revoked.stdout()).as(revoked.toString()).contains("Revoked " + id);
		assertThat(run(env(), "api-keys", "list").stdout()).contains("revoked");
		Result again = run(env(), "api-keys", "revoke", id);
		assertThat(again.exitCode()).isEqualTo(1);
		assertThat(again.stderr()).contains("No API key with this id");
		assertNoStackTrace(again);
		Result unknown = run(env(), "api-keys", "create", "--name", "x", "--scope", "everything");
		assertThat(unknown.exitCode()).as(unknown.toString()).isNotZero();
		assertThat(unknown.stderr()).contains("'everything' is not a scope").contains("users:read");
	}

	@Test
	void clientsWhenCreatedListedRotatedAndDeletedThenSecretsArePrintedOnceAndTheClientIsGone() throws Exception {
		Result created = run(env(), "clients", "create", "--name", "Acme dashboard", "--redirect-uri",
				"https://app.acme.example/callback", "--first-party", "--backchannel-logout-uri",
				"https://app.acme.example/backchannel-logout");
		assertThat(created.exitCode()).as(created.toString()).isZero();
		assertThat(created.stdout()).contains("back-channel logout: https://app.acme.example/backchannel-logout");
		java.util.regex.Matcher id = java.util.regex.Pattern.compile("^(cli_\\w+)  confidential  Acme dashboard",
				java.util.regex.Pattern.MULTILINE).matcher(created.stdout());
		assertThat(id.find()).as(created.toString()).isTrue();
		String clientId = id.group(1);
		assertThat(created.stdout()).contains("consent: skipped (first-party)").contains("PKCE (S256): required")
			.containsPattern("Client secret \\(shown only this once[^:]*\\): [A-Za-z0-9_-]{43}");
		Result list = run(env(), "clients", "list");
		assertThat(list.stdout()).as(list.toString()).contains(clientId).doesNotContain("secret");
		Result rotated = run(env(), "clients", "rotate-secret", clientId);
		assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
		assertThat(rotated.stdout()).containsPattern("Client secret .*: [A-Za-z0-9_-]{43}");
		Result refused = run(env(), "clients", "create", "--name", "Bad", "--redirect-uri", "http://app.example/cb");
		assertThat(refused.exitCode()).isEqualTo(1);
		assertThat(refused.stderr()).contains("must be https");
		assertNoStackTrace(refused);
		Result badLogout = run(env(), "clients", "update", clientId, "--backchannel-logout-uri",
				"http://app.acme.example/logout");
		assertThat(badLogout.exitCode()).as(badLogout.toString()).isEqualTo(1);
		assertThat(badLogout.stderr()).contains("back-channel logout URI");
		Result updated = run(env(), "clients", "update", clientId, "--refresh-without-offline-access");
		assertThat(updated.stdout()).as(updated.toString())
			.contains("back-channel logout: https://app.acme.example/backchannel-logout")
			.contains("refresh tokens: without offline_access too");
		Result deleted = run(env(), "clients", "delete", clientId);
		assertThat(deleted.stdout()).as(deleted.toString()).contains("Deleted client " + clientId);
		Result gone = run(env(), "clients", "show", clientId);
		assertThat(gone.exitCode()).isEqualTo(1);
		assertThat(gone.stderr()).contains("There is no client " + clientId);
	}

	@Test
	void clientsWhenCreatedWithPrivateKeyJwtThenNoSecretIsPrintedAndTheKeysAreShown() throws Exception {
		java.nio.file.Path jwks = java.nio.file.Files.createTempFile("client", ".jwks");
		java.nio.file.Files.writeString(jwks, new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.gen
			.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("job-1").generate().toPublicJWK()).toString());
		Result created = run(env(), "clients", "create", "--name", "Batch job", "--grants", "client_credentials",
				"--scopes", "reports.read", "--auth", "private_key_jwt", "--jwks-file", jwks.toString());
		assertThat(created.exitCode()).as(created.toString()).isZero();
		assertThat(created.stdout()).contains("authentication: private_key_jwt (keys registered inline)")
			.doesNotContain("Client secret");
		Result noKeys = run(env(), "clients", "create", "--name", "No keys", "--grants", "client_credentials",
				"--auth", "private_key_jwt");
		assertThat(noKeys.exitCode()).isEqualTo(1);
		assertThat(noKeys.stderr()).contains("--auth private_key_jwt needs --jwks-uri URL or --jwks-file FILE");
		assertNoStackTrace(noKeys);
	}

	@Test
	void configCheckWhenEmbeddedDefaultsThenExit0SayingWhatItUses() throws Exception {
		Result r = run(env(), "config", "check");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(0);
		assertThat(r.stdout()).contains("Configuration is valid")
			.contains("embedded H2 at " + dir.resolve("data").resolve("plinto.mv.db"))
			.contains("in-process")
			.contains("log only");
	}

	@Test
	void configCheckWhenValueBadThenExit1NamingIt() throws Exception {
		Result r = run(env("PLINTO_SIGNING_ALG", "HS256"), "config", "check");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
		assertNoStackTrace(r);
		assertThat(r.lines(r.output())).singleElement().asString().startsWith("PLINTO_SIGNING_ALG ");
	}

	@Test
	void configCheckWhenDatabaseUnreachableThenExit1NamingDatabaseUrlWithoutPassword() throws Exception {
		Result r = run(env("PLINTO_DATABASE_URL", "postgresql://app:" + SECRET + "@127.0.0.1:1/plinto",
				"PLINTO_MASTER_KEY", MASTER_KEY), "config", "check");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
		assertNoStackTrace(r);
		assertThat(r.lines(r.output())).singleElement()
			.asString()
			.startsWith("PLINTO_DATABASE_URL")
			.contains("127.0.0.1:1/plinto");
		assertThat(r.output()).doesNotContain(SECRET);
	}

	@Test
	void configCheckWhenRedisUnreachableThenExit1NamingRedisUrl() throws Exception {
		Result r = run(env("PLINTO_REDIS_URL", "redis://:" + SECRET + "@127.0.0.1:1"), "config", "check");
		assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
		assertNoStackTrace(r);
		assertThat(r.lines(r.output())).singleElement().asString().startsWith("PLINTO_REDIS_URL").contains("127.0.0.1:1");
		assertThat(r.output()).doesNotContain(SECRET);
	}

	@Test
	void migrateThenKeysRotateWhenFreshDataDirThenSchemaAppliedAndNextKeyListed() throws Exception {
		Result migrate = run(env(), "migrate");
		assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(0);
		assertThat(migrate.stdout()).containsPattern("Applied [1-9][0-9]* migration\\(s\\) to embedded H2 at "
				+ Pattern.quote(dir.resolve("data").toString()))
			.containsPattern("schema version is now [0-9]+");
		Result again = run(env(), "migrate");
		assertThat(again.stdout()).as(again.toString()).contains("Applied 0 migration(s)");

		Result before = run(env(), "keys", "list");
		assertThat(before.exitCode()).as(before.toString()).isEqualTo(0);
		assertThat(keyStates(before)).containsExactly("signing");

		Result rotate = run(env(), "keys", "rotate");
		assertThat(rotate.exitCode()).as(rotate.toString()).isEqualTo(0);
		assertThat(rotate.stdout()).containsPattern("Created signing key key_[0-9a-z]+ \\(RS256\\)");

		Result after = run(env(), "keys", "list");
		assertThat(after.exitCode()).as(after.toString()).isEqualTo(0);
		assertThat(keyStates(after)).containsExactlyInAnyOrder("signing", "next");
		assertThat(after.output()).doesNotContain("PRIVATE").doesNotContainPattern("\"d\"\\s*:");

		String activeKid = keyKid(after, "signing");
		Result withdraw = run(env(), "keys", "withdraw", activeKid);
		assertThat(withdraw.exitCode()).as(withdraw.toString()).isEqualTo(0);
		assertThat(withdraw.stdout()).contains("Withdrew signing key " + activeKid)
			.containsPattern("Created signing key key_[0-9a-z]+ \\(RS256\\), which signs from now");
		Result withdrawn = run(env(), "keys", "list");
		assertThat(withdrawn.stdout()).doesNotContain(activeKid);
		assertThat(keyStates(withdrawn)).containsExactlyInAnyOrder("signing", "next");
		Result unknown = run(env(), "keys", "withdraw", "key_unknown");
		assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
		assertThat(unknown.stderr()).contains("There is no signing key key_unknown").doesNotContain("Exception");
	}

	/** The kid of the first key in this state in {@code keys list}. */
	private static String keyKid(Result r, String state) {
		Matcher m = Pattern.compile("^(key_[0-9a-z]+)\\s+\\S+\\s+" + state + "\\s", Pattern.MULTILINE).matcher(r.stdout());
		assertThat(m.find()).as(r.toString()).isTrue();
		return m.group(1);
	}

	/** The STATE column of {@code keys list}. */
	private static List<String> keyStates(Result r) {
		Pattern row = Pattern.compile("^key_[0-9a-z]+\\s+(RS256|ES256|EdDSA)\\s+(\\w+)\\s+.*$", Pattern.MULTILINE);
		Matcher m = row.matcher(r.stdout());
		List<String> states = new ArrayList<>();
		while (m.find()) {
			states.add(m.group(2));
		}
		return states;
	}

	@Test
	void serveWhenJsonLogsThenStartupReportRequestIdsNoSecretsAndStopsOnSigterm() throws Exception {
		Path out = dir.resolve("serve-stdout.txt");
		Path err = dir.resolve("serve-stderr.txt");
		Process server = program(env("PLINTO_PORT", "0", "PLINTO_LOG_FORMAT", "json"), "serve")
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.start();
		try {
			Matcher listening = awaitLine(server, out, Pattern.compile("Listening on http://localhost:(\\d+)"), COMMAND_TIMEOUT);
			String base = "http://localhost:" + listening.group(1);
			HttpClient http = HttpClient.newHttpClient();
			assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
					HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/sign-in"))
				.header("Content-Type", "application/json")
				.header("X-Request-Id", "cli-test-123")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"email\":\"nobody@example.com\",\"password\":\"" + SECRET + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(signIn.statusCode()).isEqualTo(401);
			awaitLine(server, out, Pattern.compile("cli-test-123"), COMMAND_TIMEOUT);

			// On embedded storage the server holds the database: a tool says so in one sentence.
			Result keys = run(env(), "keys", "list");
			assertThat(keys.exitCode()).as(keys.toString()).isEqualTo(1);
			assertThat(keys.stderr().strip()).as(keys.toString())
				.startsWith("The embedded database " + dir.resolve("data").resolve("plinto.mv.db")
						+ " is in use by another process")
				.doesNotContain("Exception", "WARN");
			Result backup = run(env("PLINTO_BACKUP_KEY", MASTER_KEY), "backup", "--out", "busy.backup");
			assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(1);
			assertThat(backup.stderr().strip()).as("the same sentence as keys list").isEqualTo(keys.stderr().strip());

			server.destroy();
			assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
		}
		finally {
			server.destroyForcibly();
		}

		String stdout = Files.readString(out);
		List<JsonNode> lines = new ArrayList<>();
		for (String line : stdout.lines().filter(l -> !l.isBlank()).toList()) {
			JsonNode node = parse(line);
			assertThat(node).as("not a JSON object: " + line).isNotNull();
			assertThat(node.isObject()).as(line).isTrue();
			lines.add(node);
		}
		List<String> messages = lines.stream().map(l -> l.path("message").asString("")).toList();
		assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("Listening on http://localhost:"))
			.anySatisfy(m -> assertThat(m).startsWith("Storage: embedded H2 at " + dir.resolve("data")))
			.anySatisfy(m -> assertThat(m).startsWith("Rate limits: in-process"))
			.anySatisfy(m -> assertThat(m).startsWith("Mail: log only"))
			.anySatisfy(m -> assertThat(m).startsWith("API docs: ").contains("/docs"));
		// Spring Boot's ECS format writes each MDC entry as a top-level member.
		assertThat(lines).anySatisfy(l -> assertThat(l.path("request_id").asString("")).isEqualTo("cli-test-123"));
		assertThat(stdout).doesNotContain(SECRET);
		assertThat(Files.readString(err)).doesNotContain(SECRET).doesNotContain("Exception");
	}

	private static JsonNode parse(String line) {
		try {
			return JSON.readTree(line);
		}
		catch (RuntimeException e) {
			return null;
		}
	}
}
