package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.web.ClientInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registering clients: the rules on redirect URIs, grants and types, a secret that is shown once and stored only as
 * a salted hash, rotation that retires the old secret at once, updates that keep the secret, and deletion that
 * takes the client's tokens with it.
 */
class OidcClientsTests extends OidcTestSupport {

	@Autowired
	private JdbcClient jdbc;

	private static OidcClients.Spec spec(OidcClients.Type type, List<String> redirects, Set<String> grants) {
		return new OidcClients.Spec("App", type, redirects, List.of(), grants, null, false, true, null, null, null);
	}

	@Test
	void createWhenConfidentialThenTheSecretIsReturnedOnceAndStoredOnlyAsASaltedHash() {
		OidcClients.Created created = clients.create(spec(OidcClients.Type.CONFIDENTIAL, List.of(REDIRECT), null),
				ClientInfo.none());
		assertThat(created.secret()).hasSize(43);
		String stored = jdbc.sql("select client_secret from oauth2_registered_client where client_id = ?")
			.param(created.client().clientId())
			.query(String.class)
			.single();
		assertThat(stored).startsWith("sha256$").doesNotContain(created.secret());
		assertThat(new ClientSecrets().matches(created.secret(), stored)).isTrue();
		assertThat(new ClientSecrets().matches(created.secret() + "x", stored)).isFalse();
		assertThat(new ClientSecrets().encode(created.secret())).as("salted: a second hash differs")
			.isNotEqualTo(stored);
		OidcClients.Client client = created.client();
		assertThat(client.grants()).containsExactly("authorization_code", "refresh_token");
		assertThat(client.scopes()).containsExactly("email", "openid", "profile");
		assertThat(client.requirePkce()).isTrue();
		assertThat(client.firstParty()).isFalse();
		assertThat(client.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
		assertThat(clients.list()).extracting(OidcClients.Client::clientId).contains(client.clientId());
	}

	@Test
	void createWhenRedirectUriUnsafeThenRefusedWithTheRule() {
		for (String uri : List.of("http://app.example/callback", "https://app.example/cb#frag", "/relative",
				"https://user:pw@app.example/cb", "javascript:alert(1)", "not a uri")) {
			assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.CONFIDENTIAL, List.of(uri), null),
					ClientInfo.none()))
				.as(uri)
				.isInstanceOf(IllegalArgumentException.class);
		}
		for (String uri : List.of("http://localhost:8080/cb", "http://127.0.0.1/cb", "com.example.app:/callback",
				"https://app.example/cb?tenant=1")) {
			assertThat(clients.create(spec(OidcClients.Type.PUBLIC, List.of(uri), Set.of("authorization_code")),
					ClientInfo.none()).client().redirectUris()).as(uri).containsExactly(uri);
		}
	}

	@Test
	void createWhenDeviceCodeOrTokenExchangeThenStoredByTheirUrnsWithTheirRules() {
		OidcClients.Created tv = clients.create(spec(OidcClients.Type.PUBLIC, List.of(), Set.of("device_code")),
				ClientInfo.none());
		assertThat(tv.client().grants()).containsExactly("urn:ietf:params:oauth:grant-type:device_code");
		assertThat(tv.client().scopes()).as("no openid: the device flow issues no ID token")
			.containsExactly("email", "profile");
		OidcClients.Created service = clients.create(spec(OidcClients.Type.CONFIDENTIAL, List.of(),
				Set.of("token-exchange", "urn:ietf:params:oauth:grant-type:device_code")), ClientInfo.none());
		assertThat(service.client().grants()).containsExactly("urn:ietf:params:oauth:grant-type:device_code",
				"urn:ietf:params:oauth:grant-type:token-exchange");
		assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.PUBLIC, List.of(), Set.of("token-exchange")),
				ClientInfo.none())).hasMessageContaining("public client cannot use token-exchange");
		assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.PUBLIC, List.of(),
				Set.of("device_code", "refresh_token")), ClientInfo.none())).hasMessageContaining("no refresh tokens");
	}

	@Test
	void createWhenGrantsInconsistentThenRefused() {
		assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.PUBLIC, List.of(REDIRECT),
				Set.of("client_credentials")), ClientInfo.none())).hasMessageContaining("public client");
		assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.CONFIDENTIAL, List.of(),
				Set.of("authorization_code")), ClientInfo.none())).hasMessageContaining("redirect URI");
		assertThatThrownBy(() -> clients.create(spec(OidcClients.Type.CONFIDENTIAL, List.of(REDIRECT),
				Set.of("password")), ClientInfo.none())).hasMessageContaining("Unknown grant");
		OidcClients.Created publicClient = clients.create(new OidcClients.Spec("SPA", OidcClients.Type.PUBLIC,
				List.of(REDIRECT), List.of(), Set.of("authorization_code"), null, false, false, null, null, null),
				ClientInfo.none());
		assertThat(publicClient.secret()).isNull();
		assertThat(publicClient.client().requirePkce()).as("always for a public client").isTrue();
	}

	@Test
	void rotateSecretWhenDoneThenTheOldSecretIsRefusedAndTheNewOneWorks() {
		Registered client = confidential(true, "jobs");
		Json before = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials"));
		assertThat(before.status()).as(before.toString()).isEqualTo(200);
		String secret = clients.rotateSecret(client.id(), ClientInfo.none());
		Json old = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials"));
		assertThat(old.status()).as(old.toString()).isEqualTo(401);
		Registered rotated = new Registered(client.id(), secret);
		Json fresh = tokenRequest("/oauth2/token", rotated, Map.of("grant_type", "client_credentials"));
		assertThat(fresh.status()).as(fresh.toString()).isEqualTo(200);

		// Changed in the database by another node: the next request reads the change (ParsedClients)
		jdbc.sql("update oauth2_registered_client set authorization_grant_types = 'authorization_code' "
				+ "where client_id = ?").param(client.id()).update();
		Json refused = tokenRequest("/oauth2/token", rotated, Map.of("grant_type", "client_credentials"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("unauthorized_client");
	}

	@Test
	void updateWhenNameAndUrisChangeThenTheSecretStaysAndTheTypeCannotChange() {
		Registered client = confidential(true, "jobs");
		OidcClients.Client before = clients.find(client.id()).orElseThrow();
		OidcClients.Client after = clients.update(client.id(), new OidcClients.Spec("Renamed",
				OidcClients.Type.CONFIDENTIAL, List.of("https://app.example/other"), List.of(),
				Set.copyOf(before.grants()), Set.copyOf(before.scopes()), true, true, null, null, null),
				ClientInfo.none());
		assertThat(after.name()).isEqualTo("Renamed");
		assertThat(after.redirectUris()).containsExactly("https://app.example/other");
		assertThat(tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials")).status())
			.isEqualTo(200);
		assertThatThrownBy(() -> clients.update(client.id(), new OidcClients.Spec("Renamed", OidcClients.Type.PUBLIC,
				List.of(REDIRECT), List.of(), Set.of("authorization_code"), null, true, true, null, null, null),
				ClientInfo.none())).hasMessageContaining("type cannot change");
	}

	@Test
	void deleteWhenDoneThenItsTokensAreInactiveAndItCannotAuthenticate() {
		Registered client = confidential(true, "jobs");
		Json token = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials"));
		Registered other = confidential(true, "jobs");
		clients.delete(client.id(), ClientInfo.none());
		assertThat(clients.find(client.id())).isEmpty();
		assertThat(tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials")).status())
			.isEqualTo(401);
		Json introspected = tokenRequest("/oauth2/introspect", other, Map.of("token", token.text("access_token")));
		assertThat(introspected.body().get("active").asBoolean()).isFalse();
		assertThatThrownBy(() -> clients.delete(client.id(), ClientInfo.none()))
			.hasMessageContaining("There is no client");
	}

	@Autowired
	private AuthorizationCleanupJob cleanup;

	@Test
	void cleanupWhenEveryTokenExpiredADayAgoThenTheAuthorizationIsDeletedAndNotBefore() {
		Registered client = confidential(true, "jobs");
		Json token = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials"));
		// A client-credentials token is stored once it is revoked, until it has expired (ClientCredentialsTokens)
		assertThat(tokenRequest("/oauth2/revoke", client, Map.of("token", token.text("access_token"))).status())
			.isEqualTo(200);
		String hash = HashedTokens.hash(token.text("access_token"));
		java.util.function.Supplier<Integer> rows = () -> jdbc
			.sql("select count(*) from oauth2_authorization where access_token_value = ?")
			.param(hash)
			.query(Integer.class)
			.single();
		java.time.Instant start = clock.instant();
		try {
			cleanup.clean();
			assertThat(rows.get()).as("a revoked token's authorization stays while the token could be presented").isEqualTo(1);
			clock.advance(Duration.ofMinutes(5).plus(AuthorizationCleanupJob.KEEP_EXPIRED).plusMinutes(5));
			cleanup.clean();
			assertThat(rows.get()).as("expired over a day ago").isZero();
		}
		finally {
			clock.set(start);
		}
	}

	@Test
	void tokensWhenStoredThenOnlyTheirHashesAreInTheTable() {
		Registered client = confidential(true, "jobs");
		Json token = tokenRequest("/oauth2/token", client, Map.of("grant_type", "client_credentials"));
		assertThat(tokenRequest("/oauth2/revoke", client, Map.of("token", token.text("access_token"))).status())
			.isEqualTo(200);
		List<String> stored = jdbc.sql("select access_token_value from oauth2_authorization where access_token_value "
				+ "is not null")
			.query(String.class)
			.list();
		assertThat(stored).allSatisfy(v -> assertThat(v).startsWith("sha256:"))
			.contains(HashedTokens.hash(token.text("access_token")))
			.doesNotContain(token.text("access_token"));
	}
}
