package dev.plinto.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Turns the bearer token of a Backend API request (RFC 6750 §2.1, {@code Authorization: Bearer sk_live_…}) into the
 * principal Spring Security authorizes: the key's id as its name and one {@code SCOPE_…} authority per scope
 * ({@link ApiKeyScope#authority()}), so the security configuration declares each route's scope once. An unknown,
 * revoked or expired key, and anything that is not an API key (a session's access token included), is refused
 * ({@link BadOpaqueTokenException}, answered 401 {@code invalid_api_key} with {@code WWW-Authenticate: Bearer
 * error="invalid_token"}, RFC 6750 §3.1). Looked up on every request through {@link ApiKeys#authenticate}, never
 * cached.
 */
@Component
public final class ApiKeyAuthentication implements OpaqueTokenIntrospector {

	/** The principal's attribute that holds the key's id. */
	public static final String KEY_ID = "api_key_id";

	private final ApiKeys keys;

	ApiKeyAuthentication(ApiKeys keys) {
		this.keys = keys;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		ApiKey key = keys.authenticate(token)
			.orElseThrow(() -> new BadOpaqueTokenException("not a live API key"));
		List<GrantedAuthority> authorities = key.scopes()
			.stream()
			.flatMap(s -> ApiKeyScope.of(s).stream())
			.<GrantedAuthority>map(s -> new SimpleGrantedAuthority(s.authority()))
			.toList();
		return new DefaultOAuth2AuthenticatedPrincipal(key.id(), Map.of(KEY_ID, key.id(), "scope", key.scopes()),
				authorities);
	}

	/** The id of the API key a request was authenticated with, if it was. */
	public static Optional<String> keyId(Authentication authentication) {
		if (authentication != null && authentication.getPrincipal() instanceof OAuth2AuthenticatedPrincipal p
				&& p.getAttribute(KEY_ID) instanceof String id) {
			return Optional.of(id);
		}
		return Optional.empty();
	}
}
