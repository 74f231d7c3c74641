package dev.plinto.oidc;

import dev.plinto.account.User;
import dev.plinto.account.UserMetadata;
import dev.plinto.account.UserRepository;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.session.ActiveOrganizationClaims;
import dev.plinto.session.Session;
import dev.plinto.session.SessionRepository;
import dev.plinto.session.SessionRevocations;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeActor;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * What Plinto adds to the tokens Spring Authorization Server issues, and the check that binds them to the browser
 * session they came from.
 * <ul>
 * <li><b>Access tokens</b> are RFC 9068 JWTs: header {@code typ: at+jwt} (§2.1), {@code client_id} (§2.2), and for a
 * user's token {@code sid}, {@code auth_time} and {@code amr} of the sign-in (§2.2.1); {@code aud} is the client,
 * {@code scope} the granted scopes. They are signed by Plinto's keys and verify against the same JWKS.</li>
 * <li><b>ID tokens</b> (OpenID Connect Core §2) carry {@code nonce} (set by the library), {@code auth_time} (when
 * the session's sign-in happened), {@code amr} (RFC 8176 values of the session's factors) and {@code sid} (the
 * Plinto session, as OpenID Connect Front-/Back-Channel Logout define it), plus {@code email} and
 * {@code email_verified} with the {@code email} scope and {@code name} with {@code profile} (§5.4), and with
 * {@code profile} and {@code PLINTO_TOKEN_PUBLIC_METADATA=on} the user's {@code public_metadata}.</li>
 * <li><b>Session binding:</b> a token for a user is issued only while the Plinto session that authorized it is
 * live, so signing out anywhere, a revoked session or a detected refresh-token reuse on the JSON API also ends the
 * client's refresh (RFC 9700 §4.14.2: refresh tokens bound to the authorization's lifetime). A refresh keeps the
 * session active, as a refresh of the JSON API does.</li>
 * <li><b>Delegation</b> (RFC 8693 token exchange with an actor token): the token's {@code sub} is the subject and
 * its {@code act} claim names the actor (§4.1), the session binding is the subject's.</li>
 * </ul>
 * ID and access tokens also carry {@code acr} ({@link AuthenticationRequests#acr}) and, with the {@code org} scope,
 * the active organization's claims ({@link #organizationClaims}); each client that gets an ID token in a session is
 * remembered for back-channel logout ({@link SessionClients}). A user signing in to a client (the ID token of an
 * authorization code, or the first access token of a device the user approved) is audited as
 * {@code oidc.signed_in}.
 */
final class ProviderTokens implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final SessionRepository sessions;

	private final SessionRevocations revocations;

	private final UserRepository users;

	private final AuditLog audit;

	private final PlintoSettings settings;

	private final Clock clock;

	private final ActiveOrganizationClaims organizations;

	private final SessionClients sessionClients;

	ProviderTokens(SessionRepository sessions, SessionRevocations revocations, UserRepository users, AuditLog audit,
			PlintoSettings settings, Clock clock, ActiveOrganizationClaims organizations,
			SessionClients sessionClients) {
		this.organizations = organizations;
		this.sessionClients = sessionClients;
		this.sessions = sessions;
		this.revocations = revocations;
		this.users = users;
		this.audit = audit;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		// A delegated token (RFC 8693) is the subject's, with the actors beside it.
		Authentication principal = context.getPrincipal() instanceof OAuth2TokenExchangeCompositeAuthenticationToken c
				? c.getSubject() : context.getPrincipal();
		String sid = BrowserPrincipalFilter.sessionId(principal);
		Session session = sid == null ? null : liveSession(sid, principal.getName());
		boolean refresh = AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType());
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type("at+jwt");
			context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
			// RFC 9068 §2.2.3 and RFC 8693 §4.2: one space-separated string, not the library's JSON array.
			context.getClaims().claims(claims -> {
				if (claims.get("scope") instanceof Collection<?> scopes) {
					claims.put("scope", scopes.stream().map(String::valueOf).sorted().collect(Collectors.joining(" ")));
				}
			});
			if (session != null) {
				context.getClaims()
					.claim("sid", session.id())
					.claim("auth_time", session.createdAt())
					.claim("amr", session.amr())
					.claim("acr", AuthenticationRequests.acr(session.amr()));
				organizationClaims(session, context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
				if (refresh) {
					sessions.touch(session.id(), clock.instant());
				}
			}
			if (context.getPrincipal() instanceof OAuth2TokenExchangeCompositeAuthenticationToken delegated) {
				context.getClaims().claim("act", act(delegated.getActors()));
			}
			if (AuthorizationGrantType.DEVICE_CODE.equals(context.getAuthorizationGrantType()) && session != null) {
				audit.record(AuditEvent.Type.OIDC_SIGNED_IN, principal.getName(), sid, ClientInfo.none(),
						context.getRegisteredClient().getClientId() + " (device)");
			}
		}
		else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
			if (session != null) {
				// A Date, as the library reads auth_time back from the stored ID token when it refreshes one.
				context.getClaims()
					.claim("sid", session.id())
					.claim("auth_time", Date.from(session.createdAt()))
					.claim("amr", session.amr())
					.claim("acr", AuthenticationRequests.acr(session.amr()));
				organizationClaims(session, context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
				sessionClients.record(session.id(), context.getRegisteredClient().getId());
			}
			if (settings.tokenPublicMetadata() && context.getAuthorizedScopes().contains(OidcScopes.PROFILE)) {
				// The same one read, with the public metadata (PLINTO_TOKEN_PUBLIC_METADATA).
				users.findProfile(principal.getName()).ifPresent(profile -> {
					userClaims(profile.user(), context.getAuthorizedScopes()).forEach(context.getClaims()::claim);
					UserMetadata.publicClaim(profile.metadata().publicJson())
						.ifPresent(metadata -> context.getClaims().claim("public_metadata", metadata));
				});
			}
			else {
				users.findById(principal.getName())
					.ifPresent(user -> userClaims(user, context.getAuthorizedScopes()).forEach(context.getClaims()::claim));
			}
			if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
				String ip = principal.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
				audit.record(AuditEvent.Type.OIDC_SIGNED_IN, principal.getName(), sid, new ClientInfo(ip, null),
						context.getRegisteredClient().getClientId());
			}
		}
	}

	/**
	 * The session that authorized a user's tokens, when it is still live and still the user's; otherwise the grant
	 * is refused with {@code invalid_grant} (RFC 6749 §5.2).
	 */
	private Session liveSession(String sid, String userId) {
		Instant now = clock.instant();
		return sessions.findById(sid)
			.filter(s -> s.userId().equals(userId) && s.isLive(now, settings.sessionIdleTimeout())
					&& revocations.accepts(sid, userId))
			.orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The sign-in this grant belongs to has ended; sign in again.", null)));
	}

	/**
	 * The {@code act} claim of a delegated token (RFC 8693 §4.1): the current actor's {@code sub}, with the actors
	 * before it nested in its own {@code act}, most recent first.
	 */
	static Map<String, Object> act(List<OAuth2TokenExchangeActor> actors) {
		Map<String, Object> act = null;
		for (int i = actors.size() - 1; i >= 0; i--) {
			Map<String, Object> current = new LinkedHashMap<>();
			current.put("sub", actors.get(i).getSubject());
			if (act != null) {
				current.put("act", act);
			}
			act = current;
		}
		return act;
	}

	/**
	 * With the {@code org} scope, the claims of the session's active organization as the membership stands now, under
	 * the names the JSON API's session tokens use ({@code org_id}, {@code org_slug}, {@code org_role},
	 * {@code org_permissions}: docs/organizations.md); none without an active organization or once the user left it.
	 */
	Map<String, Object> organizationClaims(Session session, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (session == null || !scopes.contains(ORG_SCOPE) || session.activeOrganizationId() == null) {
			return claims;
		}
		organizations.claims(session.userId(), session.activeOrganizationId()).ifPresent(org -> {
			claims.put("org_id", org.id());
			claims.put("org_slug", org.slug());
			claims.put("org_role", org.role());
			// A mutable list: the library stores the token's claims as JSON with type ids, and its type validator
			// reads back java.util.ArrayList but not the JDK's immutable lists.
			claims.put("org_permissions", new java.util.ArrayList<>(org.permissions()));
		});
		return claims;
	}

	/** The scope of the active organization's claims. */
	static final String ORG_SCOPE = "org";

	/** The user's claims the granted scopes allow (OpenID Connect Core §5.4). */
	static Map<String, Object> userClaims(User user, Set<String> scopes) {
		Map<String, Object> claims = new LinkedHashMap<>();
		if (scopes.contains(OidcScopes.EMAIL)) {
			claims.put("email", user.email());
			claims.put("email_verified", user.emailVerified());
		}
		if (scopes.contains(OidcScopes.PROFILE) && user.name() != null) {
			claims.put("name", user.name());
		}
		return claims;
	}

	/**
	 * The UserInfo response (OpenID Connect Core §5.3): {@code sub} and the claims of the scopes the access token was
	 * granted, read from the account as it is now, not copied from the ID token.
	 */
	OidcUserInfo userInfo(OidcUserInfoAuthenticationContext context) {
		OAuth2Authorization authorization = context.getAuthorization();
		String userId = authorization.getPrincipalName();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", userId);
		users.findById(userId).ifPresent(user -> claims.putAll(userClaims(user, authorization.getAuthorizedScopes())));
		Authentication principal = authorization.getAttribute(java.security.Principal.class.getName());
		String sid = BrowserPrincipalFilter.sessionId(principal);
		if (sid != null && authorization.getAuthorizedScopes().contains(ORG_SCOPE)) {
			sessions.findById(sid)
				.filter(s -> s.userId().equals(userId))
				.ifPresent(s -> claims.putAll(organizationClaims(s, authorization.getAuthorizedScopes())));
		}
		return new OidcUserInfo(claims);
	}
}
