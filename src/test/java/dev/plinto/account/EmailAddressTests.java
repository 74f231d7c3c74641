package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The email rule of {@link EmailAddress}: one form for what reads as one address, refusals for look-alikes. */
class EmailAddressTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"ada@example.com|ada@example.com",
			"  Ada@Example.COM \t|ada@example.com",
			"ada.lovelace+plinto@mail.example.co.uk|ada.lovelace+plinto@mail.example.co.uk",
			"ada@bücher.example|ada@xn--bcher-kva.example",
			"ada@xn--bcher-kva.example|ada@xn--bcher-kva.example",
			"ada@BÜCHER.example|ada@xn--bcher-kva.example",
			"josé@example.com|josé@example.com",
			"jose\u0301@example.com|josé@example.com",
			"δοκιμή@example.gr|δοκιμή@example.gr",
			"山田@example.jp|山田@example.jp",
			"ada@ｅxample.com|ada@example.com" })
	void canonicalWhenAddressFollowsTheRuleThenOneForm(String raw, String expected) {
		assertThat(EmailAddress.canonical("email", raw)).isEqualTo(expected);
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"ａda@example.com", // fullwidth a
			"\u0430da@example.com", // Cyrillic а among Latin letters
			"a\u200Bda@example.com", // zero-width space
			"a\u00ADda@example.com", // soft hyphen
			"ad\u202Ea@example.com", // right-to-left override
			"ada @example.com", "a da@example.com", "ada\u00A0@example.com",
			"\u0440\u0430\u0443\u0440\u0430l@example.com", // Cyrillic раура + Latin l
			"\u0440\u0430\u0443\u0440\u0430@example.com", // all Cyrillic, reads as "paypa"
			"a\u0301\u0301@example.com", // repeated combining mark
			"a@b", "ada@localhost", "@localhost", "ada@", "ada", "ada@[127.0.0.1]", "ada@[IPv6:::1]",
			"ada@192.168.0.1", "\"ada\"@example.com", ".ada@example.com", "ada.@example.com", "a..da@example.com",
			"ada@exa_mple.com", "ada@-example.com", "ada@example.com.", "ada@exam ple.com", "ada<x>@example.com" })
	void canonicalWhenLookAlikeOrNotAMailboxThenValidationFailedNamingTheField(String raw) {
		assertThatThrownBy(() -> EmailAddress.canonical("email", raw)).isInstanceOfSatisfying(ApiException.class,
				e -> {
					assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
					assertThat(e.fieldErrors()).singleElement().satisfies(f -> assertThat(f.field()).isEqualTo("email"));
					assertThat(e.getMessage()).doesNotContain(raw.strip());
				});
	}

	@Test
	void canonicalWhenLocalPartOver64OctetsThenRefused() {
		assertThat(EmailAddress.canonical("a".repeat(64) + "@example.com")).isPresent();
		assertThat(EmailAddress.canonical("a".repeat(65) + "@example.com")).isEmpty();
		assertThat(EmailAddress.canonical("é".repeat(33) + "@example.com")).isEmpty();
	}

	@Test
	void canonicalWhenAddressOver254OctetsThenRefused() {
		String domain = ("d".repeat(60) + ".").repeat(3) + "example.com";
		assertThat(EmailAddress.canonical("a".repeat(64) + "@" + domain)).isEmpty();
		assertThat(EmailAddress.canonical("a".repeat(50) + "@" + domain)).isPresent();
	}

	@Test
	void lookupFormsWhenAddressStoredBeforeTheRuleThenAlsoTheEarlierForm() {
		assertThat(EmailAddress.lookupForms(" Ada@Bücher.example ")).containsExactly("ada@xn--bcher-kva.example",
				"ada@bücher.example");
		assertThat(EmailAddress.lookupForms("\u0430da@example.com")).containsExactly("\u0430da@example.com");
		assertThat(EmailAddress.lookupForms("ADA@example.com ")).containsExactly("ada@example.com");
		assertThat(EmailAddress.lookupForms("ada@xn--bcher-kva.example")).containsExactly(
				"ada@xn--bcher-kva.example", "ada@bücher.example");
	}

	@Test
	void sameWhenUnicodeDomainAndItsPunycodeThenTrue() {
		assertThat(EmailAddress.same("ada@bücher.example", "ada@xn--bcher-kva.example")).isTrue();
		assertThat(EmailAddress.same("ada@example.com", "\u0430da@example.com")).isFalse();
	}

	@Test
	void stripWhenWhiteSpaceAroundThenRemovedAndInsideKept() {
		assertThat(EmailAddress.strip("\t ada@example.com \n")).isEqualTo("ada@example.com");
		assertThat(EmailAddress.strip(null)).isEmpty();
	}
}
