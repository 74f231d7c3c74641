package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Access tokens with {@code PLINTO_SIGNING_ALG=EdDSA}. Spring Security's decoder has no EdDSA, so the independent
 * verifier is plain Nimbus: the JWKS fetched over HTTP, the Ed25519 key chosen by kid, RFC 9068 claims checked.
 */
@TestPropertySource(properties = "PLINTO_SIGNING_ALG=EdDSA")
class EdDsaAccessTokenTests extends ApiTestSupport {

	@Autowired
	private PlintoSettings settings;

	@Test
	void signUpWhenEdDsaThenTokenVerifiesWithThePublishedEd25519Key() throws Exception {
		ApiClient.Response r = signUp(newEmail());

		JWTClaimsSet claims = verifyWithJwks(r.text("access_token"));

		assertThat(claims.getSubject()).isEqualTo(r.json().get("user").get("id").asString());
		assertThat(claims.getStringClaim("sid")).isEqualTo(r.text("session_id"));
		assertThat(api.get("/v1/me", r.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshWhenEdDsaThenNewAccessTokenIsAlsoEdDsaAndAccepted() throws Exception {
		ApiClient.Response r = signUp(newEmail());

		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", r.text("refresh_token")));

		assertThat(refreshed.status()).isEqualTo(200);
		assertThat(verifyWithJwks(refreshed.text("access_token")).getStringClaim("sid"))
			.isEqualTo(r.text("session_id"));
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void meWhenEdDsaTokenSignedByAnotherEd25519KeyWithThePublishedKidThenInvalidToken() throws Exception {
		ApiClient.Response r = signUp(newEmail());
		SignedJWT genuine = SignedJWT.parse(r.text("access_token"));
		OctetKeyPair ownKey = new OctetKeyPairGenerator(Curve.Ed25519).generate();
		SignedJWT forged = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.EdDSA)
			.keyID(genuine.getHeader().getKeyID())
			.type(new JOSEObjectType("at+jwt"))
			.build(), genuine.getJWTClaimsSet());
		forged.sign(new Ed25519Signer(ownKey));

		ApiClient.Response me = api.get("/v1/me", forged.serialize());

		assertThat(me.status()).isEqualTo(401);
		assertThat(me.code()).isEqualTo("invalid_token");
	}

	/** What a relying party with only Nimbus and the JWKS URI does; returns the verified claims. */
	private JWTClaimsSet verifyWithJwks(String token) throws Exception {
		SignedJWT jwt = SignedJWT.parse(token);
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
		JWK published = JWKSet.parse(api.get("/.well-known/jwks.json").raw()).getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(published).isInstanceOf(OctetKeyPair.class);
		assertThat(((OctetKeyPair) published).getCurve()).isEqualTo(Curve.Ed25519);
		assertThat(published.isPrivate()).isFalse();
		assertThat(jwt.verify(new Ed25519Verifier((OctetKeyPair) published))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		DefaultJWTClaimsVerifier<?> verifier = new DefaultJWTClaimsVerifier<>(settings.audience(),
				new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
				Set.of("sub", "sid", "exp", "iat", "jti")) {
			@Override
			protected Date currentTime() {
				return Date.from(clock.instant());
			}
		};
		verifier.verify(claims, null);
		return claims;
	}
}
