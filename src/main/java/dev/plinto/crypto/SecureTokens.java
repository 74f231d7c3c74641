package dev.plinto.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Random identifiers and bearer secrets, and the one-way hash under which secrets are stored.
 * <p>
 * Secrets carry 256 bits from {@link SecureRandom} (OWASP Session Management Cheat Sheet, "Session ID Entropy",
 * asks for at least 64 bits; RFC 6749 §10.10 asks that guessing a token be infeasible). They are stored only as
 * SHA-256 digests: a high-entropy secret needs no slow hash, and a database leak reveals nothing usable
 * (OWASP Password Storage Cheat Sheet applies slow hashing to low-entropy passwords only).
 */
public final class SecureTokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final char[] ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private SecureTokens() {
	}

	/** An opaque id with a type prefix, e.g. {@code usr_4k2…}: 130 random bits in Crockford base32. */
	public static String newId(String prefix) {
		char[] out = new char[26];
		for (int i = 0; i < out.length; i++) {
			out[i] = ID_ALPHABET[RANDOM.nextInt(32)];
		}
		return prefix + "_" + new String(out);
	}

	/** A bearer secret of 256 random bits, base64url without padding (43 characters). */
	public static String newSecret() {
		return newSecret(32);
	}

	public static String newSecret(int bytes) {
		byte[] b = new byte[bytes];
		RANDOM.nextBytes(b);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
	}

	public static byte[] randomBytes(int n) {
		byte[] b = new byte[n];
		RANDOM.nextBytes(b);
		return b;
	}

	/** SHA-256 of the secret's UTF-8 bytes, lowercase hex: the only form in which secrets are stored. */
	public static String hash(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", e);
		}
	}

	/** Compares two secrets in constant time (OWASP: avoid timing side channels on secret comparison). */
	public static boolean constantTimeEquals(String a, String b) {
		if (a == null || b == null) {
			return false;
		}
		return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
	}
}
