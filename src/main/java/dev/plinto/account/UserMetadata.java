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

	/**
	 * The largest public metadata, as stored, that {@code PLINTO_TOKEN_PUBLIC_METADATA=on} puts into tokens. A
	 * browser keeps at most 4,096 bytes per cookie (RFC 6265 §6.1 asks for no more), and the session JWT cookie holds
	 * the whole access token: its other claims, an organization's permissions and an RSA signature take about half of
	 * that, base64url adds a third to everything, so a claim of 1 KiB still fits. Larger metadata is left out of the
	 * token rather than cut (a cut JSON object would mean something else); the Backend API and {@code GET /v1/me}
	 * always give it whole.
	 */
	public static final int TOKEN_CLAIM_MAX_BYTES = 1024;

	/**
	 * The public metadata as the {@code public_metadata} claim of a token: the stored object ({@code {}} when none
	 * is stored), or empty when it is larger than {@link #TOKEN_CLAIM_MAX_BYTES}.
	 */
	public static java.util.Optional<Map<String, Object>> publicClaim(String storedPublicJson) {
		if (storedPublicJson != null
				&& storedPublicJson.getBytes(StandardCharsets.UTF_8).length > TOKEN_CLAIM_MAX_BYTES) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.of(read(storedPublicJson));
	}

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
