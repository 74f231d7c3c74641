package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Hashes passwords with Argon2id (RFC 9106, BouncyCastle's implementation) at the OWASP Password Storage Cheat
 * Sheet's first recommendation, m=19 MiB, t=2, p=1, with a 16-byte random salt and a 32-byte output, encoded in
 * the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}, unpadded base64), the format Spring
 * Security's {@code Argon2PasswordEncoder} and the reference implementation write, so the hashes they write verify
 * here and the other way round. Verification compares in constant time. A hash made with other parameters or another algorithm is
 * reported by {@link #needsRehash} so it can be upgraded at the next successful sign-in (OWASP Password Storage
 * Cheat Sheet, "Upgrading legacy hashes"); hashes imported from other systems (bcrypt, PBKDF2, scrypt, Firebase's
 * scrypt, salted digests) are verified by {@link LegacyHashes}, in the same hashing slots, and upgraded the same way.
 * <p>
 * Argon2id is memory-hard: each computation fills {@code m} KiB (19 MiB by default) of 1 KiB blocks. At most one
 * computation per CPU runs at a time and the others wait their turn in order: more in parallel gains no
 * throughput, and unbounded concurrency lets a burst of sign-ins exhaust the heap (OWASP API Security Top 10
 * 2023, API4 "Unrestricted Resource Consumption"). The blocks come from one pool that keeps them from one
 * computation to the next ({@link #pooledBlocks}): allocated afresh, every hash would be 19 MiB of garbage, and
 * the young-generation collection it causes copies the blocks of the hash in progress (docs/benchmarks.md,
 * "Argon2id memory"). The pool stays while passwords are hashed and is dropped 10 s after the last hash
 * ({@link ReleasablePool}), so that a server doing other work does not keep 19 MiB per CPU it does not use. The pool
 * wipes every block when a computation returns it, so the blocks carry nothing of one
 * password into the next computation, as the reference implementation wipes its memory by default
 * ({@code FLAG_clear_internal_memory} in phc-winner-argon2). (Other copies are out of this class's reach: the
 * password {@code String}, BouncyCastle's own small buffers, and heap left behind by the garbage collector.)
 */
@Component
public final class PasswordHasher {

	/**
	 * A PHC string of any Argon2 variant: type, optional version (absent means 1.0), memory, iterations,
	 * parallelism, salt and hash in base64 without padding.
	 */
	private static final Pattern PHC = Pattern.compile(
			"^\\$argon2(id|i|d)\\$(?:v=(\\d{1,3})\\$)?m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");

	private static final Logger log = LoggerFactory.getLogger(PasswordHasher.class);

	/**
	 * Stored for an account that has no password (one imported from a service where the user signed in another
	 * way): it starts with {@code !}, which no hash does, so it matches no password.
	 */
	public static final String NO_PASSWORD = "!none";

	/** The heap taken by one Argon2 block: 1 KiB of {@code long}s plus the array's and the block's headers. */
	private static final long BLOCK_HEAP_BYTES = 1024 + 32;

	private static final int SALT_BYTES = 16;

	private static final int HASH_BYTES = 32;

	private final PlintoSettings.Argon2 params;

	private final Timer timer;

	/** One permit per CPU: the Argon2id computations that may run at once (see the class comment). */
	private final Semaphore slots;

	/** The memory blocks of the computations that run at once, reused from one hash to the next. */
	private final ReleasablePool blocks;

	/**
	 * Verified against when the account does not exist, to equalise timing: an encoded Argon2id hash with this
	 * server's parameters, a random salt and a random 32-byte digest. Verifying it costs exactly what verifying a
	 * real hash costs (the same computation, then a constant-time comparison), no password matches it, and it is
	 * made without computing a hash, which would cost start-up a second on a cold JVM.
	 */
	private final String decoy;

	public PasswordHasher(PlintoSettings settings, MeterRegistry meters) {
		this.params = settings.argon2();
		int permits = Math.max(1, Runtime.getRuntime().availableProcessors());
		this.slots = new Semaphore(permits, true);
		this.blocks = new ReleasablePool(pooledBlocks(params, permits, oldGenerationBytes()));
		this.timer = Timer.builder("plinto.password.hash")
			.description("Time spent computing password hashes (Argon2id, and imported hashes until they are upgraded)")
			.publishPercentileHistogram()
			.register(meters);
		this.decoy = current(SecureTokens.randomBytes(SALT_BYTES), SecureTokens.randomBytes(HASH_BYTES)).encode();
	}

	/**
	 * How many blocks the pool keeps between computations: enough for every computation that may run at once, but
	 * at most half of the heap's old generation, where the pooled blocks end up, and always enough for one. The
	 * other half is left to the server's live set (30–40 MB) and to objects promoted between collections: a pool
	 * that crowds them out turns a busy sign-in period into full collections or an {@code OutOfMemoryError}.
	 * Computations beyond what the pool keeps allocate their own blocks, which the young generation collects, as
	 * without a pool.
	 */
	static int pooledBlocks(PlintoSettings.Argon2 params, int permits, long oldGenerationBytes) {
		long perComputation = Math.max(params.memoryKib(), 8L * params.parallelism());
		long affordable = Math.max(1, oldGenerationBytes / 2 / (perComputation * BLOCK_HEAP_BYTES));
		return (int) Math.min(Integer.MAX_VALUE, perComputation * Math.min(permits, affordable));
	}

	/**
	 * The maximum size of the heap's old generation: the largest heap memory pool that supports usage thresholds
	 * (the serial collector's "Tenured Gen", G1's "G1 Old Gen"; the whole heap for single-generation collectors),
	 * or the whole heap when no pool says.
	 */
	private static long oldGenerationBytes() {
		long largest = -1;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()) {
				largest = Math.max(largest, pool.getUsage().getMax());
			}
		}
		return largest > 0 ? largest : Runtime.getRuntime().maxMemory();
	}

	/** How long the block pool outlives the last hash (see {@link ReleasablePool}). */
	static final long POOL_IDLE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

	/** Drops the block pool when no password has been hashed for {@link #POOL_IDLE_NANOS}. */
	@Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
	public void releaseIdleBlocks() {
		blocks.releaseIfIdle(System.nanoTime(), POOL_IDLE_NANOS);
	}

	/**
	 * BouncyCastle's block pool, kept while passwords are hashed and dropped once none has been for a while
	 * ({@link #releaseIfIdle}; the next hash makes a new one). Kept for good, its 19 MiB per CPU sit in the old
	 * generation whatever the server does: a server answering token requests and no sign-ins then runs full
	 * collections back to back around memory nobody uses (on one CPU with {@code bin/plinto}'s heap, a third of the
	 * CPU; docs/benchmarks.md, "Argon2id memory"). A hash in progress holds its blocks itself, so dropping the pool
	 * never takes memory from a computation; blocks returned after a drop go to the new pool, which wipes them like
	 * the old one.
	 */
	static final class ReleasablePool implements Argon2BytesGenerator.BlockPool {

		private final int size;

		private volatile Argon2BytesGenerator.FixedBlockPool pool;

		/** {@link System#nanoTime} of the last hash's start or end ({@link #touch}). */
		private volatile long lastUse = System.nanoTime();

		ReleasablePool(int size) {
			this.size = size;
		}

		/** Marks the pool as in use: at the start and at the end of every hash, not per block. */
		void touch() {
			lastUse = System.nanoTime();
		}

		/** The pool, made anew after a drop (a hash asks for it once per block: no lock while it exists). */
		private Argon2BytesGenerator.FixedBlockPool pool() {
			Argon2BytesGenerator.FixedBlockPool current = pool;
			if (current != null) {
				return current;
			}
			synchronized (this) {
				if (pool == null) {
					pool = new Argon2BytesGenerator.FixedBlockPool(size);
				}
				return pool;
			}
		}

		@Override
		public Argon2BytesGenerator.Block allocate() {
			return pool().allocate();
		}

		@Override
		public void deallocate(Argon2BytesGenerator.Block block) {
			pool().deallocate(block);
		}

		/** Drops the pool when no hash has started or ended for {@code idleNanos} before {@code now}. */
		synchronized void releaseIfIdle(long now, long idleNanos) {
			if (now - lastUse >= idleNanos) {
				pool = null;
			}
		}

		/** Whether the pool currently exists (for tests). */
		boolean held() {
			return pool != null;
		}
	}

	String decoy() {
		return decoy;
	}

	/** A new PHC string for the password, with a new random salt and this server's parameters. */
	public String hash(String password) {
		Phc phc = current(SecureTokens.randomBytes(SALT_BYTES), new byte[HASH_BYTES]);
		return current(phc.salt, compute(password, phc)).encode();
	}

	/** Argon2id, version 1.3, with this server's parameters. */
	private Phc current(byte[] salt, byte[] hash) {
		return new Phc(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, params.memoryKib(),
				params.iterations(), params.parallelism(), salt, hash);
	}

	/**
	 * Whether the password matches the PHC string, recomputed with the string's own variant and parameters and
	 * compared in constant time ({@link MessageDigest#isEqual}; OWASP Password Storage Cheat Sheet). A value that
	 * is not an Argon2 PHC string matches nothing.
	 */
	public boolean verify(String password, String encoded) {
		if (encoded != null && encoded.startsWith("!")) {
			// No password: as long as a real verification, so the answer does not tell such accounts apart.
			verify(password, decoy);
			return false;
		}
		Phc phc = Phc.parse(encoded);
		if (phc == null) {
			LegacyHashes.Verifier legacy = LegacyHashes.parse(encoded);
			if (legacy == null) {
				log.warn("A stored password hash is neither an Argon2 PHC string nor a supported legacy hash; it "
						+ "matches no password.");
				return false;
			}
			String plain = password;
			return limited(() -> timer.record(() -> legacy.matches(plain)));
		}
		if (phc.memoryKib > PlintoSettings.Argon2.MAX_MEMORY_KIB || phc.iterations > PlintoSettings.Argon2.MAX_ITERATIONS
				|| phc.parallelism > PlintoSettings.Argon2.MAX_PARALLELISM) {
			// A cost beyond what Plinto can be configured to use would hold a hashing slot for hours or exhaust the
			// heap and stop the server (OWASP API Security Top 10 2023, API4 "Unrestricted Resource Consumption").
			log.warn("A stored password hash asks for more Argon2 work than Plinto allows (m={}, t={}, p={}); it "
					+ "matches no password.", phc.memoryKib, phc.iterations, phc.parallelism);
			return false;
		}
		try {
			return MessageDigest.isEqual(compute(password, phc), phc.hash);
		}
		catch (RuntimeException e) {
			// Parameters the generator refuses (say, t=0 or an unknown version): a stored value nothing matches.
			log.warn("A stored password hash has Argon2 parameters that cannot be computed ({}); it matches no password.",
					e.getMessage());
			return false;
		}
	}

	/**
	 * Spends the same work as a real verification against a decoy hash, so that a sign-in or reset for an
	 * unknown email takes as long as for a known one (OWASP Authentication Cheat Sheet, "Authentication
	 * Responses": avoid account enumeration through response time).
	 */
	public void verifyDecoy(String password) {
		verify(password, decoy);
	}

	/**
	 * Whether a stored value is one this class verifies: an Argon2 PHC string or one of the {@link LegacyHashes}
	 * forms, with costs in bounds. An import refuses any other value rather than storing a hash nothing matches.
	 */
	public static boolean verifiable(String encoded) {
		Phc phc = Phc.parse(encoded);
		if (phc != null) {
			return phc.memoryKib <= PlintoSettings.Argon2.MAX_MEMORY_KIB
					&& phc.iterations <= PlintoSettings.Argon2.MAX_ITERATIONS
					&& phc.parallelism <= PlintoSettings.Argon2.MAX_PARALLELISM;
		}
		return LegacyHashes.recognizes(encoded);
	}

	public boolean needsRehash(String encoded) {
		Phc phc = Phc.parse(encoded);
		return phc == null || phc.type != Argon2Parameters.ARGON2_id
				|| phc.version != Argon2Parameters.ARGON2_VERSION_13 || phc.memoryKib != params.memoryKib()
				|| phc.iterations != params.iterations() || phc.parallelism != params.parallelism();
	}

	/** The password's digest under the PHC string's variant, parameters and salt, as long as its hash. */
	private byte[] compute(String password, Phc phc) {
		Argon2Parameters parameters = new Argon2Parameters.Builder(phc.type).withVersion(phc.version)
			.withMemoryAsKB(phc.memoryKib)
			.withIterations(phc.iterations)
			.withParallelism(phc.parallelism)
			.withSalt(phc.salt)
			.withBlockPool(blocks)
			.build();
		byte[] out = new byte[phc.hash.length];
		// The char[] path with the parameters' UTF-8 converter, as Spring Security's Argon2PasswordEncoder does, so
		// that the hashes it writes verify here byte for byte.
		char[] chars = password.toCharArray();
		try {
			return limited(() -> timer.record(() -> {
				blocks.touch();
				try {
					Argon2BytesGenerator generator = new Argon2BytesGenerator();
					generator.init(parameters);
					generator.generateBytes(chars, out);
					return out;
				}
				finally {
					blocks.touch();
				}
			}));
		}
		finally {
			Arrays.fill(chars, '\0');
		}
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

	/** A PHC string; {@link #parse} answers null for anything else. */
	private record Phc(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt,
			byte[] hash) {

		String encode() {
			Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
			String name = switch (type) {
				case Argon2Parameters.ARGON2_d -> "argon2d";
				case Argon2Parameters.ARGON2_i -> "argon2i";
				default -> "argon2id";
			};
			return "$" + name + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
					+ b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
		}

		static Phc parse(String encoded) {
			if (encoded == null) {
				return null;
			}
			Matcher m = PHC.matcher(encoded);
			if (!m.matches()) {
				return null;
			}
			try {
				int type = switch (m.group(1)) {
					case "d" -> Argon2Parameters.ARGON2_d;
					case "i" -> Argon2Parameters.ARGON2_i;
					default -> Argon2Parameters.ARGON2_id;
				};
				int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
				Base64.Decoder b64 = Base64.getDecoder();
				return new Phc(type, version, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
						Integer.parseInt(m.group(5)), b64.decode(m.group(6)), b64.decode(m.group(7)));
			}
			catch (IllegalArgumentException e) {
				// NumberFormatException (a number beyond int) or base64 of an impossible length.
				return null;
			}
		}
	}
}
