package dev.plinto.web;

import org.springframework.http.HttpStatus;

/**
 * Every stable machine {@code code} a client can receive in an {@code application/problem+json} answer
 * (RFC 9457). Each is documented in {@code docs/api.md#errors}; the {@code type} URI points there.
 */
public enum ErrorCode {

	VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed", "Fix the fields listed in `errors` and retry."),
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request", "Fix the request: its URL, headers or body are not in the documented form (see /docs)."),
	INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED, "Invalid credentials", "Check the email and password and try again."),
	UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Authentication required", "Send a valid access token as `Authorization: Bearer <token>`."),
	INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "Invalid access token", "Refresh the session to obtain a new access token, or sign in again."),
	INVALID_REFRESH_TOKEN(HttpStatus.UNAUTHORIZED, "Invalid refresh token", "Sign in again; the refresh token is unknown or its session has ended."),
	REFRESH_TOKEN_REUSED(HttpStatus.UNAUTHORIZED, "Refresh token reused", "The token was already used, so the session was revoked as a precaution; sign in again."),
	WRONG_PASSWORD(HttpStatus.FORBIDDEN, "Wrong password", "The current password is not correct; enter it again."),
	EMAIL_NOT_VERIFIED(HttpStatus.FORBIDDEN, "Email not verified", "Confirm the email address with the link that was sent, then sign in."),
	FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden", "The caller is not allowed to do this."),
	NOT_FOUND(HttpStatus.NOT_FOUND, "Not found", "Check the URL; the resource does not exist or is not yours."),
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "Use one of the methods listed in the `Allow` header."),
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "Accept application/json or application/problem+json."),
	EMAIL_TAKEN(HttpStatus.CONFLICT, "Email already registered", "Sign in instead, or reset the password if it is forgotten."),
	INVALID_VERIFICATION_TOKEN(HttpStatus.BAD_REQUEST, "Invalid or expired link", "Request a new email and use the newest link within its lifetime."),
	INVALID_RESET_TOKEN(HttpStatus.BAD_REQUEST, "Invalid or expired link", "Request a new password reset email and use the newest link within its lifetime."),
	PASSWORD_TOO_SHORT(HttpStatus.UNPROCESSABLE_CONTENT, "Password too short", "Use at least as many characters as the detail names (8 or more)."),
	PASSWORD_TOO_LONG(HttpStatus.UNPROCESSABLE_CONTENT, "Password too long", "Use at most 128 characters."),
	PASSWORD_TOO_COMMON(HttpStatus.UNPROCESSABLE_CONTENT, "Password too common", "This password is among the most common ones; choose a less predictable one."),
	PASSWORD_MATCHES_EMAIL(HttpStatus.UNPROCESSABLE_CONTENT, "Password equals email", "Choose a password that is not your email address."),
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", "Send a body of at most 64 KiB."),
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "Send the body as application/json."),
	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", "Wait for the number of seconds in `Retry-After`, then retry."),
	SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", "A dependency is unavailable; retry after `Retry-After` seconds."),
	SIGN_IN_METHOD_DISABLED(HttpStatus.FORBIDDEN, "Sign-in method disabled", "Sign in with one of the methods this server offers (PLINTO_SIGN_IN_METHODS)."),
	INVALID_EMAIL_CODE(HttpStatus.UNAUTHORIZED, "Invalid code", "Enter the code from the newest email; after 5 wrong codes or 10 minutes, ask for a new one."),
	INVALID_SIGN_IN_LINK(HttpStatus.BAD_REQUEST, "Invalid or expired link", "Ask for a new sign-in link and open the newest one within 15 minutes."),
	INVALID_MFA_TOKEN(HttpStatus.UNAUTHORIZED, "Invalid MFA token", "Sign in with the password again; the mfa_token is unknown, expired or already used."),
	INVALID_MFA_CODE(HttpStatus.UNAUTHORIZED, "Invalid code", "Enter the current code from the authenticator app, or an unused recovery code."),
	WRONG_MFA_CODE(HttpStatus.BAD_REQUEST, "Wrong code", "The session is still valid: enter the current code from the authenticator app, or an unused recovery code."),
	MFA_FACTOR_NOT_AVAILABLE(HttpStatus.BAD_REQUEST, "Factor not available", "Use one of the factors listed in `factors`."),
	MFA_ENROLLMENT_REQUIRED(HttpStatus.FORBIDDEN, "MFA enrolment required", "Enrol a second factor (TOTP or a passkey), then sign in again."),
	REAUTHENTICATION_REQUIRED(HttpStatus.FORBIDDEN, "Re-authentication required", "This change needs a recent sign-in: sign in again, then retry."),
	MFA_CODE_REQUIRED(HttpStatus.BAD_REQUEST, "Code required", "Two-step verification is on: send `code`, a current code from the authenticator app or an unused recovery code."),
	MFA_LAST_FACTOR(HttpStatus.CONFLICT, "Last second factor", "Two-step verification is required: add another factor before removing this one."),
	TOTP_ALREADY_ENABLED(HttpStatus.CONFLICT, "TOTP already enabled", "Remove the current authenticator before enrolling a new one."),
	TOTP_NOT_ENABLED(HttpStatus.NOT_FOUND, "TOTP not enabled", "Start enrolment with POST /v1/me/mfa/totp first."),
	WEBAUTHN_CHALLENGE_INVALID(HttpStatus.BAD_REQUEST, "Unknown or used challenge", "Request new options and run the ceremony again; each challenge works once and expires."),
	WEBAUTHN_ORIGIN_MISMATCH(HttpStatus.BAD_REQUEST, "Origin not allowed", "Run the ceremony from an origin listed in PLINTO_WEBAUTHN_ORIGINS."),
	WEBAUTHN_RP_ID_MISMATCH(HttpStatus.BAD_REQUEST, "Wrong relying party", "Use the rp.id / rpId from the options this server returned."),
	WEBAUTHN_VERIFICATION_FAILED(HttpStatus.BAD_REQUEST, "Passkey response not valid", "Send the credential exactly as the browser returned it (PublicKeyCredential.toJSON())."),
	PASSKEY_UNKNOWN(HttpStatus.UNAUTHORIZED, "Unknown passkey", "Use a passkey registered with this account, or sign in another way."),
	PASSKEY_SIGN_COUNT_REGRESSED(HttpStatus.UNAUTHORIZED, "Passkey possibly cloned", "The authenticator's counter went backwards; sign in another way and remove this passkey."),
	PASSKEY_ALREADY_REGISTERED(HttpStatus.CONFLICT, "Passkey already registered", "This authenticator is already registered; use it, or register a different one."),
	METHOD_NOT_IMPLEMENTED(HttpStatus.NOT_IMPLEMENTED, "Method not implemented", "Use one of the methods listed in the `Allow` header; the server implements no other."),
	HTTP_NOT_SUPPORTED(HttpStatus.NOT_IMPLEMENTED, "Not supported", "Send HTTP/1.1 (or HTTP/1.0) without a transfer coding other than chunked."),
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "Retry later; if it persists, report the `request_id` to the operator."),
	SLUG_TAKEN(HttpStatus.CONFLICT, "Slug taken", "Another organization uses this slug; choose another one."),
	ORGANIZATION_LIMIT_REACHED(HttpStatus.CONFLICT, "Organization limit reached", "You created as many organizations as allowed (PLINTO_ORG_MAX_PER_USER); delete one first."),
	MEMBER_LIMIT_REACHED(HttpStatus.CONFLICT, "Member limit reached", "The organization has as many members and pending invitations as allowed (PLINTO_ORG_MAX_MEMBERS); remove a member or revoke an invitation first."),
	METADATA_TOO_LARGE(HttpStatus.UNPROCESSABLE_CONTENT, "Metadata too large", "Keep each metadata object within 8 KiB of JSON."),
	LAST_OWNER(HttpStatus.CONFLICT, "Last owner", "An organization keeps at least one owner; make another member owner first, or delete the organization."),
	UNKNOWN_ROLE(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown role", "Use a built-in role (owner, admin, member) or a custom role of this organization."),
	UNKNOWN_PERMISSION(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown permission", "Use the documented org:* permissions or app:<name> permissions."),
	ROLE_EXISTS(HttpStatus.CONFLICT, "Role exists", "This organization already has a role with this key; choose another key."),
	ROLE_BUILT_IN(HttpStatus.CONFLICT, "Built-in role", "The roles owner, admin and member cannot be changed or deleted; create a custom role instead."),
	ROLE_IN_USE(HttpStatus.CONFLICT, "Role in use", "Give the members and pending invitations that hold this role another role first."),
	ROLE_LIMIT_REACHED(HttpStatus.CONFLICT, "Role limit reached", "An organization has at most 50 custom roles; delete one first."),
	ALREADY_MEMBER(HttpStatus.CONFLICT, "Already a member", "This person already belongs to the organization; change their role instead."),
	INVITATION_PENDING(HttpStatus.CONFLICT, "Invitation pending", "This email already has a pending invitation; resend or revoke it."),
	INVITATION_NOT_PENDING(HttpStatus.CONFLICT, "Invitation not pending", "The invitation was already accepted or revoked; create a new one if needed."),
	INVALID_INVITATION(HttpStatus.BAD_REQUEST, "Invalid invitation", "The invitation link is not valid; ask for a new invitation."),
	INVITATION_REVOKED(HttpStatus.GONE, "Invitation revoked", "The organization revoked this invitation; ask for a new one."),
	INVITATION_EXPIRED(HttpStatus.GONE, "Invitation expired", "The invitation link has expired; ask for it to be resent."),
	INVITATION_USED(HttpStatus.CONFLICT, "Invitation already used", "The invitation was already accepted; sign in to reach the organization."),
	INVITATION_EMAIL_MISMATCH(HttpStatus.FORBIDDEN, "Invitation for another email", "Sign in with the account of the invited email address (verified), or sign up through the link without signing in."),
	INVALID_API_KEY(HttpStatus.UNAUTHORIZED, "Invalid API key", "Send a live secret API key as `Authorization: Bearer sk_live_…`; this one is unknown, revoked or expired, or is not an API key."),
	CLIENT_HAS_NO_SECRET(HttpStatus.CONFLICT, "Client has no secret", "Only a confidential client with a secret gets a new one; a public client has none and a private_key_jwt client changes its keys."),
	INSUFFICIENT_SCOPE(HttpStatus.FORBIDDEN, "Insufficient scope", "Use an API key with the scope this endpoint needs (docs/api.md, \"Backend API\"), or create one with `plinto api-keys create`."),
	USER_BANNED(HttpStatus.FORBIDDEN, "Account banned", "This account has been banned by the operator; contact them."),
	PASSWORDS_DISABLED(HttpStatus.FORBIDDEN, "Passwords disabled for this domain", "Sign in through your organization's identity provider (POST /v1/sign-in/discover names it)."),
	DOMAIN_NOT_ALLOWED(HttpStatus.UNPROCESSABLE_CONTENT, "Domain not allowed", "Claim a domain your organization owns, such as acme.com: not a public suffix (com, co.uk) nor a public mail provider."),
	DOMAIN_EXISTS(HttpStatus.CONFLICT, "Domain already claimed", "This organization already claims this domain; verify it or change its settings."),
	DOMAIN_TAKEN(HttpStatus.CONFLICT, "Domain verified by another organization", "Another organization holds this domain verified; ask the instance operator if this is wrong."),
	DOMAIN_NOT_VERIFIED(HttpStatus.UNPROCESSABLE_CONTENT, "Domain not verified", "Publish the TXT record named in `verification` (DNS changes can take a while to appear), then retry."),
	UNKNOWN_CONNECTION(HttpStatus.UNPROCESSABLE_CONTENT, "Unknown connection", "Use the id of an enterprise connection of this organization."),
	UNKNOWN_PROVIDER(HttpStatus.NOT_FOUND, "Unknown identity provider", "Use the key of a configured provider (PLINTO_OAUTH_*) or of an enabled OpenID Connect connection."),
	INVALID_SSO_FLOW(HttpStatus.BAD_REQUEST, "Invalid or expired sign-in", "Start the sign-in with the identity provider again; each attempt can be completed once, within 10 minutes."),
	SSO_FAILED(HttpStatus.UNAUTHORIZED, "Sign-in with the identity provider failed", "Start again; the provider refused, or its answer (ID token, nonce, code) did not verify."),
	SSO_SIGN_UP_DISABLED(HttpStatus.FORBIDDEN, "Sign-up through identity providers disabled", "Sign up another way first (PLINTO_OAUTH_SIGN_UP=false), then link the provider on the account page."),
	IDENTITY_NOT_LINKED(HttpStatus.CONFLICT, "Account exists", "An account already has this email; sign in to it another way and link the provider on the account page."),
	IDENTITY_EMAIL_MISSING(HttpStatus.UNPROCESSABLE_CONTENT, "Email missing", "The provider shared no email address; allow it to share one (verified), or sign up another way."),
	IDENTITY_LINKED_ELSEWHERE(HttpStatus.CONFLICT, "Identity linked to another account", "This account at the provider already signs in to another user; unlink it there first."),
	LAST_SIGN_IN_METHOD(HttpStatus.CONFLICT, "Last way to sign in", "Set a password, add a passkey or link another provider before removing this one.");

	private final HttpStatus status;

	private final String title;

	private final String action;

	ErrorCode(HttpStatus status, String title, String action) {
		this.status = status;
		this.title = title;
		this.action = action;
	}

	public HttpStatus status() {
		return status;
	}

	public String title() {
		return title;
	}

	/** A sentence telling the client what to do. */
	public String action() {
		return action;
	}

	/**
	 * The code for an error known only by its HTTP status: one that Tomcat or a servlet raised before any handler
	 * could name it (the {@code /error} dispatch and Tomcat's own error report). Any other client error reads as a
	 * malformed request and any other server error as an internal error, so no status is ever left without a
	 * documented code (RFC 9457, section 4.2: a problem type a client can rely on).
	 */
	public static ErrorCode forStatus(int status) {
		return switch (status) {
			case 400 -> MALFORMED_REQUEST;
			case 401 -> UNAUTHENTICATED;
			case 403 -> FORBIDDEN;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			case 406 -> NOT_ACCEPTABLE;
			case 413 -> PAYLOAD_TOO_LARGE;
			case 415 -> UNSUPPORTED_MEDIA_TYPE;
			case 429 -> RATE_LIMITED;
			case 501, 505 -> HTTP_NOT_SUPPORTED;
			case 503 -> SERVICE_UNAVAILABLE;
			default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL_ERROR;
		};
	}

	/** The stable machine code, e.g. {@code invalid_credentials}. */
	public String code() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}
}
