package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A server that signs in only with an emailed code and signs up unknown addresses by it: the other methods answer
 * 403 {@code sign_in_method_disabled}, and the code creates a verified account without a password.
 */
@TestPropertySource(properties = { "PLINTO_SIGN_IN_METHODS=email_code", "PLINTO_EMAIL_SIGN_UP=true" })
class EmailSignUpApiTests extends ApiTestSupport implements WithMailCatcher {

	@Test
	void verifyCodeWhenAddressIsNewAndEmailSignUpOnThenAccountCreatedVerifiedAndSignedIn() {
		String email = newEmail();
		ApiClient.Response sent = api.post("/v1/sign-in/email-code", ApiClient.map("email", email));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		String code = EmailSignInApiTests.code(MAIL.awaitMessage(email, 1));

		ApiClient.Response r = api.post("/v1/sign-in/email-code/verify",
				ApiClient.map("flow_id", sent.text("flow_id"), "code", code));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		ApiClient.Response me = api.get("/v1/me", r.text("access_token"));
		assertThat(me.text("email")).isEqualTo(email);
		assertThat(me.json().get("email_verified").asBoolean()).isTrue();
	}

	@Test
	void signInWithPasswordWhenPasswordIsSwitchedOffThenRefusedAsDisabled() {
		ApiClient.Response r = signIn(newEmail(), PASSWORD);
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("sign_in_method_disabled");
	}

	@Test
	void passkeySignInWhenPasskeyIsSwitchedOffThenRefusedAsDisabled() {
		ApiClient.Response r = api.post("/v1/sign-in/passkey/options", Map.of());
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("sign_in_method_disabled");
		ApiClient.Response assertion = api.post("/v1/sign-in/passkey", Map.of("credential", Map.of("id", "x")));
		assertThat(assertion.status()).isEqualTo(403);
		assertThat(assertion.code()).isEqualTo("sign_in_method_disabled");
	}

	@Test
	void sendLinkWhenEmailLinkIsSwitchedOffThenRefusedAsDisabledAndNoMail() {
		String email = newEmail();
		ApiClient.Response r = api.post("/v1/sign-in/email-link", ApiClient.map("email", email));
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("sign_in_method_disabled");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}
}
