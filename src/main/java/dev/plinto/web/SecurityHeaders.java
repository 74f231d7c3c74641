package dev.plinto.web;

import dev.plinto.config.PlintoSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.stereotype.Component;

/**
 * The security headers every answer carries, defined once (OWASP HTTP Headers Cheat Sheet):
 * {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY} with CSP {@code frame-ancestors 'none'}
 * (clickjacking, CSP Level 3 §6.4.2), {@code Referrer-Policy: no-referrer}, and HSTS (RFC 6797 §6.1) whenever the
 * issuer is https, whatever the proxy in front says.
 * <p>
 * Spring Security's filter chain writes them on the answers it sees; the answers it never sees use the same writer:
 * the request firewall's refusals ({@link RequestRejections}), the container's error dispatch
 * ({@code ProblemErrorController}) and the requests Tomcat refuses before any filter ({@code ProtocolErrorProblems}).
 * A header an answer already has is kept, so an answer with its own policy (a hosted page's Content-Security-Policy
 * with its nonce) keeps it.
 */
@Component
public final class SecurityHeaders implements HeaderWriter {

	/** The HSTS value: one year, subdomains included (RFC 6797 §6.1.1, §6.1.2). */
	static final String HSTS = "max-age=31536000 ; includeSubDomains";

	private final boolean https;

	public SecurityHeaders(PlintoSettings settings) {
		this.https = "https".equals(settings.issuer().getScheme());
	}

	@Override
	public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
		write(response);
	}

	/** Sets each header the response does not have yet. */
	public void write(HttpServletResponse response) {
		setIfAbsent(response, "X-Content-Type-Options", "nosniff");
		setIfAbsent(response, "X-Frame-Options", "DENY");
		setIfAbsent(response, "Content-Security-Policy", "frame-ancestors 'none'");
		setIfAbsent(response, "Referrer-Policy", "no-referrer");
		if (https) {
			setIfAbsent(response, "Strict-Transport-Security", HSTS);
		}
	}

	private static void setIfAbsent(HttpServletResponse response, String name, String value) {
		if (!response.containsHeader(name)) {
			response.setHeader(name, value);
		}
	}
}
