package dev.plinto.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * Reads who is calling from a request, for controllers. The IP is the TCP peer, or the forwarded client address when
 * that peer is a trusted proxy: {@link TrustedProxies} has already replaced the remote address then. Forwarded
 * headers are never read here (OWASP Logging Cheat Sheet: client-supplied addresses can be spoofed).
 */
public final class Clients {

	private Clients() {
	}

	public static ClientInfo of(HttpServletRequest request) {
		return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
	}
}
