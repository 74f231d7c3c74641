package dev.plinto.scim;

import com.unboundid.scim2.common.exceptions.ScimException;

/**
 * A SCIM error (RFC 7644 §3.12): the HTTP status, the {@code scimType} where §3.12 defines one for it, and a
 * detail for the administrator of the identity provider. Rendered once, by {@link ScimResponses#error}.
 */
final class ScimError extends RuntimeException {

	static final String INVALID_FILTER = "invalidFilter";

	static final String UNIQUENESS = "uniqueness";

	static final String MUTABILITY = "mutability";

	static final String INVALID_SYNTAX = "invalidSyntax";

	static final String INVALID_PATH = "invalidPath";

	static final String NO_TARGET = "noTarget";

	static final String INVALID_VALUE = "invalidValue";

	static final String TOO_MANY = "tooMany";

	private final int status;

	private final String scimType;

	ScimError(int status, String scimType, String detail) {
		super(detail, null, false, false);
		this.status = status;
		this.scimType = scimType;
	}

	static ScimError badRequest(String scimType, String detail) {
		return new ScimError(400, scimType, detail);
	}

	static ScimError notFound(String detail) {
		return new ScimError(404, null, detail);
	}

	static ScimError conflict(String detail) {
		return new ScimError(409, UNIQUENESS, detail);
	}

	/** The SDK's exception (a path, filter or PATCH the SDK refused) as this one. */
	static ScimError of(ScimException e) {
		Integer status = e.getScimError().getStatus();
		return new ScimError(status == null ? 400 : status, e.getScimError().getScimType(),
				e.getScimError().getDetail() == null ? e.getMessage() : e.getScimError().getDetail());
	}

	int status() {
		return status;
	}

	String scimType() {
		return scimType;
	}
}
