package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import dev.plinto.config.PlintoSettings;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.interfaces.RSAPrivateKey;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The choice of the provider that signs JWTs: ACCP only with {@code PLINTO_NATIVE_CRYPTO=auto}, on a platform it
 * ships a native library for, when it loads and passes its checks; the JDK's providers otherwise, with one log line
 * and never an exception. The platform and the availability check are injected, so every branch runs here.
 */
@ExtendWith(OutputCaptureExtension.class)
class NativeCryptoTests {

	private static final Provider SOME_PROVIDER = new Provider("Test", "1.0", "a stand-in for ACCP") {
	};

	@Test
	void chooseWhenOffThenJdkProvidersWithoutLoadingAnything(CapturedOutput output) {
		NativeCrypto crypto = NativeCrypto.of(PlintoSettings.NativeCrypto.OFF, "Linux", "amd64",
				() -> fail("PLINTO_NATIVE_CRYPTO=off must not load the native provider"));

		assertThat(crypto.provider()).isEmpty();
		assertThat(crypto.description()).isEqualTo("JDK providers");
		assertThat(output).contains("JWT signing: JDK providers (PLINTO_NATIVE_CRYPTO=off)");
	}

	@ParameterizedTest
	@CsvSource({ "Mac OS X, aarch64", "Mac OS X, x86_64", "Windows 11, amd64", "Linux, riscv64", "Linux, ppc64le",
			"Linux, arm", "FreeBSD, amd64" })
	void chooseWhenPlatformHasNoNativeLibraryThenJdkProvidersWithoutLoadingAnything(String os, String arch,
			CapturedOutput output) {
		NativeCrypto crypto = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, os, arch,
				() -> fail("no native library to load on " + os + " " + arch));

		assertThat(crypto.provider()).isEmpty();
		assertThat(output).contains("JWT signing: JDK providers (the native provider ACCP runs on Linux x86-64 and "
				+ "aarch64, not " + os + " " + arch + ")");
	}

	@ParameterizedTest
	@CsvSource({ "Linux, amd64", "Linux, x86_64", "Linux, aarch64" })
	void chooseWhenAutoOnSupportedPlatformAndCheckPassesThenThatProvider(String os, String arch,
			CapturedOutput output) {
		NativeCrypto crypto = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, os, arch, () -> SOME_PROVIDER);

		assertThat(crypto.provider()).containsSame(SOME_PROVIDER);
		assertThat(crypto.description()).isEqualTo("Test 1.0");
		assertThat(output).contains("JWT signing: Test 1.0 for RS256/ES256; EdDSA: Nimbus (Ed25519)");
	}

	@Test
	void chooseWhenNativeLibraryOrSelfTestFailsThenJdkProvidersAndAWarningNotAnError(CapturedOutput output) {
		NativeCrypto unlinked = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, "Linux", "amd64", () -> {
			throw new UnsatisfiedLinkError("libamazonCorrettoCryptoProvider.so: failed to map segment");
		});
		NativeCrypto unhealthy = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, "Linux", "aarch64", () -> {
			throw new IllegalStateException("self-test HMAC failed");
		});

		assertThat(unlinked.provider()).isEmpty();
		assertThat(unhealthy.provider()).isEmpty();
		assertThat(unhealthy.description()).isEqualTo("JDK providers");
		assertThat(output).contains("WARN")
			.contains("JWT signing: JDK providers: the native provider ACCP is not usable on this machine "
					+ "(UnsatisfiedLinkError: libamazonCorrettoCryptoProvider.so: failed to map segment)")
			.contains("(IllegalStateException: self-test HMAC failed)");
	}

	@Test
	void prepareWhenOffThenDecidedOnItsOwnThreadAsJdkProviders(CapturedOutput output) {
		NativeCrypto crypto = NativeCrypto.forThisMachine(PlintoSettings.NativeCrypto.OFF).prepare();

		assertThat(crypto.provider()).isEmpty();
		assertThat(crypto.description()).isEqualTo("JDK providers");
		assertThat(output).contains("native-crypto]").containsOnlyOnce("JWT signing: JDK providers");
	}

	@Test
	void forThisMachineWhenNothingAsksThenNothingIsDecidedOrLogged(CapturedOutput output) {
		NativeCrypto.forThisMachine(PlintoSettings.NativeCrypto.AUTO);

		assertThat(output).doesNotContain("JWT signing");
	}

	@Test
	void translateWhenJdkProvidersThenTheKeyItself() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		RSAPrivateKey key = (RSAPrivateKey) generator.generateKeyPair().getPrivate();

		assertThat(NativeCrypto.jdk().translate(key, RSAPrivateKey.class)).isSameAs(key);
	}

	@Test
	void accpWhenOnLinuxX64OrAarch64ThenLoadsPassesItsChecksAndStaysOutOfTheDefaultProviders() throws Exception {
		assumeNativePlatform();

		NativeCrypto crypto = NativeCrypto.of(PlintoSettings.NativeCrypto.AUTO, System.getProperty("os.name"),
				System.getProperty("os.arch"), NativeCrypto::accp);

		assertThat(crypto.provider()).containsSame(AmazonCorrettoCryptoProvider.INSTANCE);
		assertThat(crypto.description()).startsWith("ACCP 2.5.0 (AWS-LC v");
		assertThat(AmazonCorrettoCryptoProvider.INSTANCE.getSelfTestStatus().name()).isEqualTo("PASSED");
		assertThat(Arrays.stream(Security.getProviders()).map(Provider::getName))
			.as("ACCP signs JWTs only; it is not a default provider of the JVM")
			.doesNotContain(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
		assertThat(new SecureRandom().getProvider().getName())
			.as("SecureRandom keeps the JDK's provider")
			.isNotEqualTo(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
	}

	/** Where ACCP has a native library it must load (a failure is a bug); elsewhere the test is skipped. */
	static void assumeNativePlatform() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch");
		Assumptions.assumeTrue(os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64")),
				"ACCP has no native library for " + os + " " + arch);
	}
}
