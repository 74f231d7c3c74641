package dev.plinto.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.NoHandlerFoundException;

/**
 * Renders errors that never reached a controller (raised by the servlet container or a filter: a path under
 * {@code /WEB-INF}, a {@code TRACE}, an exception in a filter) as problems, replacing Spring Boot's white-label page
 * so no stack trace or exception text is ever shown. Such an error dispatch is not seen by the filter that writes
 * the security headers (Spring's filters skip error dispatches), so this controller writes the
 * {@link SecurityHeaders} itself. Two kinds it hands to {@link ApiExceptionHandler}, so each kind is rendered in one
 * place: a 404 (a path the container keeps to itself reads as any unknown path) and a database failure in a filter
 * (503, as in a controller).
 * <p>
 * {@code /error} is only the container's internal error page: a client that asks for it directly gets the same 404
 * as for any other unknown path, never the 500 the missing error status would otherwise read as.
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
final class ProblemErrorController implements ErrorController {

	/**
	 * A 400 that reaches this dispatch was raised by the container or a filter before any handler read the body
	 * (the firewall's refusals are answered by {@link RequestRejections}), so the sentence speaks of the request's
	 * URL and headers, not of a body.
	 */
	static final String REFUSED = "The request was refused before it reached the API: its URL or headers are not in "
			+ "the documented form; see /docs.";

	private final ProblemRenderer problems;

	private final SecurityHeaders headers;

	ProblemErrorController(ProblemRenderer problems, SecurityHeaders headers) {
		this.problems = problems;
		this.headers = headers;
	}

	@RequestMapping("/error")
	ResponseEntity<Object> error(HttpServletRequest request, HttpServletResponse response)
			throws NoHandlerFoundException {
		if (request.getDispatcherType() != DispatcherType.ERROR) {
			// Rendered by ApiExceptionHandler like every other unknown path.
			throw new NoHandlerFoundException(request.getMethod(), request.getRequestURI(), new HttpHeaders());
		}
		headers.write(response);
		DataAccessException database = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t
				? findDataAccess(t) : null;
		if (database != null) {
			// A database failure in a filter (the session lookup of a bearer token) reads as it does in a
			// controller: ApiExceptionHandler answers 503 for an unreachable database.
			throw database;
		}
		Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int code = status instanceof Integer i ? i : 500;
		if (code == 404) {
			// A path the container keeps to itself (/WEB-INF, /META-INF) reads as any unknown path.
			throw new NoHandlerFoundException(request.getMethod(), String.valueOf(
					request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)), new HttpHeaders());
		}
		ErrorCode error = ErrorCode.forStatus(code);
		return problems.entity(error, code == 400 ? REFUSED : null, List.of(), null);
	}

	private static DataAccessException findDataAccess(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof DataAccessException d) {
				return d;
			}
		}
		return null;
	}
}
