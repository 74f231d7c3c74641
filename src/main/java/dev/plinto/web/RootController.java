package dev.plinto.web;

import dev.plinto.config.PlintoSettings;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: what someone who opens the server's address finds. With the API reference on
 * ({@code PLINTO_API_DOCS}, the default) a redirect to it at {@code /docs}; with it off, a small JSON document saying
 * what this server is and where its public keys are, instead of a bare 404.
 */
@Hidden
@RestController
final class RootController {

	private final PlintoSettings settings;

	RootController(PlintoSettings settings) {
		this.settings = settings;
	}

	@GetMapping(path = "/", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Index> root() {
		if (settings.apiDocs()) {
			// Host-relative, under the issuer's path, so it holds behind a proxy and for any host name.
			String path = settings.issuer().getRawPath() == null ? "" : settings.issuer().getRawPath();
			return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(path.replaceAll("/+$", "") + "/docs"))
				.build();
		}
		String base = settings.baseUrl();
		return ResponseEntity.ok(new Index(settings.appName(),
				"This is an authentication server. Its API reference is switched off here (PLINTO_API_DOCS=off).",
				base + "/.well-known/openid-configuration", base + "/.well-known/jwks.json", base + "/health"));
	}

	/** The answer to {@code GET /} when the API reference is off. */
	record Index(String name, String message, String openidConfiguration, String jwksUri, String health) {
	}
}
