package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.plinto.admin.ApiKeys;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code PLINTO_TOKEN_PUBLIC_METADATA=on} and the OpenID provider: an ID token granted the {@code profile} scope
 * carries the user's {@code public_metadata} as stored when it is issued, a refreshed one follows a change, and an
 * ID token without {@code profile} carries none.
 */
@TestPropertySource(properties = "PLINTO_TOKEN_PUBLIC_METADATA=on")
class OidcPublicMetadataTests extends OidcTestSupport {

	@Autowired
	private ApiKeys apiKeys;

	@Test
	void idTokenWhenProfileScopeThenPublicMetadataAndARefreshFollowsAChange() throws Exception {
		Registered client = confidential(true);
		assertThat(api.get("/.well-known/openid-configuration").json().get("claims_supported").toString())
			.as("discovery names the claim").contains("\"public_metadata\"");
		User user = user();
		String key = apiKeys.create("metadata " + UUID.randomUUID(), List.of("users:write"), null, "test",
				ClientInfo.none()).secret();
		// Every JSON type, nested: the provider stores the ID token's claims with the authorization and reads them
		// back at the refresh.
		Map<String, Object> stored = new java.util.LinkedHashMap<>();
		stored.put("plan", "pro");
		stored.put("seats", 5);
		stored.put("big", 12345678901234L);
		stored.put("ratio", 0.75);
		stored.put("trial", true);
		stored.put("cancelled", null);
		stored.put("tags", List.of("beta", 2));
		stored.put("billing", Map.of("country", "CH", "limits", Map.of("api", 1000)));
		assertThat(api.patch("/v1/admin/users/" + user.id(), Map.of("public_metadata", stored), key).status())
			.isEqualTo(200);

		Browser browser = new Browser(base());
		Pkce pkce = Pkce.create();
		HttpResponse<String> back = authorizeWithSignIn(browser,
				authorizeUrl(client.id(), REDIRECT, "openid profile offline_access", "st", "n", pkce), user.email());
		Json tokens = exchange(client, Browser.param(Browser.location(back), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		JWTClaimsSet id = verified(tokens.text("id_token")).getJWTClaimsSet();
		Map<String, Object> metadata = id.getJSONObjectClaim("public_metadata");
		assertThat(metadata).containsEntry("plan", "pro").containsEntry("trial", true).containsKey("seats")
			.containsKey("tags").containsKey("cancelled");
		assertThat(((Number) metadata.get("big")).longValue()).isEqualTo(12345678901234L);
		assertThat(((Number) metadata.get("ratio")).doubleValue()).isEqualTo(0.75);
		assertThat(metadata.get("billing").toString()).contains("CH").contains("1000");

		// A refresh with the same metadata reads the stored claims back.
		Json again = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(again.status()).as(again.toString()).isEqualTo(200);
		tokens = again;

		assertThat(api.patch("/v1/admin/users/" + user.id(), Map.of("public_metadata", Map.of("plan", "team")), key)
			.status()).isEqualTo(200);
		Json refreshed = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(verified(refreshed.text("id_token")).getJWTClaimsSet().getJSONObjectClaim("public_metadata"))
			.containsEntry("plan", "team");
	}

	@Test
	void idTokenWhenNoProfileScopeThenNoPublicMetadata() throws Exception {
		Registered client = confidential(true);
		User user = user();
		Browser browser = new Browser(base());
		Pkce pkce = Pkce.create();
		HttpResponse<String> back = authorizeWithSignIn(browser,
				authorizeUrl(client.id(), REDIRECT, "openid email", "st", "n", pkce), user.email());
		Json tokens = exchange(client, Browser.param(Browser.location(back), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(verified(tokens.text("id_token")).getJWTClaimsSet().getClaims()).doesNotContainKey("public_metadata")
			.containsKey("email");
	}
}
