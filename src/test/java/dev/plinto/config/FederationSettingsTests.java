package dev.plinto.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity providers' variables (docs/configuration.md, "Sign-in through identity providers"). */
class FederationSettingsTests {

	private static PlintoSettings parse(Map<String, String> env) {
		return PlintoSettings.parse(env::get);
	}

	@Test
	void parseWhenNothingSetThenNoProviderAndSignUpOn() {
		FederationSettings f = parse(Map.of()).federation();

		assertThat(f.providers()).isEmpty();
		assertThat(f.signUp()).isTrue();
	}

	@Test
	void parseWhenPresetsAndAGenericProviderThenInButtonOrderWithTheirEndpoints() {
		FederationSettings f = parse(Map.of("PLINTO_OAUTH_GITHUB_CLIENT_ID", "gh", "PLINTO_OAUTH_GITHUB_CLIENT_SECRET",
				"s1", "PLINTO_OAUTH_GOOGLE_CLIENT_ID", "g", "PLINTO_OAUTH_GOOGLE_CLIENT_SECRET", "s2",
				"PLINTO_OAUTH_PROVIDERS", "okta", "PLINTO_OAUTH_OKTA_CLIENT_ID", "o", "PLINTO_OAUTH_OKTA_CLIENT_SECRET",
				"s3", "PLINTO_OAUTH_OKTA_ISSUER", "https://example.okta.com", "PLINTO_OAUTH_SIGN_UP", "false"))
			.federation();

		assertThat(f.providers()).extracting(FederationSettings.Provider::key).containsExactly("google", "github", "okta");
		assertThat(f.signUp()).isFalse();
		FederationSettings.Provider github = f.provider("github").orElseThrow();
		assertThat(github.oidc()).isFalse();
		assertThat(github.emailsUri()).hasValueSatisfying(u -> assertThat(u).hasToString("https://api.github.com/user/emails"));
		assertThat(f.provider("okta").orElseThrow().scopes()).containsExactly("openid", "email", "profile");
		assertThat(github.toString()).doesNotContain("s1");
	}

	@Test
	void parseWhenMicrosoftCommonTenantThenNoFixedIssuer() {
		FederationSettings.Provider microsoft = parse(Map.of("PLINTO_OAUTH_MICROSOFT_CLIENT_ID", "m",
				"PLINTO_OAUTH_MICROSOFT_CLIENT_SECRET", "s"))
			.federation()
			.provider("microsoft")
			.orElseThrow();

		assertThat(microsoft.issuer()).isEmpty();
		assertThat(microsoft.microsoftMultiTenant()).isTrue();
		assertThat(microsoft.claims().emailVerified()).isNull();
	}

	@Test
	void parseWhenAppleKeyIsAnEcKeyThenFormPostProviderWithoutStaticSecret() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		String pem = "-----BEGIN PRIVATE KEY-----\\n"
				+ Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
				+ "\\n-----END PRIVATE KEY-----";
		FederationSettings.Provider apple = parse(Map.of("PLINTO_OAUTH_APPLE_CLIENT_ID", "com.example.web",
				"PLINTO_OAUTH_APPLE_TEAM_ID", "TEAM123456", "PLINTO_OAUTH_APPLE_KEY_ID", "KEY1234567",
				"PLINTO_OAUTH_APPLE_PRIVATE_KEY", pem))
			.federation()
			.provider("apple")
			.orElseThrow();

		assertThat(apple.formPost()).isTrue();
		assertThat(apple.clientSecret()).isNull();
		assertThat(apple.apple()).isPresent();
	}

	@Test
	void parseWhenVariablesAreIncompleteOrWrongThenEachProblemNamed() {
		Map<String, String> env = new HashMap<>();
		env.put("PLINTO_OAUTH_GOOGLE_CLIENT_ID", "g");
		env.put("PLINTO_OAUTH_APPLE_CLIENT_ID", "a");
		env.put("PLINTO_OAUTH_PROVIDERS", "forge,Bad_Key");
		env.put("PLINTO_OAUTH_FORGE_CLIENT_ID", "f");
		env.put("PLINTO_OAUTH_FORGE_CLIENT_SECRET", "s");
		env.put("PLINTO_OAUTH_FORGE_TOKEN_URI", "https://forge.example.com/token");
		env.put("PLINTO_OAUTH_SIGN_UP", "maybe");

		assertThatThrownBy(() -> parse(env)).isInstanceOf(SettingsException.class)
			.hasMessageContaining("PLINTO_OAUTH_GOOGLE_CLIENT_SECRET go together")
			.hasMessageContaining("PLINTO_OAUTH_APPLE_PRIVATE_KEY go together")
			.hasMessageContaining("'Bad_Key' is not a provider key")
			.hasMessageContaining("PLINTO_OAUTH_FORGE_ISSUER (OpenID Connect) or all of")
			.hasMessageContaining("PLINTO_OAUTH_SIGN_UP must be true or false");
	}
}
