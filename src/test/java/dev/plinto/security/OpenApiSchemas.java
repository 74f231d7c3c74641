package dev.plinto.security;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The schemas of the server's own {@code /openapi.json}, compiled by a standard JSON Schema 2020-12 validator
 * (networknt json-schema-validator): a schema anywhere in the document is addressed by its JSON pointer, and its
 * {@code $ref}s resolve inside the document as any 2020-12 validator resolves them.
 */
final class OpenApiSchemas {

	/** The IRI the document is registered under; nothing is fetched from it. */
	static final String DOCUMENT = "https://plinto.test/openapi.json";

	static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

	private final SchemaRegistry registry;

	private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

	OpenApiSchemas(String documentText) {
		this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
				builder -> builder.schemas(Map.of(DOCUMENT, documentText)));
	}

	/** The schema at a JSON pointer of the document, e.g. {@code /components/schemas/Problem}. */
	Schema at(String pointer) {
		return compiled.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + p)));
	}

	/** The errors of an instance against the schema at a pointer; empty when it is valid. */
	List<Error> validate(String pointer, JsonNode instance) {
		return at(pointer).validate(instance);
	}

	/** The errors of a schema against the JSON Schema 2020-12 meta-schema. */
	List<Error> metaValidate(JsonNode schema) {
		return registry.getSchema(SchemaLocation.of(META_SCHEMA)).validate(schema);
	}

	/** A JSON pointer token (RFC 6901 §3). */
	static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}
}
