package dev.plinto.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A property-based fuzzer driven by the server's own {@code /openapi.json}: for every operation it sends bodies,
 * path and query parameters generated from the documented schemas, valid ones and deliberately invalid ones
 * (wrong types, missing and unknown fields, overlong and control-character strings, broken JSON, malformed UTF-8,
 * duplicate keys), with a valid, a missing or a forged bearer token. Every answer must hold these properties:
 * <ul>
 * <li>no 5xx;</li>
 * <li>the status is one the document lists for the operation;</li>
 * <li>the body matches the documented schema of that status and media type (JSON Schema 2020-12);</li>
 * <li>schema-invalid input is refused with a 4xx;</li>
 * <li>the security headers are present.</li>
 * </ul>
 * Each run uses a fixed seed (the same cases every build) and a fresh random one; a failure prints its seed, and
 * {@code -Dplinto.fuzz.seed=N} replays exactly that sequence ({@code -Dplinto.fuzz.requests=N} changes the count per
 * seed). Generation is plain seeded {@link Random} rather than a property-testing engine: jqwik, the JUnit engine
 * that would fit, is built for JUnit Platform 1.x and this build runs Platform 6.
 */
class OpenApiFuzzTests extends ApiTestSupport {

	/** The seed every run starts with, so CI repeats the same cases. */
	static final long FIXED_SEED = 16_2026L;

	private static final int REQUESTS_PER_SEED = Integer.getInteger("plinto.fuzz.requests", 1000);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final Set<String> SESSION_ENDING = Set.of("POST /v1/sign-out", "DELETE /v1/me/sessions",
			"DELETE /v1/me/sessions/{id}", "POST /v1/me/password");

	private static final List<String> HOSTILE = List.of("", " ", "..", "%2e%2e", "a/b", "null", "0", "-1",
			"' OR 1=1 --", "<script>", "\u0000", "\u202e", "\uD83D\uDE00", "x".repeat(600), "org_", "usr_0",
			"${jndi:ldap://x}", "%00", "\\", ";x=1");

	private JsonNode document;

	@org.springframework.beans.factory.annotation.Autowired
	private dev.plinto.admin.ApiKeys apiKeys;

	private OpenApiSchemas schemas;

	/** One operation of the document. */
	private record Operation(String method, String path, JsonNode spec) {

		String key() {
			return method + " " + path;
		}
	}

	/** One generated request and whether it is meant to be schema-invalid. */
	private record Case(String method, String path, String query, String bearer, byte[] body, boolean invalid,
			String why) {

		@Override
		public String toString() {
			String text = body == null ? "" : " " + new String(body, StandardCharsets.UTF_8);
			return method + " " + path + (query.isEmpty() ? "" : "?" + query) + (bearer == null ? "" : " [bearer]")
					+ (invalid ? " (invalid: " + why + ")" : "") + (text.length() > 300 ? text.substring(0, 300) + "…"
							: text);
		}
	}

	/** The state a run keeps: a signed-in user, an organization of theirs and ids that exist. */
	private final class World {

		String email;

		String token;

		String userId;

		String organizationId;

		/** A Backend API key with the scopes of its users and sessions endpoints. */
		final String adminKey = apiKeys.create("fuzz", List.of("users:read", "users:write", "sessions:write",
				"audit:read", "users:impersonate", "organizations:read", "organizations:write"), null, "test", dev.plinto.web.ClientInfo.none()).secret();

		final List<String> ids = new ArrayList<>();

		void signUp() {
			email = newEmail();
			ApiClient.Response r = OpenApiFuzzTests.this.signUp(email);
			token = r.text("access_token");
			userId = r.json().get("user").get("id").asString();
			ids.add(userId);
			ids.add(r.text("session_id"));
			createOrganization();
		}

		void createOrganization() {
			ApiClient.Response r = api.post("/v1/organizations", Map.of("name", "Fuzz"), token);
			assertThat(r.status()).as(r.toString()).isEqualTo(201);
			organizationId = r.text("id");
			ids.add(organizationId);
		}

