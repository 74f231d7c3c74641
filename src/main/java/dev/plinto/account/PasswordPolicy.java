package dev.plinto.account;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The password rules of NIST SP 800-63B §5.1.1.2 and the OWASP Authentication Cheat Sheet ("Implement proper
 * password strength controls"): at least {@code PLINTO_PASSWORD_MIN_LENGTH} characters (8 by default, never fewer,
 * changeable at run time) and at most 128 (counted as Unicode code points), no
 * composition rules, and refusal of passwords found in a list of commonly used ones or equal to the account's
 * email. The bundled list holds the 30,000 most common passwords from the zxcvbn project (MIT licence; see
 * {@code common-passwords.NOTICE} beside it).
 */
@Component
public final class PasswordPolicy {

	/** The lowest minimum the policy can have (NIST SP 800-63B §5.1.1.2); the configured one may be higher. */
	public static final int MIN_LENGTH = PlintoSettings.PASSWORD_MIN_LENGTH_FLOOR;

	public static final int MAX_LENGTH = 128;

	private static final String LIST = "common-passwords.txt";

	private final Set<String> common;

	private final LiveSettings settings;

	public PasswordPolicy(LiveSettings settings) {
		this.common = load();
		this.settings = settings;
	}

	/** The shortest password accepted now ({@code PLINTO_PASSWORD_MIN_LENGTH}). */
	public int minLength() {
		return settings.current().passwordMinLength();
	}

	/**
	 * Checks a new password; throws a 422 problem whose code says which rule failed.
	 * @param field the JSON field the password came in, named in the error
	 */
	public void check(String field, String password, String email) {
		int length = password == null ? 0 : password.codePointCount(0, password.length());
		int min = minLength();
		if (length < min) {
			throw ApiException.validation(field, ErrorCode.PASSWORD_TOO_SHORT,
					"The password must have at least " + min + " characters.");
		}
		if (length > MAX_LENGTH) {
			throw ApiException.validation(field, ErrorCode.PASSWORD_TOO_LONG,
					"The password must have at most " + MAX_LENGTH + " characters.");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (common.contains(lower)) {
			throw ApiException.validation(field, ErrorCode.PASSWORD_TOO_COMMON,
					"This password is one of the most commonly used passwords; choose another.");
		}
		if (email != null && lower.equals(email.trim().toLowerCase(Locale.ROOT))) {
			throw ApiException.validation(field, ErrorCode.PASSWORD_MATCHES_EMAIL,
					"The password must not be the email address.");
		}
	}

	int size() {
		return common.size();
	}

	private static Set<String> load() {
		Set<String> set = new HashSet<>(40_000);
		try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
			if (in == null) {
				throw new IllegalStateException(LIST + " is missing from the classpath");
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				String p = line.trim();
				if (!p.isEmpty()) {
					set.add(p.toLowerCase(Locale.ROOT));
				}
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return Set.copyOf(set);
	}
}
