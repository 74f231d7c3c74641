package dev.plinto.token;

import static dev.plinto.token.ForgedTokens.AT_JWT;
import static dev.plinto.token.ForgedTokens.header;
import static dev.plinto.token.ForgedTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Access tokens (RS256, the default) as a relying party sees them: verifiable by any JOSE library from the JWKS
 * alone, and refused by the API when forged, unsigned, re-algorithmed, mis-addressed, expired or tampered with.
 */
class AccessTokenTests extends ApiTestSupport {

	@Autowired
	private SigningKeys keys;

	@Autowired
	private PlintoSettings settings;

	@Test
	void signUpWhenAccessTokenCheckedByIndependentVerifierThenValidWithRfc9068HeaderAndClaims() throws Exception {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
		String issuer = settings.issuer().toString();

		Jwt jwt = independentVerifier().decode(r.text("access_token"));

		assertThat(jwt.getHeaders()).containsEntry("typ", "at+jwt").containsEntry("alg", "RS256");
		assertThat(publishedKids()).contains((String) jwt.getHeaders().get("kid"));
		assertThat(jwt.getClaimAsString("iss")).isEqualTo(issuer);
		assertThat(jwt.getSubject()).isEqualTo(r.json().get("user").get("id").asString());
		assertThat(jwt.getClaimAsString("sid")).isEqualTo(r.text("session_id"));
		assertThat(jwt.getAudience()).containsExactly(issuer);
		assertThat(jwt.getIssuedAt()).isEqualTo(issuedAt);
		assertThat(jwt.getNotBefore()).isEqualTo(issuedAt);
		assertThat(jwt.getExpiresAt()).isEqualTo(issuedAt.plusSeconds(600));
		assertThat(jwt.getId()).isNotBlank();
		assertThat(jwt.getClaimAsString("email")).isEqualTo(email);
		assertThat(jwt.getClaimAsBoolean("email_verified")).isFalse();
		assertThat(jwt.getClaimAsStringList("amr")).containsExactly("pwd");
	}

	@Test
	void signInWhenAccessTokenCheckedByIndependentVerifierThenValidForThatSessionWithFreshJti() {
		String email = newEmail();
		ApiClient.Response up = signUp(email);
		ApiClient.Response in = signIn(email, PASSWORD);
		assertThat(in.status()).isEqualTo(200);

		Jwt first = independentVerifier().decode(up.text("access_token"));
		Jwt second = independentVerifier().decode(in.text("access_token"));

		assertThat(second.getSubject()).isEqualTo(first.getSubject());
		assertThat(second.getClaimAsString("sid")).isEqualTo(in.text("session_id"))
			.isNotEqualTo(first.getClaimAsString("sid"));
		assertThat(second.getId()).isNotEqualTo(first.getId());
	}

