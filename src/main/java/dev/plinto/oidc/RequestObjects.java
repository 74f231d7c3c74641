package dev.plinto.oidc;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * Authorization requests that carry a request object ({@code request}, OpenID Connect Core 1.0 §6.1) are refused
 * with {@code request_not_supported} (§6.3 and §3.1.2.6), after the library has checked the client and its redirect
 * URI, so the answer goes to the client. Plinto does not verify request objects, and discovery does not offer them
 * ({@code request_parameter_supported} is absent, so false: OpenID Connect Discovery 1.0 §3); without this check the
 * library would ignore the parameter and answer the plain request, and a client that relied on a signed request
 * object (or an attacker's unsigned {@code alg: none} one, RFC 8725 §3.1) would get a code for parameters it did not
 * send. {@code request_uri} is not refused here: it names a pushed authorization request (RFC 9126 §4).
 */
final class RequestObjects {

	static final String REQUEST = "request";

	private RequestObjects() {
	}

	static void refuse(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		if (request.getAdditionalParameters().containsKey(REQUEST)) {
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error("request_not_supported",
					"Request objects are not supported; send the parameters in the query.",
					"https://openid.net/specs/openid-connect-core-1_0.html#RequestObject"), request);
		}
	}
}
