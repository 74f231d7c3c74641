package dev.plinto.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The one place that renders errors, as RFC 9457 problem details ({@code application/problem+json}) with
 * {@code type}, {@code title}, {@code status}, {@code detail}, a stable {@code code}, the {@code request_id}
 * and, for validation failures, the failing fields. Used by the exception handler, the error controller,
 * the security entry points and the servlet filters. Never includes exception text or stack traces
 * (OWASP Error Handling Cheat Sheet).
 */
@Component
public final class ProblemRenderer {

	/** Where each code is documented; the {@code type} member of every problem. */
	public static final String TYPE_BASE = "https://plinto.dev/docs/api#";

	public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	private final ObjectMapper json;

	public ProblemRenderer(ObjectMapper json) {
		this.json = json;
	}

	public Map<String, Object> body(ErrorCode code, String detail, List<ApiException.FieldError> fields) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", TYPE_BASE + code.code());
		body.put("title", code.title());
		body.put("status", code.status().value());
		body.put("detail", detail == null || detail.isBlank() ? code.action() : detail);
		body.put("code", code.code());
		String requestId = MDC.get(RequestIdFilter.MDC_KEY);
		if (requestId != null) {
			body.put("request_id", requestId);
		}
		if (!fields.isEmpty()) {
			body.put("errors", fields);
		}
		return body;
	}

	public ResponseEntity<Object> entity(ApiException e) {
		return entity(e.code(), e.getMessage(), e.fieldErrors(), e.retryAfter());
	}

	public ResponseEntity<Object> entity(ErrorCode code, String detail, List<ApiException.FieldError> fields,
			Duration retryAfter) {
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(code.status()).contentType(PROBLEM_JSON);
		builder.header(HttpHeaders.CACHE_CONTROL, "no-store");
		if (retryAfter != null) {
			builder.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
		}
		else if (code == ErrorCode.SERVICE_UNAVAILABLE || code == ErrorCode.RATE_LIMITED) {
			builder.header(HttpHeaders.RETRY_AFTER, "5");
		}
		return builder.body(body(code, detail, fields));
	}

	/** Writes a problem straight to a servlet response, for filters and security entry points. */
	public void write(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
		write(response, code, detail, null);
	}

	private void write(HttpServletResponse response, ErrorCode code, String detail, Duration retryAfter)
			throws IOException {
		if (response.isCommitted()) {
			return;
		}
		response.resetBuffer();
		response.setStatus(code.status().value());
		response.setContentType(PROBLEM_JSON.toString());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
		}
		else if (code == ErrorCode.SERVICE_UNAVAILABLE || code == ErrorCode.RATE_LIMITED) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
		}
		response.getOutputStream().write(json.writeValueAsBytes(body(code, detail, List.of())));
		response.flushBuffer();
	}

	/**
	 * Writes an {@link ApiException} straight to a servlet response, with its {@code Retry-After} when it has one
	 * (a filter's rate limit).
	 */
	public void write(HttpServletResponse response, ApiException e) throws IOException {
		write(response, e.code(), e.getMessage(), e.retryAfter());
	}

	static String retryAfterSeconds(Duration d) {
		return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
	}
}
