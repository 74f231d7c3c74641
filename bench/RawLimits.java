import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.NativeCrypto;
import dev.plinto.crypto.PasswordHasher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The raw limits the benchmark compares the server against, measured in one thread on the CPU it is pinned to
 * (run under {@code taskset -c 0}) with the same JDK:
 * <ul>
 * <li>Argon2id: hashes/s and verifications/s with Plinto's own {@link PasswordHasher} at the configured parameters
 * ({@code PLINTO_ARGON2_MEMORY_KIB}, {@code PLINTO_ARGON2_ITERATIONS}, {@code PLINTO_ARGON2_PARALLELISM}; default
 * m=19456 KiB, t=2, p=1). A sign-in costs one verification.</li>
 * <li>JWS: access tokens signed per second for RS256 (2048-bit), ES256 (P-256) and EdDSA (Ed25519) with the Nimbus
 * signers {@code dev.plinto.token.AccessTokens} uses, each building the same claim set and header and serialising
 * the token, so the figure is what one token issue costs; plus verifications/s of such a token. RS256 and ES256 run
 * with the provider the server would choose ({@code dev.plinto.crypto.NativeCrypto}: the Amazon Corretto Crypto
 * Provider where it loads, unless {@code PLINTO_NATIVE_CRYPTO=off}; printed as {@code jws_provider}) and, when that
 * is ACCP, once more with the JDK's providers ({@code rs256_sign_jdk_per_s}, …).</li>
 * </ul>
 * Each measurement warms up first, then runs for at least {@code --seconds} (default 5) seconds. Output: one
 * {@code key=value} line per figure: rates per second ({@code …_per_s}), the spread of the rate over one-second
 * slices ({@code …_slices_min_median_max}) and the share of the measuring time spent in garbage collection
 * ({@code …_gc_pct}).
 * <p>
 * Usage: {@code java -cp target/classes:<dependencies> RawLimits [--seconds N] [--warmup N] [--only argon2|jws]}
 */
public final class RawLimits {

	private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

	private RawLimits() {
	}

