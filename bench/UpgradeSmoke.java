import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API smoke test of a rolling upgrade (bench/upgrade.sh, docs/deployment.md "Upgrades and rollbacks"). It runs
 * in three phases against nodes of two releases that share one PostgreSQL database, and keeps what it made in a
 * state file between them:
 * <ul>
 * <li>{@code before old=URL}: only the previous release runs, on its own schema. A user signs up and in, renames
 * itself, creates an organization and refreshes its session.</li>
 * <li>{@code during old=URL new=URL}: the new release has migrated the database and runs beside the previous one.
 * The previous node still serves everything it served (the refresh chain continues, new sign-ups, organizations);
 * the two nodes accept each other's users, access tokens and refresh tokens; a sign-out on one ends the session on
 * the other.</li>
 * <li>{@code after old=URL}: the previous release restarted on the migrated database (a rollback of the code): every
 * user made so far signs in and reads itself.</li>
 * </ul>
 * Every answer that is not the expected status is printed; the exit code is 1 when there was any.
 *
 * <pre>java bench/UpgradeSmoke.java PHASE state=FILE old=URL [new=URL]</pre>
 */
public final class UpgradeSmoke {

	private static final Pattern STRING = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*\"([^\"]*)\"");

	private static final String PASSWORD = "upgrade-Smoke-passw0rd!";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final List<String> failures = new ArrayList<>();

	private int checks;

	public static void main(String[] args) throws Exception {
		String phase = args[0];
		Properties options = new Properties();
		for (int i = 1; i < args.length; i++) {
			String[] pair = args[i].split("=", 2);
			options.setProperty(pair[0], pair[1]);
		}
		Path stateFile = Path.of(options.getProperty("state"));
		Properties state = new Properties();
		if (Files.exists(stateFile)) {
			try (Reader in = Files.newBufferedReader(stateFile)) {
				state.load(in);
			}
		}
		UpgradeSmoke smoke = new UpgradeSmoke();
		String old = options.getProperty("old");
		switch (phase) {
			case "before" -> smoke.before(old, state);
			case "during" -> smoke.during(old, options.getProperty("new"), state);
			case "after" -> smoke.after(old, state);
			default -> throw new IllegalArgumentException("phase must be before, during or after: " + phase);
		}
		try (Writer out = Files.newBufferedWriter(stateFile)) {
			state.store(out, "bench/UpgradeSmoke.java");
		}
		System.out.printf("upgrade smoke, %s: %d checks, %d failed%n", phase, smoke.checks, smoke.failures.size());
		smoke.failures.forEach(f -> System.out.println("  FAILED " + f));
		System.exit(smoke.failures.isEmpty() ? 0 : 1);
	}

	/** The previous release alone, on its own schema. */
	private void before(String old, Properties state) throws Exception {
		String email = signUp(old, "first");
		state.setProperty("user.first", email);
		String access = signIn(old, email).get("access_token");
		expect("rename on the previous node", call(old, "PATCH", "/v1/me", "{\"name\":\"Before Upgrade\"}", access),
				200);
		Answer org = call(old, "POST", "/v1/organizations", "{\"name\":\"Upgrade Co\"}", access);
		expect("organization created on the previous node", org, 201);
		state.setProperty("org", org.field("id"));
		Answer signedIn = call(old, "POST", "/v1/sign-in", credentials(email), null);
		expect("sign-in for the refresh chain", signedIn, 200);
		Answer refreshed = call(old, "POST", "/v1/token/refresh", refresh(signedIn.field("refresh_token")), null);
		expect("refresh on the previous node", refreshed, 200);
		state.setProperty("chain", refreshed.field("refresh_token"));
	}

	/** Both releases on the migrated database. */
	private void during(String old, String next, Properties state) throws Exception {
		// The previous node keeps serving after the migration.
		Answer onOld = call(old, "POST", "/v1/token/refresh", refresh(state.getProperty("chain")), null);
		expect("refresh chain continues on the previous node after the migration", onOld, 200);
		Answer me = call(old, "GET", "/v1/me", null, onOld.field("access_token"));
		expect("previous node reads the user after the migration", me, 200);
		if (!"Before Upgrade".equals(me.field("name"))) {
			failures.add("the name set before the upgrade reads " + me.field("name"));
		}
		expect("previous node reads the organization",
				call(old, "GET", "/v1/organizations/" + state.getProperty("org"), null, onOld.field("access_token")),
				200);
		String second = signUp(old, "second");
		state.setProperty("user.second", second);

		// The chain moves to the new node and back.
		Answer onNew = call(next, "POST", "/v1/token/refresh", refresh(onOld.field("refresh_token")), null);
		expect("refresh token of the previous node refreshed on the new node", onNew, 200);
		expect("access token of the new node read by the previous node",
				call(old, "GET", "/v1/me", null, onNew.field("access_token")), 200);
		Answer back = call(old, "POST", "/v1/token/refresh", refresh(onNew.field("refresh_token")), null);
		expect("refresh token of the new node refreshed on the previous node", back, 200);
		expect("access token of the previous node read by the new node",
				call(next, "GET", "/v1/me", null, back.field("access_token")), 200);
		state.setProperty("chain", back.field("refresh_token"));

		// Users made by either release sign in on the other.
		signIn(next, state.getProperty("user.first"));
		signIn(next, second);
		String third = signUp(next, "third");
		state.setProperty("user.third", third);
		String access = signIn(old, third).get("access_token");
		expect("organizations listed on the previous node for a user of the new node",
				call(old, "GET", "/v1/organizations", null, access), 200);

		// A sign-out on one release ends the session on the other.
		expect("user of the new node signs out on the previous node",
				call(old, "POST", "/v1/sign-out", null, access), 204);
		expect("the new node refuses the signed-out session's access token",
				call(next, "GET", "/v1/me", null, access), 401);
		String onNewAccess = signIn(next, second).get("access_token");
		expect("user signs out on the new node", call(next, "POST", "/v1/sign-out", null, onNewAccess), 204);
		expect("the previous node refuses the signed-out session's access token",
				call(old, "GET", "/v1/me", null, onNewAccess), 401);
	}

	/** The previous release restarted on the migrated database. */
	private void after(String old, Properties state) throws Exception {
		for (String key : List.of("user.first", "user.second", "user.third")) {
			String access = signIn(old, state.getProperty(key)).get("access_token");
			expect("previous release after restart reads " + key, call(old, "GET", "/v1/me", null, access), 200);
		}
		Answer refreshed = call(old, "POST", "/v1/token/refresh", refresh(state.getProperty("chain")), null);
		expect("refresh chain continues on the restarted previous release", refreshed, 200);
	}

	private String signUp(String node, String label) throws Exception {
		String email = "upgrade-" + label + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		expect("sign-up " + label + " on " + node, call(node, "POST", "/v1/sign-up", credentials(email), null), 201);
		return email;
	}

	private java.util.Map<String, String> signIn(String node, String email) throws Exception {
		Answer answer = call(node, "POST", "/v1/sign-in", credentials(email), null);
		expect("sign-in " + email + " on " + node, answer, 200);
		return java.util.Map.of("access_token", answer.field("access_token"));
	}

	private static String credentials(String email) {
		return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
	}

	private static String refresh(String token) {
		return "{\"refresh_token\":\"" + token + "\"}";
	}

	private void expect(String what, Answer answer, int status) {
		checks++;
		if (answer.status() != status) {
			failures.add(what + ": " + answer.status() + " (expected " + status + ") " + answer.body());
		}
	}

	record Answer(int status, String body) {

		/** A string field of the JSON answer, or "" when it has none. */
		String field(String name) {
			Matcher m = STRING.matcher(body);
			while (m.find()) {
				if (m.group(1).equals(name)) {
					return m.group(2);
				}
			}
			return "";
		}
	}

	private Answer call(String node, String method, String path, String json, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body());
		}
		catch (IOException e) {
			return new Answer(0, e.toString());
		}
	}
}
