package dev.plinto.oidc;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.session.SessionService;
import dev.plinto.web.ClientInfo;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Refresh-token reuse detection for the OpenID provider, as the JSON API does it (RFC 9700 §4.14.2, "Refresh Token
 * Protection": a refresh token that was rotated out and is presented again was stolen from the client or by it, so
 * the OP "revokes the active refresh token" and with it the whole grant). Every rotation remembers the hash of the
 * token it replaced (table {@code oidc_rotated_refresh_token}, until that token would have expired); when such a
 * token comes back to the token endpoint, from the client it was issued to:
 * <ul>
 * <li>the whole authorization is removed, so its current refresh token, access token (at introspection and
 * UserInfo) and ID token stop being accepted;</li>
 * <li>the Plinto session it is bound to is revoked exactly as the JSON API revokes one on reuse
 * ({@link SessionService#refreshTokenReused}: reason {@code refresh_token_reused}, audit
 * {@code refresh_token.reused}, webhook {@code session.reuse_detected}), which also ends every other client's refresh
 * in that session and sends back-channel logout;</li>
 * <li>the client gets {@code invalid_grant} (RFC 6749 §5.2).</li>
 * </ul>
 * Within {@code PLINTO_REFRESH_REUSE_GRACE} of the rotation (a client's retry after a lost response) the old token
 * is refused with {@code invalid_grant} but nothing is revoked: unlike the JSON API, the provider cannot hand out
 * the new tokens a second time.
 */
final class RefreshTokenReuse {

	private static final Logger log = LoggerFactory.getLogger(RefreshTokenReuse.class);

	private final JdbcClient jdbc;

	private final OAuth2AuthorizationService authorizations;

	private final SessionService sessions;

	private final AuditLog audit;

	private final PlintoSettings settings;

	private final Clock clock;

	RefreshTokenReuse(JdbcClient jdbc, OAuth2AuthorizationService authorizations, SessionService sessions,
			AuditLog audit, PlintoSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.authorizations = authorizations;
		this.sessions = sessions;
		this.audit = audit;
		this.settings = settings;
		this.clock = clock;
	}

	/** The library's refresh-token grant with reuse detection around it; other providers as they are. */
	AuthenticationProvider guard(AuthenticationProvider provider) {
		return provider instanceof OAuth2RefreshTokenAuthenticationProvider ? new Guarded(provider) : provider;
	}

	private final class Guarded implements AuthenticationProvider {

		private final AuthenticationProvider library;

		Guarded(AuthenticationProvider library) {
			this.library = library;
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return library.supports(authentication);
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			OAuth2RefreshTokenAuthenticationToken grant = (OAuth2RefreshTokenAuthenticationToken) authentication;
			String presented = grant.getRefreshToken();
			OAuth2Authorization current = authorizations.findByToken(presented, OAuth2TokenType.REFRESH_TOKEN);
			Authentication result;
			try {
				result = library.authenticate(authentication);
			}
			catch (OAuth2AuthenticationException e) {
				if (current == null && OAuth2ErrorCodes.INVALID_GRANT.equals(e.getError().getErrorCode())) {
					reused(presented, clientId(grant));
				}
				throw e;
			}
			if (current != null && result instanceof OAuth2AccessTokenAuthenticationToken tokens
					&& tokens.getRefreshToken() != null && !presented.equals(tokens.getRefreshToken().getTokenValue())) {
				remember(presented, current);
			}
			return result;
		}
	}

	private void remember(String presented, OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2RefreshToken> old = authorization.getRefreshToken();
		Instant now = clock.instant();
		Instant expiresAt = old != null && old.getToken().getExpiresAt() != null ? old.getToken().getExpiresAt()
				: now.plus(java.time.Duration.ofDays(365));
		Authentication principal = authorization.getAttribute(java.security.Principal.class.getName());
		jdbc.sql("""
				insert into oidc_rotated_refresh_token (token_hash, authorization_id, registered_client_id,
				    principal_name, session_id, rotated_at, expires_at)
				values (:hash, :authorization, :client, :principal, :sid, :now, :expires)""")
			.param("hash", HashedTokens.hash(presented))
			.param("authorization", authorization.getId())
			.param("client", authorization.getRegisteredClientId())
			.param("principal", authorization.getPrincipalName())
			.param("sid", BrowserPrincipalFilter.sessionId(principal))
			.param("now", Timestamp.from(now))
			.param("expires", Timestamp.from(expiresAt))
			.update();
	}

	private record Rotated(String authorizationId, String registeredClientId, String principalName, String sessionId,
			Instant rotatedAt) {
	}

	private void reused(String presented, String registeredClientId) {
		Instant now = clock.instant();
		Optional<Rotated> rotated = jdbc.sql("""
				select authorization_id, registered_client_id, principal_name, session_id, rotated_at
				from oidc_rotated_refresh_token where token_hash = ? and expires_at > ?""")
			.param(HashedTokens.hash(presented))
			.param(Timestamp.from(now))
			.query((rs, n) -> new Rotated(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getTimestamp(5).toInstant()))
			.optional();
		if (rotated.isEmpty() || !rotated.get().registeredClientId().equals(registeredClientId)) {
			return;
		}
		Rotated r = rotated.get();
		if (!settings.refreshReuseGrace().isZero() && !now.isAfter(r.rotatedAt().plus(settings.refreshReuseGrace()))) {
			return;
		}
		OAuth2Authorization authorization = authorizations.findById(r.authorizationId());
		if (authorization != null) {
			authorizations.remove(authorization);
		}
		ClientInfo client = client();
		if (r.sessionId() != null) {
			sessions.refreshTokenReused(r.principalName(), r.sessionId(), client);
		}
		else if (authorization != null) {
			audit.record(AuditEvent.Type.REFRESH_TOKEN_REUSED, r.principalName(), null, client,
					"a rotated-out refresh token of an OpenID client was presented; its authorization was revoked");
		}
		log.warn("A rotated-out refresh token of OpenID client {} was presented again; its authorization was revoked",
				registeredClientId);
		throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
				"This refresh token was already used, so its authorization and sign-in were revoked; sign in again.",
				null));
	}

	/** The registered id of the authenticated client (the library has checked its credentials). */
	private static String clientId(OAuth2RefreshTokenAuthenticationToken grant) {
		return grant.getPrincipal() instanceof org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken c
				&& c.getRegisteredClient() != null ? c.getRegisteredClient().getId() : null;
	}

	/** The caller's address and agent for the audit entry, read from the token request being served. */
	private static ClientInfo client() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			return new ClientInfo(attributes.getRequest().getRemoteAddr(),
					attributes.getRequest().getHeader(HttpHeaders.USER_AGENT));
		}
		return ClientInfo.none();
	}

	/** Forgets rotated-out tokens that expired before the given time; returns how many. */
	int forgetExpired(Instant before) {
		return jdbc.sql("delete from oidc_rotated_refresh_token where expires_at < ?")
			.param(Timestamp.from(before))
			.update();
	}
}
