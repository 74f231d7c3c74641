package dev.plinto.web;

import java.nio.charset.StandardCharsets;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.util.HtmlUtils;

/**
 * The one layout of Plinto's few server-rendered pages (the no-JavaScript forms behind emailed links): a minimal
 * HTML document sent with {@code Cache-Control: no-store} and a Content-Security-Policy that allows no script, no
 * framing and form posts only to Plinto itself (OWASP Content Security Policy Cheat Sheet). Callers escape what
 * they put into {@code body}.
 */
public final class HtmlPages {

	private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
			+ "frame-ancestors 'none'; base-uri 'none'";

	private HtmlPages() {
	}

	public static ResponseEntity<String> page(String appName, HttpStatus status, String title, String body) {
		String app = HtmlUtils.htmlEscape(appName);
		String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + title + " · " + app
				+ "</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;"
				+ "color:#1f2328}input,button{display:block;width:100%;box-sizing:border-box;margin:.5rem 0;"
				+ "padding:.6rem;font-size:1rem}button{background:#1f2328;color:#fff;border:0;border-radius:4px}"
				+ "</style></head><body><h1>" + title + "</h1>" + body + "</body></html>";
		return ResponseEntity.status(status)
			.contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noStore())
			.header("Content-Security-Policy", CSP)
			.body(html);
	}

	/** A hidden form field carrying a link's token, escaped. */
	public static String hiddenToken(String token) {
		return "<input type=\"hidden\" name=\"token\" value=\"" + HtmlUtils.htmlEscape(token) + "\">";
	}
}
