package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.context.TestPropertySource;

/** Access tokens with {@code PLINTO_SIGNING_ALG=ES256}: P-256 keys in the JWKS, tokens any ES256 verifier accepts. */
@TestPropertySource(properties = "PLINTO_SIGNING_ALG=ES256")
class Es256AccessTokenTests extends ApiTestSupport {

	@Autowired
	private PlintoSettings settings;

	@Test
	void signUpWhenEs256ThenIndependentVerifierAcceptsTokenSignedWithPublishedP256Key() throws Exception {
		ApiClient.Response r = signUp(newEmail());

		Jwt jwt = IndependentVerifier.forJwks(api.base() + "/.well-known/jwks.json", SignatureAlgorithm.ES256,
				settings.issuer().toString(), settings.audience(), clock).decode(r.text("access_token"));

		assertThat(jwt.getHeaders()).containsEntry("alg", "ES256").containsEntry("typ", "at+jwt");
		assertThat(jwt.getSubject()).isEqualTo(r.json().get("user").get("id").asString());
		assertThat(jwt.getClaimAsString("sid")).isEqualTo(r.text("session_id"));
		JWK published = JWKSet.parse(api.get("/.well-known/jwks.json").raw())
			.getKeyByKeyId((String) jwt.getHeaders().get("kid"));
		assertThat(published).isInstanceOf(ECKey.class);
		assertThat(((ECKey) published).getCurve()).isEqualTo(Curve.P_256);
		assertThat(published.isPrivate()).isFalse();
		assertThat(api.get("/v1/me", r.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshWhenEs256ThenNewAccessTokenIsAlsoEs256AndAccepted() {
		ApiClient.Response r = signUp(newEmail());

		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", r.text("refresh_token")));

		assertThat(refreshed.status()).isEqualTo(200);
		Jwt jwt = IndependentVerifier.forJwks(api.base() + "/.well-known/jwks.json", SignatureAlgorithm.ES256,
				settings.issuer().toString(), settings.audience(), clock).decode(refreshed.text("access_token"));
		assertThat(jwt.getHeaders()).containsEntry("alg", "ES256");
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void meWhenEs256TokenSignedByAnotherP256KeyWithThePublishedKidThenInvalidToken() throws Exception {
		ApiClient.Response r = signUp(newEmail());
		SignedJWT genuine = SignedJWT.parse(r.text("access_token"));
		ECKey ownKey = new ECKeyGenerator(Curve.P_256).generate();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
			.keyID(genuine.getHeader().getKeyID())
			.type(new JOSEObjectType("at+jwt"))
			.build(), genuine.getJWTClaimsSet());
		forged.sign(new ECDSASigner(ownKey));

		ApiClient.Response me = api.get("/v1/me", forged.serialize());

		assertThat(me.status()).isEqualTo(401);
		assertThat(me.code()).isEqualTo("invalid_token");
	}
}
