package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plinto.config.PlintoSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.firewall.RequestRejectedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The answers to what Spring Security's firewall refuses, for refusals the firewall itself raises on mock requests
 * (so the test follows its real wording): which code, which detail, which headers.
 */
class RequestRejectionsTests {

	private final ObjectMapper json = new ObjectMapper();

	private final RequestRejections rejections = new RequestRejections(new ProblemRenderer(json),
			new SecurityHeaders(PlintoSettings.parse(Map.<String, String>of()::get)));

	private MockHttpServletResponse answer(MockHttpServletRequest request, Runnable touch) throws Exception {
		RequestRejectedException refused = catchThrowableOfType(RequestRejectedException.class, () -> {
			RequestRejections.firewall().getFirewalledRequest(request);
			touch.run();
		});
		assertThat(refused).as("the firewall refuses it").isNotNull();
		MockHttpServletResponse response = new MockHttpServletResponse();
		rejections.handle(request, response, refused);
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.getHeader("Content-Security-Policy")).isEqualTo("frame-ancestors 'none'");
		assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(response.getContentType()).startsWith("application/problem+json");
		return response;
	}

	private static MockHttpServletRequest get(String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setServletPath(uri);
		return request;
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/v1/me;x=1|';'", "/a%3Bb|encoded ';'", "/a%2Fb|encoded '/'",
			"//v1/me|'//'", "/%25zz|encoded '%'", "/%2e/v1/me|encoded '.'", "/a%5cb|backslash",
			"/v1/me%0a|line break" })
	void handleWhenPathRefusedThenMalformedRequestNamingTheSequence(String uri, String named) throws Exception {
		MockHttpServletResponse response = answer(get(uri), () -> { });

		JsonNode problem = json.readTree(response.getContentAsString());
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(problem.get("code").asString()).isEqualTo("malformed_request");
		assertThat(problem.get("detail").asString()).startsWith(RequestRejections.PATH_REFUSED).contains(named);
	}

	@Test
	void handleWhenPathNotNormalizedThenMalformedRequestNamingTheSegment() throws Exception {
		MockHttpServletRequest request = get("/v1/../me");
		request.setServletPath("/v1/../me");

		JsonNode problem = json.readTree(answer(request, () -> { }).getContentAsString());

		assertThat(problem.get("detail").asString()).contains("'..' segment");
	}

	@Test
	void handleWhenHeaderValueHasControlCharacterThenMalformedRequestNamingAHeader() throws Exception {
		MockHttpServletRequest request = get("/health");
		request.addHeader("X-Thing", "a\u0007b");

		MockHttpServletResponse response = answer(request,
				() -> RequestRejections.firewall().getFirewalledRequest(request).getHeader("X-Thing"));

		assertThat(json.readTree(response.getContentAsString()).get("detail").asString())
			.startsWith("A request header");
	}

	@Test
	void handleWhenMethodUnknownThenNotImplementedWithAllow() throws Exception {
		MockHttpServletResponse response = answer(new MockHttpServletRequest("PROPFIND", "/v1/me"), () -> { });

		assertThat(response.getStatus()).isEqualTo(501);
		assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
		assertThat(json.readTree(response.getContentAsString()).get("code").asString())
			.isEqualTo("method_not_implemented");
	}
}
