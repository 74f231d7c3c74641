package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import dev.plinto.session.SignInMails;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The sign-in code and link mails in the recipient's language (the request's page language or
 * {@code Accept-Language}, else English), from the pages' message bundles, signed with {@code PLINTO_APP_NAME}.
 * Like the other mails they are plain text and carry nothing the requester typed: the link holds only the token and
 * a {@code redirect_url} the pages would honour anyway ({@link RedirectPolicy}).
 */
@Component
final class EmailSignInMails implements SignInMails {

	private final PageContexts contexts;

	private final RedirectPolicy redirects;

	private final PlintoSettings settings;

	EmailSignInMails(PageContexts contexts, RedirectPolicy redirects, PlintoSettings settings) {
		this.contexts = contexts;
		this.redirects = redirects;
		this.settings = settings;
	}

	@Override
	public Mail code(String language, String code, Duration validFor) {
		Messages m = messages(language);
		String app = settings.appName();
		return new Mail(m.text("email_sign_in.mail_code_subject", app),
				m.text("email_sign_in.mail_code_body", app, code, minutes(m, validFor)));
	}

	@Override
	public Mail link(String language, String token, String redirectUrl, Duration validFor) {
		Messages m = messages(language);
		String app = settings.appName();
		String link = settings.baseUrl() + PageRoutes.EMAIL_LINK + "?token="
				+ URLEncoder.encode(token, StandardCharsets.UTF_8)
				+ redirects.allowedTarget(redirectUrl)
					.map(u -> "&redirect_url=" + URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8))
					.orElse("");
		return new Mail(m.text("email_sign_in.mail_link_subject", app),
				m.text("email_sign_in.mail_link_body", app, link, minutes(m, validFor)));
	}

	private Messages messages(String language) {
		return new Messages(contexts.languages().resolve(null, language));
	}

	private static String minutes(Messages m, Duration d) {
		return m.text("link.minutes", d.toMinutes());
	}
}
