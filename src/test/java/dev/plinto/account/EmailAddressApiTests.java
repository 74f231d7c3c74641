package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One person, one account: look-alikes of an address are folded into it or refused, the same trimming applies
 * wherever an email comes in, and accounts stored before the rule still sign in.
 */
class EmailAddressApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	UserRepository users;

	@Autowired
	PasswordHasher hasher;

	private static String unique() {
		return "ada" + UUID.randomUUID().toString().substring(0, 8);
	}

	private ApiClient.Response signUpRaw(String email) {
		return api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
	}

	private static void assertRefused(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("email");
	}

	@Test
	void signUpWhenLookAlikeOfExistingAddressThenRefusedOrTaken() {
		String local = unique();
		signUp(local + "@example.com");
		assertRefused(signUpRaw("\uFF41" + local.substring(1) + "@example.com")); // fullwidth a
		assertRefused(signUpRaw("\u0430" + local.substring(1) + "@example.com")); // Cyrillic a
		assertRefused(signUpRaw(local + "\u200B@example.com")); // zero-width space
		assertThat(signUpRaw(local.toUpperCase() + "@EXAMPLE.com").code()).isEqualTo("email_taken");
	}

	@Test
	void signUpWhenComposedAndDecomposedAccentThenOneAccount() {
		String local = unique();
		ApiClient.Response first = signUpRaw(local + "\u00e9@example.com");
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(signUpRaw(local + "e\u0301@example.com").code()).isEqualTo("email_taken");
		assertThat(signIn(local + "e\u0301@example.com", PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void signUpWhenUnicodeDomainAndItsPunycodeThenOneAccountStoredInAsciiForm() {
		String local = unique();
		ApiClient.Response first = signUpRaw(local + "@b\u00fccher.example");
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(first.json().get("user").get("email").asString()).isEqualTo(local + "@xn--bcher-kva.example");
		assertThat(signUpRaw(local + "@xn--bcher-kva.example").code()).isEqualTo("email_taken");
		assertThat(signIn(local + "@B\u00dcCHER.example", PASSWORD).status()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a@b", "ada@localhost", "@localhost", "ada@[127.0.0.1]", "ada@[IPv6:::1]",
			"ada@192.168.0.1", "\"ada\"@example.com" })
	void signUpWhenNotAnInternetMailboxThenValidationFailed(String email) {
		assertRefused(signUpRaw(email));
	}

	@Test
	void signUpAndSignInWhenSpacesAroundEmailThenTheSameTrimmingRule() {
		String email = unique() + "@example.com";
		ApiClient.Response created = signUpRaw("  " + email + "\t");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().get("user").get("email").asString()).isEqualTo(email);
		assertThat(signIn(" " + email.toUpperCase() + " ", PASSWORD).status()).isEqualTo(200);
		assertThat(signUpRaw(" " + email).code()).isEqualTo("email_taken");
	}

	@Test
	void passwordResetAndVerificationWhenSpacesAroundEmailThenMailedToTheAccount() {
		String email = unique() + "@example.com";
		signUp(email);
		MAIL.awaitMessage(email, 1);
		assertThat(api.post("/v1/email-verification", Map.of("email", "  " + email + " ")).status()).isEqualTo(202);
		MAIL.awaitMessage(email, 2);
		assertThat(api.post("/v1/password-reset", Map.of("email", "\t" + email.toUpperCase() + " ")).status())
			.isEqualTo(202);
		assertThat(MailCatcher.text(MAIL.awaitMessage(email, 3))).containsIgnoringCase("password");
	}

	@Test
	void signInWhenAccountStoredBeforeTheRuleThenFoundByItsStoredFormAndItsAsciiForm() {
		String local = unique();
		String unicodeDomain = local + "@b\u00fccher.example";
		String fullwidth = "\uFF41" + local.substring(1) + "@example.com";
		for (String stored : new String[] { unicodeDomain, fullwidth }) {
			Instant now = clock.instant();
			users.insert(new User(SecureTokens.newId("usr"), stored, true, null, hasher.hash(PASSWORD), now, now));
			assertThat(signIn(stored, PASSWORD).status()).as(stored).isEqualTo(200);
			assertThat(signIn(" " + stored.toUpperCase() + " ", PASSWORD).status()).as(stored).isEqualTo(200);
		}
		assertThat(signIn(local + "@xn--bcher-kva.example", PASSWORD).status()).isEqualTo(200);
		assertThat(signUpRaw(local + "@xn--bcher-kva.example").code()).isEqualTo("email_taken");
		assertThat(api.post("/v1/password-reset", Map.of("email", fullwidth)).status()).isEqualTo(202);
		MAIL.awaitMessage(fullwidth, 1);
	}

	@Test
	void inviteWhenLookAlikeAddressThenValidationFailedAndPunycodeStored() {
		Account owner = account();
		String org = api.post("/v1/organizations", Map.of("name", "Look-alikes"), owner.token()).text("id");
		ApiClient.Response refused = api.post("/v1/organizations/" + org + "/invitations",
				Map.of("email", "gr\u0430ce@example.com", "role", "member"), owner.token());
		assertRefused(refused);
		ApiClient.Response invited = api.post("/v1/organizations/" + org + "/invitations",
				Map.of("email", " grace@B\u00fccher.example ", "role", "member"), owner.token());
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		assertThat(invited.text("email")).isEqualTo("grace@xn--bcher-kva.example");
	}
}