	@Test
	void jwksWhenFetchedThenOnlyPublicKeysWithKidAlgAndUse() throws Exception {
		ApiClient.Response r = api.get("/.well-known/jwks.json");
		assertThat(r.status()).isEqualTo(200);
		JWKSet set = JWKSet.parse(r.raw());
		assertThat(set.getKeys()).isNotEmpty().allSatisfy(k -> {
			assertThat(k.isPrivate()).as("private parts of %s", k.getKeyID()).isFalse();
			assertThat(k.getKeyID()).isNotBlank();
			assertThat(k.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
			assertThat(k.getKeyUse().identifier()).isEqualTo("sig");
		});
		assertThat(r.raw()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
		assertThat(publishedKids()).contains(keys.active().kid());
	}

	@Test
	void meWhenTokenForgedWithActiveKeyAndValidClaimsThenOk() throws Exception {
		// The control for the refusals below: the forging helpers produce a token the API accepts.
		ApiClient.Response user = signUp(newEmail());
		String token = sign(header(JWSAlgorithm.RS256, keys.active().kid()), claims(user).build(), activeSigner());

		ApiClient.Response me = api.get("/v1/me", token);

		assertThat(me.status()).as(me.toString()).isEqualTo(200);
		assertThat(me.text("id")).isEqualTo(user.json().get("user").get("id").asString());
	}

	@Test
	void meWhenSignedByUnknownKeyThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		RSAKey stranger = new RSAKeyGenerator(2048).keyID("key_made_up_" + UUID.randomUUID()).generate();

		String token = sign(header(JWSAlgorithm.RS256, stranger.getKeyID()), claims(user).build(),
				new RSASSASigner(stranger));

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenUnsignedAlgNoneThenInvalidToken() {
		ApiClient.Response user = signUp(newEmail());
		String token = new PlainJWT(new PlainHeader.Builder().type(AT_JWT).customParam("kid", keys.active().kid())
			.build(), claims(user).build()).serialize();
		assertThat(token).endsWith(".");

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenHs256SignedWithThePublicKeyAsSecretThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		SigningKey active = keys.active();
		byte[] der = active.publicJwk().toRSAKey().toPublicKey().getEncoded();
		String pem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
				+ "\n-----END PUBLIC KEY-----\n";

		for (byte[] secret : List.of(pem.getBytes(StandardCharsets.US_ASCII), der)) {
			String token = sign(header(JWSAlgorithm.HS256, active.kid()), claims(user).build(),
					new MACSigner(secret));
			assertInvalidToken(api.get("/v1/me", token));
		}
	}

	@Test
	void meWhenHeaderEmbedsTheSignersOwnJwkThenInvalidToken() throws Exception {
		// RFC 8725 §3.10 / CVE-2018-0114: a key carried in the token itself must never be trusted.
		ApiClient.Response user = signUp(newEmail());
		RSAKey attacker = new RSAKeyGenerator(2048).keyID(keys.active().kid()).generate();
		JWSHeader embedded = new JWSHeader.Builder(JWSAlgorithm.RS256).type(AT_JWT)
			.keyID(attacker.getKeyID())
			.jwk(attacker.toPublicJWK())
			.build();

		String token = sign(embedded, claims(user).build(), new RSASSASigner(attacker));

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenHeaderAlgDiffersFromThePublishedKeysAlgThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		ECKey ownKey = new ECKeyGenerator(Curve.P_256).generate();

		String token = sign(header(JWSAlgorithm.ES256, keys.active().kid()), claims(user).build(),
				new ECDSASigner(ownKey));

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenIssuerIsAnotherThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		String token = sign(header(JWSAlgorithm.RS256, keys.active().kid()),
				claims(user).issuer("https://evil.example.com").build(), activeSigner());

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenAudienceIsAnotherThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		String token = sign(header(JWSAlgorithm.RS256, keys.active().kid()),
				claims(user).audience("https://other-api.example.com").build(), activeSigner());

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenTokenExpiredBeyondOneMinuteOfSkewThenInvalidToken() {
		String token = signUp(newEmail()).text("access_token");

		clock.advance(Duration.ofMinutes(10).plusSeconds(59));
		assertThat(api.get("/v1/me", token).status()).as("within the clock skew").isEqualTo(200);

		clock.advance(Duration.ofSeconds(2));
		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenNotYetValidThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		Instant later = clock.instant().plus(Duration.ofMinutes(5));
		String token = sign(header(JWSAlgorithm.RS256, keys.active().kid()),
				claims(user).issueTime(Date.from(later)).notBeforeTime(Date.from(later))
					.expirationTime(Date.from(later.plus(Duration.ofMinutes(10))))
					.build(),
				activeSigner());

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenTypIsJwtInsteadOfAtJwtThenInvalidToken() throws Exception {
		ApiClient.Response user = signUp(newEmail());
		JWSHeader plainJwt = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keys.active().kid())
			.type(JOSEObjectType.JWT)
			.build();

		String token = sign(plainJwt, claims(user).build(), activeSigner());

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenPayloadTamperedThenInvalidToken() throws Exception {
		String victimId = signUp(newEmail()).json().get("user").get("id").asString();
		String[] parts = signUp(newEmail()).text("access_token").split("\\.");
		JWTClaimsSet original = JWTClaimsSet.parse(new Base64URL(parts[1]).decodeToString());
		JWTClaimsSet forged = new JWTClaimsSet.Builder(original).subject(victimId).build();

		String token = parts[0] + "." + Base64URL.encode(forged.toString()) + "." + parts[2];

		assertInvalidToken(api.get("/v1/me", token));
	}

	@Test
	void meWhenNoTokenThenUnauthenticated() {
		ApiClient.Response r = api.get("/v1/me");

		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("unauthenticated");
		assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	private void assertInvalidToken(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_token");
		assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	private JwtDecoder independentVerifier() {
		return IndependentVerifier.forJwks(api.base() + "/.well-known/jwks.json", SignatureAlgorithm.RS256,
				settings.issuer().toString(), settings.audience(), clock);
	}

	private List<String> publishedKids() throws Exception {
		return JWKSet.parse(api.get("/.well-known/jwks.json").raw()).getKeys().stream().map(JWK::getKeyID).toList();
	}

	private JWTClaimsSet.Builder claims(ApiClient.Response user) {
		return ForgedTokens.claims(user, settings, clock);
	}

	private JWSSigner activeSigner() throws Exception {
		return new RSASSASigner(keys.active().jwk().toRSAKey());
	}
}
