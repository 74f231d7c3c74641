package dev.plinto.session;

import java.time.Instant;
import java.util.List;

/**
 * A stored sign-in attempt (ENGINEERING.md, "stored flows"): which client type started it, which first-factor
 * strategy it uses, which state it is in, which authentication methods (RFC 8176 {@code amr}) it has satisfied,
 * and when it expires. A flow is stored when the attempt starts; today a password flow goes from {@code STARTED}
 * to {@code COMPLETED} or {@code FAILED}; a second factor, a passkey or a social provider adds states (e.g. a
 * factor-required state between the two) and strategies, not controller branches.
 */
public record SignInFlow(String id, Type type, Strategy strategy, State state, String userId, List<String> amr,
		String ip, String userAgent, Instant createdAt, Instant expiresAt, Instant completedAt) {

	public enum Type { API, BROWSER }

	public enum Strategy { PASSWORD }

	public enum State { STARTED, COMPLETED, FAILED }

	public SignInFlow fail(Instant at) {
		return new SignInFlow(id, type, strategy, State.FAILED, userId, amr, ip, userAgent, createdAt, expiresAt, at);
	}

	public SignInFlow complete(String user, List<String> methods, Instant at) {
		return new SignInFlow(id, type, strategy, State.COMPLETED, user, methods, ip, userAgent, createdAt, expiresAt,
				at);
	}
}
