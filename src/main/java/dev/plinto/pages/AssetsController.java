package dev.plinto.pages;

import io.swagger.v3.oas.annotations.Hidden;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Serves {@link Assets} with a year of {@code public, immutable} caching; an unknown name is 404. */
@RestController
@Hidden
final class AssetsController {

	private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

	private final Assets assets;

	AssetsController(Assets assets) {
		this.assets = assets;
	}

	@GetMapping("/assets/{name}")
	ResponseEntity<byte[]> asset(@PathVariable String name) {
		return assets.find(name)
			.map(a -> ResponseEntity.ok()
				.contentType(a.type())
				.cacheControl(FOREVER)
				// An SVG logo opened on its own is a document of this origin: it may not run script or load anything.
				.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
				.body(a.body()))
			.orElseGet(() -> ResponseEntity.notFound().build());
	}
}
