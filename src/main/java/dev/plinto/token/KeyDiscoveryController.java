package dev.plinto.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Publishes the signing keys (RFC 7517 JWK Set). The discovery documents that name it as {@code jwks_uri} are served
 * by the OpenID provider (package {@code oidc}).
 */
@RestController
@Tag(name = "Keys")
final class KeyDiscoveryController {

	private final SigningKeys keys;

	KeyDiscoveryController(SigningKeys keys) {
		this.keys = keys;
	}

	@GetMapping(path = "/.well-known/jwks.json", produces = "application/json")
	@Operation(summary = "Public signing keys (JWK Set)",
			description = "Every key a valid access token can be signed with, including the next key before it "
					+ "activates. Cache for at most 5 minutes.")
	ResponseEntity<Map<String, Object>> jwks() {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
			.body(keys.jwks().toJSONObject(true));
	}
}
