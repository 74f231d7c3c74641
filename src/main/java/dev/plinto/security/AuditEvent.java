package dev.plinto.security;

import java.time.Instant;

/** One entry of the audit log: what happened, when, to whom, in which session, from where. */
public record AuditEvent(String id, Type type, Instant occurredAt, String userId, String sessionId, String ip,
		String userAgent, String detail) {

	/** Every kind of event the audit log records; the JSON name is the lowercase, dotted form. */
	public enum Type {
		SIGN_UP, SIGN_IN_SUCCEEDED, SIGN_IN_FAILED, SIGN_IN_LOCKED, SIGN_OUT, SESSION_REVOKED,
		REFRESH_TOKEN_REUSED, PASSWORD_CHANGED, PASSWORD_RESET_REQUESTED, PASSWORD_RESET, EMAIL_VERIFIED,
		PROFILE_UPDATED, KEY_ROTATED;

		public String wireName() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
		}
	}
}
