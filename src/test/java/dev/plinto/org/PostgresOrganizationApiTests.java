package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.org.OrgFixture.Person;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Organizations end to end on PostgreSQL: the whole flow, tenancy, and the count checks under concurrency. */
@TestPropertySource(properties = "PLINTO_ORG_MAX_MEMBERS=" + ConcurrencyScenario.MAX_MEMBERS)
class PostgresOrganizationApiTests extends PostgresApiTestSupport implements WithMailCatcher {

	private OrgFixture fx;

	@BeforeEach
	void fixture() {
		fx = new OrgFixture(api, MAIL);
	}

	@Test
	void organizationWhenCreatedInvitedAcceptedAndActivatedThenEveryStepWorksOnPostgres() {
		Person owner = fx.person();
		ApiClient.Response created = api.post("/v1/organizations", Map.of("name", "Zürich Works", "public_metadata",
				Map.of("plan", "pro", "note", "naïve 😀 text")), owner.token());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String org = created.text("id");
		assertThat(created.text("slug")).startsWith("zurich-works");
		assertThat(created.json().get("public_metadata").get("note").asString()).isEqualTo("naïve 😀 text");
		ApiClient.Response nul = api.patch("/v1/organizations/" + created.text("id"),
				Map.of("public_metadata", Map.of("note", "a\u0000b")), owner.token());
		assertThat(nul.status()).as("PostgreSQL cannot store NUL: refused, never a 500").isEqualTo(400);
		assertThat(nul.code()).isEqualTo("malformed_request");

		assertThat(api.post("/v1/organizations/" + org + "/roles", Map.of("key", "analyst", "name", "Analyst",
				"permissions", List.of("org:members:read", "app:reports.read")), owner.token()).status()).isEqualTo(201);
		String email = OrgFixture.newEmail();
		String token = fx.invitationToken(owner, org, email, "analyst");
		ApiClient.Response joined = api.post("/v1/invitations/accept",
				Map.of("token", token, "password", PASSWORD, "name", "Ana"));
		assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
		String analystId = joined.json().get("user").get("id").asString();

		Map<String, Object> body = new java.util.HashMap<>();
		body.put("organization_id", org);
		ApiClient.Response active = api.post("/v1/me/active-organization", body, joined.text("access_token"));
		assertThat(active.status()).as(active.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(active.text("access_token")).get("org_role").asString()).isEqualTo("analyst");

		ApiClient.Response members = api.get("/v1/organizations/" + org + "/members?email=" + email.substring(0, 12),
				active.text("access_token"));
		assertThat(members.status()).as(members.toString()).isEqualTo(200);
		assertThat(members.json().get("data").get(0).get("user_id").asString()).isEqualTo(analystId);

		api.patch("/v1/organizations/" + org + "/members/" + analystId, Map.of("role", "admin"), owner.token());
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				Map.of("refresh_token", joined.text("refresh_token")));
		assertThat(ApiClient.claims(refreshed.text("access_token")).get("org_role").asString()).isEqualTo("admin");

		ApiClient.Response leave = api.post("/v1/organizations/" + org + "/leave", "", refreshed.text("access_token"));
		assertThat(leave.status()).isEqualTo(204);
		ApiClient.Response after = api.post("/v1/token/refresh", Map.of("refresh_token", refreshed.text("refresh_token")));
		assertThat(ApiClient.claims(after.text("access_token")).has("org_id")).isFalse();

		assertThat(api.delete("/v1/organizations/" + org, owner.token()).status()).isEqualTo(204);
	}

	@Test
	void hostileIdsAndQueriesWhenSentThenClientErrorsNeverServerErrors() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		String t = owner.token();
		for (String path : List.of("/v1/organizations/%00", "/v1/organizations/org_%00%00",
				"/v1/organizations/" + org + "/members/usr_%00", "/v1/organizations/" + org + "/roles/%00",
				"/v1/organizations/" + org + "/invitations/inv_%C3%28", "/v1/organizations/" + org + "/roles/%F0%9F%98%80")) {
			ApiClient.Response r = api.delete(path, t);
			assertThat(r.status()).as(path + ": " + r).isBetween(400, 404);
		}
		assertThat(api.get("/v1/organizations/" + org + "/members?email=a%00b", t).status()).isEqualTo(400);
		assertThat(api.get("/v1/organizations/" + org + "/members?cursor=AA", t).status()).isEqualTo(400);
		assertThat(api.get("/v1/organizations/" + org + "/members?email=%25%5F%5C", t).status()).isEqualTo(200);
		ApiClient.Response role = api.post("/v1/organizations/" + org + "/roles", Map.of("key", "k", "name", "K",
				"permissions", List.of("app:\u0000")), t);
		assertThat(role.status()).as(role.toString()).isIn(400, 422);
	}

	@Test
	void everyEndpointWhenOwnerOfAUsesOrganizationBThenNotFoundAndBUnchanged() {
		new TenancyScenario(api, fx).run();
	}

	@Test
	void inviteWhenConcurrentThenMemberLimitHolds() throws Exception {
		new ConcurrencyScenario(api, fx).memberLimitUnderConcurrentInvitations();
	}

	@Test
	void changeRoleWhenOwnersDemoteEachOtherConcurrentlyThenOneOwnerRemains() throws Exception {
		new ConcurrencyScenario(api, fx).lastOwnerUnderConcurrentDemotions();
	}
}
