package dev.plinto.mail;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * The words of every mail Plinto sends, in the language of the request that asked for it, with the operator's
 * brand. The sentences live in the same message bundle as the hosted pages' ({@code dev/plinto/pages/messages*}, one
 * file per language, keys {@code mail.<name>.subject} and {@code mail.<name>.body}), so adding a language is adding
 * one file. The language is Spring's {@link LocaleContextHolder} of the request: the pages' choice (switcher or
 * {@code Accept-Language}) on a page, {@code Accept-Language} on the JSON API, English when neither names a language
 * Plinto has. Every pattern gets the app name ({@code PLINTO_APP_NAME}) as <code>{0}</code> and the caller's
 * arguments from <code>{1}</code> on (a {@link Duration} in words of the language); the signature names the app
 * and, when set, the support address.
 */
@Component
public final class MailTemplates {

	/** The hosted pages' bundle, which holds the mails' sentences too. */
	static final String BUNDLE = "dev.plinto.pages.messages";

	private static final ResourceBundle.Control NO_SYSTEM_FALLBACK = ResourceBundle.Control
		.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

	/** A mail's subject and plain-text body. */
	public record Message(String subject, String body) {
	}

	private final String appName;

	private final LiveSettings live;

	MailTemplates(PlintoSettings settings, LiveSettings live) {
		this.appName = settings.appName();
		this.live = live;
	}

	/** The mail {@code name} in the request's language, with {@code args} as <code>{1}</code>, <code>{2}</code>, … */
	public Message render(String name, Object... args) {
		Locale locale = LocaleContextHolder.getLocale();
		ResourceBundle bundle = ResourceBundle.getBundle(BUNDLE, locale, MailTemplates.class.getClassLoader(),
				NO_SYSTEM_FALLBACK);
		String supportEmail = live.current().pages().branding().supportEmail().orElse(null);
		Object[] all = new Object[args.length + 1];
		all[0] = appName;
		for (int i = 0; i < args.length; i++) {
			all[i + 1] = args[i] instanceof Duration d ? duration(bundle, locale, d) : args[i];
		}
		String body = text(bundle, locale, "mail." + name + ".body", all) + "\n\n-- \n"
				+ text(bundle, locale, "mail.signature", appName)
				+ (supportEmail == null ? "" : "\n" + text(bundle, locale, "mail.support", supportEmail)) + "\n";
		return new Message(text(bundle, locale, "mail." + name + ".subject", all), body);
	}

	/** A link's lifetime as words: whole days from two days on, whole hours from one hour on, else minutes. */
	private static String duration(ResourceBundle bundle, Locale locale, Duration d) {
		if (d.toHours() >= 48 && d.toHours() % 24 == 0) {
			return text(bundle, locale, "link.days", d.toDays());
		}
		return d.toHours() >= 1 ? text(bundle, locale, "link.hours", d.toHours())
				: text(bundle, locale, "link.minutes", Math.max(1, d.toMinutes()));
	}

	private static String text(ResourceBundle bundle, Locale locale, String key, Object... args) {
		try {
			return new MessageFormat(bundle.getString(key), locale).format(args);
		}
		catch (MissingResourceException e) {
			throw new IllegalStateException("no mail text " + key + " in the message bundle", e);
		}
	}
}
