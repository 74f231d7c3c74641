package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** The parts of the OAuth 2 client that are Plinto's own: Microsoft's tenant issuer rule, PKCE's S256 and claims. */
class OAuthClientsTests {

	private static final String TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";

	private static Jwt token(String iss, String tid) {
		Jwt.Builder b = Jwt.withTokenValue("t").header("alg", "RS256").claim("iss", iss).issuedAt(Instant.now());
		if (tid != null) {
			b.claim("tid", tid);
		}
		return b.build();
	}

	@Test
	void microsoftTenantIssuerWhenIssuerIsTheTokensOwnTenantThenValid() {
		assertThat(OAuthClients.microsoftTenantIssuer(
				token("https://login.microsoftonline.com/" + TENANT + "/v2.0", TENANT)).hasErrors()).isFalse();
	}

	@Test
	void microsoftTenantIssuerWhenIssuerIsAnotherTenantOrHostThenInvalid() {
		assertThat(OAuthClients.microsoftTenantIssuer(token(
				"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0", TENANT)).hasErrors())
			.isTrue();
		assertThat(OAuthClients.microsoftTenantIssuer(token("https://evil.example/" + TENANT + "/v2.0", TENANT))
			.hasErrors()).isTrue();
		assertThat(OAuthClients.microsoftTenantIssuer(token("https://login.microsoftonline.com/common/v2.0", null))
			.hasErrors()).isTrue();
	}

	@Test
	void s256WhenRfc7636AppendixBVerifierThenItsChallenge() {
		assertThat(OAuthClients.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
			.isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	}

	@Test
	void flagWhenTrueAsBooleanOrStringThenVerifiedOtherwiseNot() {
		Map<String, Object> claims = Map.of("a", true, "b", "true", "c", "yes", "d", false);

		assertThat(OAuthClients.flag(claims, "a")).isTrue();
		assertThat(OAuthClients.flag(claims, "b")).isTrue();
		assertThat(OAuthClients.flag(claims, "c")).isFalse();
		assertThat(OAuthClients.flag(claims, "d")).isFalse();
		assertThat(OAuthClients.flag(claims, "missing")).isFalse();
		assertThat(OAuthClients.flag(claims, null)).isFalse();
	}
}
