package dev.plinto.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Password hashes written by other systems, verified without knowing the password so that imported users keep
 * signing in with the password they have; {@link PasswordHasher#verify} hands every non-Argon2 value here and
 * {@link PasswordHasher#needsRehash} reports them all, so each is replaced by Argon2id at the first successful
 * sign-in (OWASP Password Storage Cheat Sheet, "Upgrading legacy hashes"). The primitives are BouncyCastle's
 * (bcrypt, scrypt, PBKDF2) and the JDK's (AES, message digests); only Firebase's composition of scrypt and AES is
 * written here, as Firebase's published reference ({@code github.com/firebase/scrypt}) defines it. Every
 * comparison is constant-time ({@link MessageDigest#isEqual}; BouncyCastle's bcrypt check compares the same way).
 * <p>
 * The stored forms (docs/migration.md, "Password hashes"), each with a prefix that names it:
 * <ul>
 * <li>{@code $2a$}, {@code $2b$}, {@code $2y$}: bcrypt as OpenBSD, PHP and Node write it; only the first 72 bytes
 * of the UTF-8 password count, as in every bcrypt implementation;</li>
 * <li>{@code $pbkdf2-sha1$i=N$salt$hash}, {@code $pbkdf2-sha256$…}, {@code $pbkdf2-sha512$…}: PBKDF2 (RFC 8018
 * §5.2) with HMAC over the named digest, salt and derived key in base64 (Keycloak's credentials are stored so);</li>
 * <li>{@code pbkdf2_sha256$N$salt$hash} and {@code pbkdf2_sha1$…}: Django's encoding (salt as text);</li>
 * <li>{@code $scrypt$ln=L,r=R,p=P$salt$hash}: scrypt (RFC 7914) with N=2^L, the form passlib writes;</li>
 * <li>{@code $firebase-scrypt$m=M,r=R$salt$saltSeparator$signerKey$hash}: Firebase's modified scrypt — scrypt of
 * the password with salt‖separator, N=2^M, r=R ("rounds"), p=1, 64 bytes; the first 32 bytes key AES-256-CTR
 * (zero IV), which encrypts the project's signer key; the ciphertext is the stored hash;</li>
 * <li>{@code $sha256$o=sp$salt$hash} (and {@code sha512}, {@code sha1}, {@code md5}; {@code o=ps} puts the
 * password first): one salted digest. A last resort for systems that stored no better: a single fast digest is
 * cheap to brute-force, so these are replaced at the first sign-in like the others (OWASP Password Storage Cheat
 * Sheet: fast hashes are unsuitable for passwords).</li>
 * </ul>
 * Every cost is bounded, so a crafted value cannot hold a hashing slot for hours (OWASP API Security Top 10 2023,
 * API4 "Unrestricted Resource Consumption").
 */
public final class LegacyHashes {

	/** Highest bcrypt cost accepted (2^18 rounds, some seconds); OWASP recommends 10 and above. */
	static final int MAX_BCRYPT_COST = 18;

	/** Highest PBKDF2 iteration count accepted; Django 5 uses 1,000,000 and OWASP recommends 600,000 for SHA-256. */
	static final int MAX_PBKDF2_ITERATIONS = 5_000_000;

	/** Largest scrypt memory accepted, 128·N·r bytes. */
	static final long MAX_SCRYPT_BYTES = 256L * 1024 * 1024;

	private static final String B64 = "([A-Za-z0-9+/]*={0,2})";

	private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}$");

	private static final Pattern PBKDF2 = Pattern
		.compile("^\\$pbkdf2-(sha1|sha256|sha512)\\$i=(\\d{1,9})\\$" + B64 + "\\$" + B64 + "$");

	private static final Pattern DJANGO = Pattern
		.compile("^pbkdf2_(sha1|sha256)\\$(\\d{1,9})\\$([^$]{0,128})\\$" + B64 + "$");

	private static final Pattern SCRYPT = Pattern
		.compile("^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,3})\\$" + B64 + "\\$" + B64 + "$");

	private static final Pattern FIREBASE = Pattern.compile("^\\$firebase-scrypt\\$m=(\\d{1,2}),r=(\\d{1,3})\\$"
			+ B64 + "\\$" + B64 + "\\$" + B64 + "\\$" + B64 + "$");

	private static final Pattern DIGEST = Pattern
		.compile("^\\$(sha1|sha256|sha512|md5)\\$o=(sp|ps)\\$" + B64 + "\\$" + B64 + "$");

	private LegacyHashes() {
	}

	/** A parsed legacy hash: recomputes the password's hash and compares it in constant time. */
	interface Verifier {

		boolean matches(String password);
	}

	/** Whether a stored value is one of the forms above with costs in bounds. */
	public static boolean recognizes(String encoded) {
		return parse(encoded) != null;
	}

	/**
	 * The verifier for a stored value, or null when it is none of the forms above, is malformed, or asks for more
	 * work than the bounds allow.
	 */
	static Verifier parse(String encoded) {
		if (encoded == null) {
			return null;
		}
		try {
			Matcher m = BCRYPT.matcher(encoded);
			if (m.matches()) {
				int cost = Integer.parseInt(m.group(1));
				return cost < 4 || cost > MAX_BCRYPT_COST ? null : password -> bcrypt(encoded, password);
			}
			m = PBKDF2.matcher(encoded);
			if (m.matches()) {
				return pbkdf2Verifier(m.group(1), Integer.parseInt(m.group(2)), decode(m.group(3)), decode(m.group(4)));
			}
			m = DJANGO.matcher(encoded);
			if (m.matches()) {
				return pbkdf2Verifier(m.group(1), Integer.parseInt(m.group(2)), m.group(3).getBytes(StandardCharsets.UTF_8),
						decode(m.group(4)));
			}
			m = SCRYPT.matcher(encoded);
			if (m.matches()) {
				int ln = Integer.parseInt(m.group(1));
				int r = Integer.parseInt(m.group(2));
				int p = Integer.parseInt(m.group(3));
				byte[] salt = decode(m.group(4));
				byte[] hash = decode(m.group(5));
				if (!scryptInBounds(ln, r, p) || hash.length < 16) {
					return null;
				}
				return password -> MessageDigest.isEqual(
						SCrypt.generate(utf8(password), salt, 1 << ln, r, p, hash.length), hash);
			}
			m = FIREBASE.matcher(encoded);
			if (m.matches()) {
				int memCost = Integer.parseInt(m.group(1));
				int rounds = Integer.parseInt(m.group(2));
				byte[] salt = decode(m.group(3));
				byte[] separator = decode(m.group(4));
				byte[] signerKey = decode(m.group(5));
				byte[] hash = decode(m.group(6));
				if (!scryptInBounds(memCost, rounds, 1) || signerKey.length == 0) {
					return null;
				}
				return password -> MessageDigest.isEqual(firebaseScrypt(password, salt, separator, signerKey,
						memCost, rounds), hash);
			}
			m = DIGEST.matcher(encoded);
			if (m.matches()) {
				String algorithm = switch (m.group(1)) {
					case "sha1" -> "SHA-1";
					case "sha256" -> "SHA-256";
					case "sha512" -> "SHA-512";
					default -> "MD5";
				};
				boolean saltFirst = m.group(2).equals("sp");
				byte[] salt = decode(m.group(3));
				byte[] hash = decode(m.group(4));
				MessageDigest.getInstance(algorithm);
				return password -> MessageDigest.isEqual(saltedDigest(algorithm, saltFirst, salt, password), hash);
			}
			return null;
		}
		catch (IllegalArgumentException | NoSuchAlgorithmException e) {
			// A number beyond int or base64 of an impossible length: a value nothing matches.
			return null;
		}
	}

	/** The PBKDF2 form Plinto stores: digest {@code sha1}, {@code sha256} or {@code sha512}. */
	public static String pbkdf2(String digest, int iterations, byte[] salt, byte[] hash) {
		return "$pbkdf2-" + digest.toLowerCase(Locale.ROOT) + "$i=" + iterations + "$" + encode(salt) + "$"
				+ encode(hash);
	}

	/** The scrypt form Plinto stores (passlib's): N = 2^{@code log2N}. */
	public static String scrypt(int log2N, int r, int p, byte[] salt, byte[] hash) {
		return "$scrypt$ln=" + log2N + ",r=" + r + ",p=" + p + "$" + encode(salt) + "$" + encode(hash);
	}

	/** Firebase's modified scrypt with the project's hash parameters (see the class comment). */
	public static String firebaseScrypt(int memCost, int rounds, byte[] salt, byte[] saltSeparator,
			byte[] signerKey, byte[] hash) {
		return "$firebase-scrypt$m=" + memCost + ",r=" + rounds + "$" + encode(salt) + "$" + encode(saltSeparator)
				+ "$" + encode(signerKey) + "$" + encode(hash);
	}

	/**
	 * One salted digest: {@code algorithm} {@code sha1}, {@code sha256}, {@code sha512} or {@code md5}, the salt
	 * before the password when {@code saltFirst}.
	 */
	public static String saltedDigest(String algorithm, boolean saltFirst, byte[] salt, byte[] hash) {
		return "$" + algorithm.toLowerCase(Locale.ROOT) + "$o=" + (saltFirst ? "sp" : "ps") + "$" + encode(salt) + "$"
				+ encode(hash);
	}

	private static boolean bcrypt(String encoded, String password) {
		// OpenBSD bcrypt keys with at most 72 bytes of the password (and its terminating zero when shorter);
		// BouncyCastle truncates the same way, so the UTF-8 bytes are handed over as they are.
		byte[] bytes = utf8(password);
		try {
			return OpenBSDBCrypt.checkPassword(encoded, bytes);
		}
		finally {
			Arrays.fill(bytes, (byte) 0);
		}
	}

	private static Verifier pbkdf2Verifier(String digest, int iterations, byte[] salt, byte[] hash) {
		if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS || hash.length < 16 || hash.length > 128) {
			return null;
		}
		return password -> {
			Digest d = switch (digest) {
				case "sha1" -> new SHA1Digest();
				case "sha512" -> new SHA512Digest();
				default -> SHA256Digest.newInstance();
			};
			PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(d);
			byte[] bytes = utf8(password);
			try {
				generator.init(bytes, salt, iterations);
				byte[] key = ((KeyParameter) generator.generateDerivedParameters(hash.length * 8)).getKey();
				return MessageDigest.isEqual(key, hash);
			}
			finally {
				Arrays.fill(bytes, (byte) 0);
			}
		};
	}

	private static boolean scryptInBounds(int log2N, int r, int p) {
		return log2N >= 1 && log2N <= 24 && r >= 1 && p >= 1 && p <= 16
				&& 128L * r * (1L << log2N) <= MAX_SCRYPT_BYTES;
	}

	/**
	 * Firebase's modified scrypt (firebase/scrypt, {@code scryptenc_buf_saltlen}): the 64-byte scrypt key of the
	 * password under salt‖separator, whose first 32 bytes key AES-256 in CTR mode with a zero counter block, which
	 * encrypts the signer key.
	 */
	static byte[] firebaseScrypt(String password, byte[] salt, byte[] separator, byte[] signerKey, int memCost,
			int rounds) {
		byte[] saltAndSeparator = new byte[salt.length + separator.length];
		System.arraycopy(salt, 0, saltAndSeparator, 0, salt.length);
		System.arraycopy(separator, 0, saltAndSeparator, salt.length, separator.length);
		byte[] derived = SCrypt.generate(utf8(password), saltAndSeparator, 1 << memCost, rounds, 1, 64);
		try {
			Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
			aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"), new IvParameterSpec(new byte[16]));
			return aes.doFinal(signerKey);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-CTR is not available", e);
		}
		finally {
			Arrays.fill(derived, (byte) 0);
		}
	}

	private static byte[] saltedDigest(String algorithm, boolean saltFirst, byte[] salt, String password) {
		try {
			MessageDigest md = MessageDigest.getInstance(algorithm);
			byte[] bytes = utf8(password);
			if (saltFirst) {
				md.update(salt);
				md.update(bytes);
			}
			else {
				md.update(bytes);
				md.update(salt);
			}
			Arrays.fill(bytes, (byte) 0);
			return md.digest();
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(algorithm + " is not available", e);
		}
	}

	private static byte[] utf8(String password) {
		return password.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] decode(String b64) {
		return Base64.getDecoder().decode(b64);
	}

	private static String encode(byte[] bytes) {
		return Base64.getEncoder().withoutPadding().encodeToString(bytes);
	}
}
