package dev.plinto.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.config.PlintoSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.NoHandlerFoundException;
import tools.jackson.databind.ObjectMapper;

/** The error dispatch: which errors it renders itself and which it hands to {@link ApiExceptionHandler}. */
class ProblemErrorControllerTests {

	private final ProblemErrorController controller = new ProblemErrorController(
			new ProblemRenderer(new ObjectMapper()), new SecurityHeaders(PlintoSettings.parse(Map.<String, String>of()::get)));

	private static MockHttpServletRequest errorDispatch(int status, Throwable failure) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setDispatcherType(DispatcherType.ERROR);
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/v1/me");
		if (failure != null) {
			request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
		}
		return request;
	}

	@Test
	void errorWhenRequestedDirectlyThenNotFoundLikeAnyUnknownPath() {
		MockHttpServletRequest direct = new MockHttpServletRequest("GET", "/error");

		assertThatThrownBy(() -> controller.error(direct, new MockHttpServletResponse()))
			.isInstanceOf(NoHandlerFoundException.class);
	}

	@Test
	void errorWhenDatabaseFailedInAFilterThenHandedToTheExceptionHandlerForA503() {
		CannotGetJdbcConnectionException database = new CannotGetJdbcConnectionException("down");
		MockHttpServletRequest request = errorDispatch(500, new ServletException("filter", database));

		assertThatThrownBy(() -> controller.error(request, new MockHttpServletResponse())).isSameAs(database);
	}

	@Test
	void errorWhenContainerAnsweredThenProblemWithSecurityHeaders() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();

		var answer = controller.error(errorDispatch(400, null), response);

		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(answer.getBody()).asString().contains("malformed_request").doesNotContain("JSON");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
	}

	@Test
	void errorWhenContainerAnsweredNotFoundThenHandedToTheExceptionHandler() {
		assertThatThrownBy(() -> controller.error(errorDispatch(404, null), new MockHttpServletResponse()))
			.isInstanceOf(NoHandlerFoundException.class);
	}
}
