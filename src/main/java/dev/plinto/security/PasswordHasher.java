package dev.plinto.security;

import dev.plinto.ops.PlintoSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Hashes passwords with Argon2id (BouncyCastle, through Spring Security's {@link Argon2PasswordEncoder}) at the
 * OWASP Password Storage Cheat Sheet's first recommendation, m=19 MiB, t=2, p=1, with a 16-byte random salt and a
 * 32-byte output, encoded in the PHC string format. Verification compares in constant time (done by the encoder).
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

	private static final Pattern PHC = Pattern.compile("^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$.+");

	private final Argon2PasswordEncoder encoder;

	private final PlintoSettings.Argon2 params;

	private final Timer timer;

	/** One permit per CPU: the Argon2id computations that may run at once (see the class comment). */
	private final Semaphore slots = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

	/**
	 * Verified against when the account does not exist, to equalise timing: an encoded Argon2id hash with this
	 * server's parameters, a random salt and a random 32-byte digest. Verifying it costs exactly what verifying a
	 * real hash costs (the same computation, then a constant-time comparison), no password matches it, and it is
	 * made without computing a hash, which would cost start-up a second on a cold JVM.
	 */
	private final String decoy;

	public PasswordHasher(PlintoSettings settings, MeterRegistry meters) {
		this.params = settings.argon2();
		this.encoder = new Argon2PasswordEncoder(16, 32, params.parallelism(), params.memoryKib(),
				params.iterations());
		this.timer = Timer.builder("plinto.password.hash")
			.description("Time spent computing Argon2id password hashes")
			.publishPercentileHistogram()
			.register(meters);
		this.decoy = decoyHash(params);
	}

	private static String decoyHash(PlintoSettings.Argon2 params) {
		Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
		byte[] salt = SecureTokens.randomBytes(16);
		byte[] digest = SecureTokens.randomBytes(32);
		return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
				+ "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);
	}

	String decoy() {
		return decoy;
	}

	public String hash(String password) {
		return limited(() -> timer.record(() -> encoder.encode(password)));
	}

	public boolean verify(String password, String encoded) {
		Boolean ok = limited(() -> timer.record(() -> {
			try {
				return encoder.matches(password, encoded);
			}
			catch (RuntimeException e) {
				return false;
			}
		}));
		return Boolean.TRUE.equals(ok);
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

	public boolean needsRehash(String encoded) {
		Matcher m = PHC.matcher(encoded);
		return !m.matches() || Integer.parseInt(m.group(1)) != params.memoryKib()
				|| Integer.parseInt(m.group(2)) != params.iterations()
				|| Integer.parseInt(m.group(3)) != params.parallelism();
	}
}
