package dev.plinto.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (private signing keys, queued mail bodies) with the master key, using AES-256-GCM
 * with a fresh 96-bit random nonce per message (NIST SP 800-38D §8.2.2) and the record's identity as associated
 * data, so a ciphertext cannot be moved to another row (OWASP Cryptographic Storage Cheat Sheet,
 * "Authenticated encryption"). Format: base64( version 0x01 | nonce(12) | ciphertext+tag ).
 */
public final class SecretBox {

	private static final byte VERSION = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKey key;

	public SecretBox(byte[] masterKey) {
		if (masterKey.length != 32) {
			throw new IllegalArgumentException("the master key must be 32 bytes");
		}
		this.key = new SecretKeySpec(Arrays.copyOf(masterKey, 32), "AES");
	}

	public String seal(String plaintext, String associatedData) {
		try {
			byte[] nonce = SecureTokens.randomBytes(NONCE_BYTES);
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			ByteBuffer out = ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length);
			out.put(VERSION).put(nonce).put(sealed);
			return Base64.getEncoder().encodeToString(out.array());
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
			if (in.length < 1 + NONCE_BYTES + 16 || in[0] != VERSION) {
				throw new IllegalStateException("unknown secret format");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 1, NONCE_BYTES));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] plain = cipher.doFinal(in, 1 + NONCE_BYTES, in.length - 1 - NONCE_BYTES);
			return new String(plain, StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException e) {
			throw new IllegalStateException(
					"a stored secret could not be decrypted: is PLINTO_MASTER_KEY the key it was written with?", e);
		}
	}
}
