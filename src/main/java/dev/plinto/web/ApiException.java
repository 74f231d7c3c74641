package dev.plinto.web;

import java.time.Duration;
import java.util.List;

/**
 * A failure a client caused or must react to, rendered as RFC 9457 problem details by {@link ProblemRenderer}.
 * Services throw it with a stable {@link ErrorCode}; the detail sentence never contains a secret.
 */
public final class ApiException extends RuntimeException {

	private final ErrorCode code;

	private final transient List<FieldError> fieldErrors;

	private final transient Duration retryAfter;

	public ApiException(ErrorCode code, String detail) {
		this(code, detail, List.of(), null);
	}

	public ApiException(ErrorCode code, String detail, List<FieldError> fieldErrors, Duration retryAfter) {
		super(detail, null, false, false);
		this.code = code;
		this.fieldErrors = List.copyOf(fieldErrors);
		this.retryAfter = retryAfter;
	}

	public static ApiException rateLimited(Duration retryAfter) {
		return new ApiException(ErrorCode.RATE_LIMITED, "Too many attempts; retry in "
				+ Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " seconds.", List.of(), retryAfter);
	}

	public static ApiException validation(String field, ErrorCode code, String message) {
		return new ApiException(code, message, List.of(new FieldError(field, code.code(), message)), null);
	}

	public ErrorCode code() {
		return code;
	}

	public List<FieldError> fieldErrors() {
		return fieldErrors;
	}

	public Duration retryAfter() {
		return retryAfter;
	}

	/** One failing field of a request: its JSON name, a stable code and a sentence. */
	public record FieldError(String field, String code, String message) {
	}
}
