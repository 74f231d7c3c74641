package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.web.ClientInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Backend API's storage on PostgreSQL (a database of its own, dropped when the server stops): keys, the user
 * search with every filter, metadata and bans; an organization's members filtered by email, its slug and custom
 * roles.
 */
class PostgresAdminApiTests extends PostgresApiTestSupport {

	@Autowired
	private ApiKeys apiKeys;

	@Test
	void usersWhenSearchedChangedAndBannedThenEveryQueryWorksOnPostgres() {
		ApiKeys.WithSecret k = apiKeys.create("pg", List.of("users:read", "users:write", "sessions:write",
				"audit:read"), Duration.ofDays(1), "test", ClientInfo.none());
		String key = k.secret();
		String tag = "p%_" + UUID.randomUUID().toString().substring(0, 6);
		ApiClient.Response created = api.post("/v1/admin/users", Map.of("email", "pg-" + UUID.randomUUID()
				+ "@example.com", "name", "Zoë " + tag, "password", "amber lantern meadow 7", "public_metadata",
				Map.of("note", "naïve 😀")), key);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		String email = created.text("email");
		String token = signIn(email, "amber lantern meadow 7").text("access_token");
		MfaSteps.enrolTotp(api, token, clock.instant());

		String q = java.net.URLEncoder.encode(tag, java.nio.charset.StandardCharsets.UTF_8);
		assertThat(api.get("/v1/admin/users?query=" + q, key).json().get("data")).hasSize(1);
		assertThat(api.get("/v1/admin/users?query=" + q.replace("%25", "_"), key).json().get("data"))
			.as("_ matches itself, not any character").isEmpty();
		String filters = "&has_mfa=true&banned=false&created_after=2000-01-01T00:00:00Z&created_before="
				+ clock.instant().plusSeconds(1) + "&last_sign_in_after=2000-01-01T00:00:00Z&last_sign_in_before="
				+ clock.instant().plusSeconds(1);
		ApiClient.Response all = api.get("/v1/admin/users?query=" + q + filters + "&email=" + email, key);
		assertThat(all.status()).as(all.toString()).isEqualTo(200);
		assertThat(all.json().get("data")).hasSize(1);
		assertThat(all.json().get("data").get(0).get("public_metadata").get("note").asString()).isEqualTo("naïve 😀");

		ApiClient.Response patched = api.patch("/v1/admin/users/" + id, Map.of("private_metadata",
				Map.of("n", 1)), key);
		assertThat(patched.json().get("public_metadata").get("note").asString()).as("unchanged").isEqualTo("naïve 😀");
		assertThat(patched.json().get("private_metadata").get("n").asInt()).isEqualTo(1);

		assertThat(api.post("/v1/admin/users/" + id + "/ban", "", key).json().get("banned").asBoolean()).isTrue();
		assertThat(api.get("/v1/me", token).status()).isEqualTo(401);
		assertThat(api.get("/v1/admin/users?query=" + q + "&banned=true", key).json().get("data")).hasSize(1);
		assertThat(api.post("/v1/admin/users/" + id + "/lock", Map.of("duration_seconds", 60), key).status())
			.isEqualTo(200);
		clock.advance(Duration.ofSeconds(1));
		assertThat(api.post("/v1/admin/users/" + id + "/mfa/reset", "", key).json().get("has_mfa").asBoolean())
			.isFalse();
		ApiClient.Response events = api.get("/v1/admin/users/" + id + "/security-events?limit=2", key);
		assertThat(events.json().get("data").get(0).get("actor_id").asString()).isEqualTo(k.key().id());
		assertThat(api.get("/v1/admin/users/" + id + "/security-events?limit=2&cursor=" + events.text("next_cursor"),
				key).status()).isEqualTo(200);

		apiKeys.rotate(k.key().id(), ClientInfo.none());
		assertThat(api.get("/v1/admin/users", key).code()).isEqualTo("invalid_api_key");
	}

	@Test
	void organizationMembersWhenFilteredByEmailThenAnUnderscoreMatchesItselfOnPostgres() {
		String key = apiKeys.create("pg orgs", List.of("organizations:read", "organizations:write"), Duration.ofDays(1),
				"test", ClientInfo.none()).secret();
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String literal = signUp("pg_" + tag + "@example.com").json().get("user").get("id").asString();
		String other = signUp("pgx" + tag + "@example.com").json().get("user").get("id").asString();
		ApiClient.Response created = api.post("/v1/admin/organizations", Map.of("name", "Pg " + tag,
				"owner_user_id", literal), key);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String org = "/v1/admin/organizations/" + created.text("id");
		assertThat(api.post(org + "/members", Map.of("user_id", other, "role", "member"), key).status())
			.isEqualTo(201);

		assertThat(api.get(org + "/members?email=PG_" + tag, key).json().get("data"))
			.singleElement()
			.satisfies(m -> assertThat(m.get("user_id").asString()).isEqualTo(literal));
		assertThat(api.get(org + "/members?email=" + tag, key).json().get("data")).hasSize(2);

		assertThat(api.patch(org, Map.of("slug", "pg-" + tag), key).text("slug")).isEqualTo("pg-" + tag);
		assertThat(api.post(org + "/roles", Map.of("key", "billing", "name", "Billing", "permissions",
				List.of("app:invoices.read")), key).status()).isEqualTo(201);
		assertThat(api.get(org + "/roles", key).json().get("data")).hasSize(4);
	}
}
