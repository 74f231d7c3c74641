package dev.plinto.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Maps every exception a request can raise to a problem through {@link ProblemRenderer}. Client mistakes get
 * their own 4xx code; anything unexpected becomes a 500 {@code internal_error} whose body carries no exception
 * text (OWASP Error Handling Cheat Sheet); the exception is logged with the request id only. A body with a field
 * the request does not declare is refused as {@code validation_failed} naming it (application.properties turns on
 * Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES}): a misspelt or unsupported field is an error the client hears of,
 * never silently dropped (OWASP Mass Assignment Cheat Sheet, "Allow-list the bindable fields").
 */
@RestControllerAdvice
final class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	private final ProblemRenderer problems;

	ApiExceptionHandler(ProblemRenderer problems) {
		this.problems = problems;
	}

	@ExceptionHandler(ApiException.class)
	ResponseEntity<Object> api(ApiException e) {
		return problems.entity(e);
	}

	@ExceptionHandler(MethodArgumentNotValidException.class)
	ResponseEntity<Object> invalid(MethodArgumentNotValidException e) {
		List<ApiException.FieldError> fields = e.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(f -> new ApiException.FieldError(snake(f.getField()), constraint(f.getCode()),
					f.getDefaultMessage()))
			.toList();
		return problems.entity(ErrorCode.VALIDATION_FAILED, "The request has invalid fields: "
				+ fields.stream().map(ApiException.FieldError::field).distinct().collect(Collectors.joining(", "))
				+ ".", fields, null);
	}

	@ExceptionHandler(HandlerMethodValidationException.class)
	ResponseEntity<Object> invalidParameters(HandlerMethodValidationException e) {
		List<ApiException.FieldError> fields = e.getParameterValidationResults()
			.stream()
			.flatMap(r -> r.getResolvableErrors()
				.stream()
				.map(err -> new ApiException.FieldError(snake(r.getMethodParameter().getParameterName()),
						"invalid", err.getDefaultMessage())))
			.toList();
		return problems.entity(ErrorCode.VALIDATION_FAILED, "The request has invalid parameters.", fields, null);
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Object> unreadable(HttpMessageNotReadableException e) {
		Throwable cause = e;
		while (cause != null) {
			if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
				return problems.entity(ErrorCode.PAYLOAD_TOO_LARGE, null, List.of(), null);
			}
			if (cause instanceof PropertyBindingException unknown) {
				String field = path(unknown);
				return problems.entity(ErrorCode.VALIDATION_FAILED, "The request has an unknown field: " + field
						+ "; send only the documented fields.",
						List.of(new ApiException.FieldError(field, "unknown_field", "not a field of this request")),
						null);
			}
			cause = cause.getCause();
		}
		return problems.entity(ErrorCode.MALFORMED_REQUEST,
				"The request body is missing or is not valid JSON of the expected shape.", List.of(), null);
	}

	@ExceptionHandler({ MethodArgumentTypeMismatchException.class, ServletRequestBindingException.class })
	ResponseEntity<Object> badParameter(Exception e) {
		String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : "request";
		return problems.entity(ErrorCode.VALIDATION_FAILED, "The parameter '" + name + "' is missing or invalid.",
				List.of(new ApiException.FieldError(name, "invalid", "missing or invalid")), null);
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e) {
		return problems.entity(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
				"Send the body with Content-Type: application/json.", List.of(), null);
	}

	@ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
	ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e) {
		return problems.entity(ErrorCode.NOT_ACCEPTABLE, null, List.of(), null);
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e) {
		ResponseEntity<Object> entity = problems.entity(ErrorCode.METHOD_NOT_ALLOWED,
				"This URL does not accept " + e.getMethod() + ".", List.of(), null);
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(entity.getHeaders());
		if (e.getSupportedHttpMethods() != null) {
			headers.setAllow(e.getSupportedHttpMethods());
		}
		return new ResponseEntity<>(entity.getBody(), headers, entity.getStatusCode());
	}

	@ExceptionHandler({ NoResourceFoundException.class, NoHandlerFoundException.class })
	ResponseEntity<Object> notFound(Exception e) {
		return problems.entity(ErrorCode.NOT_FOUND, "No such endpoint; see /docs for the API.", List.of(), null);
	}

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class })
	ResponseEntity<Object> unavailable(Exception e) {
		log.error("Database unavailable: {}", e.getClass().getSimpleName());
		return problems.entity(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable; retry shortly.",
				List.of(), java.time.Duration.ofSeconds(5));
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception e) {
		log.error("Unexpected error", e);
		return problems.entity(ErrorCode.INTERNAL_ERROR, null, List.of(), null);
	}

	/** The JSON path of the property, e.g. {@code credential.response}; its names are the ones the client sent. */
	private static String path(DatabindException e) {
		return e.getPath()
			.stream()
			.map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
			.collect(Collectors.joining(".")).replace(".[", "[");
	}

	private static String constraint(String code) {
		return code == null ? "invalid" : code.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}

	static String snake(String name) {
		return name == null ? "" : name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
	}
}
