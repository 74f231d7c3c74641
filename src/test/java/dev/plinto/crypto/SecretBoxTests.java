package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTests {

	private static byte[] key(int fill) {
		byte[] key = new byte[32];
		java.util.Arrays.fill(key, (byte) fill);
		return key;
	}

	private final SecretBox box = new SecretBox(key(1));

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
}
