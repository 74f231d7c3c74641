package dev.plinto.org;

import dev.plinto.crypto.SecureTokens;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Organization slugs: lower-case letters and digits, single hyphens between them, 2 to 48 characters, so that
 * a slug is safe in a URL path or a subdomain label without escaping.
 */
public final class Slugs {

	public static final int MIN = 2;

	public static final int MAX = 48;

	private static final Pattern SLUG = Pattern.compile("[a-z0-9](-?[a-z0-9])*");

	private Slugs() {
	}

	public static boolean valid(String slug) {
		return slug != null && slug.length() >= MIN && slug.length() <= MAX && SLUG.matcher(slug).matches();
	}

	/**
	 * A slug derived from a name: accents dropped, everything but letters and digits turned into single hyphens,
	 * at most 40 characters (room for a suffix); {@code org} when nothing usable remains.
	 */
	public static String fromName(String name) {
		String ascii = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD)
			.replaceAll("\\p{M}+", "")
			.toLowerCase(Locale.ROOT)
			.replaceAll("[^a-z0-9]+", "-")
			.replaceAll("^-+|-+$", "");
		if (ascii.length() > 40) {
			ascii = ascii.substring(0, 40).replaceAll("-+$", "");
		}
		return ascii.length() < MIN ? "org" : ascii;
	}

	/** The base slug with a random suffix, for when the base is taken. */
	public static String withSuffix(String base) {
		return base + "-" + SecureTokens.newId("x").substring(2, 8);
	}
}