		void signInAgain() {
			ApiClient.Response r = signIn(email, PASSWORD);
			if (r.status() == 200 && r.text("access_token") != null) {
				token = r.text("access_token");
				ids.add(r.text("session_id"));
			}
			else {
				signUp(); // the password was changed or the account is gone: continue with a new one
			}
		}
	}

	@Test
	void everyOperationWhenFuzzedFromTheDocumentThenDocumentedStatusSchemaAndHeaders() {
		String raw = api.get("/openapi.json").raw();
		document = JSON.readTree(raw);
		schemas = new OpenApiSchemas(raw);
		List<Operation> operations = operations();
		assertThat(operations).hasSizeGreaterThan(40);
		List<Long> seeds = Long.getLong("plinto.fuzz.seed") != null ? List.of(Long.getLong("plinto.fuzz.seed"))
				: List.of(FIXED_SEED, new Random().nextLong());
		for (long seed : seeds) {
			List<String> failures = run(operations, seed);
			assertThat(failures)
				.as("fuzzing with seed %d found %d failures (replay: ./mvnw test -Dtest=OpenApiFuzzTests "
						+ "-Dplinto.fuzz.seed=%d)", seed, failures.size(), seed)
				.isEmpty();
		}
	}

	private List<Operation> operations() {
		List<Operation> found = new ArrayList<>();
		document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
			if (Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
				found.add(new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()));
			}
		}));
		return found;
	}

	private List<String> run(List<Operation> operations, long seed) {
		Random random = new Random(seed);
		World world = new World();
		world.signUp();
		List<String> failures = new ArrayList<>();
		Set<String> distinct = new java.util.HashSet<>(); // one report per operation and kind of failure
		Instant started = Instant.now();
		for (int i = 0; i < REQUESTS_PER_SEED && failures.size() < 40; i++) {
			// every operation in turn, then random ones: each is covered even in a short run
			Operation operation = i < operations.size() * 3 ? operations.get(i % operations.size())
					: operations.get(random.nextInt(operations.size()));
			Case c = generate(operation, world, random);
			ApiClient.Response r = send(c);
			String problem = check(operation, c, r);
			if (problem != null && distinct.add(operation.key() + " " + problem.substring(0, Math.min(30,
					problem.length())))) {
				failures.add("seed " + seed + " #" + i + ": " + problem + "\n    request: " + c + "\n    answer: "
						+ r.status() + " " + abbreviate(r.raw()));
			}
			if (c.bearer() != null && c.bearer().equals(world.token)
					&& (r.status() == 401 || r.status() / 100 == 2 && SESSION_ENDING.contains(operation.key()))) {
				world.signInAgain();
			}
			if (r.status() / 100 == 2 && operation.key().equals("DELETE /v1/organizations/{id}")
					&& c.path().endsWith(world.organizationId)
					|| r.status() / 100 == 2 && operation.key().equals("POST /v1/organizations/{id}/leave")) {
				world.createOrganization();
			}
			if (r.status() == 201 && r.json() != null && r.json().get("id") != null) {
				world.ids.add(r.json().get("id").asString());
			}
		}
		System.out.printf("OpenApiFuzzTests: seed %d, %d requests in %s%n", seed, REQUESTS_PER_SEED,
				Duration.between(started, Instant.now()));
		failures.forEach(System.out::println);
		return failures;
	}

	private static String abbreviate(String s) {
		return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "…" : s;
	}

	private ApiClient.Response send(Case c) {
		HttpRequest.Builder b = api.request(c.path() + (c.query().isEmpty() ? "" : "?" + c.query()), c.bearer());
		if (c.body() != null) {
			b.header("Content-Type", "application/json");
			b.method(c.method(), HttpRequest.BodyPublishers.ofByteArray(c.body()));
		}
		else {
			b.method(c.method(), HttpRequest.BodyPublishers.noBody());
		}
		return api.send(b.build());
	}

	// ---------------------------------------------------------------- checking the answer

	private String check(Operation operation, Case c, ApiClient.Response r) {
		if (r.status() >= 500) {
			return "server error " + r.status();
		}
		if (!"nosniff".equals(r.header("X-Content-Type-Options")) || !"DENY".equals(r.header("X-Frame-Options"))
				|| !"no-referrer".equals(r.header("Referrer-Policy"))
				|| r.header("Content-Security-Policy") == null
				|| !r.header("Content-Security-Policy").contains("frame-ancestors 'none'")) {
			return "security headers missing";
		}
		if (c.invalid() && r.status() < 400) {
			return "schema-invalid input accepted with " + r.status();
		}
		JsonNode responses = operation.spec().get("responses");
		String status = Integer.toString(r.status());
		JsonNode documented = responses.get(status);
		if (documented == null) {
			documented = responses.get("default");
		}
		if (documented == null) {
			return "status " + status + " is not documented (documented: "
					+ String.join(", ", responses.propertyNames()) + ")";
		}
		JsonNode content = documented.get("content");
		if (content == null || content.isEmpty()) {
			return r.raw().isEmpty() || r.status() == 204 ? null : "a body where the document declares none";
		}
		String type = r.header("Content-Type") == null ? "" : r.header("Content-Type").split(";")[0].strip();
		if (content.get(type) == null) {
			return "media type '" + type + "' not documented for " + status + " (documented: "
					+ String.join(", ", content.propertyNames()) + ")";
		}
		if (content.get(type).get("schema") == null || r.json() == null) {
			return null;
		}
		String pointer = "/paths/" + OpenApiSchemas.escape(operation.path()) + "/"
				+ operation.method().toLowerCase() + "/responses/" + status + "/content/" + OpenApiSchemas.escape(type)
				+ "/schema";
		List<Error> errors = schemas.validate(pointer, r.json());
		return errors.isEmpty() ? null : "body does not match the documented schema: "
				+ errors.stream().map(Object::toString).limit(3).collect(Collectors.joining("; "));
	}

	// ---------------------------------------------------------------- generating requests

	private Case generate(Operation operation, World world, Random random) {
		boolean invalid = random.nextInt(100) < 40;
		List<String> whys = new ArrayList<>();
		String path = operation.path();
		StringBuilder query = new StringBuilder();
		JsonNode parameters = operation.spec().get("parameters");
		List<JsonNode> params = new ArrayList<>();
		if (parameters != null) {
			parameters.forEach(params::add);
		}
		// which part carries the invalid input: a parameter or the body
		JsonNode bodySchema = requestSchema(operation);
		int invalidPart = invalid ? random.nextInt(params.size() + (bodySchema == null ? 0 : 1) + 1) : -1;
		for (int i = 0; i < params.size(); i++) {
			JsonNode p = params.get(i);
			String name = p.get("name").asString();
			JsonNode schema = resolve(p.get("schema"));
			if ("path".equals(p.get("in").asString())) {
				path = path.replace("{" + name + "}", encode(pathValue(name, world, random)));
			}
			else if ("query".equals(p.get("in").asString())) {
				if (i == invalidPart) {
					String bad = invalidScalar(schema, random);
					if (bad != null) {
						whys.add("query " + name);
						append(query, name, bad);
						continue;
					}
				}
				JsonNode value = valid(schema, random, 0);
				if (random.nextBoolean() && !value.isNull()) {
					append(query, name, scalarText(value));
				}
			}
		}
		byte[] body = null;
		if (bodySchema != null) {
			JsonNode value = valid(bodySchema, random, 0);
			if (invalidPart == params.size()) {
				Object mutated = mutate(bodySchema, value, random, whys);
				body = mutated instanceof byte[] bytes ? bytes
						: JSON.writeValueAsString(mutated).getBytes(StandardCharsets.UTF_8);
			}
			else {
				body = JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
			}
		}
		else if ("POST".equals(operation.method()) || "PATCH".equals(operation.method())) {
			body = random.nextInt(4) == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : null;
		}
		String bearer = null;
		if (operation.path().startsWith("/v1/admin/")) {
			int pick = random.nextInt(10);
			bearer = pick < 7 ? world.adminKey : pick == 7 ? null : pick == 8 ? world.token
					: world.adminKey.substring(0, world.adminKey.length() - 2) + "xx";
		}
		else if (operation.spec().get("security") != null) {
			int pick = random.nextInt(10);
			bearer = pick < 8 ? world.token : pick == 8 ? null : forgedToken(world.token, random);
		}
		else if (random.nextInt(10) == 0) {
			bearer = world.token;
		}
		return new Case(operation.method(), path, query.toString(), bearer, body, !whys.isEmpty(),
				String.join(", ", whys));
	}

	private static void append(StringBuilder query, String name, String value) {
		query.append(query.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value));
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private String pathValue(String name, World world, Random random) {
		int pick = random.nextInt(10);
		if (pick < 5) {
			if (name.equals("id") && random.nextBoolean()) {
				return world.organizationId;
			}
			if (name.equals("key")) {
				return List.of("member", "admin", "owner", "custom-" + random.nextInt(3)).get(random.nextInt(4));
			}
			if (name.equals("user_id")) {
				return world.userId;
			}
			return world.ids.get(random.nextInt(world.ids.size()));
		}
		return HOSTILE.get(random.nextInt(HOSTILE.size()));
	}

	private static String forgedToken(String token, Random random) {
		String[] parts = token.split("\\.");
		return switch (random.nextInt(4)) {
			case 0 -> parts[0] + "." + parts[1] + ".";
			case 1 -> "eyJhbGciOiJub25lIn0." + parts[1] + ".";
			case 2 -> token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
			default -> "not-a-token";
		};
	}

	private JsonNode requestSchema(Operation operation) {
		JsonNode body = operation.spec().path("requestBody").path("content").path("application/json").get("schema");
		return body == null ? null : resolve(body);
	}

	private JsonNode resolve(JsonNode schema) {
		JsonNode current = schema;
		while (current != null && current.get("$ref") != null) {
			String ref = current.get("$ref").asString();
			current = document.at(ref.substring(1));
		}
		return current;
	}

	private static Set<String> types(JsonNode schema) {
		JsonNode type = schema.get("type");
		if (type == null) {
			return Set.of();
		}
		if (type.isArray()) {
			Set<String> all = new java.util.LinkedHashSet<>();
			type.forEach(t -> all.add(t.asString()));
			return all;
		}
		return Set.of(type.asString());
	}

	/** A value the schema accepts. */
	private JsonNode valid(JsonNode raw, Random random, int depth) {
		JsonNode schema = resolve(raw);
		if (schema.get("anyOf") != null) {
			JsonNode members = schema.get("anyOf");
			return valid(members.get(random.nextInt(members.size())), random, depth);
		}
		if (schema.get("enum") != null) {
			JsonNode values = schema.get("enum");
			return values.get(random.nextInt(values.size()));
		}
		Set<String> types = types(schema);
		if (types.contains("null") && random.nextInt(8) == 0) {
			return NODES.nullNode();
		}
		if (types.contains("object") || types.isEmpty() && schema.get("properties") != null) {
			ObjectNode object = NODES.objectNode();
			Set<String> required = new java.util.HashSet<>();
			schema.path("required").forEach(n -> required.add(n.asString()));
			if (schema.get("properties") != null) {
				schema.get("properties").properties().forEach(e -> {
					if (required.contains(e.getKey()) || random.nextInt(3) == 0) {
						object.set(e.getKey(), valid(e.getValue(), random, depth + 1));
					}
				});
			}
			if (schema.path("additionalProperties").asBoolean(false) && depth < 3) {
				for (int i = random.nextInt(3); i > 0; i--) {
					object.set("k" + random.nextInt(100), anyJson(random, depth + 1));
				}
			}
			return object;
		}
		if (types.isEmpty()) {
			return depth < 3 ? anyJson(random, depth + 1) : NODES.objectNode();
		}
		if (types.contains("array")) {
			ArrayNode array = NODES.arrayNode();
			int max = schema.has("maxItems") ? Math.min(3, schema.get("maxItems").asInt()) : 3;
			for (int i = random.nextInt(max + 1); i > 0; i--) {
				array.add(valid(schema.get("items"), random, depth + 1));
			}
			return array;
		}
		if (types.contains("integer")) {
			long min = schema.has("minimum") ? schema.get("minimum").asLong() : -5;
			long max = schema.has("maximum") ? schema.get("maximum").asLong() : 200;
			return NODES.numberNode(min + (long) random.nextInt((int) Math.min(1000, max - min + 1)));
		}
		if (types.contains("number")) {
			return NODES.numberNode(random.nextDouble() * 100);
		}
		if (types.contains("boolean")) {
			return NODES.booleanNode(random.nextBoolean());
		}
		return NODES.stringNode(validString(schema, random));
	}

	private String validString(JsonNode schema, Random random) {
		int min = schema.path("minLength").asInt(0);
		int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : 40;
		String format = schema.path("format").asString("");
		if (format.equals("email") || format.equals("idn-email")) {
			return List.of("fuzz-", "Fuzz.", "fuzz+tag-", "jos\u00e9-").get(random.nextInt(4))
					+ Long.toHexString(random.nextLong()) + List.of("@example.com", "@B\u00fccher.example",
							"@xn--bcher-kva.example").get(random.nextInt(3));
		}
		if ("date-time".equals(schema.path("format").asString(null))) {
			return Instant.ofEpochSecond(random.nextInt(2_000_000_000)).toString();
		}
		if (schema.get("example") != null && random.nextBoolean()) {
			return schema.get("example").asString();
		}
		java.util.regex.Pattern pattern = schema.has("pattern")
				? java.util.regex.Pattern.compile(schema.get("pattern").asString()) : null;
		for (int attempt = 0; attempt < 50; attempt++) {
			int length = min + random.nextInt(Math.max(1, Math.min(max, min + 24) - min + 1));
			StringBuilder s = new StringBuilder();
			for (int i = 0; i < length; i++) {
				s.append(random.nextInt(10) == 0 ? "éß漢 ".charAt(random.nextInt(4))
						: (char) ('a' + random.nextInt(26)));
			}
			if (pattern == null || pattern.matcher(s).find()) {
				return s.toString();
			}
		}
		return schema.path("example").asString("a".repeat(Math.max(1, min)));
	}

	private JsonNode anyJson(Random random, int depth) {
		return switch (random.nextInt(depth > 2 ? 4 : 6)) {
			case 0 -> NODES.stringNode("v" + random.nextInt(1000));
			case 1 -> NODES.numberNode(random.nextInt(1000) - 500);
			case 2 -> NODES.booleanNode(random.nextBoolean());
			case 3 -> NODES.nullNode();
			case 4 -> NODES.arrayNode().add(anyJson(random, depth + 1));
			default -> NODES.objectNode().set("n", anyJson(random, depth + 1));
		};
	}

	/** A query-parameter value the schema refuses, or null when every text is acceptable. */
	private static String invalidScalar(JsonNode schema, Random random) {
		Set<String> types = types(schema);
		if (types.contains("integer")) {
			List<String> bad = new ArrayList<>(List.of("abc", "1.5", "1e3", "", "99999999999999999999"));
			if (schema.has("minimum")) {
				bad.add(Long.toString(schema.get("minimum").asLong() - 1));
			}
			if (schema.has("maximum")) {
				bad.add(Long.toString(schema.get("maximum").asLong() + 1));
			}
			return bad.get(random.nextInt(bad.size()));
		}
		if (types.contains("string") && schema.has("maxLength")) {
			return "q".repeat(schema.get("maxLength").asInt() + 1);
		}
		return null;
	}

	/**
	 * A schema-invalid variant of a valid body: JSON the schema refuses (checked with the validator, so the case is
	 * really invalid), or bytes that are not JSON at all.
	 */
	private Object mutate(JsonNode schema, JsonNode valid, Random random, List<String> whys) {
		String text = JSON.writeValueAsString(valid);
		switch (random.nextInt(10)) {
			case 0 -> {
				whys.add("not JSON");
				return text.substring(0, Math.max(0, text.length() - 1)).getBytes(StandardCharsets.UTF_8);
			}
			case 1 -> {
				whys.add("overlong UTF-8");
				byte[] head = "{\"x\":\"".getBytes(StandardCharsets.UTF_8);
				byte[] bytes = java.util.Arrays.copyOf(head, head.length + 4);
				bytes[head.length] = (byte) 0xC0;
				bytes[head.length + 1] = (byte) 0xAF;
				bytes[head.length + 2] = '"';
				bytes[head.length + 3] = '}';
				return bytes;
			}
			case 2 -> {
				if (valid.isObject() && !valid.isEmpty()) {
					String first = valid.propertyNames().iterator().next();
					whys.add("duplicate key " + first);
					return ("{\"" + first + "\":" + valid.get(first) + "," + text.substring(1))
						.getBytes(StandardCharsets.UTF_8);
				}
			}
			default -> {
			}
		}
		for (int attempt = 0; attempt < 20; attempt++) {
			JsonNode candidate = valid.deepCopy();
			String why = mutateNode(schema, candidate, random);
			if (why != null && !schemas.validate(pointerOf(schema), candidate).isEmpty()) {
				whys.add(why);
				return candidate;
			}
		}
		whys.add("not an object");
		return NODES.arrayNode().add(valid);
	}

	private final Map<JsonNode, String> pointers = new java.util.IdentityHashMap<>();

	/** The JSON pointer of a component schema of the document. */
	private String pointerOf(JsonNode schema) {
		return pointers.computeIfAbsent(schema, s -> {
			for (Iterator<Map.Entry<String, JsonNode>> it = document.get("components").get("schemas").properties()
				.iterator(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				if (e.getValue() == s) {
					return "/components/schemas/" + OpenApiSchemas.escape(e.getKey());
				}
			}
			throw new IllegalStateException("request body schema is not a component");
		});
	}

	/** Changes one property of an object so that it breaks its schema; the reason, or null if none applies. */
	private String mutateNode(JsonNode schema, JsonNode value, Random random) {
		if (!(value instanceof ObjectNode object) || schema.get("properties") == null) {
			return null;
		}
		List<Map.Entry<String, JsonNode>> properties = new ArrayList<>(schema.get("properties").properties());
		Map.Entry<String, JsonNode> target = properties.get(random.nextInt(properties.size()));
		JsonNode property = resolve(target.getValue());
		Set<String> types = types(property);
		String name = target.getKey();
		switch (random.nextInt(7)) {
			case 0 -> {
				object.put("unknown_" + random.nextInt(100), "x");
				return "unknown field";
			}
			case 1 -> {
				if (schema.path("required").isEmpty()) {
					return null;
				}
				String required = schema.get("required").get(random.nextInt(schema.get("required").size()))
					.asString();
				object.remove(required);
				return "missing " + required;
			}
			case 2 -> {
				if (types.contains("string") && property.has("maxLength")) {
					object.put(name, "l".repeat(property.get("maxLength").asInt() + 1 + random.nextInt(10)));
					return "overlong " + name;
				}
				return null;
			}
			case 3 -> {
				if (types.contains("string") && property.has("pattern")) {
					object.put(name, "line\nbreak\u0007");
					return "pattern " + name;
				}
				if (property.has("enum")) {
					object.put(name, "not-in-enum");
					return "enum " + name;
				}
				return null;
			}
			default -> {
				List<JsonNode> wrong = new ArrayList<>(List.of(NODES.booleanNode(true), NODES.numberNode(42),
						NODES.numberNode(1.5), NODES.stringNode("text"), NODES.arrayNode().add(1),
						NODES.objectNode().put("a", 1)));
				if (!types.contains("null")) {
					wrong.add(NODES.nullNode());
				}
				object.set(name, wrong.get(random.nextInt(wrong.size())));
				return "type of " + name;
			}
		}
	}

	private static String scalarText(JsonNode value) {
		return value.isString() ? value.asString() : value.isNull() ? "" : value.toString();
	}
}
