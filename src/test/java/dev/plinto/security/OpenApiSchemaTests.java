package dev.plinto.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /openapi.json} is portable: an OpenAPI 3.1 document whose every schema is valid JSON Schema 2020-12 to a
 * standard validator, whose patterns are anchored ECMAScript regular expressions (compiled by Node's engine, as
 * JavaScript and Python validators would), and whose schemas say what the server really takes and answers.
 */
class OpenApiSchemaTests extends ApiTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonNode document;

	private OpenApiSchemas schemas;

	@BeforeEach
	void load() {
		ApiClient.Response r = api.get("/openapi.json");
		assertThat(r.status()).isEqualTo(200);
		document = JSON.readTree(r.raw());
		schemas = new OpenApiSchemas(r.raw());
	}

	/** Every schema object of the document, by JSON pointer: components and those inline in operations. */
	private Map<String, JsonNode> allSchemas() {
		Map<String, JsonNode> found = new LinkedHashMap<>();
		document.get("components").get("schemas").properties()
			.forEach(e -> found.put("/components/schemas/" + OpenApiSchemas.escape(e.getKey()), e.getValue()));
		collect(document.get("paths"), "/paths", found);
		return found;
	}

	private static void collect(JsonNode node, String pointer, Map<String, JsonNode> found) {
		if (node == null || !node.isContainer()) {
			return;
		}
		if (node.isObject()) {
			node.properties().forEach(e -> {
				String child = pointer + "/" + OpenApiSchemas.escape(e.getKey());
				if (e.getKey().equals("schema") && e.getValue().isObject()) {
					found.put(child, e.getValue());
				}
				else {
					collect(e.getValue(), child, found);
				}
			});
		}
		else {
			for (int i = 0; i < node.size(); i++) {
				collect(node.get(i), pointer + "/" + i, found);
			}
		}
	}

	/** Every {@code pattern} keyword's value in the document's schemas. */
	private static void patterns(JsonNode node, List<String> out) {
		if (node == null || !node.isContainer()) {
			return;
		}
		if (node.isObject()) {
			node.properties().forEach(e -> {
				if (e.getKey().equals("pattern") && e.getValue().isString()) {
					out.add(e.getValue().asString());
				}
				else if (!e.getKey().equals("properties") || e.getValue().isObject()) {
					patterns(e.getValue(), out);
				}
			});
		}
		else {
			node.forEach(child -> patterns(child, out));
		}
	}

	@Test
	void openApiWhenServedThenVersion31WithTheJsonSchema202012Dialect() {
		assertThat(document.get("openapi").asString()).startsWith("3.1.");
		JsonNode dialect = document.get("jsonSchemaDialect");
		assertThat(dialect == null || dialect.asString().equals("https://spec.openapis.org/oas/3.1/dialect/base"))
			.isTrue();
	}

	@Test
	void schemasWhenCheckedAgainstTheMetaSchemaThenValidAndCompile() {
		Map<String, JsonNode> all = allSchemas();
		assertThat(all).hasSizeGreaterThan(40);
		SoftAssertions soft = new SoftAssertions();
		all.forEach((pointer, schema) -> {
			soft.assertThat(schemas.metaValidate(schema)).as(pointer).isEmpty();
			soft.assertThatCode(() -> schemas.at(pointer).validate(JSON.readTree("null"))).as(pointer)
				.doesNotThrowAnyException();
		});
		soft.assertAll();
	}

	@Test
	void patternsWhenReadThenAnchoredAndCompiledByAnEcmaScriptEngine() throws IOException, InterruptedException {
		List<String> found = new ArrayList<>();
		patterns(document, found);
		assertThat(found).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("^").endsWith("$"));
		assertThat(String.join("\n", found)).doesNotContain("\\p{Cntrl}").doesNotContain("(?s)");
		Process node;
		try {
			node = new ProcessBuilder("node", "-e", """
					const patterns = JSON.parse(require('fs').readFileSync(0, 'utf8'));
					const bad = [];
					for (const p of patterns) {
					  try { new RegExp(p, 'u'); } catch (e) { bad.push(p + ' -> ' + e.message); }
					}
					console.log(JSON.stringify(bad));
					""").redirectErrorStream(true).start();
		}
		catch (IOException e) {
			Assumptions.assumeFalse("true".equals(System.getenv("CI")), "node is required in CI");
			Assumptions.abort("node not installed: the ECMAScript compilation of the patterns is skipped");
			return;
		}
		node.getOutputStream().write(JSON.writeValueAsString(found).getBytes(StandardCharsets.UTF_8));
		node.getOutputStream().close();
		String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(out).isEqualTo("[]");
	}

	@Test
	void schemasWhenNullableFieldsThenTheirTypeAdmitsNull() {
		JsonNode components = document.get("components").get("schemas");
		assertThat(types(components.get("UserView").get("properties").get("name"))).contains("string", "null");
		assertThat(components.properties().stream()
			.filter(e -> e.getKey().startsWith("Page"))
			.map(e -> types(e.getValue().get("properties").get("next_cursor"))))
			.isNotEmpty()
			.allSatisfy(t -> assertThat(t).contains("string", "null"));
		assertThat(types(components.get("RoleView").get("properties").get("description"))).contains("null");
		assertThat(types(components.get("ActiveOrganizationRequest").get("properties").get("organization_id")))
			.contains("string", "null");
	}

	@Test
	void publicMetadataWhenDescribedThenAnObjectOfAnyJsonValues() {
		JsonNode metadata = document.get("components").get("schemas").get("CreateOrganizationRequest")
			.get("properties").get("public_metadata");
		JsonNode pointer = JSON.readTree("{\"plan\":\"pro\",\"seats\":5,\"flags\":[true],\"owner\":{\"id\":1}}");
		assertThat(schemas.validate("/components/schemas/CreateOrganizationRequest/properties/public_metadata",
				pointer)).isEmpty();
		assertThat(schemas.validate("/components/schemas/CreateOrganizationRequest/properties/public_metadata",
				JSON.readTree("[1]"))).isNotEmpty();
		assertThat(metadata.toString()).doesNotContain("\"additionalProperties\":{\"type\":\"object\"}");
	}

	@Test
	void requestSchemasWhenReadThenClosedObjects() {
		JsonNode signUp = document.get("components").get("schemas").get("SignUpRequest");
		assertThat(signUp.get("additionalProperties").asBoolean(true)).isFalse();
		assertThat(schemas.validate("/components/schemas/SignUpRequest",
				JSON.readTree("{\"email\":\"a@example.com\",\"password\":\"x\",\"admin\":true}"))).isNotEmpty();
	}

	@Test
	void responsesWhenOneStatusHasSeveralShapesThenAnyOfSoThatEachShapeValidates() {
		String pointer = "/paths/~1v1~1sign-up/post/responses/201/content/application~1json/schema";
		assertThat(document.at(pointer).get("oneOf")).isNull();
		assertThat(document.at(pointer).get("anyOf")).isNotNull();
		ApiClient.Response signedUp = signUp(newEmail());
		assertThat(schemas.validate(pointer, signedUp.json())).isEmpty();
	}

	@Test
	void operationsWhenTheyTakeAPathSegmentThenDocumentTheRefusedUrlAs400() {
		SoftAssertions soft = new SoftAssertions();
		document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
			boolean hasPathParameter = false;
			for (JsonNode parameter : operation.getValue().path("parameters")) {
				hasPathParameter |= "path".equals(parameter.get("in").asString());
			}
			if (hasPathParameter) {
				soft.assertThat(operation.getValue().get("responses").get("400"))
					.as(operation.getKey() + " " + path.getKey())
					.isNotNull();
			}
		}));
		soft.assertAll();
		ApiClient.Response refused = api.get("/v1/organizations/a%3Bb", account().token());
		assertThat(refused.status()).isEqualTo(400);
	}

	private static List<String> types(JsonNode schema) {
		List<String> types = new ArrayList<>();
		JsonNode type = schema.get("type");
		if (type == null) {
			schema.path("anyOf").forEach(member -> types.addAll(types(member)));
		}
		else if (type.isArray()) {
			type.forEach(t -> types.add(t.asString()));
		}
		else {
			types.add(type.asString());
		}
		return types;
	}
}
