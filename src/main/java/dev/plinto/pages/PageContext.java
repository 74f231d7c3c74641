package dev.plinto.pages;

import java.util.List;

/**
 * What every page template receives as {@code ctx}: the stable contract a custom template may rely on
 * (docs/hosted-pages.md, "Templates"). New components may be added in a minor release; none is removed or changes
 * meaning before a major one.
 *
 * @param brand the operator's brand
 * @param lang the page's language code, e.g. {@code de}
 * @param languages the switcher's entries, the current language included
 * @param csrfParameter the name of the hidden CSRF field every form posts
 * @param csrfToken its value for this response
 * @param nonce the Content-Security-Policy nonce of this response, for a {@code <script>} element
 * @param assets the URLs of the stylesheets and the script, with content hashes
 * @param messages the sentences in {@code lang}; templates call {@link #t}
 */
public record PageContext(Brand brand, String lang, List<LanguageLink> languages, String csrfParameter,
		String csrfToken, String nonce, Assets.Urls assets, Messages messages) {

	/** One entry of the language switcher: the code, the language's own name, the link, and whether it is shown. */
	public record LanguageLink(String code, String name, String href, boolean current) {
	}

	/** The sentence for {@code key} in the page's language (plain text; templates escape it). */
	public String t(String key, Object... args) {
		return messages.text(key, args);
	}
}
