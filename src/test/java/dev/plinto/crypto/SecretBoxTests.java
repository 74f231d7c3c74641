package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SecretBoxTests {

	private static byte[] key(int fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return key;
	}

	private final SecretBox box = new SecretBox(key(1));

	/**
	 * The form written before master keys had ids: 0x01 | 96-bit nonce | AES-256-GCM ciphertext and tag, built here
	 * with the JDK's cipher, independently of Tink.
	 */
	private static String legacySeal(byte[] key, String plaintext, String associatedData) throws Exception {
		byte[] nonce = SecureTokens.randomBytes(12);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
		cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
		byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
		return Base64.getEncoder()
			.encodeToString(ByteBuffer.allocate(1 + 12 + body.length).put((byte) 1).put(nonce).put(body).array());
	}

	@Test
	void openWhenSealedWithSameKeyAndAssociatedDataThenOriginalText() {
		String secret = "-----BEGIN PRIVATE KEY----- ü 🔑";
		String sealed = box.seal(secret, "signing_key:kid-1");
		assertThat(sealed).doesNotContain("PRIVATE");
		assertThat(box.open(sealed, "signing_key:kid-1")).isEqualTo(secret);
		assertThat(new SecretBox(key(1)).open(sealed, "signing_key:kid-1")).isEqualTo(secret);
	}

	@Test
	void sealWhenSameTextTwiceThenDifferentCiphertexts() {
		assertThat(box.seal("same", "ad")).isNotEqualTo(box.seal("same", "ad"));
	}

	@Test
	void openWhenOtherKeyThenIllegalState() {
		String sealed = box.seal("secret", "ad");
		assertThatIllegalStateException().isThrownBy(() -> new SecretBox(key(2)).open(sealed, "ad"))
			.withMessageContaining("PLINTO_MASTER_KEY");
	}

	@Test
	void openWhenOtherAssociatedDataThenIllegalState() {
		String sealed = box.seal("secret", "signing_key:kid-1");
		assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "signing_key:kid-2"));
	}

	@Test
	void openWhenCiphertextTamperedThenIllegalState() {
		byte[] bytes = Base64.getDecoder().decode(box.seal("secret", "ad"));
		bytes[bytes.length - 1] ^= 1;
		String tampered = Base64.getEncoder().encodeToString(bytes);
		assertThatIllegalStateException().isThrownBy(() -> box.open(tampered, "ad"));
	}

	@Test
	void openWhenNotASealedValueThenIllegalState() {
		assertThatIllegalStateException().isThrownBy(() -> box.open("not base64 at all!", "ad"));
		assertThatIllegalStateException().isThrownBy(() -> box.open("AQID", "ad"));
	}

	@Test
	void constructWhenKeyNot32BytesThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SecretBox(new byte[16]));
	}

	@Test
	void sealWhenKeysetThenValueCarriesTheCurrentKeyIdAndItsPrefix() {
		String sealed = box.seal("secret", "ad");
		assertThat(SecretBox.keyIdOf(sealed)).hasValue(SecretBox.keyId(key(1)));
		assertThat(box.currentKeyId()).isEqualTo(SecretBox.keyId(key(1)));
		assertThat(sealed).startsWith(box.currentKeyPrefix());
		assertThat(box.isSealedUnderCurrentKey(sealed)).isTrue();
		assertThat(box.currentKeyPrefix()).hasSize(8).doesNotContain("%", "_", "=");
	}

	@Test
	void keyIdWhenSameKeyThenSameIdOnEveryNodeAndOtherKeyOtherId() {
		assertThat(SecretBox.keyId(key(1))).isEqualTo(new SecretBox(key(1)).currentKeyId());
		assertThat(SecretBox.keyId(key(1))).isNotEqualTo(SecretBox.keyId(key(2)));
	}

	@Test
	void openWhenSealedUnderPreviousKeyThenOpensAndResealsUnderCurrent() {
		String old = box.seal("secret", "totp:user_1");
		SecretBox rotated = new SecretBox(new MasterKeys(key(2), List.of(key(1))));
		assertThat(rotated.isSealedUnderCurrentKey(old)).isFalse();
		assertThat(rotated.open(old, "totp:user_1")).isEqualTo("secret");

		String resealed = rotated.reseal(old, "totp:user_1");
		assertThat(SecretBox.keyIdOf(resealed)).hasValue(SecretBox.keyId(key(2)));
		assertThat(rotated.isSealedUnderCurrentKey(resealed)).isTrue();
		assertThat(new SecretBox(key(2)).open(resealed, "totp:user_1")).isEqualTo("secret");
	}

	@Test
	void sealWhenPreviousKeysInForceThenSealsUnderCurrentOnly() {
		SecretBox rotated = new SecretBox(new MasterKeys(key(2), List.of(key(1))));
		String sealed = rotated.seal("secret", "ad");
		assertThatIllegalStateException().isThrownBy(() -> box.open(sealed, "ad"));
		assertThat(new SecretBox(key(2)).open(sealed, "ad")).isEqualTo("secret");
	}

	@Test
	void openWhenPreviousKeyNoLongerInForceThenIllegalStateNamingBothVariables() {
		String old = box.seal("secret", "ad");
		assertThatIllegalStateException().isThrownBy(() -> new SecretBox(key(2)).open(old, "ad"))
			.withMessageContaining("PLINTO_MASTER_KEY_PREVIOUS")
			.withMessageNotContaining(Base64.getEncoder().encodeToString(key(1)));
	}

	@Test
	void openWhenLegacyFormUnderCurrentOrPreviousKeyThenOpensAndHasNoKeyId() throws Exception {
		String underCurrent = legacySeal(key(1), "legacy one", "signing_key:kid-1");
		String underPrevious = legacySeal(key(3), "legacy two", "mail:m1");
		SecretBox rotated = new SecretBox(new MasterKeys(key(1), List.of(key(3))));

		assertThat(rotated.open(underCurrent, "signing_key:kid-1")).isEqualTo("legacy one");
		assertThat(rotated.open(underPrevious, "mail:m1")).isEqualTo("legacy two");
		assertThat(SecretBox.keyIdOf(underCurrent)).isEmpty();
		assertThat(rotated.isSealedUnderCurrentKey(underCurrent)).isFalse();
		assertThat(rotated.reseal(underCurrent, "signing_key:kid-1")).startsWith(rotated.currentKeyPrefix());
	}

	@Test
	void openWhenLegacyFormUnderUnknownKeyOrOtherAssociatedDataThenIllegalState() throws Exception {
		String legacy = legacySeal(key(3), "legacy", "mail:m1");
		assertThatIllegalStateException().isThrownBy(() -> box.open(legacy, "mail:m1"));
		assertThatIllegalStateException()
			.isThrownBy(() -> new SecretBox(new MasterKeys(key(1), List.of(key(3)))).open(legacy, "mail:m2"));
	}

	@Test
	void keyIdOfWhenNotASealedValueThenEmpty() {
		assertThat(SecretBox.keyIdOf("not base64!")).isEmpty();
		assertThat(SecretBox.keyIdOf("AQID")).isEmpty();
	}

	@Test
	void masterKeysWhenPreviousRepeatsCurrentOrItselfThenKeptOnceAndToStringShowsIdsOnly() {
		MasterKeys keys = new MasterKeys(key(1), List.of(key(1), key(2), key(2)));
		assertThat(keys.previous()).hasSize(1);
		assertThat(keys.toString()).contains(Integer.toHexString(SecretBox.keyId(key(2))))
			.doesNotContain(Base64.getEncoder().encodeToString(key(2)));
	}
}
