package dev.plinto.account;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's metadata as stored: three JSON objects of at most {@link #MAX_BYTES} bytes each. {@code public} is set by
 * the backend and readable by the user (GET /v1/me); {@code private} is for the backend only and never shown to the
 * user; {@code unsafe} the user may write themselves (PATCH /v1/me), so nothing may trust it. Stored with every
 * non-ASCII character escaped, like organizations' metadata, so whatever a client sends is plain ASCII text both
 * databases accept (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption": bound what a client
 * can make the server store; API3 "Broken Object Property Level Authorization": private metadata never leaves the
 * Backend API).
 */
public record UserMetadata(String publicJson, String privateJson, String unsafeJson) {

	/** The bound of one metadata object, as stored (the column's size). */
	public static final int MAX_BYTES = 8192;

	private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	/** The stored form of a metadata object sent as {@code field}; null when none was sent. */
	public static String store(String field, Map<String, Object> value) {
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

	public Map<String, Object> publicMetadata() {
		return read(publicJson);
	}

	public Map<String, Object> privateMetadata() {
		return read(privateJson);
	}

	public Map<String, Object> unsafeMetadata() {
		return read(unsafeJson);
	}

	private static Map<String, Object> read(String stored) {
		return JSON.readValue(stored == null ? "{}" : stored, OBJECT);
	}
}
