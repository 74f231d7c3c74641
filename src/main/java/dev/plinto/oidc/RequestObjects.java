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
 * redirect URI, so the error goes back to that registered URI with the {@code state} (RFC 6749 §4.1.2.1). Likewise a
 * {@code request_uri} that is not one of a pushed authorization request (RFC 9126) is answered
 * {@code request_uri_not_supported} (§6.2) rather than ignored, and discovery says
 * {@code request_uri_parameter_supported: false}.
 */
final class RequestObjects {

	static final String REQUEST_NOT_SUPPORTED = "request_not_supported";

	static final String REQUEST_URI_NOT_SUPPORTED = "request_uri_not_supported";

	/** The prefix of the request URIs a pushed authorization request hands out (RFC 9126 §2.2). */
	private static final String PUSHED = "urn:ietf:params:oauth:request_uri:";

	private RequestObjects() {
	}

	/** The library's validation of redirect URI and scope, then the refusal of a {@code request} parameter. */
	static Customizer<OAuth2AuthorizationEndpointConfigurer> refused() {
		Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator =
				OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
					.andThen(OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_SCOPE_VALIDATOR)
					.andThen(RequestObjects::refuse);
		return endpoint -> endpoint.authenticationProviders(providers -> providers.forEach(provider -> {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
				request.setAuthenticationValidator(validator);
			}
		}));
	}

	private static void refuse(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		Object requestUri = request.getAdditionalParameters().get("request_uri");
		boolean byValue = request.getAdditionalParameters().containsKey("request");
		boolean byReference = requestUri != null && !String.valueOf(requestUri).startsWith(PUSHED);
		if (!byValue && !byReference) {
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
		OAuth2Error error = byValue
				? new OAuth2Error(REQUEST_NOT_SUPPORTED,
						"Request objects (the request parameter) are not supported; send the parameters themselves.",
						"https://openid.net/specs/openid-connect-core-1_0.html#RequestObject")
				: new OAuth2Error(REQUEST_URI_NOT_SUPPORTED, "A request_uri is accepted only from a pushed "
						+ "authorization request (RFC 9126); request objects by reference are not supported.",
						"https://openid.net/specs/openid-connect-core-1_0.html#RequestUriParameter");
		throw new OAuth2AuthorizationCodeRequestAuthenticationException(error, answer);
	}
}
