package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.config.PlintoSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The legacy verifiers against hashes made by the original systems' libraries (src/test/resources/hash-vectors,
 * README there says how each was produced).
 */
class LegacyHashesTests {

	private final PasswordHasher hasher = new PasswordHasher(PlintoSettings.parse(name -> null),
			new SimpleMeterRegistry());

	private static List<JsonNode> vectors() throws IOException {
		try (InputStream in = LegacyHashesTests.class.getResourceAsStream("/hash-vectors/vectors.jsonl")) {
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			JsonMapper json = JsonMapper.builder().build();
			return text.lines().filter(l -> !l.isBlank()).map(json::readTree).toList();
		}
	}

	/** The stored form of a vector: the hash as written, or Keycloak's and Firebase's fields in Plinto's form. */
	static String stored(JsonNode v) {
		Base64.Decoder b64 = Base64.getDecoder();
		return switch (v.get("kind").asString()) {
			case "keycloak" -> LegacyHashes.pbkdf2(switch (v.get("algorithm").asString()) {
				case "pbkdf2-sha256" -> "sha256";
				case "pbkdf2-sha512" -> "sha512";
				default -> "sha1";
			}, v.get("hashIterations").asInt(), b64.decode(v.get("salt").asString()),
					b64.decode(v.get("value").asString()));
			case "firebase" -> LegacyHashes.firebaseScrypt(v.get("memCost").asInt(), v.get("rounds").asInt(),
					b64.decode(v.get("salt").asString()), b64.decode(v.get("saltSeparator").asString()),
					b64.decode(v.get("signerKey").asString()), b64.decode(v.get("hash").asString()));
			default -> v.get("hash").asString();
		};
	}

	@Test
	void verifyWhenVectorOfTheOriginalLibraryThenRightPasswordMatchesAndWrongOneDoesNot() throws IOException {
		List<JsonNode> vectors = vectors();
		assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
		for (JsonNode v : vectors) {
			String stored = stored(v);
			String password = v.get("password").asString();
			assertThat(PasswordHasher.verifiable(stored)).as(stored).isTrue();
			assertThat(hasher.verify(password, stored)).as("%s from %s", stored, v.get("source").asString()).isTrue();
			assertThat(hasher.verify("Z" + password, stored)).as("wrong password for %s", stored).isFalse();
			assertThat(hasher.verify("", stored)).isFalse();
			assertThat(hasher.needsRehash(stored)).as("upgraded at the next sign-in").isTrue();
		}
	}

	@Test
	void verifyWhenBcryptPrefixIs2yOr2bThenSameAlgorithmAs2a() {
		String a = "$2a$04$3917dtCe6m.JeSzjtJR3Tu9gRlIlTnyqzyYw0CddwjUjsBn0CKekS";
		assertThat(hasher.verify("correct horse battery", "$2y$" + a.substring(4))).isTrue();
		assertThat(hasher.verify("correct horse battery", "$2b$" + a.substring(4))).isTrue();
	}

	@Test
	void verifyWhenBcryptPasswordLongerThan72BytesThenOnlyTheFirst72Count() {
		String hash = "$2a$05$qj/bXV47lVyELORwsNiSt.hLaFzfHrbBlkwGpFladjn.uwHq7tY56";
		assertThat(hasher.verify("y".repeat(72) + "anything else", hash)).isTrue();
		assertThat(hasher.verify("y".repeat(71), hash)).isFalse();
	}

	@Test
	void recognizesWhenCostBeyondBoundsOrMalformedThenFalseAndMatchesNothing() {
		String expensiveBcrypt = "$2b$31$tmfPcQEW0EmUVxc.93kOm.99g.7G9XZc6/5yUoS8NqZq4dxDByJqq";
		String expensivePbkdf2 = "$pbkdf2-sha256$i=999999999$AAECAwQFBgcICQoLDA0ODw$AhaeZ02AwPxykuhhDI8XvhQN8GKvmqM";
		String hugeScrypt = "$scrypt$ln=24,r=8,p=1$cGxpbnRvLXNjcnlwdC1zYQ$+dWyGX3uQp3ba29pxLzd7TS0Y7uj8vhJpGK40THYqFM";
		for (String value : List.of(expensiveBcrypt, expensivePbkdf2, hugeScrypt, "$sha256$o=sp$%%%$abc",
				"md5:abc", "$2b$10$short")) {
			assertThat(PasswordHasher.verifiable(value)).as(value).isFalse();
			assertThat(hasher.verify("correct horse battery", value)).as(value).isFalse();
		}
	}

	@Test
	void firebaseScryptWhenPublishedExampleThenItsHash() {
		Base64.Decoder b64 = Base64.getDecoder();
		byte[] hash = LegacyHashes.firebaseScrypt("user1password", b64.decode("42xEC+ixf3L2lw=="), b64.decode("Bw=="),
				b64.decode("jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA=="), 14,
				8);
		assertThat(Base64.getEncoder().encodeToString(hash)).isEqualTo(
				"lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==");
	}
}
