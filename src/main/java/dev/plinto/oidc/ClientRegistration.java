package dev.plinto.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * Whether dynamic client registration (RFC 7591) is switched on ({@code PLINTO_OIDC_REGISTRATION}, off by default)
 * and the initial access token it requires ({@code PLINTO_OIDC_REGISTRATION_TOKEN}, RFC 7591 §3 and §1.2): open
 * registration would let anyone create clients that then appear on consent pages under names of their choosing, so
 * Plinto offers only protected registration. The token is an operator's secret of at least 32 characters (e.g.
 * {@code openssl rand -base64 32}); only its SHA-256 is kept in memory, and a presented token is compared with it
 * in constant time (OWASP Authentication Cheat Sheet; {@link MessageDigest#isEqual}), so neither its length nor a
 * common prefix leaks through timing. A wrong setting stops the start with a sentence, never a silent default.
 */
final class ClientRegistration {

	/** The registration endpoint, below the issuer. */
	static final String PATH = "/oauth2/register";

	static final int MIN_TOKEN_LENGTH = 32;

	private final boolean enabled;

	private final byte[] tokenHash;

	ClientRegistration(boolean enabled, String token) {
		this.enabled = enabled;
		if (enabled && (token == null || token.strip().length() < MIN_TOKEN_LENGTH)) {
			throw new IllegalStateException("PLINTO_OIDC_REGISTRATION=true needs PLINTO_OIDC_REGISTRATION_TOKEN, a "
					+ "secret of at least " + MIN_TOKEN_LENGTH + " characters (e.g. `openssl rand -base64 32`), which "
					+ "callers of " + PATH + " send as a bearer token.");
		}
		this.tokenHash = enabled ? sha256(token.strip()) : null;
	}

	static ClientRegistration from(Environment environment) {
		String raw = environment.getProperty("PLINTO_OIDC_REGISTRATION", "false").strip().toLowerCase(Locale.ROOT);
		if (!raw.equals("true") && !raw.equals("false")) {
			throw new IllegalStateException("PLINTO_OIDC_REGISTRATION must be true or false, not '" + raw + "'.");
		}
		return new ClientRegistration(raw.equals("true"), environment.getProperty("PLINTO_OIDC_REGISTRATION_TOKEN"));
	}

	boolean enabled() {
		return enabled;
	}

	/** Whether the presented bearer token is the initial access token, compared in constant time. */
	boolean accepts(String presented) {
		if (!enabled || presented == null) {
			return false;
		}
		return MessageDigest.isEqual(tokenHash, sha256(presented));
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", e);
		}
	}
}
