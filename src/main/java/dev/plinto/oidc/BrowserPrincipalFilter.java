package dev.plinto.oidc;

import dev.plinto.pages.BrowserSessionFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The signed-in browser at the endpoints a browser visits (authorization and logout): the hosted pages' session
 * cookies are read by {@link BrowserSessionFilter}, as on every page, and the user becomes the principal Spring
 * Authorization Server stores with an authorization: the user id as its name and the Plinto session id in its
 * details ({@link #sessionId}). That principal is one of the types Spring Security's JSON mapping of stored
 * authorizations allows, its authorities are the session's factors with the time of the sign-in ({@link #factors}),
 * and the session id is what binds the authorization's tokens to the browser session (a
 * session that ends stops its refresh tokens, {@link ProviderTokens}). Not a bean: the provider's filter chain
 * creates it.
 */
public final class BrowserPrincipalFilter extends OncePerRequestFilter {

	private final BrowserSessionFilter browser;

	private final RequestMatcher browserEndpoints;

	public BrowserPrincipalFilter(BrowserSessionFilter browser, RequestMatcher browserEndpoints) {
		this.browser = browser;
		this.browserEndpoints = browserEndpoints;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !browserEndpoints.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		browser.doFilter(request, response, (req, res) -> {
			Authentication auth = SecurityContextHolder.getContext().getAuthentication();
			if (auth instanceof JwtAuthenticationToken jwt) {
				UsernamePasswordAuthenticationToken user = UsernamePasswordAuthenticationToken
					.authenticated(jwt.getName(), null, factors(jwt.getToken()));
				user.setDetails(new WebAuthenticationDetails(request.getRemoteAddr(),
						jwt.getToken().getClaimAsString("sid")));
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(user);
				SecurityContextHolder.setContext(context);
			}
			chain.doFilter(req, res);
		});
	}

	/**
	 * The session's sign-in factors (its RFC 8176 {@code amr} values) as Spring Security's factor authorities, each
	 * issued at the sign-in ({@code auth_time}): the library takes an ID token's {@code auth_time} from them (OpenID
	 * Connect Core §2).
	 */
	private static List<GrantedAuthority> factors(Jwt jwt) {
		Instant authTime = jwt.getClaimAsInstant("auth_time");
		List<String> amr = jwt.getClaimAsStringList("amr");
		if (authTime == null || amr == null) {
			return List.of();
		}
		return amr.stream()
			.<GrantedAuthority>map(method -> FactorGrantedAuthority.withFactor(method).issuedAt(authTime).build())
			.toList();
	}

	/** The Plinto session of a principal this filter made, or null (a client, or no browser session). */
	static String sessionId(Authentication principal) {
		return principal != null && principal.getDetails() instanceof WebAuthenticationDetails details
				? details.getSessionId() : null;
	}
}
