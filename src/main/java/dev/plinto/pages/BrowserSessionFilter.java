package dev.plinto.pages;

import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a page request from the browser session's cookies: the session JWT when it is valid and its session
 * not revoked (the same decoder as bearer tokens), otherwise, when the refresh cookie is there, a rotation of the
 * refresh token that sets fresh cookies. A refused refresh (ended session, reused token) clears both cookies, so
 * the browser is simply signed out. Controllers then learn the user from a {@code web.Caller} as on the JSON API.
 * Not a bean: the pages' security filter chain creates it, so it never runs for the JSON API.
 */
public final class BrowserSessionFilter extends OncePerRequestFilter {

	private final BrowserSessions sessions;

	private final JwtDecoder decoder;

	public BrowserSessionFilter(BrowserSessions sessions, JwtDecoder decoder) {
		this.sessions = sessions;
		this.decoder = decoder;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return path.startsWith("/assets/") || path.equals(PageRoutes.REFRESH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Jwt jwt = BrowserSessions.read(request, sessions.sessionCookieName()).flatMap(this::decode).orElse(null);
		if (jwt == null) {
			Optional<String> refresh = BrowserSessions.read(request, sessions.refreshCookieName());
			if (refresh.isPresent()) {
				try {
					ClientInfo client = new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
					jwt = sessions.refresh(refresh.get(), client, response).flatMap(this::decode).orElse(null);
				}
				catch (ApiException e) {
					sessions.clear(response);
				}
			}
		}
		if (jwt != null) {
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(new JwtAuthenticationToken(jwt, java.util.List.of()));
			SecurityContextHolder.setContext(context);
		}
		chain.doFilter(request, response);
	}

	private Optional<Jwt> decode(String token) {
		try {
			return Optional.of(decoder.decode(token));
		}
		catch (JwtException e) {
			return Optional.empty();
		}
	}
}
