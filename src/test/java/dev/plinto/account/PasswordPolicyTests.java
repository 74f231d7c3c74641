package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ApiException;
import java.util.Map;
import dev.plinto.web.ErrorCode;
import org.junit.jupiter.api.Test;

class PasswordPolicyTests {

	private static final String EMAIL = "alice@example.com";

	private static final PasswordPolicy policy = new PasswordPolicy(LiveSettings.fixed(PlintoSettings.parse(name -> null)));

	@Test
	void checkWhenMinimumRaisedThenShorterPasswordRefusedNamingTheMinimum() {
		PasswordPolicy twelve = new PasswordPolicy(
				LiveSettings.fixed(PlintoSettings.parse(Map.of("PLINTO_PASSWORD_MIN_LENGTH", "12")::get)));
		ApiException e = catchThrowableOfType(ApiException.class,
				() -> twelve.check("password", "violet kett", EMAIL));
		assertThat(e.code()).isEqualTo(ErrorCode.PASSWORD_TOO_SHORT);
		assertThat(e.getMessage()).isEqualTo("The password must have at least 12 characters.");
		assertThatNoException().isThrownBy(() -> twelve.check("password", "violet kettl", EMAIL));
		assertThat(twelve.minLength()).isEqualTo(12);
		assertThat(policy.minLength()).isEqualTo(8);
	}

	private static ApiException refusal(String password, String email) {
		ApiException e = catchThrowableOfType(ApiException.class, () -> policy.check("new_password", password, email));
		assertThat(e).as("password should have been refused").isNotNull();
		assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
			assertThat(f.field()).isEqualTo("new_password");
			assertThat(f.code()).isEqualTo(e.code().code());
		});
		return e;
	}

	@Test
	void commonListWhenLoadedThenHoldsAtLeastTenThousandPasswords() {
		assertThat(policy.size()).isGreaterThanOrEqualTo(10_000);
	}

	@Test
	void checkWhenShorterThanEightThenTooShort() {
		assertThat(refusal("k7#qZ1!", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_SHORT);
		assertThat(refusal("", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_SHORT);
		assertThat(refusal(null, EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_SHORT);
	}

	@Test
	void checkWhenEightToHundredTwentyEightCharactersThenAccepted() {
		assertThatNoException().isThrownBy(() -> policy.check("password", "k7#qZ1!x", EMAIL));
		assertThatNoException().isThrownBy(() -> policy.check("password", "q".repeat(127) + "z", EMAIL));
	}

	@Test
	void checkWhenLongerThan128ThenTooLong() {
		assertThat(refusal("qz".repeat(64) + "x", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_LONG);
	}

	@Test
	void checkWhenNoDigitsOrSymbolsThenAcceptedBecauseThereAreNoCompositionRules() {
		assertThatNoException().isThrownBy(() -> policy.check("password", "lantern mackerel obituary", EMAIL));
	}

	@Test
	void checkWhenLengthCountedThenCodePointsNotUtf16Units() {
		String emoji = "\uD83D\uDD10"; // one code point, two UTF-16 units
		assertThat(refusal(emoji.repeat(4), EMAIL).code()).as("4 characters").isEqualTo(ErrorCode.PASSWORD_TOO_SHORT);
		assertThatNoException().as("8 characters").isThrownBy(() -> policy.check("password", emoji.repeat(8), EMAIL));
		assertThatNoException().as("128 characters, 256 UTF-16 units")
			.isThrownBy(() -> policy.check("password", emoji.repeat(128), EMAIL));
		assertThat(refusal(emoji.repeat(129), EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_LONG);
	}

	@Test
	void checkWhenCommonPasswordInAnyCaseThenTooCommon() {
		assertThat(refusal("password", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_COMMON);
		assertThat(refusal("Password1", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_COMMON);
		assertThat(refusal("QWERTYUIOP", EMAIL).code()).isEqualTo(ErrorCode.PASSWORD_TOO_COMMON);
	}

	@Test
	void checkWhenPasswordIsTheEmailThenMatchesEmail() {
		ApiException e = refusal("Alice@Example.com", " alice@example.com ");
		assertThat(e.code()).isEqualTo(ErrorCode.PASSWORD_MATCHES_EMAIL);
		assertThat(e.getMessage()).contains("email");
	}

	@Test
	void checkWhenRefusedThenMessageSaysWhichRule() {
		assertThat(refusal("short", EMAIL).getMessage()).contains("at least 8");
		assertThat(refusal("x".repeat(200), EMAIL).getMessage()).contains("at most 128");
		assertThat(refusal("password", EMAIL).getMessage()).contains("common");
	}
}
