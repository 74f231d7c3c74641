package dev.plinto.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;

/**
 * A signing key pair. It is published in the JWKS from creation, signs from {@code activatesAt} until the next
 * key activates, and stays published until every token it signed has expired.
 */
public record SigningKey(String kid, JWSAlgorithm algorithm, JWK jwk, Instant createdAt, Instant activatesAt) {

	public JWK publicJwk() {
		return jwk.toPublicJWK();
	}
}
