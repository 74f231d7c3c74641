package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAAware;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.audit.AuditRepository;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.NativeCrypto;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JWTs signed with the native provider (ACCP) are ordinary JWTs: they verify with the JDK's providers and with
 * jose4j, a JOSE implementation that shares no code with Nimbus, and tokens signed by the JDK or by jose4j verify
 * with ACCP; ES256 signatures are in the JOSE form (R || S, RFC 7518 §3.4), not DER; EdDSA still signs. Skipped, with
 * the reason, on a platform ACCP has no native library for.
 */
class NativeSignatureTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

	private static NativeCrypto accp;

	@BeforeAll
	static void loadAccp() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch");
		Assumptions.assumeTrue(os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64")),
				"ACCP has no native library for " + os + " " + arch);
		accp = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, System.getProperty("os.name"), arch,
				NativeCrypto::accp);
		assertThat(accp.provider()).as("ACCP loads and passes its checks on Linux " + arch).isPresent();
	}

	@ParameterizedTest
	@EnumSource(names = { "RS256", "ES256" })
	void signerWhenAccpChosenThenNimbusSignsAndVerifiesWithAccp(PlintoSettings.SigningAlgorithm alg) {
		SigningKeys keys = keys(alg, accp, new MemoryRepository());
		SigningKey key = keys.active();

		JWSSigner signer = keys.signer(key);
		JWSVerifier verifier = keys.verifier(key.kid(), key.algorithm());

		assertThat(signer).isInstanceOf(alg == PlintoSettings.SigningAlgorithm.RS256 ? RSASSASigner.class
				: ECDSASigner.class);
		assertThat(provider(signer)).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
		assertThat(verifier).isInstanceOf(alg == PlintoSettings.SigningAlgorithm.RS256 ? RSASSAVerifier.class
				: ECDSAVerifier.class);
		assertThat(provider(verifier)).isSameAs(AmazonCorrettoCryptoProvider.INSTANCE);
	}

	@ParameterizedTest
	@EnumSource(names = { "RS256", "ES256", "EdDSA" })
	void signerWhenJdkChosenThenNimbusUsesTheDefaultProviders(PlintoSettings.SigningAlgorithm alg) {
		SigningKeys keys = keys(alg, NativeCrypto.jdk(), new MemoryRepository());
		SigningKey key = keys.active();

		assertThat(provider(keys.signer(key))).isNull();
		assertThat(provider(keys.verifier(key.kid(), key.algorithm()))).isNull();
	}

	/** Nimbus asks the provider it is given, not the JVM's list: one without the algorithm makes it fail. */
	@Test
	void signWhenNimbusSignerGivenAProviderWithoutTheAlgorithmThenItFailsSoTheProviderIsTheOneUsed() throws Exception {
		RSAKey rsa = (RSAKey) SigningKeys.generate(PlintoSettings.SigningAlgorithm.RS256, "k1");
		RSASSASigner signer = new RSASSASigner(rsa);
		signer.getJCAContext().setProvider(new Provider("Empty", "1.0", "signs nothing") {
		});

		assertThatThrownBy(() -> token(signer, "k1", JWSAlgorithm.RS256)).isInstanceOf(JOSEException.class);
	}

	@ParameterizedTest
	@EnumSource(names = { "RS256", "ES256", "EdDSA" })
	void signWhenAccpThenTheJdkAndJose4jVerify(PlintoSettings.SigningAlgorithm alg) throws Exception {
		MemoryRepository repository = new MemoryRepository();
		SigningKeys signing = keys(alg, accp, repository);
		SigningKeys jdk = keys(alg, NativeCrypto.jdk(), repository);
		SigningKey key = signing.active();

		String token = token(signing.signer(key), key.kid(), key.algorithm());

		assertThat(SignedJWT.parse(token).verify(jdk.verifier(key.kid(), key.algorithm()))).isTrue();
		assertThat(jose4jVerifies(token, key)).isTrue();
		assertThat(SignedJWT.parse(token).verify(signing.verifier(key.kid(), key.algorithm()))).isTrue();
		assertThat(SignedJWT.parse(tampered(token)).verify(jdk.verifier(key.kid(), key.algorithm()))).isFalse();
	}

	@ParameterizedTest
	@EnumSource(names = { "RS256", "ES256", "EdDSA" })
	void verifyWhenSignedByTheJdkOrJose4jThenAccpVerifies(PlintoSettings.SigningAlgorithm alg) throws Exception {
		MemoryRepository repository = new MemoryRepository();
		SigningKeys jdk = keys(alg, NativeCrypto.jdk(), repository);
		SigningKeys native_ = keys(alg, accp, repository);
		SigningKey key = jdk.active();
		JWSVerifier accpVerifier = native_.verifier(key.kid(), key.algorithm());

		String byJdk = token(jdk.signer(key), key.kid(), key.algorithm());
		String byJose4j = jose4jSigns(key);

		assertThat(SignedJWT.parse(byJdk).verify(accpVerifier)).isTrue();
		assertThat(SignedJWT.parse(byJose4j).verify(accpVerifier)).isTrue();
		assertThat(SignedJWT.parse(tampered(byJdk)).verify(accpVerifier)).isFalse();
	}

	/**
	 * ES256 puts R and S side by side, 32 bytes each (RFC 7518 §3.4), where the JCA's ECDSA gives DER: the signature
	 * of a token signed with ACCP is 64 bytes and verifies as such with the JDK's IEEE P1363 form, which does not go
	 * through Nimbus's conversion.
	 */
	@Test
	void signWhenEs256WithAccpThenSignatureIsRConcatenatedWithSNotDer() throws Exception {
		SigningKeys keys = keys(PlintoSettings.SigningAlgorithm.ES256, accp, new MemoryRepository());
		SigningKey key = keys.active();

		for (int i = 0; i < 20; i++) {
			String token = token(keys.signer(key), key.kid(), key.algorithm());
			String[] parts = token.split("\\.");
			byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
			assertThat(signature).as("R || S, where DER would be 70 to 72 bytes for most signatures").hasSize(64);
			Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
			p1363.initVerify(((ECKey) key.publicJwk()).toECPublicKey());
			p1363.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
			assertThat(p1363.verify(signature)).isTrue();
		}
	}

	private static SigningKeys keys(PlintoSettings.SigningAlgorithm alg, NativeCrypto crypto,
			MemoryRepository repository) {
		PlintoSettings settings = PlintoSettings.parse(Map.of("PLINTO_SIGNING_ALG", alg.name())::get);
		SigningKeys keys = new SigningKeys(repository, CLOCK, settings, new AuditLog(new NoAudit(), CLOCK),
				event -> {
				}, org.springframework.transaction.support.TransactionOperations.withoutTransaction(), crypto);
		keys.initialize();
		return keys;
	}

	private static String token(JWSSigner signer, String kid, JWSAlgorithm alg) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(),
				new JWTClaimsSet.Builder().subject("user_1").issuer("https://auth.example.test")
					.expirationTime(Date.from(CLOCK.instant().plusSeconds(600))).build());
		jwt.sign(signer);
		return jwt.serialize();
	}

	/** The same token with another subject and the original signature. */
	private static String tampered(String token) {
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("user_1", "user_2");
		return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
			.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
	}

	private static boolean jose4jVerifies(String token, SigningKey key) throws Exception {
		JsonWebSignature jws = new JsonWebSignature();
		jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
				key.algorithm().getName()));
		jws.setCompactSerialization(token);
		jws.setKey(PublicJsonWebKey.Factory.newPublicJwk(key.publicJwk().toJSONString()).getKey());
		return jws.verifySignature();
	}

	private static String jose4jSigns(SigningKey key) throws Exception {
		JsonWebSignature jws = new JsonWebSignature();
		jws.setPayload("{\"sub\":\"user_1\",\"iss\":\"https://auth.example.test\"}");
		jws.setAlgorithmHeaderValue(key.algorithm().getName());
		jws.setKeyIdHeaderValue(key.kid());
		jws.setKey(PublicJsonWebKey.Factory.newPublicJwk(key.jwk().toJSONString()).getPrivateKey());
		return jws.getCompactSerialization();
	}

	private static Provider provider(Object signerOrVerifier) {
		JCAContext context = ((JCAAware<?>) signerOrVerifier).getJCAContext();
		return context.getProvider();
	}

	private static final class MemoryRepository implements SigningKeyRepository {

		private final List<SigningKey> keys = new ArrayList<>();

		@Override
		public synchronized void insert(SigningKey key) {
			keys.add(key);
		}

		@Override
		public synchronized List<SigningKey> findAll() {
			return List.copyOf(keys);
		}

		@Override
		public synchronized boolean delete(String kid) {
			return keys.removeIf(k -> k.kid().equals(kid));
		}

		@Override
		public synchronized int deleteExcept(List<String> keep, Instant createdBefore) {
			return 0;
		}
	}

	private static final class NoAudit implements AuditRepository {

		@Override
		public void insert(AuditEvent event) {
		}

		@Override
		public List<AuditEvent> findByUser(String userId, Instant beforeTime, String beforeId, int limit) {
			return List.of();
		}

		@Override
		public int deleteOlderThan(Instant cutoff, int limit) {
			return 0;
		}
	}
}
