package dev.plinto.account;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.mail.Mailer;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.springframework.stereotype.Component;

/**
 * The mails of an email change and an account deletion, in the language of the request that caused them: English,
 * German, French or Spanish, from the hosted pages' message bundle (keys {@code mail.account.*}; another language is
 * one more {@code messages_xx.properties}, docs/hosted-pages.md).
 * Like every mail of the account feature they are plain text queued with {@link Mailer} in the caller's
 * transaction, and carry no text chosen by the requester (OWASP Forgot Password Cheat Sheet: nobody can send their
 * own words to an address they do not own).
 */
@Component
final class AccountMails {

	static final String BUNDLE = "dev.plinto.pages.messages";

	/** The language of {@code mails.properties}. */
	static final String DEFAULT = "en";

	private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control
		.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

	private final Mailer mailer;

	private final PlintoSettings settings;

	private final LiveSettings live;

	private final List<String> languages;

	AccountMails(Mailer mailer, PlintoSettings settings, LiveSettings live) {
		this.mailer = mailer;
		this.settings = settings;
		this.live = live;
		this.languages = languages(AccountMails.class.getClassLoader());
	}

	/** The language codes with a mail bundle, English first. */
	static List<String> languages(ClassLoader loader) {
		List<String> found = new ArrayList<>(List.of(DEFAULT));
		for (String code : Locale.getISOLanguages()) {
			if (!code.equals(DEFAULT)
					&& loader.getResource(BUNDLE.replace('.', '/') + "_" + code + ".properties") != null) {
				found.add(code);
			}
		}
		return List.copyOf(found);
	}

	/**
	 * The language of the mail for a request: the best match of its {@code Accept-Language} (RFC 9110 §12.5.4, RFC
	 * 4647 lookup) or of the page's language, else English.
	 */
	String language(String requested) {
		if (requested != null && !requested.isBlank()) {
			try {
				String match = Locale.lookupTag(Locale.LanguageRange.parse(requested), languages);
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

	/** To the new address: the link that confirms the change. */
	void emailChange(String newEmail, String link, Duration ttl, String requestedLanguage) {
		Text t = text(requestedLanguage);
		String duration = ttl.toHours() >= 1 ? t.get("duration.hours_n", ttl.toHours())
				: t.get("duration.minutes", ttl.toMinutes());
		mailer.enqueue(newEmail, t.get("email_change.subject", settings.appName()),
				body(t, t.get("email_change.body", settings.appName(), duration) + "\n\n" + link,
						t.get("email_change.ignore")));
	}

	/** To the old address: the notice that the account moved away from it. */
	void emailChanged(String oldEmail, Instant at, String requestedLanguage) {
		Text t = text(requestedLanguage);
		mailer.enqueue(oldEmail, t.get("email_changed.subject", settings.appName()),
				body(t, t.get("email_changed.body", settings.appName(), t.date(at)),
						t.get("email_changed.ignore", settings.appName()) + support(t)));
	}

	/** To the deleted account's address: the notice that it is gone. */
	void accountDeleted(String email, Instant at, String requestedLanguage) {
		Text t = text(requestedLanguage);
		mailer.enqueue(email, t.get("deleted.subject", settings.appName()),
				body(t, t.get("deleted.body", settings.appName(), t.date(at)),
						t.get("deleted.ignore", settings.appName()) + support(t)));
	}

	private String support(Text t) {
		return live.current().pages().branding().supportEmail().map(s -> "\n" + t.get("support", s)).orElse("");
	}

	private static String body(Text t, String main, String closing) {
		return t.get("greeting") + "\n\n" + main + "\n\n" + closing + "\n";
	}

	private Text text(String requestedLanguage) {
		Locale locale = Locale.forLanguageTag(language(requestedLanguage));
		return new Text(locale, ResourceBundle.getBundle(BUNDLE, locale, AccountMails.class.getClassLoader(),
				NO_FALLBACK));
	}

	private record Text(Locale locale, ResourceBundle bundle) {

		String get(String key, Object... args) {
			return new MessageFormat(bundle.getString("mail.account." + key), locale).format(args);
		}

		/** The date and minute in UTC, in the language's medium form. */
		String date(Instant at) {
			return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
				.withLocale(locale)
				.withZone(ZoneOffset.UTC)
				.format(at) + " UTC";
		}
	}
}
