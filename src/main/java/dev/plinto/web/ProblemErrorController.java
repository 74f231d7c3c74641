package dev.plinto.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders errors that never reached a controller (raised by the servlet container or a filter) as problems,
 * replacing Spring Boot's white-label page so no stack trace or exception text is ever shown.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
final class ProblemErrorController implements ErrorController {

	/**
	 * A 400 that reaches this dispatch was raised before any handler read the body: by Spring Security's firewall
	 * ({@code StrictHttpFirewall} refuses encoded slashes, {@code ;}, {@code //}, {@code ..} and control characters
	 * in the path, OWASP Input Validation Cheat Sheet, canonicalisation) or by the container for a URL it cannot
	 * decode. So the sentence speaks of the URL, not of a body.
	 */
	static final String URL_REFUSED = "The request URL was refused: its path holds a sequence that is not allowed "
			+ "(an encoded slash or percent sign, ';', '//', '..' or a control character) or a malformed "
			+ "percent-encoding; check the URL and its identifiers.";

	private final ProblemRenderer problems;

	ProblemErrorController(ProblemRenderer problems) {
		this.problems = problems;
	}

	@RequestMapping("/error")
	ResponseEntity<Object> error(HttpServletRequest request) {
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int code = status instanceof Integer i ? i : 500;
		ErrorCode error = ErrorCode.forStatus(code);
		return problems.entity(error, code == 400 ? URL_REFUSED : null, List.of(), null);
	}
}
