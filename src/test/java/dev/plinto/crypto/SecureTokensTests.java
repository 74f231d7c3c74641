package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecureTokensTests {

	@Test
	void newIdWhenCalledThenPrefixedLowercaseAndUnique() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = SecureTokens.newId("usr");
			assertThat(id).matches("usr_[0-9a-hjkmnp-tv-z]{26}");
			ids.add(id);
		}
		assertThat(ids).hasSize(10_000);
	}

	@Test
	void newSecretWhenCalledThen256BitsBase64UrlAndUnique() {
		String a = SecureTokens.newSecret();
		String b = SecureTokens.newSecret();
		assertThat(a).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b);
		assertThat(Base64.getUrlDecoder().decode(a)).hasSize(32);
		assertThat(Base64.getUrlDecoder().decode(SecureTokens.newSecret(48))).hasSize(48);
	}

	@Test
	void hashWhenSecretThenSha256LowercaseHex() {
		// FIPS 180-2 test vector
		assertThat(SecureTokens.hash("abc"))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
		assertThat(SecureTokens.hash(SecureTokens.newSecret())).matches("[0-9a-f]{64}");
	}

	@Test
	void constantTimeEqualsWhenComparedThenTrueOnlyForEqualStrings() {
		String secret = SecureTokens.newSecret();
		assertThat(SecureTokens.constantTimeEquals(secret, new String(secret))).isTrue();
		assertThat(SecureTokens.constantTimeEquals(secret, secret.substring(1))).isFalse();
		assertThat(SecureTokens.constantTimeEquals(secret, SecureTokens.newSecret())).isFalse();
		assertThat(SecureTokens.constantTimeEquals(secret, null)).isFalse();
		assertThat(SecureTokens.constantTimeEquals(null, null)).isFalse();
	}
}
