package dev.plinto.web;

import static dev.plinto.web.ErrorHandlingTests.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Requests answered before they reach a controller, sent byte for byte over a socket: by Spring Security's request
 * firewall, by Tomcat's error dispatch, by Tomcat itself. Each answer is a problem with the security headers and a
 * detail that names the actual problem.
 */
class OddRequestApiTests extends ApiTestSupport {

	private static ErrorHandlingTests.RawResponse request(int port, String method, String target) throws IOException {
		return raw(port, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
	}

	private static JsonNode problem(ErrorHandlingTests.RawResponse r, int status, String code) {
		assertThat(r.status()).as(r.text()).isEqualTo(status);
		assertThat(r.header("Content-Type")).as(r.text()).startsWith("application/problem+json");
		assertThat(r.header("X-Content-Type-Options")).as(r.text()).isEqualTo("nosniff");
		assertThat(r.header("X-Frame-Options")).as(r.text()).isEqualTo("DENY");
		assertThat(r.header("Content-Security-Policy")).as(r.text()).contains("frame-ancestors 'none'");
		assertThat(r.header("Referrer-Policy")).as(r.text()).isEqualTo("no-referrer");
		assertThat(r.header("Cache-Control")).as(r.text()).contains("no-store");
		String body = r.body();
		// Chunked answers: the JSON object between the first '{' and the last '}'.
		JsonNode json = new ObjectMapper().readTree(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1));
		assertThat(json.get("status").asInt()).isEqualTo(status);
		assertThat(json.get("code").asString()).isEqualTo(code);
		assertThat(json.get("type").asString()).isEqualTo("https://plinto.dev/docs/api#" + code);
		assertThat(json.get("detail").asString()).as(r.text()).doesNotContain("JSON").doesNotContain("body");
		assertThat(json.get("request_id").asString()).isEqualTo(r.header("X-Request-Id"));
		return json;
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v1/me;x=1", "/a%3Bb", "//v1/me", "/v1/./me", "/%2e/v1/me", "/v1/../v1/me",
			"/v1/%2e%2e/me", "/%25zz", "/v1/me%0a", "/v1/me/." })
	void getWhenPathRefusedByTheFirewallThenMalformedRequestNamingThePathWithSecurityHeaders(String path)
			throws IOException {
		JsonNode problem = problem(request(port, "GET", path), 400, "malformed_request");

		assertThat(problem.get("detail").asString()).as(path)
			.startsWith("The request path contains characters that are not allowed: ");
	}

	@Test
	void getWhenPathHasSemicolonThenDetailNamesTheSemicolon() throws IOException {
		assertThat(problem(request(port, "GET", "/v1/me;x=1"), 400, "malformed_request").get("detail").asString())
			.contains("';'");
		assertThat(problem(request(port, "GET", "/%25zz"), 400, "malformed_request").get("detail").asString())
			.contains("encoded '%'");
		assertThat(problem(request(port, "GET", "//v1/me"), 400, "malformed_request").get("detail").asString())
			.contains("'//'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/error", "/error/x" })
	void getWhenContainerAnswersNotFoundThenProblemWithSecurityHeaders(String path) throws IOException {
		problem(request(port, "GET", path), 404, "not_found");
	}

	@Test
	void getErrorWhenRequestedDirectlyThenNotFoundNeverServerError() throws IOException {
		for (String method : List.of("GET", "POST", "DELETE", "PATCH")) {
			ErrorHandlingTests.RawResponse r = raw(port, method + " /error HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Length: 0\r\nConnection: close\r\n\r\n");
			assertThat(problem(r, 404, "not_found").get("detail").asString()).as(method).contains("No such endpoint");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "PROPFIND", "MKCOL", "COPY", "LOCK", "BREW", "FOO" })
	void requestWhenMethodNotImplementedThenNotImplementedWithAllow(String method) throws IOException {
		ErrorHandlingTests.RawResponse r = request(port, method, "/v1/me");

		JsonNode problem = problem(r, 501, "method_not_implemented");
		assertThat(r.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
		assertThat(problem.get("detail").asString()).contains("does not implement the request method")
			.doesNotContain(method);
	}

	@Test
	void requestWhenKnownMethodNotAcceptedByTheRouteThenMethodNotAllowedWithSecurityHeaders() throws IOException {
		ErrorHandlingTests.RawResponse trace = request(port, "TRACE", "/health");
		problem(trace, 405, "method_not_allowed");
		assertThat(trace.header("Allow")).isNotBlank();

		ErrorHandlingTests.RawResponse put = raw(port,
				"PUT /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		problem(put, 405, "method_not_allowed");
		assertThat(put.header("Allow")).isEqualTo("GET");
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET\t/health HTTP/1.1", "GET /health\tHTTP/1.1", "GET\t/health\tHTTP/1.1",
			"GET \t/health HTTP/1.1", "GET /health?a=b\tHTTP/1.1", "GET\thttp://localhost/health HTTP/1.1" })
	void requestWhenRequestLineSeparatedByTabsThenBadRequest(String line) throws IOException {
		ErrorHandlingTests.RawResponse r = raw(port, line + "\r\nHost: localhost\r\nConnection: close\r\n\r\n");

		assertThat(problem(r, 400, "malformed_request").get("detail").asString()).contains("tab");
	}

	@Test
	void requestWhenRequestLineSeparatedBySpacesThenServed() throws IOException {
		assertThat(raw(port, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status())
			.isEqualTo(200);
		assertThat(raw(port, "GET http://localhost/health?a=b HTTP/1.1\r\nHost: localhost\r\nConnection: close"
				+ "\r\n\r\n").status()).isEqualTo(200);
	}

	@Test
	void getWhenHeaderValueHasControlCharacterThenMalformedRequestWithSecurityHeaders() throws IOException {
		ErrorHandlingTests.RawResponse r = raw(port,
				"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Thing: a\u0001b\r\nConnection: close\r\n\r\n");

		assertThat(problem(r, 400, "malformed_request").get("detail").asString()).contains("a header");
	}
}
