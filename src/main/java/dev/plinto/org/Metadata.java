package dev.plinto.org;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Organization metadata: a JSON object of at most {@link #MAX_BYTES} bytes as stored. It is stored with every
 * non-ASCII character escaped ({@code \\uXXXX}), so whatever a client sends (even an unpaired surrogate or a NUL
 * inside a string) is stored as plain ASCII text that both databases accept (OWASP API Security Top 10 2023,
 * API4 "Unrestricted Resource Consumption": bound what a client can make the server store).
 */
final class Metadata {

	/** The bound of one metadata object, as stored. */
	static final int MAX_BYTES = 8192;

	static final String EMPTY = "{}";

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	private Metadata() {
	}

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	/** The stored form of a metadata object sent as {@code field}; null when none was sent. */
	static String store(String field, Map<String, Object> value) {
		if (value == null) {
			return null;
		}
		String text = JSON.writeValueAsString(value);
		if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			throw ApiException.validation(field, ErrorCode.METADATA_TOO_LARGE,
					field + " must be at most " + MAX_BYTES + " bytes of JSON.");
		}
		return text;
	}

	/** The stored text read back as a JSON object. */
	static Map<String, Object> read(String stored) {
		return JSON.readValue(stored == null ? EMPTY : stored, OBJECT);
	}
}
