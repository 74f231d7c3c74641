package dev.plinto.security;

import dev.plinto.ops.PlintoSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.springframework.stereotype.Component;

/**
 * Hashes passwords with Argon2id (RFC 9106, BouncyCastle's implementation) at the
 * OWASP Password Storage Cheat Sheet's first recommendation, m=19 MiB, t=2, p=1, with a 16-byte random salt and a
 * 32-byte output, encoded in the PHC string format. Verification compares in constant time (MessageDigest.isEqual).
 * A hash made with other parameters or another algorithm is reported by {@link #needsRehash} so it can be
 * upgraded at the next successful sign-in (OWASP Password Storage Cheat Sheet, "Upgrading legacy hashes").
 * <p>
 * Argon2id is memory-hard: each computation holds {@code m} KiB (19 MiB by default) until it ends. At most one
 * computation per CPU runs at a time and the others wait their turn in order: more in parallel gains no throughput,
 * and unbounded concurrency lets a burst of sign-ins exhaust the heap (OWASP API Security Top 10 2023, API4
 * "Unrestricted Resource Consumption").
 */
@Component
public final class PasswordHasher {

	private static final Pattern PHC = Pattern
		.compile("^\\$argon2(id|i|d)\\$v=(\\d+)\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");

	private static final int SALT_BYTES = 16;

	private static final int HASH_BYTES = 32;

	private final PlintoSettings.Argon2 params;

	private final Timer timer;

	/** One permit per CPU: the Argon2id computations that may run at once (see the class comment). */
	private final Semaphore slots;

	/**
	 * Argon2's 1 KiB memory blocks, kept for reuse between computations (zeroed when returned) instead of
	 * allocating 19 MiB of fresh heap per hash: that garbage made the collector copy the memory of the hash in
	 * flight at nearly every sign-in. Sized for one computation per permit.
	 */
	private final Argon2BytesGenerator.BlockPool blocks;

	/** A hash of a random password, verified against when the account does not exist, to equalise timing. */
	private final String decoy;

	public PasswordHasher(PlintoSettings settings, MeterRegistry meters) {
		this.params = settings.argon2();
		int permits = Math.max(1, Runtime.getRuntime().availableProcessors());
		this.slots = new Semaphore(permits, true);
		this.blocks = new Argon2BytesGenerator.FixedBlockPool(params.memoryKib() * permits);
		this.timer = Timer.builder("plinto.password.hash")
			.description("Time spent computing Argon2id password hashes")
			.publishPercentileHistogram()
			.register(meters);
		this.decoy = hash(SecureTokens.newSecret());
	}

	/** A new Argon2id hash with a random 16-byte salt, as a PHC string ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}). */
	public String hash(String password) {
		byte[] salt = SecureTokens.randomBytes(SALT_BYTES);
		byte[] hash = limited(() -> timer.record(() -> compute(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13,
				params.memoryKib(), params.iterations(), params.parallelism(), salt, password, HASH_BYTES)));
		return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
				+ "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
	}

	/**
	 * Checks a password against a PHC-encoded Argon2 hash (argon2id, or argon2i/argon2d from imports), comparing
	 * in constant time. A malformed hash or absurd parameters verify as false.
	 */
	public boolean verify(String password, String encoded) {
		Matcher m = encoded == null ? null : PHC.matcher(encoded);
		if (m == null || !m.matches()) {
			return false;
		}
		try {
			int type = switch (m.group(1)) {
				case "id" -> Argon2Parameters.ARGON2_id;
				case "i" -> Argon2Parameters.ARGON2_i;
				default -> Argon2Parameters.ARGON2_d;
			};
			int version = Integer.parseInt(m.group(2));
			int memory = Integer.parseInt(m.group(3));
			int iterations = Integer.parseInt(m.group(4));
			int parallelism = Integer.parseInt(m.group(5));
			byte[] salt = Base64.getDecoder().decode(m.group(6));
			byte[] expected = Base64.getDecoder().decode(m.group(7));
			if ((version != Argon2Parameters.ARGON2_VERSION_13 && version != Argon2Parameters.ARGON2_VERSION_10)
					|| memory < 8 || memory > 4 * 1024 * 1024 || iterations < 1 || iterations > 100 || parallelism < 1
					|| parallelism > 64 || salt.length < 8 || expected.length < 4) {
				return false;
			}
			byte[] actual = limited(() -> timer.record(
					() -> compute(type, version, memory, iterations, parallelism, salt, password, expected.length)));
			return MessageDigest.isEqual(expected, actual);
		}
		catch (IllegalArgumentException e) {
			return false;
		}
	}

	private byte[] compute(int type, int version, int memory, int iterations, int parallelism, byte[] salt,
			String password, int length) {
		Argon2Parameters p = new Argon2Parameters.Builder(type).withVersion(version)
			.withMemoryAsKB(memory)
			.withIterations(iterations)
			.withParallelism(parallelism)
			.withSalt(salt)
			.withBlockPool(blocks)
			.build();
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(p);
		byte[] out = new byte[length];
		generator.generateBytes(password == null ? new char[0] : password.toCharArray(), out);
		return out;
	}

	/**
	 * Spends the same work as a real verification against a decoy hash, so that a sign-in or reset for an
	 * unknown email takes as long as for a known one (OWASP Authentication Cheat Sheet, "Authentication
	 * Responses": avoid account enumeration through response time).
	 */
	public void verifyDecoy(String password) {
		verify(password, decoy);
	}

	private <T> T limited(Supplier<T> computation) {
		slots.acquireUninterruptibly();
		try {
			return computation.get();
		}
		finally {
			slots.release();
		}
	}

	/** True unless the hash is argon2id with exactly the configured parameters. */
	public boolean needsRehash(String encoded) {
		Matcher m = encoded == null ? null : PHC.matcher(encoded);
		return m == null || !m.matches() || !m.group(1).equals("id")
				|| Integer.parseInt(m.group(2)) != Argon2Parameters.ARGON2_VERSION_13
				|| Integer.parseInt(m.group(3)) != params.memoryKib()
				|| Integer.parseInt(m.group(4)) != params.iterations()
				|| Integer.parseInt(m.group(5)) != params.parallelism();
	}

	private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
}
