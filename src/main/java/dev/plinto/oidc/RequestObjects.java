package dev.plinto.oidc;

import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.config.Customizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationEndpointConfigurer;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Request objects (OpenID Connect Core §6) are not supported: an authorization request with a {@code request}
 * parameter is answered {@code request_not_supported} (§6.1, §6.3.1), so its signed or unsigned JWT, {@code alg:
 * none} included, is never read and never silently ignored in favour of the plain parameters. Discovery says
 * {@code request_parameter_supported: false}. The check runs after the library has verified the client and its
 * redirect URI, so the error goes back to that registered URI with the {@code state} (RFC 6749 §4.1.2.1). A
 * {@code request_uri} (§6.2) is read only as the handle of a pushed authorization request (RFC 9126); any other value
 * is the library's {@code invalid_request}, answered with a page since the request it names is unknown; discovery
 * says {@code request_uri_parameter_supported: false}.
 */
final class RequestObjects {

	static final String REQUEST_NOT_SUPPORTED = "request_not_supported";

	private RequestObjects() {
	}

	/**
	 * Refuses an authorization request with a {@code request} parameter; part of the authorization request's
	 * validation ({@link AuthenticationRequests#validator()}), after the library's redirect URI and scope checks.
	 */
	static void refuse(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		if (!request.getAdditionalParameters().containsKey("request")) {
			return;
		}
		RegisteredClient client = context.getRegisteredClient();
		String redirectUri = request.getRedirectUri();
		Set<String> registered = client.getRedirectUris();
		if (redirectUri == null && registered.size() == 1) {
			redirectUri = registered.iterator().next();
		}
		OAuth2AuthorizationCodeRequestAuthenticationToken answer = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
				redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
		throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(REQUEST_NOT_SUPPORTED,
				"Request objects (the request parameter) are not supported; send the parameters themselves.",
				"https://openid.net/specs/openid-connect-core-1_0.html#RequestObject"), answer);
	}
}
