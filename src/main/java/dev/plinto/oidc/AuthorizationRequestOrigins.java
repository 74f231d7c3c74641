package dev.plinto.oidc;

import dev.plinto.pages.FormActionOrigins;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where a page whose {@code redirect_url} is an authorization request ({@code /oauth2/authorize?client_id=…}) leads
 * after Plinto: the origins of that client's registered redirect URIs (http and https only), for that page's
 * {@code form-action} (CSP Level 3 §6.4.1: the browser checks every redirect after the sign-in form's post, and the
 * last one goes to the client). Only the client the request names, looked up in the registered clients at each
 * page, so a new, changed or deleted client counts at once and no other client's origins are ever allowed; an
 * unknown client or a malformed URL adds nothing. The authorization endpoint itself still checks the redirect URI
 * exactly (RFC 9700 §4.1.3): this only stops the browser from blocking a redirect Plinto makes.
 */
final class AuthorizationRequestOrigins implements FormActionOrigins {

	private final String authorizationEndpoint;

	private final RegisteredClientRepository clients;

	AuthorizationRequestOrigins(AuthorizationServerSettings settings, RegisteredClientRepository clients) {
		this.authorizationEndpoint = settings.getAuthorizationEndpoint();
		this.clients = clients;
	}

	@Override
	public Set<String> after(String redirectUrl) {
		String clientId;
		try {
			var url = UriComponentsBuilder.fromUriString(redirectUrl).build();
			if (!authorizationEndpoint.equals(url.getPath()) || url.getHost() != null) {
				return Set.of();
			}
			clientId = url.getQueryParams().getFirst("client_id");
			if (clientId == null || clientId.isBlank()) {
				return Set.of();
			}
			clientId = java.net.URLDecoder.decode(clientId, java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			return Set.of();
		}
		RegisteredClient client = clients.findByClientId(clientId);
		if (client == null) {
			return Set.of();
		}
		Set<String> origins = new LinkedHashSet<>();
		for (String uri : client.getRedirectUris()) {
			try {
				URI parsed = URI.create(uri);
				if (("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()))
						&& parsed.getHost() != null) {
					origins.add(parsed.getScheme() + "://" + parsed.getHost()
							+ (parsed.getPort() == -1 ? "" : ":" + parsed.getPort()));
				}
			}
			catch (IllegalArgumentException e) {
				// a stored URI that is not one: nothing to allow
			}
		}
		return origins;
	}
}
