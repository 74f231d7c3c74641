package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class ErrorHandlingTests extends ApiTestSupport {

	static final List<String> PUBLIC_POSTS = List.of("/v1/sign-up", "/v1/sign-in", "/v1/token/refresh",
			"/v1/email-verification", "/v1/email-verification/confirm", "/v1/password-reset",
			"/v1/password-reset/confirm");

	/** Bodies a hostile or careless client might send; none may cause a server error. */
	static final List<String> HOSTILE_BODIES = List.of("", "null", "[]", "\"text\"", "42", "true",
			"[{\"email\":\"a@example.com\"}]", "{}", "{\"email\":null,\"password\":null,\"token\":null}",
			"{\"email\":42,\"password\":true,\"name\":3.5,\"token\":false,\"refresh_token\":-1,\"new_password\":0}",
			"{\"email\":{\"a\":1},\"password\":[],\"token\":{},\"refresh_token\":[1,2],\"new_password\":{}}",
			"{\"email\":123456789012345678901234567890123456789,\"password\":1e999999,\"token\":-1e-999999}",
			"{\"email\":\"a@example.com\",\"password\":\"" + "9".repeat(5000) + "\"}",
			"{\"email\":\"\\u0000@example.com\",\"password\":\"\\u0000\\ud800\\udfff\",\"name\":\"\\u0000\"}",
			"{\"email\":\"\u00fc\u00f1\u00ee\u00e7\u00f8d\u00e9@\u4f8b\u3048.jp\",\"password\":\"p\u00e4ssw\u00f6rd "
					+ "\uD83D\uDD10\u202e\",\"name\":\"\uD83D\uDE00\",\"token\":\"\u202e\uFEFF\"}",
			"{\"email\":\"" + "a".repeat(400) + "@example.com\",\"password\":\"x\",\"name\":\"" + "n".repeat(300)
					+ "\"}",
			"{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"pw\",\"extra\":{\"x\":1}}",
			"{\"token\":\"" + "t".repeat(60_000) + "\"}",
			"[".repeat(5000) + "]".repeat(5000),
			"{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
			"{\"email\": \"a@example.com\", \"password\": \"unterminated",
			"{'email': 'single@quotes.com'}",
			"{\"refresh_token\":\"../../../etc/passwd\",\"token\":\"' OR 1=1 --\",\"email\":\"x'--@example.com\"}",
			"{\"email\":\"nul\\u0000x@example.com\",\"password\":\"long enough password\",\"name\":\"a\\u0000b\"}",
			"{\"email\":\"lone@example.com\",\"password\":\"\\ud800 long enough\",\"name\":\"\\udfff\",\"token\":\"\\ud800\"}",
			"{\"token\":\"t\\u0000\",\"new_password\":\"long enough password\",\"refresh_token\":\"\\u0000\"}");

	private static void assertProblem(ApiClient.Response r, int status, String code) {
		assertThat(r.status()).as(r.toString()).isEqualTo(status);
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		JsonNode json = r.json();
		assertThat(json.get("type").asString()).isEqualTo("https://plinto.dev/docs/api#" + code);
		assertThat(json.get("title").asString()).isNotBlank();
		assertThat(json.get("status").asInt()).isEqualTo(status);
		assertThat(json.get("detail").asString()).isNotBlank();
		assertThat(json.get("code").asString()).isEqualTo(code);
		assertThat(json.get("request_id").asString()).isNotBlank().isEqualTo(r.header("X-Request-Id"));
		assertThat(r.raw()).doesNotContainPattern("\\bat [a-z]+\\.[a-zA-Z.]+\\(")
			.doesNotContainPattern("[A-Z][A-Za-z]*(Exception|Error)\\b")
			.doesNotContain("dev.plinto")
			.doesNotContain("org.springframework")
			.doesNotContain("jackson")
			.doesNotContain("trace");
	}

	private ApiClient.Response postRaw(String path, String contentType, byte[] body) {
		return api.send(api.request(path, null)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build());
	}

	private ApiClient.Response postJson(String path, String body) {
		return postRaw(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void postWhenJsonMalformedThenBadRequestMalformedRequest() {
		assertProblem(postJson("/v1/sign-in", "{\"email\": \"a@example.com\", "), 400, "malformed_request");
		assertProblem(postJson("/v1/sign-up", "not json"), 400, "malformed_request");
		assertProblem(postJson("/v1/token/refresh", ""), 400, "malformed_request");
	}

	@Test
	void postWhenBodyInvalidUtf8ThenBadRequestMalformedRequest() {
		byte[] body = { '{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' };
		ApiClient.Response r = postRaw("/v1/sign-in", "application/json", body);
		assertThat(r.status()).as(r.toString()).isBetween(400, 499);
	}

	@Test
	void postWhenContentLengthOver64KibThenPayloadTooLarge() {
		String body = "{\"email\":\"" + "a".repeat(70_000) + "\"}";
		ApiClient.Response r = postJson("/v1/sign-in", body);
		assertProblem(r, 413, "payload_too_large");
		assertSecurityHeaders(r);
	}

	@Test
	void postWhenChunkedBodyGrowsOver64KibThenPayloadTooLarge() {
		// A valid JSON prefix streamed without Content-Length: the size is only discovered while reading.
		InputStream body = new SequenceInputStream(
				new ByteArrayInputStream("{\"email\":\"".getBytes(StandardCharsets.US_ASCII)),
				new ByteArrayInputStream("a".repeat(200_000).getBytes(StandardCharsets.US_ASCII)));
		ApiClient.Response r = api.send(api.request("/v1/sign-in", null)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
			.build());
		assertProblem(r, 413, "payload_too_large");
		assertSecurityHeaders(r);
	}

	@Test
	void postWhenBodyJustUnder64KibThenProcessedNormally() {
		String body = "{\"email\":\"" + newEmail() + "\",\"password\":\"" + "p".repeat(60_000) + "\"}";
		assertProblem(postJson("/v1/sign-in", body), 400, "validation_failed");
	}

	@Test
	void postWhenWrongMediaTypeThenUnsupportedMediaType() {
		byte[] body = "email=a@example.com&password=x".getBytes(StandardCharsets.US_ASCII);
		assertProblem(postRaw("/v1/sign-in", "application/x-www-form-urlencoded", body), 415,
				"unsupported_media_type");
		ApiClient.Response text = postRaw("/v1/sign-up", "text/plain", "{}".getBytes(StandardCharsets.US_ASCII));
		assertProblem(text, 415, "unsupported_media_type");
		assertThat(text.text("detail")).contains("JSON body", "application/json", "text/plain");
	}

	@Test
	void postWhenJsonSentToFormPageThenUnsupportedMediaTypeSayingItTakesAForm() {
		for (String page : List.of("/verify-email", "/reset-password", "/accept-invitation")) {
			ApiClient.Response r = postJson(page, "{\"token\":\"t\"}");
			assertProblem(r, 415, "unsupported_media_type");
			assertThat(r.text("detail")).as(page).contains("HTML form", "application/x-www-form-urlencoded")
				.doesNotContain("JSON body");
		}
	}

	@Test
	void postWhenNoBodyAndNoContentTypeThenUnsupportedMediaTypeSayingTheBodyIsMissing() {
		ApiClient.Response r = api.send(api.request("/v1/sign-in", null)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());

		assertProblem(r, 415, "unsupported_media_type");
		assertThat(r.text("detail")).contains("JSON body", "no body");
	}

	@Test
	void postWhenBodyEmptyThenMalformedRequestNamingTheFieldsTheCallNeeds() {
		ApiClient.Response refresh = postJson("/v1/token/refresh", "");
		ApiClient.Response signUp = postJson("/v1/sign-up", "");

		assertProblem(refresh, 400, "malformed_request");
		assertThat(refresh.text("detail")).contains("JSON body", "refresh_token");
		assertProblem(signUp, 400, "malformed_request");
		assertThat(signUp.text("detail")).contains("email, password", "optional: name");
	}

	@Test
	void postWhenFieldHasWrongTypeThenMalformedRequestNamingTheField() {
		ApiClient.Response r = postJson("/v1/sign-in", "{\"email\":{\"a\":1},\"password\":\"secret value\"}");

		assertProblem(r, 400, "malformed_request");
		assertThat(r.text("detail")).contains("'email'", "type").doesNotContain("secret value");
	}

	@Test
	void deleteWhenPathRefusedByTheFirewallThenMalformedRequestAboutTheUrlNotTheBody() {
		for (String path : List.of("/v1/me/sessions/a%2Fb", "/v1/me/sessions/x;y", "/v1/me/sessions/%25")) {
			ApiClient.Response r = api.delete(path, null);
			assertProblem(r, 400, "malformed_request");
			assertThat(r.text("detail")).as(path).containsAnyOf("request path", "URL's").doesNotContain("JSON");
		}
	}

	@Test
	void getWhenQueryParameterHasWrongTypeThenValidationFailedSayingWhatItMustBe() {
		String token = signUp(newEmail()).text("access_token");

		ApiClient.Response r = api.get("/v1/me/security-events?limit=many", token);

		assertProblem(r, 400, "validation_failed");
		assertThat(r.text("detail")).isEqualTo("The parameter 'limit' must be a whole number.");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
	}

	@Test
	void getWhenUnknownRouteThenNotFound() {
		assertProblem(api.get("/v1/no-such-thing"), 404, "not_found");
		assertProblem(api.get("/favicon.ico"), 404, "not_found");
		assertProblem(api.get("/index.html"), 404, "not_found");
	}

	@Test
	void requestWhenMethodNotSupportedThenMethodNotAllowedWithAllow() {
		ApiClient.Response get = api.get("/v1/sign-in");
		assertProblem(get, 405, "method_not_allowed");
		assertThat(get.header("Allow")).contains("POST");
		ApiClient.Response delete = api.delete("/health", null);
		assertProblem(delete, 405, "method_not_allowed");
		assertThat(delete.header("Allow")).contains("GET");
	}

	@Test
	void postWhenFieldsInvalidThenValidationFailedListingSnakeCaseFields() {
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", "not-an-email"));
		assertProblem(r, 400, "validation_failed");
		assertThat(r.json().get("errors").valueStream().map(e -> e.get("field").asString()))
			.containsExactlyInAnyOrder("email", "password");
		assertThat(r.json().get("errors").valueStream().map(e -> e.get("code").asString())).doesNotContainNull();

		ApiClient.Response refresh = api.post("/v1/token/refresh", ApiClient.map("refresh_token", ""));
		assertProblem(refresh, 400, "validation_failed");
		assertThat(refresh.json().get("errors").get(0).get("field").asString()).isEqualTo("refresh_token");

		ApiClient.Response reset = api.post("/v1/password-reset/confirm", ApiClient.map("token", "t"));
		assertProblem(reset, 400, "validation_failed");
		assertThat(reset.json().get("errors").get(0).get("field").asString()).isEqualTo("new_password");
	}

	@Test
	void postWhenHostileInputThenNeverAServerError() {
		for (String path : PUBLIC_POSTS) {
			for (String body : HOSTILE_BODIES) {
				ApiClient.Response r = postJson(path, body);
				assertThat(r.status()).as(path + " with " + abbreviate(body) + " -> " + abbreviate(r.raw()))
					.isLessThan(500);
				if (r.status() >= 400) {
					assertThat(r.header("Content-Type")).as(path + " " + abbreviate(body))
						.startsWith("application/problem+json");
					assertThat(r.raw()).doesNotContain("Exception").doesNotContain("dev.plinto");
				}
			}
		}
	}

	@Test
	void postSignOutWhenHostileInputWithoutTokenThenUnauthenticated() {
		for (String body : HOSTILE_BODIES) {
			assertProblem(postJson("/v1/sign-out", body), 401, "unauthenticated");
		}
	}

	@Test
	void postWhenStringHoldsNulOrLoneSurrogateThenMalformedRequestWithoutEchoingIt() {
		String nul = "{\"email\":\"" + newEmail() + "\",\"password\":\"long enough password\",\"name\":\"a\\u0000b\"}";
		ApiClient.Response r = postJson("/v1/sign-up", nul);
		assertProblem(r, 400, "malformed_request");
		assertThat(r.raw()).doesNotContain("\\u0000").doesNotContain("long enough");
		String lone = "{\"email\":\"" + newEmail() + "\",\"password\":\"\\ud800 long enough password\"}";
		assertProblem(postJson("/v1/sign-in", lone), 400, "malformed_request");
		String pair = "{\"email\":\"" + newEmail() + "\",\"password\":\"\\ud83d\\udd10 long enough password\"}";
		assertThat(postJson("/v1/sign-up", pair).status()).as("a proper surrogate pair is fine").isEqualTo(201);
	}

	@Test
	void getSecurityEventsWhenCursorForgedThenValidationFailed() {
		String token = signUp(newEmail()).text("access_token");
		for (String forged : HOSTILE_CURSORS) {
			ApiClient.Response r = api.get("/v1/me/security-events?cursor=" + forged, token);
			assertProblem(r, 400, "validation_failed");
			assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("cursor");
		}
	}

	/** Cursors a client could forge: base64url of a time and an id that is NUL, not UTF-8, or not base64 at all. */
	static final List<String> HOSTILE_CURSORS = List.of(cursor("2020-01-01T00:00:00Z|\u0000"),
			cursor("2020-01-01T00:00:00Z|evt_' or 1=1 --"), cursor("yesterday|evt_x"), cursor("no separator"),
			java.util.Base64.getUrlEncoder().encodeToString(new byte[] { '2', '|', (byte) 0xED, (byte) 0xA0 }),
			"%25%00", "!!!");

	private static String cursor(String text) {
		return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void requestWhenAnyResponseThenSecurityHeadersAndNoHsts() {
		String email = newEmail();
		List<ApiClient.Response> responses = List.of(api.get("/health"), signUp(email), signIn(email, "wrong pw!"),
				api.get("/v1/me"), api.get("/v1/unknown"), api.get("/.well-known/jwks.json"),
				postJson("/v1/sign-in", "{"), api.get("/openapi.json"));
		for (ApiClient.Response r : responses) {
			assertSecurityHeaders(r);
			assertThat(r.header("Strict-Transport-Security")).as("no HSTS on an http issuer").isNull();
		}
	}

	static void assertSecurityHeaders(ApiClient.Response r) {
		assertThat(r.header("X-Content-Type-Options")).as(r.toString()).isEqualTo("nosniff");
		assertThat(r.header("X-Frame-Options")).as(r.toString()).isEqualTo("DENY");
		assertThat(r.header("Referrer-Policy")).as(r.toString()).isEqualTo("no-referrer");
	}

	@Test
	void requestWhenRequestIdGivenThenEchoedInHeaderAndProblem() {
		ApiClient.Response r = api.send(api.request("/v1/unknown", null)
			.header("X-Request-Id", "req-123_abc.DEF:9")
			.GET()
			.build());
		assertThat(r.header("X-Request-Id")).isEqualTo("req-123_abc.DEF:9");
		assertThat(r.text("request_id")).isEqualTo("req-123_abc.DEF:9");
		assertThat(api.send(api.request("/health", null).header("X-Request-Id", "ok-1").GET().build())
			.header("X-Request-Id")).isEqualTo("ok-1");
	}

	@Test
	void requestWhenNoRequestIdThenGeneratedAndDifferentEachTime() {
		String first = api.get("/health").header("X-Request-Id");
		String second = api.get("/health").header("X-Request-Id");
		assertThat(first).matches("[0-9a-f-]{36}").isNotEqualTo(second);
	}

	@ParameterizedTest
	@ValueSource(strings = { "id with spaces", "<script>alert(1)</script>", "x\u00e9", "a\"b", "${jndi:ldap://x}" })
	void requestWhenRequestIdUnsafeThenReplaced(String hostile) {
		ApiClient.Response r = api.send(api.request("/health", null).header("X-Request-Id", hostile).GET().build());
		assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
	}

	@Test
	void requestWhenRequestIdTooLongThenReplaced() {
		ApiClient.Response r = api.send(api.request("/v1/unknown", null)
			.header("X-Request-Id", "a".repeat(500))
			.GET()
			.build());
		assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
		assertThat(r.text("request_id")).isEqualTo(r.header("X-Request-Id"));
	}

	@Test
	void requestWhenRequestIdCarriesLineBreakThenNotEchoed() throws IOException {
		// The JDK client refuses CR/LF in header values, so this request is written by hand; an obsolete line
		// folding smuggles a second "line" into the value.
		String response;
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: abc\r\n injected=1\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		assertThat(response).startsWith("HTTP/1.1 ");
		assertThat(response).doesNotContain("injected");
		if (response.startsWith("HTTP/1.1 200")) {
			assertThat(response).containsPattern("(?i)X-Request-Id: [0-9a-f-]{36}\r\n");
		}
	}

	/**
	 * Requests Tomcat rejects before they reach the application still get a problem, not Tomcat's HTML page: an
	 * unparseable request line, an invalid header, bad URL encoding, an unknown HTTP version, an unsupported transfer
	 * coding.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "GARBAGE\r\n\r\n", "GET /v1/me?a=<> HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
			"GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
			"GET /health HTTP/3.0\r\nHost: x\r\n\r\n",
			"POST /v1/sign-in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" })
	void requestWhenHttpUnparseableThenProblemNotHtml(String raw) throws IOException {
		RawResponse r = raw(port, raw);
		assertThat(r.status()).as(r.text()).isIn(400, 501, 505);
		assertThat(r.header("Content-Type")).as(r.text()).startsWith("application/problem+json");
		assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(r.header("Cache-Control")).isEqualTo("no-store");
		assertThat(r.header("X-Request-Id")).matches("[0-9a-f-]{36}");
		JsonNode problem = new ObjectMapper().readTree(r.body());
		assertThat(problem.get("status").asInt()).isEqualTo(r.status());
		assertThat(problem.get("code").asString()).isEqualTo(r.status() == 400 ? "malformed_request" : "http_not_supported");
		assertThat(problem.get("type").asString()).endsWith("#" + problem.get("code").asString());
		assertThat(problem.get("request_id").asString()).isEqualTo(r.header("X-Request-Id"));
		assertThat(r.body()).doesNotContain("<", "Tomcat", "Exception");
	}

	/** A response read off a socket, for requests the JDK client refuses to send. */
	record RawResponse(int status, Map<String, String> headers, String body, String text) {

		String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}
	}

	/** Sends bytes as they are and reads the answer until the server closes the connection. */
	static RawResponse raw(int port, String request) throws IOException {
		String text;
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			socket.shutdownOutput();
			text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		int end = text.indexOf("\r\n\r\n");
		assertThat(end).as(text).isPositive();
		String[] lines = text.substring(0, end).split("\r\n");
		Map<String, String> headers = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
					lines[i].substring(colon + 1).trim());
		}
		return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4), text);
	}

	private static String abbreviate(String s) {
		return s.length() <= 120 ? s : s.substring(0, 120) + "…(" + s.length() + " chars)";
	}
}
