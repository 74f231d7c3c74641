package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import dev.plinto.session.SessionService;
import dev.plinto.session.TokenResponse;
import dev.plinto.token.AccessTokens;
import dev.plinto.web.ClientInfo;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * A browser's Plinto session in two cookies. The session itself is an ordinary one of {@link SessionService} (same
 * table, revocation, audit and refresh-token rotation with reuse detection); only the transport differs from the
 * JSON API:
 * <ul>
 * <li>The refresh token in {@code __Host-plinto_refresh}: {@code HttpOnly} (no script can read it, OWASP Session
 * Management Cheat Sheet, "Cookies"), {@code Secure}, {@code Path=/}, no {@code Domain}, {@code SameSite=Lax}
 * (RFC 6265bis §4.1.3.7 prefixes: the browser refuses the cookie unless it is Secure, host-only and for
 * {@code /}, so a sibling subdomain cannot plant or shadow it). With a plain-http issuer (development only)
 * browsers refuse {@code Secure} cookies and the prefix, so the cookie is {@code plinto_refresh} without both.</li>
 * <li>A short-lived session JWT in {@code __Secure-plinto_session} ({@code plinto_session} on http): an access
 * token of {@code PLINTO_SESSION_COOKIE_TTL} (default 60 s) that backends of the same site verify against the
 * JWKS, set for {@code PLINTO_SESSION_COOKIE_DOMAIN} when one is configured. It is {@code HttpOnly} too; a page
 * that needs a fresh one calls {@code POST /session/refresh}.</li>
 * </ul>
 */
@Component
public final class BrowserSessions {

	private final SessionService sessions;

	private final PlintoSettings settings;

	private final boolean secure;

	private final String refreshName;

	private final String sessionName;

	BrowserSessions(SessionService sessions, PlintoSettings settings) {
		this.sessions = sessions;
		this.settings = settings;
		this.secure = "https".equals(settings.issuer().getScheme());
		this.refreshName = secure ? "__Host-plinto_refresh" : "plinto_refresh";
		this.sessionName = secure ? "__Secure-plinto_session" : "plinto_session";
	}

	public String refreshCookieName() {
		return refreshName;
	}

	public String sessionCookieName() {
		return sessionName;
	}

	/** The name of the CSRF cookie of the pages, with the same prefix rule as the refresh token's. */
	public String csrfCookieName() {
		return secure ? "__Host-plinto_csrf" : "plinto_csrf";
	}

	public boolean secure() {
		return secure;
	}

	/**
	 * Puts a session that has just started or been refreshed into the browser's cookies; returns the session JWT
	 * (empty if the session ended in between).
	 */
	public Optional<String> store(TokenResponse tokens, HttpServletResponse response) {
		Duration lifetime = settings.sessionMaxLifetime();
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(refreshName, tokens.refreshToken(), lifetime, false)
			.toString());
		return renewSessionToken(tokens.user().id(), tokens.sessionId(), response);
	}

	/**
	 * Sets a new session JWT cookie for the browser's session, without rotating its refresh token: after a change
	 * of the session's claims (its active organization), so that a same-site backend sees them at once rather than
	 * after {@code PLINTO_SESSION_COOKIE_TTL}. Returns the JWT (empty if the session has ended).
	 */
	public Optional<String> renewSessionToken(String userId, String sessionId, HttpServletResponse response) {
		Optional<AccessTokens.Issued> jwt = sessions.sessionToken(userId, sessionId,
				settings.pages().sessionCookieTtl());
		jwt.ifPresent(issued -> response.addHeader(HttpHeaders.SET_COOKIE,
				cookie(sessionName, issued.token(), Duration.ofSeconds(issued.expiresIn()), true).toString()));
		return jwt.map(AccessTokens.Issued::token);
	}

	/**
	 * Rotates the refresh token of the cookie and returns the new session JWT; throws the {@code ApiException} of a
	 * refused refresh (a reused token revokes the session, RFC 9700 §4.14.2).
	 */
	public Optional<String> refresh(String refreshToken, ClientInfo client, HttpServletResponse response) {
		return store(sessions.refresh(refreshToken, client), response);
	}

	/** Removes both cookies. */
	public void clear(HttpServletResponse response) {
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(refreshName, "", Duration.ZERO, false).toString());
		response.addHeader(HttpHeaders.SET_COOKIE, cookie(sessionName, "", Duration.ZERO, true).toString());
	}

	/** A cookie of the request by name. */
	public static Optional<String> read(HttpServletRequest request, String name) {
		Cookie[] cookies = request.getCookies();
		if (cookies == null) {
			return Optional.empty();
		}
		return Arrays.stream(cookies)
			.filter(c -> c.getName().equals(name) && !c.getValue().isEmpty())
			.map(Cookie::getValue)
			.findFirst();
	}

	private ResponseCookie cookie(String name, String value, Duration maxAge, boolean sessionJwt) {
		ResponseCookie.ResponseCookieBuilder builder = ResponseCookie.from(name, value)
			.httpOnly(true)
			.secure(secure)
			.path("/")
			.sameSite("Lax")
			.maxAge(maxAge);
		if (sessionJwt) {
			settings.pages().sessionCookieDomain().ifPresent(builder::domain);
		}
		return builder.build();
	}
}