	public static void main(String[] args) throws Exception {
		double seconds = 5;
		double warmup = 3;
		String only = "all";
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--seconds" -> seconds = Double.parseDouble(args[++i]);
				case "--warmup" -> warmup = Double.parseDouble(args[++i]);
				case "--only" -> only = args[++i];
				default -> throw new IllegalArgumentException("unknown argument " + args[i]);
			}
		}
		System.out.printf(Locale.ROOT, "java_version=%s%n", Runtime.version());
		System.out.printf(Locale.ROOT, "available_processors=%d%n", Runtime.getRuntime().availableProcessors());
		if (!only.equals("jws")) {
			argon2(seconds, warmup);
		}
		if (!only.equals("argon2")) {
			PlintoSettings.NativeCrypto mode = PlintoSettings
				.parse(name -> name.equals("PLINTO_NATIVE_CRYPTO") ? System.getenv(name) : null).nativeCrypto();
			NativeCrypto crypto = NativeCrypto.of(mode, System.getProperty("os.name"), System.getProperty("os.arch"),
					NativeCrypto::accp);
			System.out.printf(Locale.ROOT, "jws_provider=%s%n", crypto.description());
			for (PlintoSettings.SigningAlgorithm alg : PlintoSettings.SigningAlgorithm.values()) {
				jws(alg, crypto, "", seconds, warmup);
			}
			if (crypto.provider().isPresent()) {
				jws(PlintoSettings.SigningAlgorithm.RS256, NativeCrypto.jdk(), "_jdk", seconds, warmup);
				jws(PlintoSettings.SigningAlgorithm.ES256, NativeCrypto.jdk(), "_jdk", seconds, warmup);
			}
		}
	}

	private static void argon2(double seconds, double warmup) {
		// Only the Argon2 variables are read, so the rest of the environment (database, keys) does not matter.
		PlintoSettings settings = PlintoSettings
			.parse(name -> name.startsWith("PLINTO_ARGON2_") ? System.getenv(name) : null);
		PasswordHasher hasher = new PasswordHasher(settings, new SimpleMeterRegistry());
		PlintoSettings.Argon2 p = settings.argon2();
		System.out.printf(Locale.ROOT, "argon2_params=m=%d,t=%d,p=%d%n", p.memoryKib(), p.iterations(),
				p.parallelism());
		String password = "correct horse battery staple";
		String stored = hasher.hash(password);
		measure("argon2id_verify_per_s", seconds, warmup, () -> {
			if (!hasher.verify(password, stored)) {
				throw new IllegalStateException("verification failed");
			}
			return null;
		});
		measure("argon2id_hash_per_s", seconds, warmup, () -> hasher.hash(password));
	}

	/** Signs and verifies as {@code dev.plinto.token.SigningKeys} does, with {@code crypto}'s provider. */
	private static void jws(PlintoSettings.SigningAlgorithm alg, NativeCrypto crypto, String suffix, double seconds,
			double warmup) throws JOSEException {
		Optional<Provider> provider = crypto.provider();
		String kid = "key_" + UUID.randomUUID();
		JWK jwk;
		JWSSigner signer;
		JWSVerifier verifier;
		JWSAlgorithm jwsAlg;
		switch (alg) {
			case RS256 -> {
				RSAKey k = new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256)
					.keyUse(KeyUse.SIGNATURE).generate();
				jwk = k;
				RSASSASigner rsaSigner = new RSASSASigner(crypto.translate(k.toRSAPrivateKey(), RSAPrivateKey.class));
				RSASSAVerifier rsaVerifier = new RSASSAVerifier(
						crypto.translate(k.toRSAPublicKey(), RSAPublicKey.class));
				provider.ifPresent(p -> rsaSigner.getJCAContext().setProvider(p));
				provider.ifPresent(p -> rsaVerifier.getJCAContext().setProvider(p));
				signer = rsaSigner;
				verifier = rsaVerifier;
				jwsAlg = JWSAlgorithm.RS256;
			}
			case ES256 -> {
				ECKey k = new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256)
					.keyUse(KeyUse.SIGNATURE).generate();
				jwk = k;
				ECDSASigner ecSigner = new ECDSASigner(crypto.translate(k.toECPrivateKey(), ECPrivateKey.class));
				ECDSAVerifier ecVerifier = new ECDSAVerifier(crypto.translate(k.toECPublicKey(), ECPublicKey.class));
				provider.ifPresent(p -> ecSigner.getJCAContext().setProvider(p));
				provider.ifPresent(p -> ecVerifier.getJCAContext().setProvider(p));
				signer = ecSigner;
				verifier = ecVerifier;
				jwsAlg = JWSAlgorithm.ES256;
			}
			default -> {
				OctetKeyPair k = new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).algorithm(JWSAlgorithm.EdDSA)
					.keyUse(KeyUse.SIGNATURE).generate();
				jwk = k;
				signer = new Ed25519Signer(k);
				verifier = new Ed25519Verifier(k.toPublicJWK());
				jwsAlg = JWSAlgorithm.EdDSA;
			}
		}
		String name = alg.name().toLowerCase(Locale.ROOT);
		measure(name + "_sign" + suffix + "_per_s", seconds, warmup, () -> issue(jwk, jwsAlg, signer));
		String token = issue(jwk, jwsAlg, signer);
		measure(name + "_verify" + suffix + "_per_s", seconds, warmup, () -> {
			try {
				if (!SignedJWT.parse(token).verify(verifier)) {
					throw new IllegalStateException("verification failed");
				}
				return null;
			}
			catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
	}

	/** Builds and signs an access token the way {@code AccessTokens.issue} does. */
	private static String issue(JWK key, JWSAlgorithm alg, JWSSigner signer) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://auth.example.com")
			.subject("usr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26))
			.audience("https://auth.example.com")
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
			.jwtID("at_" + UUID.randomUUID().toString().replace("-", ""))
			.claim("sid", "ses_" + UUID.randomUUID().toString().replace("-", "").substring(0, 26))
			.claim("email", "someone.with.a.longish.name@example.com")
			.claim("email_verified", true)
			.claim("amr", List.of("pwd"))
			.build();
		JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(AT_JWT).build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(signer);
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
		return jwt.serialize();
	}

	private static long gcMillis() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

	/**
	 * Runs {@code op} for {@code warmup} seconds, then for at least {@code seconds}, and prints the rate over the
	 * whole measuring time. It also prints the lowest, median and highest rate of its one-second slices: on a quiet
	 * CPU they agree, and a wide spread shows that something else used the CPU during the measurement.
	 */
	private static void measure(String name, double seconds, double warmup, Supplier<?> op) {
		List<Object> sink = new ArrayList<>(1);
		long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
		while (System.nanoTime() < warmupEnd) {
			sink.add(op.get());
			sink.clear();
		}
		long gcStart = gcMillis();
		long start = System.nanoTime();
		long end = start + (long) (seconds * 1e9);
		long n = 0;
		List<Double> slices = new ArrayList<>();
		long sliceStart = start;
		long sliceOps = 0;
		long now;
		do {
			sink.add(op.get());
			sink.clear();
			n++;
			sliceOps++;
			now = System.nanoTime();
			if (now - sliceStart >= 1_000_000_000L) {
				slices.add(sliceOps / ((now - sliceStart) / 1e9));
				sliceStart = now;
				sliceOps = 0;
			}
		}
		while (now < end);
		double elapsed = (now - start) / 1e9;
		double gcPct = (gcMillis() - gcStart) / 10.0 / elapsed;
		slices.sort(null);
		System.out.printf(Locale.ROOT, "%s=%.1f%n", name, n / elapsed);
		if (!slices.isEmpty()) {
			System.out.printf(Locale.ROOT, "%s=%.1f/%.1f/%.1f%n", name.replace("_per_s", "_slices_min_median_max"),
					slices.get(0), slices.get(slices.size() / 2), slices.get(slices.size() - 1));
		}
		System.out.printf(Locale.ROOT, "%s=%.1f%n", name.replace("_per_s", "_gc_pct"), gcPct);
		System.out.flush();
	}
}
