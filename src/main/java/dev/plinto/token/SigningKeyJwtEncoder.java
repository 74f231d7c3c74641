package dev.plinto.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URL;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;

/**
 * Spring Security's {@link JwtEncoder} over Plinto's one set of signing keys, for the tokens of the OpenID provider
 * (ID tokens and its access tokens): each JWT is signed by the key that signs now ({@link SigningKeys#active()}),
 * with that key's algorithm and {@code kid} in the header whatever algorithm the caller asked for, so rotation and
 * withdrawal work for these tokens exactly as for the JSON API's and relying parties verify them against the same
 * JWKS (OpenID Connect Core §10.1; RFC 7515 §4.1.4). Only the header's {@code typ} is taken from the caller (RFC
 * 9068 §2.1 asks {@code at+jwt} of access tokens).
 */
public final class SigningKeyJwtEncoder implements JwtEncoder {

	private final SigningKeys keys;

	public SigningKeyJwtEncoder(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) {
		SigningKey key = keys.active();
		JwsHeader requested = parameters.getJwsHeader();
		JWSHeader.Builder header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid());
		if (requested != null && requested.getType() != null) {
			header.type(new JOSEObjectType(requested.getType()));
		}
		JwtClaimsSet claims = parameters.getClaims();
		JWTClaimsSet.Builder nimbus = new JWTClaimsSet.Builder();
		claims.getClaims().forEach((name, value) -> nimbus.claim(name, nimbusValue(value)));
		SignedJWT jwt = new SignedJWT(header.build(), nimbus.build());
		try {
			jwt.sign(keys.signer(key));
		}
		catch (JOSEException e) {
			throw new JwtEncodingException("signing failed", e);
		}
		Map<String, Object> headers = new LinkedHashMap<>(jwt.getHeader().toJSONObject());
		return new Jwt(jwt.serialize(), claims.getIssuedAt(), claims.getExpiresAt(), headers, claims.getClaims());
	}

	/** Instants as NumericDate seconds (RFC 7519 §2), URLs as text; everything else as it is. */
	private static Object nimbusValue(Object value) {
		if (value instanceof Instant instant) {
			return Date.from(instant);
		}
		if (value instanceof URL url) {
			return url.toExternalForm();
		}
		return value;
	}
}
