package dev.plinto.backup;

import dev.plinto.config.PlintoSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The key a backup file is encrypted with: either {@code PLINTO_BACKUP_KEY} (32 random bytes) used directly, or
 * a passphrase stretched with Argon2id, the memory-hard function RFC 9106 recommends for deriving keys from
 * passwords. The 32 bytes are the input key material of Tink's AES-GCM-HKDF streaming AEAD, which derives a fresh
 * AES-256 key for every file from a random salt, so one key safely encrypts any number of backups.
 * <p>
 * A short key-check value (HKDF-SHA256 of the key with its own label, RFC 5869) in the file's header tells a
 * wrong key apart from a damaged file before anything is decrypted; it reveals nothing about the key beyond what
 * trying to decrypt would. HKDF is BouncyCastle's {@link HKDFBytesGenerator}, a direct implementation of RFC 5869
 * (the JDK has no KDF API before Java 24, and Plinto targets Java 17).
 */
final class BackupKey {

	/** Where the key comes from; the number is stored in the file header. */
	enum Kind {
		KEY(1), PASSPHRASE(2);

		final int code;

		Kind(int code) {
			this.code = code;
		}
	}

	/**
	 * Argon2id cost and salt of a passphrase-derived key. The defaults are RFC 9106 §4's second recommended option
	 * (t=3, p=4, m=64 MiB), for environments where the first one's 2 GiB is too much.
	 */
	record Argon2(int memoryKib, int iterations, int parallelism, byte[] salt) {

		static final int DEFAULT_MEMORY_KIB = 65_536;

		static final int DEFAULT_ITERATIONS = 3;

		static final int DEFAULT_PARALLELISM = 4;

		static final int SALT_BYTES = 16;

		static Argon2 withNewSalt() {
			byte[] salt = new byte[SALT_BYTES];
			new SecureRandom().nextBytes(salt);
			return new Argon2(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM, salt);
		}

		/** Bounds for parameters read from a file header, so a crafted header cannot demand unbounded work. */
		boolean withinLimits() {
			return memoryKib >= 8 * parallelism && memoryKib <= 4 * 1024 * 1024 && iterations >= 1
					&& iterations <= 64 && parallelism >= 1 && parallelism <= 64 && salt.length == SALT_BYTES;
		}
	}

	/** The shortest passphrase accepted for new backups ({@link PlintoSettings.Backup#MIN_PASSPHRASE_LENGTH}). */
	static final int MIN_PASSPHRASE_LENGTH = PlintoSettings.Backup.MIN_PASSPHRASE_LENGTH;

	private static final byte[] CHECK_INFO = "plinto-backup key check v1".getBytes(StandardCharsets.US_ASCII);

	static final int CHECK_BYTES = 16;

	private final Kind kind;

	private final Argon2 argon2;

	private final byte[] material;

	private BackupKey(Kind kind, Argon2 argon2, byte[] material) {
		this.kind = kind;
		this.argon2 = argon2;
		this.material = material;
	}

	/** {@code PLINTO_BACKUP_KEY}: 32 random bytes, used as they are. */
	static BackupKey fromKey(byte[] key) {
		if (key.length != 32) {
			throw new IllegalArgumentException("a backup key has 32 bytes");
		}
		return new BackupKey(Kind.KEY, null, key.clone());
	}

	/** A passphrase stretched with Argon2id under the given parameters (a new salt for a new backup). */
	static BackupKey fromPassphrase(char[] passphrase, Argon2 params) {
		Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
			.withVersion(Argon2Parameters.ARGON2_VERSION_13)
			.withMemoryAsKB(params.memoryKib())
			.withIterations(params.iterations())
			.withParallelism(params.parallelism())
			.withSalt(params.salt())
			.build();
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(parameters);
		byte[] out = new byte[32];
		generator.generateBytes(passphrase, out);
		return new BackupKey(Kind.PASSPHRASE, params, out);
	}

	Kind kind() {
		return kind;
	}

	/** The Argon2id parameters of a passphrase key; null for {@link Kind#KEY}. */
	Argon2 argon2() {
		return argon2;
	}

	byte[] material() {
		return material.clone();
	}

	/**
	 * The key-check value: HKDF-SHA256 (RFC 5869) of the key material with no salt (RFC 5869 §2.2: a string of
	 * zeros) and the label {@code "plinto-backup key check v1"} as info, {@value #CHECK_BYTES} bytes.
	 */
	byte[] check() {
		return hkdfSha256(material, new byte[0], CHECK_INFO, CHECK_BYTES);
	}

	/** HKDF-SHA256, extract then expand (RFC 5869 §2); an empty salt stands for HashLen zero bytes (§2.2). */
	static byte[] hkdfSha256(byte[] inputKeyMaterial, byte[] salt, byte[] info, int length) {
		HKDFBytesGenerator hkdf = new HKDFBytesGenerator(SHA256Digest.newInstance());
		hkdf.init(new HKDFParameters(inputKeyMaterial, salt, info));
		byte[] out = new byte[length];
		hkdf.generateBytes(out, 0, length);
		return out;
	}

	/** Whether this key is the one a file's key-check value was made with (constant-time comparison). */
	boolean matches(byte[] check) {
		return MessageDigest.isEqual(check(), check);
	}

	@Override
	public String toString() {
		return "BackupKey(" + kind + ")";
	}
}
