package dev.plinto.pages;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;

/**
 * Builds the {@link PageContext} of a response: the language (a {@code ?lang=} choice is remembered for a year in
 * the {@code plinto_lang} cookie, which holds nothing but the code), the CSRF token Spring Security put on the
 * request, the CSP nonce, the brand and the asset URLs.
 */
@Component
public final class PageContexts {

	static final String LANG_COOKIE = "plinto_lang";

	private final Languages languages = new Languages(PageContexts.class.getClassLoader());

	private final String appName;

	private final LiveSettings live;

	private final Assets assets;

	private final boolean secure;

	PageContexts(PlintoSettings settings, LiveSettings live, Assets assets) {
		this.appName = settings.appName();
		this.live = live;
		this.assets = assets;
		this.secure = "https".equals(settings.issuer().getScheme());
	}

	/** The brand as the settings say now (branding can change at run time). */
	private Brand brand() {
		PlintoSettings.Branding b = live.current().pages().branding();
		return new Brand(appName, b.logoUrl().map(URI::toString).orElse(assets.urls().logo()),
				b.supportEmail().orElse(null), b.termsUrl().map(URI::toString).orElse(null),
				b.privacyUrl().map(URI::toString).orElse(null));
	}

	public Languages languages() {
		return languages;
	}

	/**
	 * The language of a request: {@code ?lang=} when Plinto has it, else the switcher's cookie, else the best match
	 * of {@code Accept-Language}, else English.
	 */
	String language(HttpServletRequest request) {
		String chosen = request.getParameter("lang");
		return languages.supports(chosen) ? chosen
				: languages.resolve(BrowserSessions.read(request, LANG_COOKIE).orElse(null),
						request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
	}

	/** The context of the page answering {@code request}. */
	public PageContext of(HttpServletRequest request, HttpServletResponse response) {
		String chosen = request.getParameter("lang");
		String lang = language(request);
		if (languages.supports(chosen)) {
			response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(LANG_COOKIE, chosen)
				.path("/")
				.maxAge(Duration.ofDays(365))
				.sameSite("Lax")
				.secure(secure)
				.httpOnly(true)
				.build()
				.toString());
		}
		String redirect = request.getParameter("redirect_url");
		String suffix = redirect == null || redirect.isBlank() ? ""
				: "&redirect_url=" + URLEncoder.encode(redirect, StandardCharsets.UTF_8);
		String path = request.getRequestURI();
		List<PageContext.LanguageLink> links = languages.codes()
			.stream()
			.map(code -> new PageContext.LanguageLink(code, Languages.nativeName(code),
					path + "?lang=" + code + suffix, code.equals(lang)))
			.toList();
		CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
		Object nonce = request.getAttribute(PageHeadersFilter.NONCE);
		return new PageContext(brand(), lang, links, csrf == null ? "_csrf" : csrf.getParameterName(),
				csrf == null ? "" : csrf.getToken(), nonce == null ? "" : nonce.toString(), assets.urls(),
				new Messages(lang));
	}
}
