package dev.plinto.session;

import dev.plinto.account.User;
import java.time.Instant;

/**
 * What a successful sign-up, sign-in or refresh returns (sent with {@code Cache-Control: no-store}, RFC 6749
 * §5.1). Serialised in snake_case.
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
		String sessionId, UserView user) {

	/** The public view of an account. */
	public record UserView(String id, String email, boolean emailVerified, String name, Instant createdAt) {

		public static UserView of(User u) {
			return new UserView(u.id(), u.email(), u.emailVerified(), u.name(), u.createdAt());
		}
	}
}
