package dev.plinto.pages;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The sentences of the pages in one language, from the message bundle {@code dev/plinto/pages/messages} (UTF-8
 * properties; {@link java.util.PropertyResourceBundle} reads UTF-8 since Java 9). Placeholders are
 * {@link MessageFormat} ones ({@code {0}}); values are plain text and escaped where a template prints them. A key
 * missing from a bundle falls back to English; {@code MessageBundleTests} fails the build when that happens.
 */
public final class Messages {

	static final String BUNDLE = "dev.plinto.pages.messages";

	static final String BUNDLE_PATH = "dev/plinto/pages/messages";

	private static final ResourceBundle.Control NO_SYSTEM_FALLBACK = ResourceBundle.Control
		.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

	private final String lang;

	private final ResourceBundle bundle;

	Messages(String lang) {
		this.lang = lang;
		this.bundle = ResourceBundle.getBundle(BUNDLE, Locale.forLanguageTag(lang), Messages.class.getClassLoader(),
				NO_SYSTEM_FALLBACK);
	}

	/** The sentence for {@code key} with its placeholders filled in; the key itself if no bundle has it. */
	public String text(String key, Object... args) {
		String pattern;
		try {
			pattern = bundle.getString(key);
		}
		catch (MissingResourceException e) {
			return key;
		}
		// Always through MessageFormat, also without arguments, so the bundles' '' is one apostrophe everywhere.
		return new MessageFormat(pattern, Locale.forLanguageTag(lang)).format(args);
	}

	/** Whether a bundle of this language (or English) has {@code key}. */
	public boolean has(String key) {
		return bundle.containsKey(key);
	}

	public String lang() {
		return lang;
	}
}
