package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTests {

	/** The seeds of RFC 6238 appendix B: the ASCII digits 1234567890 repeated to the hash's length. */
	private static byte[] seed(String hmac) {
		String base = "12345678901234567890";
		String seed = switch (hmac) {
			case "HmacSHA256" -> base + "123456789012";
			case "HmacSHA512" -> base + base + base + "1234";
			default -> base;
		};
		return seed.getBytes(StandardCharsets.US_ASCII);
	}

	@ParameterizedTest
	@CsvSource({ "59, HmacSHA1, 94287082", "59, HmacSHA256, 46119246", "59, HmacSHA512, 90693936",
			"1111111109, HmacSHA1, 07081804", "1111111109, HmacSHA256, 68084774", "1111111109, HmacSHA512, 25091201",
			"1111111111, HmacSHA1, 14050471", "1111111111, HmacSHA256, 67062674", "1111111111, HmacSHA512, 99943326",
			"1234567890, HmacSHA1, 89005924", "1234567890, HmacSHA256, 91819424", "1234567890, HmacSHA512, 93441116",
			"2000000000, HmacSHA1, 69279037", "2000000000, HmacSHA256, 90698825", "2000000000, HmacSHA512, 38618901",
			"20000000000, HmacSHA1, 65353130", "20000000000, HmacSHA256, 77737706",
			"20000000000, HmacSHA512, 47863826" })
	void codeWhenRfc6238AppendixBVectorThenSameOtp(long unixTime, String hmac, String expected) {
		long step = Totp.step(Instant.ofEpochSecond(unixTime));
		assertThat(Totp.code(seed(hmac), step, hmac, 8)).isEqualTo(expected);
	}

	@Test
	void codeWhenComparedWithIndependentImplementationThenEqualForRandomKeysAndTimes() throws Exception {
		TimeBasedOneTimePasswordGenerator reference = new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6,
				TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);
		SecureRandom random = new SecureRandom();
		for (int i = 0; i < 500; i++) {
			byte[] key = new byte[Totp.SECRET_BYTES];
			random.nextBytes(key);
			Instant at = Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L));
			String theirs = reference.generateOneTimePasswordString(new SecretKeySpec(key, "HmacSHA1"), at);
			assertThat(Totp.code(key, Totp.step(at))).as("key %d at %s", i, at).isEqualTo(theirs);
		}
	}

	@Test
	void stepWhenOnABoundaryThenNewStepStartsEvery30Seconds() {
		assertThat(Totp.step(Instant.ofEpochSecond(29))).isZero();
		assertThat(Totp.step(Instant.ofEpochSecond(30))).isEqualTo(1);
		assertThat(Totp.step(Instant.ofEpochSecond(59))).isEqualTo(1);
	}

	@Test
	void base32WhenRfc4648VectorsThenEncodedAndDecodedBack() {
		// RFC 4648 §10, without padding.
		assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
		assertThat(Totp.base32("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
		assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
		byte[] key = new byte[Totp.SECRET_BYTES];
		new SecureRandom().nextBytes(key);
		assertThat(Totp.fromBase32(Totp.base32(key))).isEqualTo(key);
		assertThat(Totp.base32(key)).hasSize(32);
	}
}
