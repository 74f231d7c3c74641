package dev.plinto.mfa;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TOTP secrets that come from elsewhere (an import): their canonical base32 form and the associated data they are
 * sealed with, so that an imported authenticator is stored exactly as one enrolled here ({@link MfaService}).
 */
public final class TotpSecrets {

	/** RFC 4226 §4 requires a shared secret of at least 128 bits and recommends 160; 80 bits is the floor accepted. */
	private static final int MIN_BYTES = 10;

	private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]+");

	private TotpSecrets() {
	}

	/**
	 * The secret as Plinto stores it (upper-case RFC 4648 base32, no padding, no spaces), or empty when it is not
	 * base32 or shorter than 80 bits.
	 */
	public static Optional<String> normalize(String secret) {
		if (secret == null) {
			return Optional.empty();
		}
		String s = secret.replaceAll("[\\s=-]", "").toUpperCase(Locale.ROOT);
		if (!BASE32.matcher(s).matches() || s.length() * 5 / 8 < MIN_BYTES) {
			return Optional.empty();
		}
		return Optional.of(s);
	}

	/** A raw HMAC key in the base32 form authenticator apps and Plinto use. */
	public static String base32(byte[] key) {
		return Totp.base32(key);
	}

	/** The associated data a user's TOTP secret is sealed with under the master key. */
	public static String associatedData(String userId) {
		return JdbcMfaRepository.SEALED.associatedData(userId);
	}
}
