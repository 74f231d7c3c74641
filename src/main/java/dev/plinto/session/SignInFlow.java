package dev.plinto.session;

import java.time.Instant;
import java.util.List;

/**
 * A stored sign-in attempt (ENGINEERING.md, "stored flows"): which client type started it, which first-factor
 * strategy it uses, which state it is in, which authentication methods (RFC 8176 {@code amr}) it has satisfied,
 * and when it expires. A flow is stored when the attempt starts. A password flow goes from {@code STARTED} to
 * {@code COMPLETED} or {@code FAILED}, through {@code MFA_REQUIRED} when the user has a second factor (docs/mfa.md),
 * or ends in {@code ENROLLMENT_REQUIRED} when {@code PLINTO_MFA=required} and the user has none. A passkey flow
 * ({@code PASSKEY} strategy) goes from {@code STARTED} to {@code COMPLETED} or {@code FAILED} with one assertion.
 * An emailed code ({@code EMAIL_CODE}) or link ({@code EMAIL_LINK}) flow is stored when the mail is requested and
 * then goes like a password flow once the code or link is presented ({@link EmailSignInService}). A sign-in through
 * an identity provider ({@code FEDERATION}, docs/federation.md) is stored once the provider's answer verified, and
 * then goes like a password flow with {@code fed} as its first method.
 */
public record SignInFlow(String id, Type type, Strategy strategy, State state, String userId, List<String> amr,
		String ip, String userAgent, Instant createdAt, Instant expiresAt, Instant completedAt) {

	public enum Type { API, BROWSER }

	public enum Strategy { PASSWORD, PASSKEY, EMAIL_CODE, EMAIL_LINK, FEDERATION }

	public enum State { STARTED, MFA_REQUIRED, ENROLLMENT_REQUIRED, COMPLETED, FAILED }

	public SignInFlow fail(Instant at) {
		return new SignInFlow(id, type, strategy, State.FAILED, userId, amr, ip, userAgent, createdAt, expiresAt, at);
	}

	/** The same flow in another state, with the methods satisfied so far (e.g. {@code MFA_REQUIRED} after pwd). */
	public SignInFlow moveTo(State next, String user, List<String> methods, Instant expires) {
		return new SignInFlow(id, type, strategy, next, user, methods, ip, userAgent, createdAt, expires, completedAt);
	}

	public SignInFlow complete(String user, List<String> methods, Instant at) {
		return new SignInFlow(id, type, strategy, State.COMPLETED, user, methods, ip, userAgent, createdAt, expiresAt,
				at);
	}
}
