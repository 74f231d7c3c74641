package dev.plinto.session;

/**
 * Published inside the transaction that revokes a live session, so that webhooks record {@code session.revoked}
 * (and {@code session.reuse_detected} when a rotated-out refresh token ended it) in that same transaction.
 *
 * @param sessionId the session
 * @param userId its account
 * @param reason the stored revocation reason: {@code sign_out}, {@code revoked_by_user},
 * {@code refresh_token_reused}, {@code password_changed}, {@code password_reset}
 */
public record SessionEnded(String sessionId, String userId, String reason) {

	/** The reason of a session ended because a rotated-out refresh token was presented (RFC 9700 §4.14.2). */
	public static final String REUSE_DETECTED = "refresh_token_reused";
}
