package dev.plinto.oidc;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Access tokens of the client credentials grant are not stored: such a grant has no user, no session, no refresh
 * token and no consent to remember, and its access token is a JWT signed by Plinto's keys that says everything
 * about itself (RFC 9068 §2.2: {@code client_id}, {@code sub} the client, {@code scope}, {@code exp}). Storing each
 * one cost a row of serialised JSON per token request, the cleanup of as many rows, and a third of the request's
 * work, for machines that ask for tokens thousands of times an hour.
 * <p>
 * What storage gave is kept: when introspection (RFC 7662), revocation (RFC 7009) or token exchange (RFC 8693) asks
 * for a token that is not stored, a JWT access token that verifies against Plinto's published keys ({@code typ}
 * {@code at+jwt}, issuer, lifetime, the same checks as UserInfo's), belongs to no session ({@code sid} absent) and
 * names its own client as subject is answered with an authorization rebuilt from its claims, as long as that client
 * still exists and may use the grant; a deleted client's tokens are inactive at once. Revoking such a token stores
 * its authorization, marked invalidated, until the token expires (the cleanup job then removes it), and stored
 * authorizations are always asked first, so a revoked token stays inactive (RFC 7009 §2.2). Resource servers that
 * verify the JWT themselves see neither deletion nor revocation before {@code exp}, as for every JWT access token
 * (docs/oidc.md, "Client credentials"): keep the client's access-token lifetime short.
 */
final class ClientCredentialsTokens implements OAuth2AuthorizationService {

	/** Prefix of a rebuilt authorization's id: the token's {@code jti}, so revoking it twice stores one row. */
	private static final String ID_PREFIX = "cc:";

	private final OAuth2AuthorizationService store;

	private final RegisteredClientRepository clients;

	private final JwtDecoder accessTokens;

	ClientCredentialsTokens(OAuth2AuthorizationService store, RegisteredClientRepository clients,
			JwtDecoder accessTokens) {
		this.store = store;
		this.clients = clients;
		this.accessTokens = accessTokens;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())
				&& authorization.getRefreshToken() == null && authorization.getAccessToken() != null
				&& !authorization.getAccessToken().isInvalidated()) {
			return;
		}
		store.save(authorization);
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
		OAuth2Authorization stored = store.findByToken(token, tokenType);
		if (stored != null || token == null || (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType))
				|| token.chars().filter(c -> c == '.').count() != 2) {
			return stored;
		}
		Jwt jwt;
		try {
			jwt = accessTokens.decode(token);
		}
		catch (JwtException e) {
			return null;
		}
		String clientId = jwt.getClaimAsString("client_id");
		if (clientId == null || !clientId.equals(jwt.getSubject()) || jwt.hasClaim("sid") || jwt.getId() == null) {
			return null;
		}
		RegisteredClient client = clients.findByClientId(clientId);
		if (client == null || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.CLIENT_CREDENTIALS)) {
			return null;
		}
		Set<String> scopes = scopes(jwt);
		// As the library keeps a generated token's claims: the scopes as a set, not the JWT's space-separated text.
		Map<String, Object> claims = new LinkedHashMap<>(jwt.getClaims());
		claims.put("scope", scopes);
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token,
				jwt.getIssuedAt(), jwt.getExpiresAt(), scopes);
		return OAuth2Authorization.withRegisteredClient(client)
			.id(ID_PREFIX + jwt.getId())
			.principalName(clientId)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.authorizedScopes(scopes)
			.token(accessToken, metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims))
			.build();
	}

	private static Set<String> scopes(Jwt jwt) {
		Object scope = jwt.getClaim("scope");
		Set<String> scopes = new LinkedHashSet<>();
		if (scope instanceof Collection<?> many) {
			many.forEach(s -> scopes.add(String.valueOf(s)));
		}
		else if (scope instanceof String text && !text.isBlank()) {
			scopes.addAll(List.of(text.trim().split("\\s+")));
		}
		return scopes;
	}
}
