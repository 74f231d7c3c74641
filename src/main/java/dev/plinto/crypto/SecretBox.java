package dev.plinto.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Encrypts secrets at rest (private signing keys, queued mail bodies) with the master key: AES-256-GCM through
 * Google Tink's AEAD, with a fresh random 96-bit nonce per message (NIST SP 800-38D §8.2.2) and the record's
 * identity as associated data, so a ciphertext cannot be moved to another row (OWASP Cryptographic Storage Cheat
 * Sheet, "Authenticated encryption"). Stored form: base64( version 0x01 | Tink AES-GCM output ).
 */
public final class SecretBox {

	private static final byte VERSION = 1;

	private final Aead aead;

	public SecretBox(byte[] masterKey) {
		if (masterKey.length != 32) {
			throw new IllegalArgumentException("the master key must be 32 bytes");
		}
		try {
			this.aead = new AesGcmJce(masterKey.clone());
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-256-GCM is not available", e);
		}
	}

	public String seal(String plaintext, String associatedData) {
		try {
			byte[] sealed = aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
					associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[sealed.length + 1];
			out[0] = VERSION;
			System.arraycopy(sealed, 0, out, 1, sealed.length);
			return Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM encryption failed", e);
		}
	}

	/**
	 * Decrypts and authenticates; fails with {@link IllegalStateException} when the key is wrong or the data
	 * was altered, never returning unauthenticated plaintext.
	 */
	public String open(String sealed, String associatedData) {
		try {
			byte[] in = Base64.getDecoder().decode(sealed);
			if (in.length < 2 || in[0] != VERSION) {
				throw new GeneralSecurityException("unknown secret format");
			}
			byte[] body = new byte[in.length - 1];
			System.arraycopy(in, 1, body, 0, body.length);
			return new String(aead.decrypt(body, associatedData.getBytes(StandardCharsets.UTF_8)),
					StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException e) {
			throw new IllegalStateException(
					"a stored secret could not be decrypted: is PLINTO_MASTER_KEY the key it was written with?", e);
		}
	}
}
