package dev.plinto.pages;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The Content-Security-Policy of every page, with a fresh nonce per response (CSP Level 3 §7.2 "nonce-source";
 * OWASP Content Security Policy Cheat Sheet, "Strict CSP"): scripts only with the nonce, styles, fonts and images
 * only from Plinto itself (the logo's origin added), no plugins, no {@code <base>}, no framing
 * ({@code frame-ancestors 'none'}, against clickjacking), and forms posting only to Plinto and the origins a
 * sign-in may redirect to (browsers apply {@code form-action} to the redirect after a post; CSP Level 3 §6.4.1).
 * A page whose {@code redirect_url} leads on through Plinto to another origin (an OpenID Connect authorization
 * request, to its client) also allows, in that response only, the origins {@link FormActionOrigins} names for it:
 * the narrowest policy that lets the chain sign-in → {@code /oauth2/authorize} → the client's redirect URI finish.
 * Page responses are {@code Cache-Control: no-store}: they carry a CSRF token and personal data. Not a bean: the
 * pages' security filter chain creates it.
 */
public final class PageHeadersFilter extends OncePerRequestFilter {

	/** The request attribute holding this response's nonce. */
	public static final String NONCE = PageHeadersFilter.class.getName() + ".nonce";

	private final SecureRandom random = new SecureRandom();

	private static final String FORM_ACTION = "form-action ";

	private final String formTargets;

	private final LiveSettings settings;

	private final FormActionOrigins more;

	public PageHeadersFilter(LiveSettings settings, RedirectPolicy redirects) {
		this(settings, redirects, FormActionOrigins.NONE);
	}

	public PageHeadersFilter(LiveSettings settings, RedirectPolicy redirects, FormActionOrigins more) {
		this.more = more;
		Set<String> formTargets = new LinkedHashSet<>();
		formTargets.add("'self'");
		formTargets.addAll(redirects.origins());
		this.formTargets = String.join(" ", formTargets);
		this.settings = settings;
	}

	/**
	 * The policy with a {@code %s} for the nonce; {@code img-src} allows the origin of {@code PLINTO_LOGO_URL} as
	 * it is now (it can change at run time).
	 */
	private String policyTemplate() {
		String img = "'self' data:";
		URI logo = settings.current().pages().branding().logoUrl().orElse(null);
		if (logo != null) {
			img += " " + logo.getScheme() + "://" + logo.getHost() + (logo.getPort() == -1 ? "" : ":" + logo.getPort());
		}
		return "default-src 'none'; script-src 'nonce-%s' 'strict-dynamic'; style-src 'self'; "
				+ "img-src " + img + "; font-src 'self'; connect-src 'self'; " + FORM_ACTION
				+ formTargets + "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getRequestURI().startsWith("/assets/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		String nonce = Base64.getEncoder().encodeToString(bytes);
		request.setAttribute(NONCE, nonce);
		response.setHeader("Content-Security-Policy", withRedirectOrigins(policyTemplate().formatted(nonce), request));
		response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
		chain.doFilter(request, response);
	}

	/** The policy with the origins the page's own {@code redirect_url} (relative, on Plinto) leads on to, if any. */
	private String withRedirectOrigins(String policy, HttpServletRequest request) {
		String redirectUrl = request.getParameter("redirect_url");
		if (redirectUrl == null || !redirectUrl.startsWith("/") || redirectUrl.startsWith("//")) {
			return policy;
		}
		Set<String> origins = new LinkedHashSet<>();
		for (String origin : more.after(redirectUrl)) {
			// Only plain origins: nothing that could end the directive or add a keyword or another source list.
			if (origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+") && !policy.contains(" " + origin + " ")) {
				origins.add(origin);
			}
		}
		return origins.isEmpty() ? policy
				: policy.replace(FORM_ACTION, FORM_ACTION + String.join(" ", origins) + " ");
	}
}
