package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.plinto.config.PlintoSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

class PasswordHasherTests {

	private static final String PASSWORD = "correct horse battery staple";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final PasswordHasher defaults = new PasswordHasher(PlintoSettings.parse(name -> null), meters);

	private static PasswordHasher cheap() {
		Map<String, String> env = Map.of("PLINTO_ARGON2_MEMORY_KIB", "1024", "PLINTO_ARGON2_ITERATIONS", "1");
		return new PasswordHasher(PlintoSettings.parse(env::get), new SimpleMeterRegistry());
	}

	@Test
	void hashWhenDefaultParametersThenOwaspArgon2idPhcString() {
		String hash = defaults.hash(PASSWORD);
		assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
		assertThat(hash).doesNotContain(PASSWORD);
		assertThat(defaults.hash(PASSWORD)).as("random salt").isNotEqualTo(hash);
	}

	@Test
	void verifyWhenRightOrWrongPasswordThenTrueOrFalse() {
		String hash = defaults.hash(PASSWORD);
		assertThat(defaults.verify(PASSWORD, hash)).isTrue();
		assertThat(defaults.verify(PASSWORD + " ", hash)).isFalse();
		assertThat(defaults.verify("", hash)).isFalse();
	}

	@Test
	void verifyWhenStoredValueIsNotAnArgon2HashThenFalse() {
		assertThat(defaults.verify(PASSWORD, "not a hash")).isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=19456,t=2,p=1$broken")).isFalse();
	}

	@Test
	void needsRehashWhenHashMadeWithOtherParametersThenTrueAndStillVerifies() {
		String old = cheap().hash(PASSWORD);
		assertThat(old).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
		assertThat(defaults.needsRehash(old)).isTrue();
		assertThat(defaults.verify(PASSWORD, old)).isTrue();
		assertThat(defaults.needsRehash(defaults.hash(PASSWORD))).isFalse();
	}

	@Test
	void needsRehashWhenOtherAlgorithmThenTrue() {
		assertThat(defaults.needsRehash("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")).isTrue();
		assertThat(defaults.needsRehash("$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA")).isTrue();
	}

	@Test
	void decoyWhenConfiguredParametersThenAWellFormedHashWithTheSameCostThatNoPasswordMatches() {
		PasswordHasher hasher = hasherWith("PLINTO_ARGON2_MEMORY_KIB", "1024", "PLINTO_ARGON2_ITERATIONS", "3");
		assertThat(hasher.decoy()).matches("\\$argon2id\\$v=19\\$m=1024,t=3,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
		assertThat(hasher.needsRehash(hasher.decoy())).as("same parameters, so the same work as a real hash").isFalse();
		assertThat(hasher.verify(PASSWORD, hasher.decoy())).isFalse();
		assertThat(hasher.verify("", hasher.decoy())).isFalse();
		assertThat(hasherWith().decoy()).isNotEqualTo(hasherWith().decoy());
	}

	@Test
	void verifyDecoyWhenCalledThenReturnsWithoutErrorAndCountsAsAHash() {
		long before = meters.get("plinto.password.hash").timer().count();
		assertThatNoException().isThrownBy(() -> defaults.verifyDecoy(PASSWORD));
		assertThat(meters.get("plinto.password.hash").timer().count()).isEqualTo(before + 1);
	}

	@Test
	void verifyWhenHashMadeBySpringSecuritysEncoderThenAcceptedBothWays() {
		PasswordHasher hasher = hasherWith("PLINTO_ARGON2_MEMORY_KIB", "1024", "PLINTO_ARGON2_ITERATIONS", "1");
		Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 1024, 1);

		assertThat(hasher.verify("independent check", spring.encode("independent check"))).isTrue();
		assertThat(spring.matches("independent check", hasher.hash("independent check"))).isTrue();
		assertThat(spring.matches("other password", hasher.hash("independent check"))).isFalse();
	}

	@Test
	void verifyWhenReferenceImplementationVectorThenTrue() {
		// The argon2 reference implementation's README example (Argon2i, v=19, m=64 MiB, t=2, p=4, salt "somesalt"):
		// echo -n "password" | ./argon2 somesalt -t 2 -m 16 -p 4 -l 24
		PasswordHasher hasher = hasherWith("PLINTO_ARGON2_MEMORY_KIB", "1024", "PLINTO_ARGON2_ITERATIONS", "1");
		String reference = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

		assertThat(hasher.verify("password", reference)).isTrue();
		assertThat(hasher.verify("Password", reference)).isFalse();
		assertThat(hasher.needsRehash(reference)).isTrue();
	}

