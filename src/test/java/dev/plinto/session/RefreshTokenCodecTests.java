package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import org.junit.jupiter.api.Test;

class RefreshTokenCodecTests {

	private final SecretBox box = new SecretBox(SecureTokens.randomBytes(32));

	private final RefreshTokenCodec codec = new RefreshTokenCodec(box);

	private final String sessionId = SecureTokens.newId("ses");

	private final String secret = codec.newSealedSecret(sessionId);

	@Test
	void issueWhenParsedAndVerifiedThenItsSessionAndGenerationAndTrue() {
		String token = codec.issue(sessionId, 7, secret);

		RefreshTokenCodec.Parsed parsed = RefreshTokenCodec.parse(token).orElseThrow();

		assertThat(parsed.sessionId()).isEqualTo(sessionId);
		assertThat(parsed.generation()).isEqualTo(7);
		assertThat(codec.verify(parsed, secret)).isTrue();
		assertThat(codec.issue(sessionId, 7, secret)).as("a fresh nonce each time").isNotEqualTo(token);
		assertThat(token).hasSizeLessThan(120).doesNotContain("=", "+", "/");
	}

	@Test
	void verifyWhenAnyPartChangedOrAnotherSecretThenFalse() {
		RefreshTokenCodec.Parsed p = RefreshTokenCodec.parse(codec.issue(sessionId, 7, secret)).orElseThrow();
		String otherSession = SecureTokens.newId("ses");

		assertThat(codec.verify(new RefreshTokenCodec.Parsed(p.sessionId(), 6, p.nonce(), p.mac()), secret)).isFalse();
		assertThat(codec.verify(new RefreshTokenCodec.Parsed(p.sessionId(), 8, p.nonce(), p.mac()), secret)).isFalse();
		assertThat(codec.verify(new RefreshTokenCodec.Parsed(p.sessionId(), 7, SecureTokens.newSecret(16), p.mac()),
				secret)).isFalse();
		assertThat(codec.verify(p, codec.newSealedSecret(sessionId))).as("another secret for the same session")
			.isFalse();
		// the secret of another session cannot even be opened for this one (the session id is associated data)
		String othersSecret = codec.newSealedSecret(otherSession);
		RefreshTokenCodec.Parsed others = RefreshTokenCodec.parse(codec.issue(otherSession, 7, othersSecret))
			.orElseThrow();
		assertThat(codec.verify(new RefreshTokenCodec.Parsed(sessionId, 7, others.nonce(), others.mac()), secret))
			.isFalse();
	}

	@Test
	void parseWhenNotExactlyTheCurrentFormThenEmpty() {
		String token = codec.issue(sessionId, 12, secret);
		String[] p = token.split("\\.");
		for (String bad : new String[] { null, "", SecureTokens.newSecret(), token + ".", "." + token,
				token + "x", p[0] + ".0." + p[2] + "." + p[3], p[0] + ".012." + p[2] + "." + p[3],
				p[0] + ".-1." + p[2] + "." + p[3], p[0] + ".9999999999999999999." + p[2] + "." + p[3],
				"usr_" + p[0].substring(4) + "." + p[1] + "." + p[2] + "." + p[3],
				p[0] + "." + p[1] + "." + p[2] + "=." + p[3], p[0] + "." + p[1] + "." + p[3] + "." + p[2],
				p[0] + ".12." + p[2] + p[3] }) {
			assertThat(RefreshTokenCodec.parse(bad)).as(bad).isEmpty();
		}
		assertThat(RefreshTokenCodec.parse(token)).isPresent();
	}
}
