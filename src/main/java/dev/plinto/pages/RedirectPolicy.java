package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Where a browser may be sent after signing in, up or out: a {@code redirect_url} is followed only when it matches
 * an entry of {@code PLINTO_REDIRECT_URLS} (same scheme, same host, same port, and a path under the entry's path at
 * a segment boundary) or Plinto's own pages; anything else falls back to {@code PLINTO_AFTER_SIGN_IN_URL}. This is
 * the allow-list the OWASP Unvalidated Redirects and Forwards Cheat Sheet ("Preventing Unvalidated Redirects and
 * Forwards") asks for; exact hosts only, no wildcards (RFC 9700 §4.1.3 makes the same demand of OAuth redirect
 * URIs). A URL with user info, a backslash, control characters, a scheme-relative form ({@code //evil.example}),
 * or dot segments that would climb out of the allowed path is refused rather than interpreted.
 */
@Component
public final class RedirectPolicy {

	private final URI fallback;

	private final List<URI> allowed;

	private final URI issuer;

	RedirectPolicy(PlintoSettings settings) {
		this.fallback = settings.pages().afterSignInUrl();
		this.issuer = URI.create(settings.baseUrl() + "/");
		List<URI> all = new ArrayList<>(settings.pages().redirectUrls());
		all.add(issuer);
		all.add(fallback);
		this.allowed = List.copyOf(all);
	}

	/** The URL to send the browser to: {@code requested} when it is allowed, otherwise the fallback. */
	public URI target(String requested) {
		return allowedTarget(requested).orElse(fallback);
	}

	/** {@code requested} resolved against the issuer when it is allowed. */
	java.util.Optional<URI> allowedTarget(String requested) {
		if (requested == null || requested.isBlank() || requested.length() > 2048) {
			return java.util.Optional.empty();
		}
		for (char c : requested.toCharArray()) {
			if (c <= 0x20 || c == 0x7f || c == '\\') {
				return java.util.Optional.empty();
			}
		}
		if (requested.startsWith("//")) {
			return java.util.Optional.empty();
		}
		URI uri;
		try {
			uri = new URI(requested);
			if (!uri.isAbsolute()) {
				if (!requested.startsWith("/")) {
					return java.util.Optional.empty();
				}
				uri = issuer.resolve(uri);
			}
		}
		catch (URISyntaxException | IllegalArgumentException e) {
			return java.util.Optional.empty();
		}
		if (uri.getRawUserInfo() != null || uri.getHost() == null || uri.isOpaque()) {
			return java.util.Optional.empty();
		}
		String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
		String lowerPath = path.toLowerCase(Locale.ROOT);
		if (lowerPath.contains("/../") || lowerPath.endsWith("/..") || lowerPath.contains("%2e")
				|| lowerPath.contains("%2f") || lowerPath.contains("%5c")) {
			return java.util.Optional.empty();
		}
		URI candidate = uri;
		String candidatePath = path;
		return allowed.stream().anyMatch(entry -> sameOrigin(entry, candidate) && underPath(entry, candidatePath))
				? java.util.Optional.of(candidate) : java.util.Optional.empty();
	}

	private static boolean sameOrigin(URI a, URI b) {
		return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
				&& port(a) == port(b);
	}

	private static int port(URI uri) {
		return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	/** Whether {@code path} equals the entry's path or lies below it at a {@code /} boundary. */
	private static boolean underPath(URI entry, String path) {
		String prefix = entry.getRawPath() == null || entry.getRawPath().isEmpty() ? "/" : entry.getRawPath();
		if (prefix.equals("/") || path.equals(prefix)) {
			return true;
		}
		String directory = prefix.endsWith("/") ? prefix : prefix + "/";
		return path.startsWith(directory);
	}

	/** The origins a redirect may lead to: the CSP's {@code form-action}, and the apps that may renew a session cookie. */
	public List<String> origins() {
		return allowed.stream()
			.map(u -> u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()))
			.distinct()
			.toList();
	}
}
