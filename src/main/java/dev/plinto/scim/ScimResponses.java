package dev.plinto.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.utils.JsonUtils;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Reads and writes SCIM bodies ({@code application/scim+json}, RFC 7644 §3.1) with the SCIM SDK's own Jackson
 * mapper, and renders SCIM errors in the form of RFC 7644 §3.12 — for the controller and for the security filter
 * chain's refusals alike, so that every answer under {@code /scim/v2} is SCIM.
 */
public final class ScimResponses {

	/** RFC 7644 §8.1. */
	public static final MediaType SCIM_JSON = MediaType.parseMediaType("application/scim+json;charset=UTF-8");

	static final ObjectMapper JSON = JsonUtils.createObjectMapper();

	private ScimResponses() {
	}

	static ObjectNode object() {
		return JSON.createObjectNode();
	}

	/** The request body as a JSON object; 400 {@code invalidSyntax} otherwise. */
	static ObjectNode parse(String body) {
		if (body == null || body.isBlank()) {
			throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request needs a JSON body.");
		}
		try {
			JsonNode node = JSON.readTree(body);
			if (node instanceof ObjectNode object) {
				return object;
			}
		}
		catch (JsonProcessingException e) {
			// the parser's message may quote the body; the detail says what is wrong without it
		}
		throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "The request body is not a JSON object.");
	}

	static ResponseEntity<byte[]> ok(JsonNode body) {
		return ResponseEntity.ok().contentType(SCIM_JSON).body(bytes(body));
	}

	static ResponseEntity<byte[]> created(String location, JsonNode body) {
		return ResponseEntity.status(201).header(HttpHeaders.LOCATION, location).contentType(SCIM_JSON)
			.body(bytes(body));
	}

	static ResponseEntity<byte[]> error(ScimError e) {
		return ResponseEntity.status(e.status()).contentType(SCIM_JSON).body(errorBody(e.status(), e.scimType(),
				e.getMessage()));
	}

	/**
	 * Writes a SCIM error (RFC 7644 §3.12) to a response: for the security filter chain, which answers before any
	 * controller (401 with {@code WWW-Authenticate: Bearer}, RFC 6750 §3).
	 */
	public static void write(HttpServletResponse response, int status, String detail) throws IOException {
		response.setStatus(status);
		response.setContentType(SCIM_JSON.toString());
		response.getOutputStream().write(errorBody(status, null, detail));
	}

	private static byte[] errorBody(int status, String scimType, String detail) {
		ErrorResponse error = new ErrorResponse(status);
		error.setScimType(scimType);
		error.setDetail(detail);
		try {
			return JSON.writeValueAsBytes(error);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("a SCIM error is always serializable", e);
		}
	}

	private static byte[] bytes(JsonNode body) {
		try {
			return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("a SCIM resource is always serializable", e);
		}
	}
}
