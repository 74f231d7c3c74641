package dev.plinto.oidc;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.util.StringUtils;

/**
 * Token exchange (RFC 8693) as Spring Authorization Server does it, with Plinto's checks around it: only a client
 * registered for the grant may exchange ({@code unauthorized_client} otherwise, RFC 6749 §5.2); the subject token and
 * the actor token must be Plinto access tokens that verify against the JWKS (signature, {@code typ: at+jwt},
 * issuer, lifetime: RFC 8693 §2.1 leaves their validation to the server, RFC 9068 §4 says how) before the library
 * looks them up among the stored authorizations (so a revoked one is refused too); each exchange is audited as
 * {@code oidc.token_exchanged}, naming the client, the subject and the actor (RFC 8693 §4.1: who acts for whom).
 * <p>
 * With an {@code actor_token} it is delegation: the new token's {@code sub} is the subject and its {@code act} claim
 * names the actor ({@link ProviderTokens}); without one it is impersonation: the new token is the subject's, for the
 * exchanging client. A token for a user stays bound to the user's sign-in session.
 */
final class TokenExchanges implements AuthenticationProvider {

	private final AuthenticationProvider library;

	private final JwtDecoder accessTokens;

	private final AuditLog audit;

	TokenExchanges(AuthenticationProvider library, JwtDecoder accessTokens, AuditLog audit) {
		this.library = library;
		this.accessTokens = accessTokens;
		this.audit = audit;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		OAuth2TokenExchangeAuthenticationToken exchange = (OAuth2TokenExchangeAuthenticationToken) authentication;
		if (!(exchange.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
				|| client.getRegisteredClient() == null || !client.getRegisteredClient()
					.getAuthorizationGrantTypes()
					.contains(AuthorizationGrantType.TOKEN_EXCHANGE)) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
					"This client is not registered for token exchange.", null));
		}
		Jwt subject = verified(exchange.getSubjectToken(), "subject_token");
		Jwt actor = StringUtils.hasText(exchange.getActorToken()) ? verified(exchange.getActorToken(), "actor_token")
				: null;
		Authentication result = library.authenticate(exchange);
		String ip = exchange.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
		String clientId = client.getRegisteredClient().getClientId();
		String detail = clientId + ": " + (actor == null ? "impersonates " + subject.getSubject()
				: actor.getSubject() + " acts for " + subject.getSubject());
		// A user's token carries its session; a client's own token (client credentials) has no user to file it under.
		boolean user = subject.getClaimAsString("sid") != null;
		audit.record(AuditEvent.Type.OIDC_TOKEN_EXCHANGED, user ? subject.getSubject() : null,
				user ? subject.getClaimAsString("sid") : null, new ClientInfo(ip, null), detail);
		return result;
	}

	/** A presented token that is a valid Plinto access token, or {@code invalid_grant} (RFC 6749 §5.2). */
	private Jwt verified(String token, String parameter) {
		try {
			return accessTokens.decode(token);
		}
		catch (JwtException e) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The " + parameter + " is not a valid access token of this server.", null));
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return library.supports(authentication);
	}
}
