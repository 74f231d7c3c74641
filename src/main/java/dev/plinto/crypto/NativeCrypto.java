package dev.plinto.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.plinto.config.PlintoSettings;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that signs and verifies Plinto's RS256 and ES256 JWTs: the Amazon Corretto Crypto Provider (ACCP,
 * AWS-LC behind the JCA) where it can run, the JDK's own providers everywhere else.
 * <p>
 * Why: one RS256 signature is most of the CPU of a token refresh (docs/benchmarks.md), and AWS-LC signs RSA-2048
 * about four times and P-256 about ten times as fast as the JDK. ACCP is Amazon's maintained JCA binding of
 * AWS-LC (AWS's cryptographic library, derived from BoringSSL and OpenSSL), not hand-written crypto. RS256
 * (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3) is deterministic, so its signatures are bit-for-bit those of the
 * JDK; ES256 (RFC 7518 §3.4) signatures are checked in their JOSE form (R || S, 64 bytes) by Nimbus, which converts
 * from and to the DER form every JCA provider uses.
 * <p>
 * How, safely: ACCP is never installed as a default provider ({@code Security.insertProviderAt}), so the JVM's
 * {@code SecureRandom}, TLS, digests, MACs, Tink's keysets and BouncyCastle's Argon2id keep their JDK providers
 * exactly as before; only the Nimbus signers and verifiers of {@code token.SigningKeys} are handed this provider
 * ({@code getJCAContext().setProvider}), with the keys translated once into ACCP's own key objects (re-translating
 * a JDK key on each signature halves ACCP's rate). EdDSA keeps Nimbus's own Ed25519 implementation. ACCP is used
 * only when all of these hold, and the decision is logged in one line at start:
 * <ol>
 * <li>{@code PLINTO_NATIVE_CRYPTO} is {@code auto} (the default); {@code off} keeps the JDK's providers;</li>
 * <li>the platform is one ACCP ships a native library for (Linux on x86-64 or aarch64; the jar carries the
 * library of the machine it was built on);</li>
 * <li>the native library loads and ACCP's self-tests pass ({@code assertHealthy()}: known-answer tests of its
 * algorithms, in the manner of the pre-operational self-tests of FIPS 140-3 / ISO 19790 §7.10);</li>
 * <li>a P-256 signature made by ACCP verifies with the JDK and one made by the JDK verifies with ACCP, in the DER
 * form both exchange (SEC 1 §4.1, RFC 3279 §2.2.3).</li>
 * </ol>
 * Otherwise the JDK's providers sign, with a logged warning when a supported platform failed, never an error: a
 * server that signs more slowly is better than one that does not start. The server starts the check on a background
 * thread as it starts ({@link #prepare()}), since loading the 9 MB native library and the self-tests take a few
 * hundred milliseconds; the first signature waits for it. The command-line tools, which do not sign tokens, never
 * load the library unless something asks for the provider, and then on the asking thread.
 */
public final class NativeCrypto {

	private static final Logger log = LoggerFactory.getLogger(NativeCrypto.class);

	/** Platforms ACCP 2.5.0 ships a native library for ({@code os.arch} spellings of the JVM). */
	private static final Set<String> SUPPORTED_ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

	/** Loads the native provider and checks it; throws when it cannot be used. */
	@FunctionalInterface
	public interface Probe {

		Provider load() throws Exception;
	}

	/** What signs: {@code provider} null means the JDK's providers (the JCA's default order). */
	public record Choice(Provider provider, String description) {
	}

	private static final Choice JDK = new Choice(null, "JDK providers");

	private final PlintoSettings.NativeCrypto mode;

	private final String osName;

	private final String osArch;

	private final Probe probe;

	private final AtomicBoolean claimed = new AtomicBoolean();

	private final CompletableFuture<Choice> choice = new CompletableFuture<>();

	private NativeCrypto(PlintoSettings.NativeCrypto mode, String osName, String osArch, Probe probe) {
		this.mode = mode;
		this.osName = osName;
		this.osArch = osArch;
		this.probe = probe;
	}

	/**
	 * The decision for this JVM, made on first use or from {@link #prepare()}, and logged when made: ACCP when
	 * {@code PLINTO_NATIVE_CRYPTO=auto}, the platform is supported and {@link #accp()} succeeds.
	 */
	public static NativeCrypto forThisMachine(PlintoSettings.NativeCrypto mode) {
		return new NativeCrypto(mode, System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
				NativeCrypto::accp);
	}

	/** The decision made at once, on this thread, for the given platform and probe (tests, benchmarks). */
	public static NativeCrypto of(PlintoSettings.NativeCrypto mode, String osName, String osArch, Probe probe) {
		NativeCrypto crypto = new NativeCrypto(mode, osName, osArch, probe);
		crypto.choice();
		return crypto;
	}

	/** The JDK's providers, nothing native (tests, and where no settings exist). */
	public static NativeCrypto jdk() {
		NativeCrypto crypto = new NativeCrypto(PlintoSettings.NativeCrypto.OFF, "", "", null);
		crypto.claimed.set(true);
		crypto.choice.complete(JDK);
		return crypto;
	}

	/** Starts the decision on its own thread unless it has started already; returns at once. */
	public NativeCrypto prepare() {
		if (claimed.compareAndSet(false, true)) {
			Thread thread = new Thread(this::decide, "native-crypto");
			thread.setDaemon(true);
			thread.start();
		}
		return this;
	}

	private void decide() {
		try {
			choice.complete(choose(mode, osName, osArch, probe));
		}
		finally {
			choice.complete(JDK);
		}
	}

	/** The decision and its log line; never throws. */
	static Choice choose(PlintoSettings.NativeCrypto mode, String osName, String osArch, Probe probe) {
		if (mode == PlintoSettings.NativeCrypto.OFF) {
			log.info("JWT signing: {} (PLINTO_NATIVE_CRYPTO=off)", JDK.description());
			return JDK;
		}
		if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")
				|| !SUPPORTED_ARCHITECTURES.contains(osArch.toLowerCase(Locale.ROOT))) {
			log.info("JWT signing: {} (the native provider ACCP runs on Linux x86-64 and aarch64, not {} {})",
					JDK.description(), osName, osArch);
			return JDK;
		}
		try {
			Provider provider = probe.load();
			Choice accp = new Choice(provider, describe(provider));
			log.info("JWT signing: {} for RS256/ES256; EdDSA: Nimbus (Ed25519)", accp.description());
			return accp;
		}
		catch (Exception | LinkageError e) {
			log.warn("JWT signing: {}: the native provider ACCP is not usable on this machine ({}: {}); "
					+ "PLINTO_NATIVE_CRYPTO=off silences this warning", JDK.description(), e.getClass().getSimpleName(),
					e.getMessage());
			return JDK;
		}
	}

	/**
	 * ACCP, once its native library is loaded, its self-tests have passed and a P-256 signature crosses between it
	 * and the JDK both ways.
	 */
	public static Provider accp() throws GeneralSecurityException {
		AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
		Throwable loading = accp.getLoadingError();
		if (loading != null) {
			throw new GeneralSecurityException("its native library did not load: " + loading.getMessage(), loading);
		}
		accp.assertHealthy();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair pair = generator.generateKeyPair();
		byte[] message = "native crypto check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		byte[] byAccp = sign(Signature.getInstance("SHA256withECDSA", accp), pair.getPrivate(), message);
		byte[] byJdk = sign(Signature.getInstance("SHA256withECDSA"), pair.getPrivate(), message);
		if (!verify(Signature.getInstance("SHA256withECDSA"), pair.getPublic(), message, byAccp)
				|| !verify(Signature.getInstance("SHA256withECDSA", accp), pair.getPublic(), message, byJdk)) {
			throw new GeneralSecurityException("its ECDSA signatures do not agree with the JDK's");
		}
		return accp;
	}

	private static byte[] sign(Signature signature, PrivateKey key, byte[] message) throws GeneralSecurityException {
		signature.initSign(key);
		signature.update(message);
		return signature.sign();
	}

	private static boolean verify(Signature signature, PublicKey key, byte[] message, byte[] sig)
			throws GeneralSecurityException {
		signature.initVerify(key);
		signature.update(message);
		return signature.verify(sig);
	}

	private static String describe(Provider provider) {
		if (provider instanceof AmazonCorrettoCryptoProvider accp) {
			return "ACCP " + accp.getVersionStr() + " (" + accp.getAwsLcVersionStr() + ")";
		}
		return provider.getName() + " " + provider.getVersionStr();
	}

	/** The provider that signs, or empty for the JDK's; waits for the check started at start. */
	public Optional<Provider> provider() {
		return Optional.ofNullable(choice().provider());
	}

	/** What signs, for logs and the start-up report: e.g. "ACCP 2.5.0 (AWS-LC v1.47.0)" or "JDK providers". */
	public String description() {
		return choice().description();
	}

	/**
	 * The key as the signing provider's own key object, translated once (ACCP translates a foreign key on every
	 * {@code initSign}/{@code initVerify} otherwise); the key itself with the JDK's providers.
	 */
	public <K extends Key> K translate(K key, Class<K> type) {
		Provider provider = choice().provider();
		if (provider == null) {
			return key;
		}
		try {
			return type.cast(KeyFactory.getInstance(key.getAlgorithm(), provider).translateKey(key));
		}
		catch (GeneralSecurityException | ClassCastException e) {
			throw new IllegalStateException("cannot hand a " + key.getAlgorithm() + " key to " + description(), e);
		}
	}

	private Choice choice() {
		if (claimed.compareAndSet(false, true)) {
			decide();
		}
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return choice.get();
				}
				catch (InterruptedException e) {
					interrupted = true;
				}
			}
		}
		catch (ExecutionException e) {
			return JDK;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}
}
