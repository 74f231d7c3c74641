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
 * 403 {@code sign_in_method_disabled} and are not on the sign-in page, the code creates a verified account without a
 * password, and wrong codes lock the address (threshold 3 here).
 */
@TestPropertySource(properties = { "PLINTO_SIGN_IN_METHODS=email_code", "PLINTO_EMAIL_SIGN_UP=true",
		"PLINTO_LOCKOUT_THRESHOLD=3" })
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
	void verifyCodeWhenWrongCodesReachTheLockoutThenEvenTheRightCodeAndNewCodesWaitForIt() {
		String email = newEmail();
		String flowId = api.post("/v1/sign-in/email-code", ApiClient.map("email", email)).text("flow_id");
		String code = EmailSignInApiTests.code(MAIL.awaitMessage(email, 1));
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int i = 0; i < 3; i++) {
			assertThat(verify(flowId, wrong).code()).isEqualTo("invalid_email_code");
		}
		ApiClient.Response locked = verify(flowId, code);
		assertThat(locked.status()).isEqualTo(429);
		assertThat(locked.code()).isEqualTo("rate_limited");
		assertThat(Long.parseLong(locked.header("Retry-After"))).isPositive();
		ApiClient.Response newCode = api.post("/v1/sign-in/email-code", ApiClient.map("email", email));
		assertThat(newCode.status()).isEqualTo(429);
		assertThat(MAIL.messagesTo(email)).as("no code is mailed while the address is locked").hasSize(1);
	}

	@Test
	void signInPageWhenOnlyEmailCodeIsOnThenNoPasswordNoLinkAndTheFormMailsACode() {
		String page = api.get("/sign-in").raw();
		assertThat(page).contains("action=\"/sign-in/email-code\"", "Email me a code")
			.doesNotContain("type=\"password\"", "Email me a link", "/sign-in/forgot-password");
	}

	private ApiClient.Response verify(String flowId, String code) {
		return api.post("/v1/sign-in/email-code/verify", ApiClient.map("flow_id", flowId, "code", code));
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
