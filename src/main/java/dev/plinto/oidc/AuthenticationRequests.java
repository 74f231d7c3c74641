package dev.plinto.oidc;

import dev.plinto.session.SecondFactors;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.util.StringUtils;

/**
 * What an OpenID Connect authentication request asks of the sign-in behind it (OpenID Connect Core 1.0 §3.1.2.1),
 * checked by Spring Authorization Server's authorization endpoint after it has verified the client and its redirect
 * URI, so every refusal goes to that registered URI (§3.1.2.6), never to a page:
 * <ul>
 * <li>{@code prompt=login}: a signed-in browser is sent to the hosted sign-in page with {@code prompt=login} and
 * comes back to the same request without that value; the new sign-in replaces the browser's session, so the ID
 * token's {@code auth_time} is the fresh one.</li>
 * <li>{@code prompt=select_account}: Plinto holds one account per browser, so the sign-in page, with
 * {@code prompt=select_account}, offers "continue as" the signed-in account (back to the request without that value,
 * no new sign-in) or signing in with another account, which replaces the session.</li>
 * <li>{@code max_age}: a sign-in older than that many seconds is treated as {@code prompt=login}; the ID token always
 * carries {@code auth_time} (§2, required with {@code max_age}).</li>
 * <li>{@code acr_values} naming {@link #ACR_MFA}: a session signed in with one factor, of an account that has a
 * second factor, is sent to sign in again, where the second-factor step follows the password. An account without a
 * second factor gets its tokens with {@link #ACR_SFA}: {@code acr_values} is a voluntary claim (§5.5.1.1) and the
 * client decides what to do with the {@code acr} it is given.</li>
 * <li>{@code prompt=none}: never a page; where the others would show one the answer is {@code login_required} (sign-in
 * needed or too old), {@code interaction_required} (a second factor needed) or, from the library,
 * {@code consent_required}; {@code none} with another value is {@code invalid_request} (§3.1.2.1).</li>
 * <li>{@code prompt=consent}: the consent page is shown even when the user granted every scope before, and for a
 * first-party client too ({@link #consentRequired}).</li>
 * </ul>
 * Requests without the {@code openid} scope are plain OAuth 2 and these parameters do not apply.
 */
final class AuthenticationRequests {

	/** The {@code acr} of a sign-in with a second factor (its {@code amr} holds {@code mfa}, RFC 8176 §2). */
	static final String ACR_MFA = "urn:plinto:acr:mfa";

	/** The {@code acr} of a sign-in with one factor (a password, an emailed code or link, a passkey alone). */
	static final String ACR_SFA = "urn:plinto:acr:sfa";

	static final List<String> ACR_VALUES = List.of(ACR_SFA, ACR_MFA);

	static final List<String> PROMPT_VALUES = List.of("none", "login", "consent", "select_account");

	/**
	 * The error the endpoint's error handler turns into the redirect to the sign-in page; never sent to a client.
	 */
	static final String SIGN_IN_AGAIN = "plinto_sign_in_again";

	/** The description of {@link #SIGN_IN_AGAIN} when the user only has to choose the account. */
	static final String SELECT_ACCOUNT = "select_account";

	private final SecondFactors secondFactors;

	private final Clock clock;

	AuthenticationRequests(SecondFactors secondFactors, Clock clock) {
		this.secondFactors = secondFactors;
		this.clock = clock;
	}

	/**
	 * The library's checks of redirect URI and scopes, the refusal of request objects ({@link RequestObjects}), then
	 * these.
	 */
	Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> validator() {
		return new OAuth2AuthorizationCodeRequestAuthenticationValidator().andThen(RequestObjects::refuse)
			.andThen(this::check);
	}

	/** The {@code acr} of a sign-in with these RFC 8176 methods. */
	static String acr(List<String> amr) {
		return amr != null && amr.contains("mfa") ? ACR_MFA : ACR_SFA;
	}