	@Test
	void verifyWhenManyAtOnceThenEachComputationHasItsOwnBlocksFromTheSharedPool() throws Exception {
		// The memory blocks are pooled across computations; a block handed to two computations at once, or reused
		// without being overwritten, would turn some of these answers wrong.
		PasswordHasher hasher = cheap();
		String[] passwords = { "first password", "second password", "third password", "fourth password" };
		String[] hashes = new String[passwords.length];
		for (int i = 0; i < passwords.length; i++) {
			hashes[i] = hasher.hash(passwords[i]);
		}
		java.util.List<java.util.concurrent.Callable<Boolean>> calls = new java.util.ArrayList<>();
		java.util.List<Boolean> expected = new java.util.ArrayList<>();
		for (int round = 0; round < 4; round++) {
			for (int i = 0; i < passwords.length; i++) {
				int n = i;
				int other = (i + 1) % passwords.length;
				calls.add(() -> hasher.verify(passwords[n], hashes[n]));
				expected.add(true);
				calls.add(() -> hasher.verify(passwords[other], hashes[n]));
				expected.add(false);
			}
		}
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(calls.size());
		try {
			assertThat(dev.plinto.Concurrently.call(pool, calls)).isEqualTo(expected);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(hasher.verify(passwords[0], hashes[0])).as("the pool still serves correct blocks").isTrue();
	}

	@Test
	@org.junit.jupiter.api.Timeout(30)
	void verifyWhenPhcStringHasImpossibleNumbersOrParametersThenFalseWithoutError() {
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=99999999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")).isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")).isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")).isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGE")).as("2-byte hash")
			.isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$A")).as("bad base64")
			.isFalse();
		assertThat(defaults.verify(PASSWORD, null)).isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=1024,t=1000000000,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"))
			.as("would hold a hashing slot for ages").isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=1024,t=1,p=16777215$c2FsdHNhbHQ$aGFzaGhhc2g"))
			.as("would need 128 GiB").isFalse();
		assertThat(defaults.verify(PASSWORD, "$argon2id$v=19$m=16777216,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"))
			.as("16 GiB").isFalse();
		assertThat(defaults.needsRehash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$A")).isTrue();
	}

	@Test
	void verifyWhenVersionIsAbsentThenArgon2Version10AsThePhcFormatSays() {
		// An Argon2 1.0 hash computed independently of the PHC parser: BouncyCastle's generator run directly.
		byte[] salt = "saltsaltsaltsalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		byte[] digest = new byte[32];
		org.bouncycastle.crypto.generators.Argon2BytesGenerator generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
		generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
				org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
			.withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_10)
			.withMemoryAsKB(1024)
			.withIterations(1)
			.withSalt(salt)
			.build());
		generator.generateBytes("password".toCharArray(), digest);
		java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
		String encoded = "$argon2id$m=1024,t=1,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);

		assertThat(defaults.verify("password", encoded)).isTrue();
		assertThat(defaults.verify("password", encoded.replace("$m=", "$v=19$m="))).isFalse();
		assertThat(defaults.needsRehash(encoded)).as("version 1.0 is upgraded").isTrue();
	}

	@Test
	void pooledBlocksWhenCpusAndOldGenerationVaryThenOneComputationPerCpuWithinHalfTheOldGeneration() {
		PlintoSettings.Argon2 owasp = new PlintoSettings.Argon2(19456, 2, 1);
		long mib = 1024 * 1024;
		// One computation's blocks take about 19.6 MiB of heap (1 KiB of data and 32 bytes of headers each).
		assertThat(PasswordHasher.pooledBlocks(owasp, 1, 64 * mib)).as("bin/plinto on one CPU").isEqualTo(19456);
		assertThat(PasswordHasher.pooledBlocks(owasp, 2, 64 * mib)).as("32 MiB hold one").isEqualTo(19456);
		assertThat(PasswordHasher.pooledBlocks(owasp, 2, 128 * mib)).as("bin/plinto on two CPUs")
			.isEqualTo(2 * 19456);
		assertThat(PasswordHasher.pooledBlocks(owasp, 8, 512 * mib)).as("bin/plinto on eight CPUs")
			.isEqualTo(8 * 19456);
		assertThat(PasswordHasher.pooledBlocks(owasp, 8, 128 * mib)).as("64 MiB hold three").isEqualTo(3 * 19456);
		assertThat(PasswordHasher.pooledBlocks(owasp, 4, 16 * mib)).as("always one").isEqualTo(19456);
		assertThat(PasswordHasher.pooledBlocks(new PlintoSettings.Argon2(1024, 1, 4), 1, 64 * mib)).isEqualTo(1024);
		assertThat(PasswordHasher.pooledBlocks(new PlintoSettings.Argon2(8, 1, 4), 1, 64 * mib))
			.as("Argon2 uses at least 8 blocks per lane").isEqualTo(32);
	}

	@Test
	void releasablePoolWhenIdleForTheWholeWaitThenDroppedAndTheNextHashMakesANewPool() {
		PasswordHasher.ReleasablePool pool = new PasswordHasher.ReleasablePool(2);
		assertThat(pool.held()).as("nothing is held before the first hash").isFalse();
		pool.touch();
		org.bouncycastle.crypto.generators.Argon2BytesGenerator.Block block = pool.allocate();
		pool.deallocate(block);
		assertThat(pool.allocate()).as("kept from one hash to the next").isSameAs(block);
		pool.deallocate(block);
		pool.touch();
		long wait = PasswordHasher.POOL_IDLE_NANOS;

		pool.releaseIfIdle(System.nanoTime() + wait / 2, wait);
		assertThat(pool.held()).as("used within the wait").isTrue();
		pool.releaseIfIdle(System.nanoTime() + wait, wait);
		assertThat(pool.held()).as("idle for the whole wait").isFalse();
		assertThat(pool.allocate()).as("a new pool, new blocks").isNotSameAs(block);
		assertThat(pool.held()).isTrue();
	}

	private static PasswordHasher hasherWith(String... keyValues) {
		java.util.Map<String, String> env = new java.util.HashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			env.put(keyValues[i], keyValues[i + 1]);
		}
		return new PasswordHasher(dev.plinto.config.PlintoSettings.parse(env::get),
				new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
	}
}
