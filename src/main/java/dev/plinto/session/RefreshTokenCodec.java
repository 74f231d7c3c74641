package dev.plinto.session;

import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Refresh tokens bound to their session: {@code <session id>.<generation>.<nonce>.<mac>}, where the MAC is
 * HMAC-SHA256 (RFC 2104) over the session id, the generation and the nonce, keyed with a key derived by HKDF-SHA256
 * (RFC 5869) from the session's own 256-bit secret. The secret is stored only sealed with the master key
 * ({@link SecretBox}: AES-256-GCM with {@code "refresh_secret:" + session id} as associated data, so a sealed
 * secret cannot be moved to another session), and re-sealed by {@code plinto master-key rotate}.
 *
 * <p>Why this form (RFC 9700 §4.14.2, refresh token rotation; RFC 6819 §5.2.2.3): the session row keeps only the
 * generation of the one current refresh token, so reuse detection needs constant storage per session instead of a
 * row per rotation. Only the server can compute the MAC, so a token whose MAC verifies was issued by the server for
 * that session and generation: presenting an older generation is genuine reuse. A token whose MAC does not verify
 * was never issued and is merely invalid; it must never end a session, or anyone who knows a session id could
 * revoke it. The MAC is compared in constant time ({@link MessageDigest#isEqual}): a comparison that stops at the
 * first differing byte would tell an attacker, by its timing, how much of a guessed MAC is right. The
 * random nonce (128 bits) makes every issued token a distinct string, e.g. the answer to a retry within
 * {@code PLINTO_REFRESH_REUSE_GRACE}; it carries no authority: two tokens of the same generation are equally
 * valid, and both are rotated out by the next refresh of the session.
 *
 * <p>Refresh tokens of the earlier form (256 random bits, stored as a SHA-256 hash in {@code refresh_tokens})
 * contain no dot, so {@link #parse} tells the two forms apart.
 */
@Component
final class RefreshTokenCodec {

	/** The sealed per-session secrets, for {@code plinto master-key rotate}. */
	static final SealedColumn SEALED = new SealedColumn("sessions", "id", "refresh_secret", "refresh_secret:");

	private static final byte[] MAC_KEY_INFO = "plinto refresh token mac v1".getBytes(StandardCharsets.UTF_8);

	private static final Pattern SESSION_ID = Pattern.compile("ses_[0-9a-z]{1,36}");

	private static final Pattern GENERATION = Pattern.compile("[1-9][0-9]{0,17}");

	private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{22}");

	private static final Pattern MAC = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final SecretBox box;

	RefreshTokenCodec(SecretBox box) {
		this.box = box;
	}

	@Bean
	static SealedColumn refreshSecrets() {
		return SEALED;
	}

	/** A refresh token as presented, split into its parts; the MAC is not verified yet. */
	record Parsed(String sessionId, long generation, String nonce, String mac) {
	}

	/** A new session secret (256 random bits), sealed for the session's row. */
	String newSealedSecret(String sessionId) {
		return box.seal(SecureTokens.newSecret(), SEALED.associatedData(sessionId));
	}

	/** A new refresh token for the session's generation (with a fresh nonce). */
	String issue(String sessionId, long generation, String sealedSecret) {
		String nonce = SecureTokens.newSecret(16);
		return sessionId + "." + generation + "." + nonce + "." + mac(sealedSecret, sessionId, generation, nonce);
	}

	/**
	 * The parts of a token of this form, or empty for anything else (an earlier-form token, or garbage). Each part
	 * must match its exact alphabet and length, so the parts cannot be shifted against each other.
	 */
	static Optional<Parsed> parse(String token) {
		if (token == null || token.length() > 200) {
			return Optional.empty();
		}
		String[] parts = token.split("\\.", -1);
		if (parts.length != 4 || !SESSION_ID.matcher(parts[0]).matches() || !GENERATION.matcher(parts[1]).matches()
				|| !NONCE.matcher(parts[2]).matches() || !MAC.matcher(parts[3]).matches()) {
			return Optional.empty();
		}
		return Optional.of(new Parsed(parts[0], Long.parseLong(parts[1]), parts[2], parts[3]));
	}

	/** Whether the token's MAC is the one this session's secret gives, compared in constant time. */
	boolean verify(Parsed token, String sealedSecret) {
		String expected = mac(sealedSecret, token.sessionId(), token.generation(), token.nonce());
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				token.mac().getBytes(StandardCharsets.US_ASCII));
	}

	private String mac(String sealedSecret, String sessionId, long generation, String nonce) {
		byte[] secret = Base64.getUrlDecoder()
			.decode(box.open(sealedSecret, SEALED.associatedData(sessionId)));
		// A key for this one purpose (RFC 5869 §3.3: HKDF-Expand with a distinct info per use), so the session
		// secret could key something else later without the two uses ever sharing a key.
		HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
		hkdf.init(new HKDFParameters(secret, null, MAC_KEY_INFO));
		byte[] key = new byte[32];
		hkdf.generateBytes(key, 0, key.length);
		try {
			Mac hmac = Mac.getInstance("HmacSHA256");
			hmac.init(new SecretKeySpec(key, "HmacSHA256"));
			// Unambiguous input: the parts cannot contain a NUL (their alphabets exclude it).
			String input = sessionId + "\0" + generation + "\0" + nonce;
			return BASE64URL.encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
		}
	}
}
