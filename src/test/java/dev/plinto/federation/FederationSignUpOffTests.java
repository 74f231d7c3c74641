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
 * {@code PLINTO_OAUTH_SIGN_UP=false}: a first sign-in through a provider creates no account, while an identity that
 * links to an existing account (both emails verified) still signs in. Uses {@link FederationTests}'s mock server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
				"PLINTO_OAUTH_SIGN_UP=false", "PLINTO_OAUTH_PROVIDERS=googlelike",
				"PLINTO_REDIRECT_URLS=https://app.example.com/", "PLINTO_OAUTH_GOOGLELIKE_CLIENT_ID=plinto-google",
				"PLINTO_OAUTH_GOOGLELIKE_CLIENT_SECRET=google-secret" })
class FederationSignUpOffTests extends ApiTestSupport {

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_OAUTH_GOOGLELIKE_ISSUER", () -> MockIdentityProvider.SERVER.issuerUrl("google").toString());
	}

	@Autowired
	JdbcClient jdbc;

	@Test
	void signInWhenNoAccountAndSignUpSwitchedOffThenRefusedAndNoAccountCreated() {
		String email = newEmail();

		ApiClient.Response refused = GoogleLikeJsonSignIn.signInAs(api, email, true);

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("sso_sign_up_disabled");
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", email).query(Long.class)
			.single()).isZero();
	}

	@Test
	void signInWhenAnAccountWithTheVerifiedEmailExistsThenLinkedAndSignedInDespiteSignUpOff() {
		String email = newEmail();
		signUp(email);
		jdbc.sql("update users set email_verified = true where email = :e").param("e", email).update();

		ApiClient.Response signedIn = GoogleLikeJsonSignIn.signInAs(api, email, true);

		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.json().get("user").get("email").asString()).isEqualTo(email);
	}
}
