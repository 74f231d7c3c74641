package dev.plinto.mfa;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as RFC 6238 defines them with the parameters every authenticator app uses (the
 * de-facto {@code otpauth://} profile): HMAC-SHA-1, 6 digits, a 30-second step counted from the Unix epoch
 * (RFC 6238 §4), and the HOTP dynamic truncation of RFC 4226 §5.3. Secrets are 160 random bits, the length
 * RFC 4226 §4 recommends, shown to users in RFC 4648 base32.
 */
final class Totp {

	static final int DIGITS = 6;

	static final long STEP_SECONDS = 30;

	/** Accepted clock drift in steps either side of now (RFC 6238 §5.2 recommends at most one). */
	static final int DRIFT_STEPS = 1;

	static final int SECRET_BYTES = 20;

	private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

	private Totp() {
	}

	/** The time step an instant falls in: floor(unix seconds / 30). */
	static long step(Instant at) {
		return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
	}

	/** The 6-digit code of a step (RFC 4226 §5.3 with the counter T of RFC 6238 §4.2). */
	static String code(byte[] key, long step) {
		return code(key, step, "HmacSHA1", DIGITS);
	}

	/** The code with another HMAC or length, for the SHA-256/SHA-512 and 8-digit vectors of RFC 6238 appendix B. */
	static String code(byte[] key, long step, String hmac, int digits) {
		try {
			Mac mac = Mac.getInstance(hmac);
			mac.init(new SecretKeySpec(key, "RAW"));
			byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
			int offset = hash[hash.length - 1] & 0x0f;
			int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
					| ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
			int otp = (int) (binary % (long) Math.pow(10, digits));
			return String.format(Locale.ROOT, "%0" + digits + "d", otp);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(hmac + " is required by every Java platform", e);
		}
	}

	/** RFC 4648 §6 base32 without padding, as authenticator apps expect the secret. */
	static String base32(byte[] data) {
		StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
		int buffer = 0;
		int bits = 0;
		for (byte b : data) {
			buffer = (buffer << 8) | (b & 0xff);
			bits += 8;
			while (bits >= 5) {
				out.append(BASE32[(buffer >> (bits - 5)) & 0x1f]);
				bits -= 5;
			}
		}
		if (bits > 0) {
			out.append(BASE32[(buffer << (5 - bits)) & 0x1f]);
		}
		return out.toString();
	}

	/** Decodes {@link #base32}; the stored secrets are always well formed. */
	static byte[] fromBase32(String text) {
		ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
		int buffer = 0;
		int bits = 0;
		for (char c : text.toCharArray()) {
			int value = c >= 'A' && c <= 'Z' ? c - 'A' : c - '2' + 26;
			buffer = (buffer << 5) | value;
			bits += 5;
			if (bits >= 8) {
				out.put((byte) (buffer >> (bits - 8)));
				bits -= 8;
			}
		}
		return out.array();
	}
}
