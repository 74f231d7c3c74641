package dev.plinto.session;

import java.time.Duration;

/**
 * The words of the sign-in mails, in the recipient's language and with the operator's brand. Implemented by the
 * hosted pages, which own the message bundles and the page a link opens ({@code pages.EmailSignInMails}); the
 * session package only decides when a mail is sent.
 */
public interface SignInMails {

	/** A mail's subject and plain-text body. */
	record Mail(String subject, String body) {
	}

	/**
	 * The mail with a sign-in code.
	 *
	 * @param language a language code or an {@code Accept-Language} value; the default language when null
	 */
	Mail code(String language, String code, Duration validFor);

	/**
	 * The mail with a sign-in link carrying {@code token}; {@code redirectUrl} is kept in the link only when the
	 * pages would honour it.
	 */
	Mail link(String language, String token, String redirectUrl, Duration validFor);
}
