package dev.plinto.token;

import dev.plinto.config.PlintoSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Publishes the signing keys (RFC 7517 JWK Set) and the discovery document's issuer and JWKS location. */
@RestController
@Tag(name = "Keys")
final class KeyDiscoveryController {

	private final SigningKeys keys;

	private final PlintoSettings settings;

	KeyDiscoveryController(SigningKeys keys, PlintoSettings settings) {
		this.keys = keys;
		this.settings = settings;
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

	@GetMapping(path = "/.well-known/openid-configuration", produces = "application/json")
	@Operation(summary = "OpenID Provider metadata (issuer and jwks_uri for now)")
	ResponseEntity<Map<String, Object>> discovery() {
		Map<String, Object> doc = new LinkedHashMap<>();
		doc.put("issuer", settings.issuer().toString());
		doc.put("jwks_uri", settings.baseUrl() + "/.well-known/jwks.json");
		return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic()).body(doc);
	}
}