	private void check(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		RegisteredClient client = context.getRegisteredClient();
		if (!request.getScopes().contains(OidcScopes.OPENID)) {
			return;
		}
		Set<String> prompt = prompts(request);
		if (prompt.contains("none") && prompt.size() > 1) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "prompt=none cannot be combined with another value.",
					request, client);
		}
		Long maxAge = maxAge(request, client);
		Authentication user = request.getPrincipal() instanceof Authentication a ? a : null;
		if (user == null || !user.isAuthenticated() || BrowserPrincipalFilter.sessionId(user) == null) {
			// Signed out: the library answers prompt=none with login_required, otherwise the browser signs in.
			return;
		}
		Instant authTime = authTime(user);
		boolean stale = prompt.contains("login") || prompt.contains("select_account") || (maxAge != null
				&& (authTime == null || authTime.plusSeconds(maxAge).isBefore(clock.instant())));
		boolean secondFactorWanted = acrValues(request).contains(ACR_MFA) && amr(user).stream().noneMatch("mfa"::equalsIgnoreCase)
				&& !secondFactors.available(user.getName()).isEmpty();
		if (!stale && !secondFactorWanted) {
			return;
		}
		if (prompt.contains("none")) {
			throw stale ? error("login_required", "The sign-in is older than max_age allows; sign in again.",
					request, client)
					: error("interaction_required", "The client asks for a second factor; the user must sign in "
							+ "with it.", request, client);
		}
		boolean onlyChoose = !prompt.contains("login") && !secondFactorWanted && (maxAge == null
				|| (authTime != null && !authTime.plusSeconds(maxAge).isBefore(clock.instant())));
		throw error(SIGN_IN_AGAIN, onlyChoose ? SELECT_ACCOUNT : null, request, client);
	}

	/**
	 * The library's rule (consent for a client that is not first-party, unless the user granted every requested
	 * scope before, and never for {@code openid} alone), and the consent page whenever a request says
	 * {@code prompt=consent} (OpenID Connect Core §3.1.2.1).
	 */
	static boolean consentRequired(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
		if (request.getScopes().contains(OidcScopes.OPENID) && prompts(request).contains("consent")) {
			return true;
		}
		if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
			return false;
		}
		Set<String> requested = context.getAuthorizationRequest().getScopes();
		if (requested.contains(OidcScopes.OPENID) && requested.size() == 1) {
			return false;
		}
		OAuth2AuthorizationConsent granted = context.getAuthorizationConsent();
		return granted == null || !granted.getScopes().containsAll(requested);
	}

	static Set<String> prompts(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
		return words(request.getAdditionalParameters().get("prompt"));
	}

	private static Set<String> acrValues(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
		return words(request.getAdditionalParameters().get("acr_values"));
	}

	private static Set<String> words(Object value) {
		return value instanceof String s && StringUtils.hasText(s)
				? Arrays.stream(s.split(" ")).filter(StringUtils::hasText).collect(Collectors.toCollection(LinkedHashSet::new))
				: Set.of();
	}

	/** {@code max_age}: a non-negative number of seconds (OpenID Connect Core §3.1.2.1), or absent. */
	private static Long maxAge(OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
		Object value = request.getAdditionalParameters().get("max_age");
		if (!(value instanceof String text) || text.isEmpty()) {
			return null;
		}
		if (!text.matches("[0-9]{1,10}")) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "max_age must be a number of seconds.", request, client);
		}
		return Long.parseLong(text);
	}

	/** When the session's sign-in happened: the time of its factors ({@link BrowserPrincipalFilter}). */
	private static Instant authTime(Authentication user) {
		return user.getAuthorities()
			.stream()
			.filter(FactorGrantedAuthority.class::isInstance)
			.map(a -> ((FactorGrantedAuthority) a).getIssuedAt())
			.findFirst()
			.orElse(null);
	}

	private static List<String> amr(Authentication user) {
		return user.getAuthorities()
			.stream()
			.filter(FactorGrantedAuthority.class::isInstance)
			.map(GrantedAuthority::getAuthority)
			.map(a -> a.startsWith("FACTOR_") ? a.substring("FACTOR_".length()) : a)
			.toList();
	}

	/**
	 * An error for the client's redirect URI: the requested one, or the client's only registered one when the
	 * request named none (RFC 6749 §4.1.2.1; the library does the same for its own errors).
	 */
	private static OAuth2AuthorizationCodeRequestAuthenticationException error(String code, String description,
			OAuth2AuthorizationCodeRequestAuthenticationToken request, RegisteredClient client) {
		String redirectUri = StringUtils.hasText(request.getRedirectUri()) ? request.getRedirectUri()
				: client.getRedirectUris().size() == 1 ? client.getRedirectUris().iterator().next() : null;
		OAuth2AuthorizationCodeRequestAuthenticationToken answered = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getAuthorizationUri(), request.getClientId(), (Authentication) request.getPrincipal(),
				redirectUri, request.getState(), request.getScopes(), request.getAdditionalParameters());
		return new OAuth2AuthorizationCodeRequestAuthenticationException(
				new OAuth2Error(code, description, "https://openid.net/specs/openid-connect-core-1_0.html#AuthError"),
				answered);
	}
}
