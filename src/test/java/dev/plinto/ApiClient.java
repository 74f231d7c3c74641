package dev.plinto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests that talk to the real server, JSON in and out. */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public ApiClient(String base) {
		this.base = base;
	}

	public String base() {
		return base;
	}

	/** A response: status, headers, raw body and the body parsed as JSON (null when it is not JSON). */
	public record Response(int status, HttpHeaders headers, String raw, JsonNode json) {

		public String header(String name) {
			return headers.firstValue(name).orElse(null);
		}

		public String text(String field) {
			JsonNode node = json == null ? null : json.get(field);
			return node == null || node.isNull() ? null : node.asString();
		}

		public String code() {
			return text("code");
		}

		@Override
		public String toString() {
			return status + " " + raw;
		}
	}

	public Response get(String path, String bearer) {
		return send(request(path, bearer).GET().build());
	}

	public Response get(String path) {
		return get(path, null);
	}

	public Response post(String path, Object body) {
		return post(path, body, null);
	}

	public Response post(String path, Object body, String bearer) {
		return send(request(path, bearer).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
			.build());
	}

	public Response patch(String path, Object body, String bearer) {
		return send(request(path, bearer).header("Content-Type", "application/json")
			.method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	public Response put(String path, Object body, String bearer) {
		return send(request(path, bearer).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	public Response delete(String path, String bearer) {
		return send(request(path, bearer).DELETE().build());
	}

	public Response send(HttpRequest request) {
		try {
			HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
			JsonNode json = null;
			String type = r.headers().firstValue("Content-Type").orElse("");
			// JSON Lines (application/x-ndjson) are several documents: left to the caller as text
			if (type.contains("json") && !type.contains("ndjson") && !r.body().isEmpty()) {
				json = JSON.readTree(r.body());
			}
			return new Response(r.statusCode(), r.headers(), r.body(), json);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public HttpRequest.Builder request(String path, String bearer) {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
		if (bearer != null) {
			b.header("Authorization", "Bearer " + bearer);
		}
		return b;
	}

	/** The claims of a JWT, decoded without verification (the tests of token verification live elsewhere). */
	public static JsonNode claims(String jwt) {
		return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
	}

	public static Map<String, Object> map(Object... keyValues) {
		java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			m.put((String) keyValues[i], keyValues[i + 1]);
		}
		return m;
	}
}
