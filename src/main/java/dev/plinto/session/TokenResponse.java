package dev.plinto.session;

import dev.plinto.account.UserView;

/**
 * What a successful sign-up, sign-in or refresh returns (sent with {@code Cache-Control: no-store}, RFC 6749
 * §5.1). Serialised in snake_case.
 */
public record TokenResponse(String accessToken, String tokenType, long expiresIn, String refreshToken,
		String sessionId, UserView user) {
}
