package dev.plinto.web;

import dev.plinto.config.PlintoSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code PLINTO_API_DOCS=off}, answers 404 {@code not_found} for the API reference: Swagger UI at {@code /docs},
 * the OpenAPI document at {@code /openapi.json} and their resources. A filter rather than springdoc's own
 * {@code springdoc.*.enabled} properties because the server also runs in Spring AOT mode, where bean conditions are
 * fixed at build time; this switch holds in both modes. Hiding the reference removes a map of the attack surface from
 * public view (OWASP REST Security Cheat Sheet, "Sensitive information"; API9:2023 Improper Inventory Management
 * asks that documentation be exposed deliberately).
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 2)
final class ApiDocsSwitchFilter extends OncePerRequestFilter {

	/** Path prefixes of springdoc's endpoints as application.properties places them, and springdoc's defaults. */
	private static final List<String> PREFIXES = List.of("/docs", "/openapi.json", "/swagger-ui", "/v3/api-docs");

	private final boolean on;

	private final ProblemRenderer problems;

	ApiDocsSwitchFilter(PlintoSettings settings, ProblemRenderer problems) {
		this.on = settings.apiDocs();
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return on;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isApiDocs(request.getRequestURI().substring(request.getContextPath().length()))) {
			problems.write(response, ErrorCode.NOT_FOUND, null);
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isApiDocs(String path) {
		for (String prefix : PREFIXES) {
			if (path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".")) {
				return true;
			}
		}
		return false;
	}
}
