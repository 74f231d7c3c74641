package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code PLINTO_EMAIL_VERIFICATION=required} holds for sign-in through a provider too: an address the provider
 * confirmed signs up and in; one it did not confirm creates no account and signs in nowhere. Uses
 * {@link FederationTests}'s mock server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
				"PLINTO_EMAIL_VERIFICATION=required", "PLINTO_OAUTH_PROVIDERS=googlelike",
				"PLINTO_REDIRECT_URLS=https://app.example.com/", "PLINTO_OAUTH_GOOGLELIKE_CLIENT_ID=plinto-google",
				"PLINTO_OAUTH_GOOGLELIKE_CLIENT_SECRET=google-secret" })
class FederationEmailVerificationTests extends ApiTestSupport {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_OAUTH_GOOGLELIKE_ISSUER", () -> MockIdentityProvider.SERVER.issuerUrl("google").toString());
	}

	@Autowired
	JdbcClient jdbc;

	@Test
	void signInWhenProviderConfirmedTheEmailThenAccountCreatedAndSignedIn() {
		String email = newEmail();

		ApiClient.Response signedIn = GoogleLikeJsonSignIn.signInAs(api, email, true);

		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.json().get("user").get("email_verified").asBoolean()).isTrue();
	}

	@Test
	void signInWhenProviderDidNotConfirmTheEmailThenRefusedAndNoAccountCreated() {
		String email = newEmail();

		ApiClient.Response refused = GoogleLikeJsonSignIn.signInAs(api, email, false);

		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("email_not_verified");
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Long.class)
			.single()).as("the just-created account rolled back with the refusal").isZero();
	}
}
