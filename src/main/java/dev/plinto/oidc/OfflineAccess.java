package dev.plinto.oidc;

import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Whether a user's grant gets a refresh token (OpenID Connect Core 1.0 §11, "Offline Access"): an OpenID Connect
 * grant (one with the {@code openid} scope) gets one only when the {@code offline_access} scope was granted with it,
 * so an app that only signs its users in holds no long-lived credential it did not ask for (RFC 9700 §4.14: refresh
 * tokens are issued only where needed). A client registered with {@code --refresh-without-offline-access} opts out
 * and gets one as plain OAuth 2 grants do. The library's own conditions stay in front of this: the client must be
 * registered for {@code refresh_token} and must not be public.
 */
final class OfflineAccess implements OAuth2TokenGenerator<OAuth2RefreshToken> {

	/** The client setting of a client that gets refresh tokens without {@code offline_access}. */
	static final String REFRESH_WITHOUT_OFFLINE_ACCESS = "settings.client.plinto.refresh-without-offline-access";

	static final String SCOPE = "offline_access";

	private final OAuth2RefreshTokenGenerator library = new OAuth2RefreshTokenGenerator();

	@Override
	public OAuth2RefreshToken generate(OAuth2TokenContext context) {
		if (!OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())) {
			return null;
		}
		if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
			// Rotation of a refresh token this rule allowed when the grant was made (the library answers a missing
			// one with server_error), even if the client's registration changed since.
			return library.generate(context);
		}
		Set<String> granted = context.getAuthorization() != null ? context.getAuthorization().getAuthorizedScopes()
				: context.getAuthorizedScopes();
		if (granted.contains(OidcScopes.OPENID) && !granted.contains(SCOPE) && !optedOut(context.getRegisteredClient())) {
			return null;
		}
		return library.generate(context);
	}

	static boolean optedOut(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(REFRESH_WITHOUT_OFFLINE_ACCESS));
	}
}
