package dev.plinto.oidc;

import dev.plinto.crypto.SecureTokens;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps the tokens of an authorization only as SHA-256 hashes in the store: authorization codes, access, refresh
 * and ID tokens, device and user codes are bearer credentials, and a copy of the table must not hand them out
 * (RFC 6819 §5.1.4.1.3, "No Cleartext Storage of Credentials"; RFC 9700 §4.14; PRODUCT.md, "stored only as
 * hashes"). Wraps Spring Authorization Server's {@code JdbcOAuth2AuthorizationService}: a token is written as
 * {@code sha256:<hex>}, a lookup by a presented token asks for its hash, and the authorization found carries the
 * presented value again, so the protocol code that compares values (introspection, revocation) sees what the client
 * sent. Tokens it did not look up stay hashed in the returned authorization and are saved as they are.
 */
final class HashedTokens implements OAuth2AuthorizationService {

	private static final String PREFIX = "sha256:";

	private final OAuth2AuthorizationService store;

	HashedTokens(OAuth2AuthorizationService store) {
		this.store = store;
	}

	static String hash(String value) {
		return value == null || value.startsWith(PREFIX) ? value : PREFIX + SecureTokens.hash(value);
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		store.save(rewrite(authorization, (value, unused) -> hash(value)));
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		store.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return store.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		if (token == null) {
			return null;
		}
		if (tokenType != null && OAuth2ParameterNames.STATE.equals(tokenType.getValue())) {
			return store.findByToken(token, tokenType);
		}
		String hashed = hash(token);
		OAuth2Authorization found = store.findByToken(hashed, tokenType);
		return found == null ? null : rewrite(found, (value, unused) -> hashed.equals(value) ? token : value);
	}

	/** The authorization with each token's value mapped, its metadata (claims, invalidation) kept. */
	private static OAuth2Authorization rewrite(OAuth2Authorization authorization,
			BiFunction<String, OAuth2Token, String> map) {
		OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
		for (Class<? extends OAuth2Token> type : List.of(OAuth2AuthorizationCode.class, OAuth2AccessToken.class,
				OAuth2RefreshToken.class, OidcIdToken.class, OAuth2UserCode.class, OAuth2DeviceCode.class)) {
			OAuth2Authorization.Token<? extends OAuth2Token> held = authorization.getToken(type);
			if (held == null) {
				continue;
			}
			OAuth2Token token = held.getToken();
			String value = map.apply(token.getTokenValue(), token);
			if (value.equals(token.getTokenValue())) {
				continue;
			}
			builder.token(withValue(token, value), metadata -> metadata.putAll(held.getMetadata()));
		}
		return builder.build();
	}

	private static OAuth2Token withValue(OAuth2Token token, String value) {
		if (token instanceof OAuth2AccessToken access) {
			return new OAuth2AccessToken(access.getTokenType(), value, access.getIssuedAt(), access.getExpiresAt(),
					access.getScopes());
		}
		if (token instanceof OidcIdToken id) {
			return new OidcIdToken(value, id.getIssuedAt(), id.getExpiresAt(), id.getClaims());
		}
		if (token instanceof OAuth2RefreshToken) {
			return new OAuth2RefreshToken(value, token.getIssuedAt(), token.getExpiresAt());
		}
		if (token instanceof OAuth2AuthorizationCode) {
			return new OAuth2AuthorizationCode(value, token.getIssuedAt(), token.getExpiresAt());
		}
		if (token instanceof OAuth2UserCode) {
			return new OAuth2UserCode(value, token.getIssuedAt(), token.getExpiresAt());
		}
		return new OAuth2DeviceCode(value, token.getIssuedAt(), token.getExpiresAt());
	}
}
