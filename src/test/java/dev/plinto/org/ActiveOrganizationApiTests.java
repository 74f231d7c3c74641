package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.org.OrgFixture.Person;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The session's active organization and its claims in access tokens, recomputed at every refresh. */
class ActiveOrganizationApiTests extends ApiTestSupport implements WithMailCatcher {

	private OrgFixture fx;

	@BeforeEach
	void fixture() {
		fx = new OrgFixture(api, MAIL);
	}

	private ApiClient.Response activate(Person p, String organizationId) {
		Map<String, Object> body = new HashMap<>();
		body.put("organization_id", organizationId);
		return api.post("/v1/me/active-organization", body, p.token());
	}

	private JsonNode refreshedClaims(String refreshToken, String[] next) {
		ApiClient.Response r = api.post("/v1/token/refresh", Map.of("refresh_token", refreshToken));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		next[0] = r.text("refresh_token");
		return ApiClient.claims(r.text("access_token"));
	}

	@Test
	void activateWhenMemberThenNewAccessTokenCarriesClaimsAndRefreshKeepsThem() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		String slug = api.get("/v1/organizations/" + org, owner.token()).text("slug");

		ApiClient.Response r = activate(owner, org);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.header("Cache-Control")).isEqualTo("no-store");
		assertThat(r.text("session_id")).isEqualTo(owner.sessionId());
		assertThat(r.json().has("refresh_token")).as("the refresh token is unchanged").isFalse();
		JsonNode claims = ApiClient.claims(r.text("access_token"));
		assertThat(claims.get("org_id").asString()).isEqualTo(org);
		assertThat(claims.get("org_slug").asString()).isEqualTo(slug);
		assertThat(claims.get("org_role").asString()).isEqualTo("owner");
		assertThat(OrgFixture.strings(claims.get("org_permissions"))).contains("org:delete", "org:manage");
		assertThat(claims.get("sid").asString()).isEqualTo(owner.sessionId());
		assertThat(api.get("/v1/me", r.text("access_token")).status()).as("the new token works").isEqualTo(200);

		String[] next = new String[1];
		JsonNode refreshed = refreshedClaims(owner.refreshToken(), next);
		assertThat(refreshed.get("org_id").asString()).isEqualTo(org);

		ApiClient.Response other = signIn(owner.email(), PASSWORD);
		assertThat(ApiClient.claims(other.text("access_token")).has("org_id"))
			.as("the active organization belongs to one session").isFalse();
	}

	@Test
	void activateWhenNullThenClaimsGone() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		activate(owner, org);
		ApiClient.Response cleared = activate(owner, null);
		assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(cleared.text("access_token")).has("org_id")).isFalse();
		assertThat(refreshedClaims(owner.refreshToken(), new String[1]).has("org_id")).isFalse();
	}

	@Test
	void activateWhenNotMemberOrUnknownThenNotFound() {
		Person owner = fx.person();
		Person stranger = fx.person();
		String org = fx.organization(owner);
		ApiClient.Response r = activate(stranger, org);
		assertThat(r.status()).isEqualTo(404);
		assertThat(r.code()).isEqualTo("not_found");
		assertThat(activate(stranger, "org_00000000000000000000000000").status()).isEqualTo(404);
		assertThat(activate(stranger, "'; drop table users; --").status()).isEqualTo(404);
		assertThat(api.post("/v1/me/active-organization", Map.of("organization_id", org)).status()).isEqualTo(401);
	}

	@Test
	void refreshWhenRoleChangedThenNewClaimsAndWhenRemovedThenNoClaims() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");
		assertThat(ApiClient.claims(activate(member, org).text("access_token")).get("org_role").asString())
			.isEqualTo("member");

		api.patch("/v1/organizations/" + org + "/members/" + member.id(), Map.of("role", "admin"), owner.token());
		String[] next = new String[1];
		JsonNode promoted = refreshedClaims(member.refreshToken(), next);
		assertThat(promoted.get("org_role").asString()).isEqualTo("admin");
		assertThat(OrgFixture.strings(promoted.get("org_permissions"))).contains("org:members:manage")
			.doesNotContain("org:delete");

		api.post("/v1/organizations/" + org + "/roles", Map.of("key", "viewer", "name", "Viewer", "permissions",
				List.of("app:reports.read")), owner.token());
		api.patch("/v1/organizations/" + org + "/members/" + member.id(), Map.of("role", "viewer"), owner.token());
		JsonNode custom = refreshedClaims(next[0], next);
		assertThat(custom.get("org_role").asString()).isEqualTo("viewer");
		assertThat(OrgFixture.strings(custom.get("org_permissions"))).containsExactly("app:reports.read");
		api.patch("/v1/organizations/" + org + "/roles/viewer",
				Map.of("permissions", List.of("app:reports.read", "app:reports.export")), owner.token());
		assertThat(OrgFixture.strings(refreshedClaims(next[0], next).get("org_permissions")))
			.containsExactly("app:reports.read", "app:reports.export");

		api.delete("/v1/organizations/" + org + "/members/" + member.id(), owner.token());
		JsonNode removed = refreshedClaims(next[0], next);
		assertThat(removed.has("org_id")).isFalse();
		assertThat(removed.has("org_role")).isFalse();
		assertThat(removed.has("org_permissions")).isFalse();

		fx.addMember(owner, org, member, "member");
		assertThat(refreshedClaims(next[0], next).has("org_id"))
			.as("rejoining does not silently reactivate the organization").isFalse();
	}

	@Test
	void refreshWhenOrganizationDeletedThenNoClaims() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		activate(owner, org);
		api.delete("/v1/organizations/" + org, owner.token());
		assertThat(refreshedClaims(owner.refreshToken(), new String[1]).has("org_id")).isFalse();
	}
}
