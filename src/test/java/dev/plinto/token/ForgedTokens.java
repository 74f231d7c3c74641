package dev.plinto.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.ApiClient;
import dev.plinto.config.PlintoSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Builds access tokens by hand, as an attacker (or a test) would, starting from what Plinto itself issues. */
final class ForgedTokens {

	static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

	private ForgedTokens() {
	}

	/** The claims Plinto would put into a token for the session of this sign-up/sign-in response, valid now. */
	static JWTClaimsSet.Builder claims(ApiClient.Response session, PlintoSettings settings, Clock clock) {
		Instant now = clock.instant();
		return new JWTClaimsSet.Builder().issuer(settings.issuer().toString())
			.subject(session.json().get("user").get("id").asString())
			.audience(settings.audience())
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(settings.accessTokenTtl())))
			.jwtID("at_" + UUID.randomUUID())
			.claim("sid", session.text("session_id"))
			.claim("email", session.json().get("user").get("email").asString())
			.claim("email_verified", false)
			.claim("amr", List.of("pwd"));
	}

	static JWSHeader header(JWSAlgorithm alg, String kid) {
		return new JWSHeader.Builder(alg).keyID(kid).type(AT_JWT).build();
	}

	/** Signs with the private part of one of Plinto's own RSA keys, under that key's kid. */
	static String signWith(SigningKey key, JWTClaimsSet claims) throws Exception {
		return sign(header(key.algorithm(), key.kid()), claims, new RSASSASigner(key.jwk().toRSAKey()));
	}

	static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
		SignedJWT jwt = new SignedJWT(header, claims);
		jwt.sign(signer);
		return jwt.serialize();
	}

	static String kid(String token) throws Exception {
		return SignedJWT.parse(token).getHeader().getKeyID();
	}
}
