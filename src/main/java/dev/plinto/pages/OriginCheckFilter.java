package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a state-changing page request (any method but GET, HEAD, OPTIONS and TRACE) whose {@code Origin} header,
 * or without one its {@code Referer}, names another origin than Plinto's issuer: the "verifying origin with standard
 * headers" defence of the OWASP Cross-Site Request Forgery Prevention Cheat Sheet, in depth beside Spring Security's
 * synchronizer token and {@code SameSite=Lax} cookies. {@code Origin: null} (a sandboxed or privacy-stripped
 * context) is refused too. A request with neither header (some non-browser clients) is left to the CSRF token. The
 * refusal is the pages' 403 error page. Not a bean: the pages' security filter chain creates it.
 * <p>
 * The one exception is {@code POST /session/refresh}, which also accepts the origins of {@code PLINTO_REDIRECT_URLS}:
 * an app on the same site renews its session cookie with it (CORS with credentials, for those origins only). It
 * only rotates the browser's own refresh token and answers 204 or 401, so a request forged from an allowed app
 * changes nothing the user could lose and reads nothing (OWASP CSRF Prevention Cheat Sheet: the defence protects
 * state-changing requests; the Fetch standard keeps the answer from any origin CORS does not allow).
 */
public final class OriginCheckFilter extends OncePerRequestFilter {

	private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private final String issuerOrigin;

	private final Set<String> refreshOrigins;

	private final ErrorPages errors;

	public OriginCheckFilter(PlintoSettings settings, RedirectPolicy redirects, ErrorPages errors) {
		this.issuerOrigin = origin(settings.issuer());
		this.refreshOrigins = Set.copyOf(redirects.origins());
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!SAFE.contains(request.getMethod()) && !allowed(request)) {
			errors.render(request, response, HttpStatus.FORBIDDEN, "error.foreign_origin");
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean allowed(HttpServletRequest request) {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null) {
			return origin.equals(issuerOrigin)
					|| (PageRoutes.REFRESH.equals(request.getRequestURI()) && refreshOrigins.contains(origin));
		}
		String referer = request.getHeader(HttpHeaders.REFERER);
		if (referer == null) {
			return true;
		}
		try {
			URI uri = new URI(referer);
			return uri.getHost() != null && origin(uri).equals(issuerOrigin);
		}
		catch (URISyntaxException e) {
			return false;
		}
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
	}
}
