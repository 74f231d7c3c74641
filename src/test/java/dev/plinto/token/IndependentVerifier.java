package dev.plinto.token;

import java.time.Clock;
import java.util.List;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A relying party that knows nothing of Plinto but its JWKS URI: Spring Security's resource-server decoder, with
 * the RFC 9068 checks (typ {@code at+jwt}, issuer, audience, expiry) and the test clock for the time checks.
 */
final class IndependentVerifier {

	private IndependentVerifier() {
	}

	static JwtDecoder forJwks(String jwksUri, SignatureAlgorithm algorithm, String issuer, String audience,
			Clock clock) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwksUri).jwsAlgorithm(algorithm).build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setClock(clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTypeValidator("at+jwt"),
				new JwtIssuerValidator(issuer), timestamps,
				new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(audience))));
		return decoder;
	}
}
