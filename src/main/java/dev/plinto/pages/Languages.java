package dev.plinto.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The languages of the pages: one message bundle per language ({@code dev/plinto/pages/messages_xx.properties},
 * English in {@code messages.properties}), found on the class path at start, so adding a language is adding one
 * file. A page's language is the one the user picked with the switcher ({@code ?lang=}, remembered in a cookie),
 * else the best match of {@code Accept-Language} (RFC 9110 §12.5.4, matched with RFC 4647 lookup), else English.
 */
public final class Languages {

	/** The language of {@code messages.properties}. */
	public static final String DEFAULT = "en";

	private final List<String> codes;

	Languages(ClassLoader loader) {
		List<String> found = new ArrayList<>();
		found.add(DEFAULT);
		for (String code : Locale.getISOLanguages()) {
			if (!code.equals(DEFAULT) && loader.getResource(Messages.BUNDLE_PATH + "_" + code + ".properties") != null) {
				found.add(code);
			}
		}
		this.codes = List.copyOf(found);
	}

	/** The language codes with a bundle, English first. */
	public List<String> codes() {
		return codes;
	}

	/** Whether {@code code} is a language with a bundle. */
	boolean supports(String code) {
		return code != null && codes.contains(code);
	}

	/** The language for a request: an explicit choice, else {@code Accept-Language}, else English. */
	String resolve(String chosen, String acceptLanguage) {
		if (supports(chosen)) {
			return chosen;
		}
		if (acceptLanguage != null && !acceptLanguage.isBlank()) {
			try {
				String match = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), codes);
				if (match != null) {
					return match;
				}
			}
			catch (IllegalArgumentException e) {
				// a malformed header counts as none
			}
		}
		return DEFAULT;
	}

	/** The name of a language in that language, e.g. "Deutsch", for the switcher. */
	static String nativeName(String code) {
		Locale locale = Locale.forLanguageTag(code);
		String name = locale.getDisplayLanguage(locale);
		return name.isEmpty() ? code : name.substring(0, 1).toUpperCase(locale) + name.substring(1);
	}
}
