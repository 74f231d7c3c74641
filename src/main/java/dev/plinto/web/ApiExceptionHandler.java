package dev.plinto.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Maps every exception a request can raise to a problem through {@link ProblemRenderer}. Client mistakes get
 * their own 4xx code; anything unexpected becomes a 500 {@code internal_error} whose body carries no exception
 * text (OWASP Error Handling Cheat Sheet); the exception is logged with the request id only. A body with a field
 * the request does not declare is refused as {@code validation_failed} naming it (application.properties turns on
 * Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES}): a misspelt or unsupported field is an error the client hears of,
 * never silently dropped (OWASP Mass Assignment Cheat Sheet, "Allow-list the bindable fields"). A body that is
 * not well-formed UTF-8, repeats a field or sends a field in another JSON type is refused as
 * {@code malformed_request} naming the field ({@link StrictJson}).
 */
@RestControllerAdvice
final class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	/** Jackson's wording under {@code STRICT_DUPLICATE_DETECTION} (JsonReadContext). */
	private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern
		.compile("Duplicate Object property \"([^\"]*)\"");

	/** A name safe to repeat in a problem; anything else is not echoed. */
	private static final java.util.regex.Pattern SAFE_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

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

	/**
	 * A body that could not be read: too large, a field the request does not declare, a field of the wrong type,
	 * no body at all, or no JSON. Each answer names what is wrong (the field, or the fields the call needs) and never
	 * echoes a value (OWASP Error Handling Cheat Sheet).
	 */
	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HandlerMethod handler) {
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
			if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
				String field = path(mismatch);
				String message = mismatch.getOriginalMessage();
				String detail = StorableTextModule.UNSTORABLE.equals(message)
						? "The field '" + field + "' holds a NUL character or an unpaired surrogate, which "
								+ "cannot be stored; send valid Unicode text."
						: StrictJson.NOT_FINITE.equals(message)
								? "The field '" + field + "' holds a number outside the range of a double; send a "
										+ "finite number."
								: "The field '" + field + "' does not have the documented type (a string is sent as "
										+ "a JSON string, a boolean as true or false); see /docs for the schema.";
				return problems.entity(ErrorCode.MALFORMED_REQUEST, detail,
						List.of(new ApiException.FieldError(field, "invalid_type", detail)), null);
			}
			if (cause instanceof StrictJson.MalformedUtf8Exception) {
				return problems.entity(ErrorCode.MALFORMED_REQUEST, "The request body is not well-formed UTF-8 "
						+ "(RFC 3629: no overlong forms, surrogates or invalid bytes); send UTF-8 JSON.", List.of(),
						null);
			}
			if (cause instanceof StreamReadException read && read.getOriginalMessage() != null) {
				java.util.regex.Matcher duplicate = DUPLICATE.matcher(read.getOriginalMessage());
				if (duplicate.lookingAt()) {
					String field = SAFE_NAME.matcher(duplicate.group(1)).matches() ? duplicate.group(1) : "?";
					String detail = "The field '" + field + "' appears more than once in a JSON object; send each "
							+ "field once.";
					return problems.entity(ErrorCode.MALFORMED_REQUEST, detail,
							List.of(new ApiException.FieldError(field, "duplicate_field", detail)), null);
				}
			}
			cause = cause.getCause();
		}
		// Spring's wording when a @RequestBody parameter got no body at all (RequestResponseBodyMethodProcessor).
		if (e.getCause() == null && e.getMessage() != null
				&& e.getMessage().startsWith("Required request body is missing")) {
			return problems.entity(ErrorCode.MALFORMED_REQUEST, "This call needs a JSON body (Content-Type: "
					+ "application/json)" + fieldsOf(handler) + "; see /docs.", List.of(), null);
		}
		return problems.entity(ErrorCode.MALFORMED_REQUEST,
				"The request body is not valid JSON of the expected shape; send a JSON object" + fieldsOf(handler)
						+ ".", List.of(), null);
	}

	/** ", with email and password (name optional)": the fields of the call's request record, for a sentence. */
	private static String fieldsOf(HandlerMethod handler) {
		if (handler == null) {
			return "";
		}
		for (MethodParameter parameter : handler.getMethodParameters()) {
			Class<?> type = parameter.getParameterType();
			if (!parameter.hasParameterAnnotation(RequestBody.class) || !type.isRecord()) {
				continue;
			}
			List<String> required = new java.util.ArrayList<>();
			List<String> optional = new java.util.ArrayList<>();
			for (RecordComponent c : type.getRecordComponents()) {
				boolean mandatory = Stream.of(c.getAccessor().getAnnotations(), fieldAnnotations(type, c.getName()))
					.flatMap(Stream::of)
					.anyMatch(a -> a instanceof NotNull || a instanceof NotBlank || a instanceof NotEmpty);
				(mandatory ? required : optional).add(snake(c.getName()));
			}
			if (required.isEmpty()) {
				return optional.isEmpty() ? "" : " with any of " + String.join(", ", optional);
			}
			return " with " + String.join(", ", required)
					+ (optional.isEmpty() ? "" : " (optional: " + String.join(", ", optional) + ")");
		}
		return "";
	}

	private static Annotation[] fieldAnnotations(Class<?> type, String name) {
		try {
			return type.getDeclaredField(name).getAnnotations();
		}
		catch (NoSuchFieldException e) {
			return new Annotation[0];
		}
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e) {
		String name = e.getName();
		String where = e.getParameter().hasParameterAnnotation(PathVariable.class) ? "path segment" : "parameter";
		Class<?> type = e.getRequiredType();
		String expected = type == null ? "a valid value"
				: Number.class.isAssignableFrom(org.springframework.util.ClassUtils.resolvePrimitiveIfNecessary(type))
						? "a whole number" : type == Boolean.class || type == boolean.class ? "true or false"
								: "a valid value";
		return problems.entity(ErrorCode.VALIDATION_FAILED, "The " + where + " '" + name + "' must be " + expected
				+ ".", List.of(new ApiException.FieldError(name, "invalid", "must be " + expected)), null);
	}

	@ExceptionHandler(ServletRequestBindingException.class)
	ResponseEntity<Object> missingParameter(ServletRequestBindingException e) {
		String name;
		String detail;
		if (e instanceof MissingServletRequestParameterException m) {
			name = m.getParameterName();
			detail = "The query parameter '" + name + "' is required.";
		}
		else if (e instanceof MissingRequestHeaderException m) {
			name = m.getHeaderName();
			detail = "The header '" + name + "' is required.";
		}
		else if (e instanceof MissingPathVariableException m) {
			name = m.getVariableName();
			detail = "The URL lacks its '" + name + "' segment.";
		}
		else {
			name = "request";
			detail = "A required parameter, header or cookie of this call is missing; see /docs.";
		}
		return problems.entity(ErrorCode.VALIDATION_FAILED, detail,
				List.of(new ApiException.FieldError(name, "required", "missing")), null);
	}

	/**
	 * A body of a type the endpoint does not take. The answer says what it takes: JSON for the API, an HTML form
	 * for the link pages, and that the request had no body when it had none.
	 */
	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ResponseEntity<Object> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
		boolean form = e.getSupportedMediaTypes().contains(MediaType.APPLICATION_FORM_URLENCODED);
		String takes = form ? "This page takes an HTML form (Content-Type: application/x-www-form-urlencoded)"
				: "This call takes a JSON body (Content-Type: application/json)";
		String sent = request.getContentType() == null ? "the request had no body"
				: "the request was sent as " + (e.getContentType() == null ? "another type"
						: e.getContentType().getType() + "/" + e.getContentType().getSubtype());
		return problems.entity(ErrorCode.UNSUPPORTED_MEDIA_TYPE, takes + "; " + sent + ".", List.of(), null);
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

	/**
	 * The database cannot be reached: a failed query, a transaction that could not begin because the pool got no
	 * connection ({@code CannotCreateTransactionException}), or one whose rollback or commit failed with its
	 * connection ({@code TransactionSystemException}), as while PostgreSQL restarts. 503 with {@code Retry-After},
	 * never 500: the client did nothing wrong and may retry (a retried write that did commit answers as a repeat).
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class, TransactionSystemException.class })
	ResponseEntity<Object> unavailable(Exception e) {
		log.error("Database unavailable: {}", e.getClass().getSimpleName());
		return problems.entity(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable; retry shortly.",
				List.of(), java.time.Duration.ofSeconds(5));
	}

	/**
	 * A client that went away while its response was being written (a closed browser tab, a dropped connection:
	 * Tomcat's {@code ClientAbortException}, a broken pipe or reset, Spring's {@code AsyncRequestNotUsableException})
	 * is not a server error: one debug line without a trace, and no body, since nobody is there to read it (OWASP
	 * Logging Cheat Sheet: log what needs action, so real errors are not buried).
	 */
	@ExceptionHandler(AsyncRequestNotUsableException.class)
	ResponseEntity<Object> clientGone(Exception e) {
		log.debug("Client went away before the response was complete: {}", e.getClass().getSimpleName());
		return null;
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception e) {
		if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
			return clientGone(e);
		}
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
