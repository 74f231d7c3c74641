package dev.plinto.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;

/**
 * Encrypts secrets at rest (private signing keys, TOTP secrets, queued mail bodies) with the master keys: AES-256-GCM
 * through a Google Tink AEAD keyset, a fresh random 96-bit nonce per message (NIST SP 800-38D §8.2.2) and the
 * record's identity as associated data, so a ciphertext cannot be moved to another row (OWASP Cryptographic
 * Storage Cheat Sheet, "Authenticated encryption").
 *
 * <p>The keyset holds the current master key (primary, it seals) and the previous ones (they only open), each with
 * Tink's {@code TINK} output prefix, so every ciphertext names the key that sealed it and the master key can be
 * rotated without downtime (NIST SP 800-57 Part 1 Rev. 5 §5.3.4, §8.2.3: a new key takes over sealing while the old
 * one still opens what it protected, until everything is re-sealed). A key's 4-byte id is derived from the key
 * itself (the first four bytes of SHA-256 over a label and the key), so every node computes the same ids without
 * sharing anything but the keys; 32 bits of a hash of a 256-bit random key reveal nothing usable about it.
 *
 * <p>Stored forms, base64:
 * <ul>
 * <li>{@code 0x02 | 0x01 | key id (4 bytes, big-endian) | nonce | ciphertext | tag}: the current form, Tink's
 * keyset output behind a format byte;</li>
 * <li>{@code 0x01 | nonce | ciphertext | tag}: the legacy form written before master keys had ids. It still opens
 * under the current or a previous key (tried in turn) and is re-sealed by {@code plinto master-key rotate}.</li>
 * </ul>
 * Since the first eight base64 characters of a current-form value encode exactly its first six bytes,
 * {@link #currentKeyPrefix()} lets a repository find the values not yet under the current key with a plain
 * {@code NOT LIKE} instead of decrypting every row.
 */
public final class SecretBox {

	private static final byte LEGACY = 1;

	private static final byte KEYSET = 2;

	/** Tink's {@code TINK} output prefix: a start byte then the 4-byte key id (Tink wire format). */
	private static final byte TINK_START_BYTE = 1;

	private static final int HEADER = 2 + 4;

	private final Aead keyset;

	private final Aead legacy;

	private final int currentKeyId;

	private final String currentKeyPrefix;

	public SecretBox(byte[] masterKey) {
		this(MasterKeys.of(masterKey));
	}

	public SecretBox(MasterKeys keys) {
		List<byte[]> all = new ArrayList<>();
		all.add(keys.current());
		all.addAll(keys.previous());
		List<Integer> ids = all.stream().map(SecretBox::keyId).toList();
		if (ids.stream().distinct().count() != ids.size()) {
			// 2^-32 for two random keys: possible in theory, so refused rather than mis-attributed.
			throw new IllegalArgumentException("two master keys have the same key id; generate a new key");
		}
		try {
			KeysetHandle.Builder withIds = KeysetHandle.newBuilder();
			KeysetHandle.Builder raw = KeysetHandle.newBuilder();
			for (int i = 0; i < all.size(); i++) {
				var entry = KeysetHandle.importKey(key(all.get(i), AesGcmParameters.Variant.TINK, ids.get(i)))
					.withFixedId(ids.get(i));
				var rawEntry = KeysetHandle.importKey(key(all.get(i), AesGcmParameters.Variant.NO_PREFIX, null))
					.withFixedId(ids.get(i));
				withIds.addEntry(i == 0 ? entry.makePrimary() : entry);
				raw.addEntry(i == 0 ? rawEntry.makePrimary() : rawEntry);
			}
			this.keyset = withIds.build().getPrimitive(ConfigurationV0.get(), Aead.class);
			this.legacy = raw.build().getPrimitive(ConfigurationV0.get(), Aead.class);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-256-GCM is not available", e);
		}
		this.currentKeyId = ids.get(0);
		this.currentKeyPrefix = Base64.getEncoder()
			.encodeToString(ByteBuffer.allocate(HEADER).put(KEYSET).put(TINK_START_BYTE).putInt(currentKeyId).array());
	}

	private static AesGcmKey key(byte[] bytes, AesGcmParameters.Variant variant, Integer id)
			throws GeneralSecurityException {
		AesGcmParameters parameters = AesGcmParameters.builder()
			.setKeySizeBytes(32)
			.setIvSizeBytes(12)
			.setTagSizeBytes(16)
			.setVariant(variant)
			.build();
		return AesGcmKey.builder()
			.setParameters(parameters)
			.setKeyBytes(SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get()))
			.setIdRequirement(id)
			.build();
	}

	/** The key id of a 32-byte master key: the first four bytes of SHA-256("plinto master key id" | key). */
	public static int keyId(byte[] masterKey) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update("plinto master key id".getBytes(StandardCharsets.US_ASCII));
			return ByteBuffer.wrap(sha256.digest(masterKey)).getInt();
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is not available", e);
		}
	}

	/** The id of the key that seals, as {@link #keyIdOf(String)} reports it for values it sealed. */
	public int currentKeyId() {
		return currentKeyId;
	}

	/** The first characters every value sealed under the current key starts with (see the class comment). */
	public String currentKeyPrefix() {
		return currentKeyPrefix;
	}

	/** The id of the key a value was sealed under; empty for the legacy form and for anything unreadable. */
	public static OptionalInt keyIdOf(String sealed) {
		try {
			byte[] in = Base64.getDecoder().decode(sealed);
			if (in.length > HEADER && in[0] == KEYSET && in[1] == TINK_START_BYTE) {
				return OptionalInt.of(ByteBuffer.wrap(in, 2, 4).getInt());
			}
		}
		catch (IllegalArgumentException e) {
			// not base64: no id
		}
		return OptionalInt.empty();
	}

	/** Whether a value is sealed under the current key, i.e. needs no re-sealing. */
	public boolean isSealedUnderCurrentKey(String sealed) {
		return sealed.startsWith(currentKeyPrefix);
	}

	public String seal(String plaintext, String associatedData) {
		try {
			byte[] sealed = keyset.encrypt(plaintext.getBytes(StandardCharsets.UTF_8),
					associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] out = new byte[sealed.length + 1];
			out[0] = KEYSET;
			System.arraycopy(sealed, 0, out, 1, sealed.length);
			return Base64.getEncoder().encodeToString(out);
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM encryption failed", e);
		}
	}

	/**
	 * Decrypts and authenticates; fails with {@link IllegalStateException} when no master key in force opens the
	 * value or the data was altered, never returning unauthenticated plaintext.
	 */
	public String open(String sealed, String associatedData) {
		try {
			byte[] in = Base64.getDecoder().decode(sealed);
			if (in.length < 2 || (in[0] != KEYSET && in[0] != LEGACY)) {
				throw new GeneralSecurityException("unknown secret format");
			}
			byte[] body = new byte[in.length - 1];
			System.arraycopy(in, 1, body, 0, body.length);
			Aead aead = in[0] == KEYSET ? keyset : legacy;
			return new String(aead.decrypt(body, associatedData.getBytes(StandardCharsets.UTF_8)),
					StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException e) {
			// No cause: the command line reports the root cause's message, and this sentence is the useful one.
			throw new IllegalStateException("a stored secret opens under none of the master keys in force "
					+ "(PLINTO_MASTER_KEY, PLINTO_MASTER_KEY_PREVIOUS)");
		}
	}

	/** Re-seals a value under the current key (opening it under whichever key in force sealed it). */
	public String reseal(String sealed, String associatedData) {
		return seal(open(sealed, associatedData), associatedData);
	}
}
