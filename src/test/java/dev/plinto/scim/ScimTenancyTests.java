package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.ConnectionRepository;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenancy of SCIM: one organization's token can never read or touch another organization's users or groups, and
 * the answers do not tell whether another connection exists. The token is shown once and stored as a hash.
 */
class ScimTenancyTests extends ApiTestSupport {

	@Autowired
	private ConnectionRepository connections;

	@Autowired
	private JdbcClient jdbc;

	private ScimFixture fx;

	@BeforeEach
	void fixture() {
		fx = new ScimFixture(api, connections);
	}

	private static String user(String email) {
		return """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "%s",
				 "emails": [{"primary": true, "value": "%s"}]}""".formatted(email, email);
	}

	@Test
	void tokenWhenUsedOnAnotherOrganizationsConnectionThenRefusedLikeAnUnknownOne() {
		ScimFixture.Tenant a = fx.tenant();
		ScimFixture.Tenant b = fx.tenant();
		String bUser = fx.post(b, "/Users", user("b-" + UUID.randomUUID() + "@example.com")).text("id");

		ApiClient.Response othersUsers = fx.scim("GET", b.path("/Users"), a.scimToken(), null);
		ApiClient.Response othersUser = fx.scim("GET", b.path("/Users/" + bUser), a.scimToken(), null);
		ApiClient.Response othersDelete = fx.scim("DELETE", b.path("/Users/" + bUser), a.scimToken(), null);
		ApiClient.Response othersCreate = fx.scim("POST", b.path("/Users"), a.scimToken(),
				user("x-" + UUID.randomUUID() + "@example.com"));
		ApiClient.Response unknown = fx.scim("GET", "/scim/v2/" + SecureTokens.newId("con") + "/Users", a.scimToken(),
				null);
		for (ApiClient.Response r : java.util.List.of(othersUsers, othersUser, othersDelete, othersCreate, unknown)) {
			assertThat(r.status()).as(r.toString()).isEqualTo(401);
			assertThat(r.header("Content-Type")).startsWith("application/scim+json");
			assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
			assertThat(r.raw()).as("the same answer for an existing and an unknown connection")
				.isEqualTo(unknown.raw());
		}
		assertThat(fx.get(b, "/Users/" + bUser).status()).as("B's user is untouched").isEqualTo(200);
	}

	@Test
	void listWhenTwoOrganizationsProvisionThenEachSeesOnlyItsOwnUsersAndGroups() {
		ScimFixture.Tenant a = fx.tenant();
		ScimFixture.Tenant b = fx.tenant();
		String shared = "same-" + UUID.randomUUID() + "@example.com";
		String aUser = fx.post(a, "/Users", user(shared)).text("id");
		String bOnly = fx.post(b, "/Users", user("b-" + UUID.randomUUID() + "@example.com")).text("id");
		fx.post(b, "/Groups", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "B team"}""");

		ApiClient.Response aList = fx.get(a, "/Users");
		assertThat(aList.json().get("totalResults").asInt()).isEqualTo(1);
		assertThat(aList.json().get("Resources").get(0).get("id").asString()).isEqualTo(aUser);
		assertThat(fx.get(a, "/Users/" + bOnly).status()).as("B's user id through A's connection").isEqualTo(404);
		assertThat(fx.get(a, "/Users?filter=" + ScimFixture.q("id eq \"" + bOnly + "\"")).json().get("totalResults")
			.asInt()).isZero();
		assertThat(fx.get(a, "/Groups").json().get("totalResults").asInt()).isZero();
		assertThat(fx.patch(a, "/Users/" + bOnly, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "replace", "path": "active", "value": false}]}""").status()).isEqualTo(404);
		assertThat(fx.delete(a, "/Users/" + bOnly).status()).isEqualTo(404);

		// B's IdP cannot take over the account A provisioned: it is not a member of B, its domain is not B's
		ApiClient.Response takeover = fx.post(b, "/Users", user(shared));
		assertThat(takeover.status()).as(takeover.toString()).isEqualTo(409);
		assertThat(takeover.text("scimType")).isEqualTo("uniqueness");
		assertThat(fx.role(b, aUser)).isNull();

		// nor put A's user into one of its groups
		ApiClient.Response group = fx.post(b, "/Groups", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Admin",
				 "members": [{"value": "%s"}]}""".formatted(aUser));
		assertThat(group.status()).as(group.toString()).isEqualTo(400);
		assertThat(group.text("scimType")).isEqualTo("invalidValue");
		assertThat(fx.role(b, aUser)).isNull();
	}

	@Test
	void existingAccountWhenNotAMemberAndDomainNotVerifiedThenNotLinked() {
		ScimFixture.Tenant tenant = fx.tenant();
		ScimFixture.Person stranger = fx.person("stranger-" + UUID.randomUUID() + "@example.com");
		ApiClient.Response r = fx.post(tenant, "/Users", user(stranger.email()));
		assertThat(r.status()).as(r.toString()).isEqualTo(409);
		assertThat(r.text("scimType")).isEqualTo("uniqueness");
		assertThat(fx.role(tenant, stranger.id())).isNull();
		assertThat(api.get("/v1/me", stranger.accessToken()).status()).as("their session is untouched").isEqualTo(200);
	}

	@Test
	void tokenWhenCreatedThenShownOnceStoredAsHashAndRotationEndsTheOldOne() {
		ScimFixture.Tenant tenant = fx.tenant();
		assertThat(tenant.scimToken()).startsWith("scim_").hasSizeGreaterThan(40);
		String stored = jdbc.sql("select scim_token_hash from organization_connections where id = :id")
			.param("id", tenant.connectionId())
			.query(String.class)
			.single();
		assertThat(stored).isEqualTo(SecureTokens.hash(tenant.scimToken())).doesNotContain(tenant.scimToken());
		assertThat(jdbc.sql("select count(*) from audit_events where organization_id = :org and type = 'SCIM_TOKEN_CREATED'")
			.param("org", tenant.organizationId()).query(Long.class).single()).isEqualTo(1);

		ApiClient.Response rotated = api.post("/v1/organizations/" + tenant.organizationId() + "/connections/"
				+ tenant.connectionId() + "/scim-token", "", tenant.ownerToken());
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
		assertThat(rotated.header("Cache-Control")).contains("no-store");
		assertThat(rotated.text("token")).isNotEqualTo(tenant.scimToken());
		assertThat(rotated.text("scim_base_url")).endsWith("/scim/v2/" + tenant.connectionId());
		assertThat(fx.get(tenant, "/Users").status()).as("the old token").isEqualTo(401);
		assertThat(fx.scim("GET", tenant.path("/Users"), rotated.text("token"), null).status()).isEqualTo(200);

		ApiClient.Response withdrawn = api.delete("/v1/organizations/" + tenant.organizationId() + "/connections/"
				+ tenant.connectionId() + "/scim-token", tenant.ownerToken());
		assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(204);
		assertThat(fx.scim("GET", tenant.path("/Users"), rotated.text("token"), null).status()).isEqualTo(401);
		assertThat(jdbc.sql("select scim_token_hash from organization_connections where id = :id")
			.param("id", tenant.connectionId()).query(String.class).optional()).isEmpty();
		assertThat(jdbc.sql("select count(*) from audit_events where organization_id = :org and type = 'SCIM_TOKEN_REVOKED'")
			.param("org", tenant.organizationId()).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void tokenWhenCreatedByAnotherOrganizationsOwnerOrForAnotherOrganizationsConnectionThenNotFound() {
		ScimFixture.Tenant a = fx.tenant();
		ScimFixture.Tenant b = fx.tenant();
		ApiClient.Response outsider = api.post("/v1/organizations/" + b.organizationId() + "/connections/"
				+ b.connectionId() + "/scim-token", "", a.ownerToken());
		assertThat(outsider.status()).as(outsider.toString()).isEqualTo(404);
		assertThat(outsider.code()).isEqualTo("not_found");
		ApiClient.Response crossed = api.post("/v1/organizations/" + a.organizationId() + "/connections/"
				+ b.connectionId() + "/scim-token", "", a.ownerToken());
		assertThat(crossed.status()).as(crossed.toString()).isEqualTo(404);
		assertThat(fx.get(b, "/Users").status()).as("B's token still works").isEqualTo(200);
	}

	@Test
	void credentialsWhenNotTheConnectionsTokenThenUnauthorizedInScimForm() {
		ScimFixture.Tenant tenant = fx.tenant();
		ApiClient.Response none = fx.scim("GET", tenant.path("/Users"), null, null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(none.json().get("schemas").get(0).asString()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
		assertThat(none.json().get("status").asString()).isEqualTo("401");
		ApiClient.Response userToken = fx.scim("GET", tenant.path("/Users"), tenant.ownerToken(), null);
		assertThat(userToken.status()).as("a user's access token is no SCIM token").isEqualTo(401);
		ApiClient.Response scimOnApi = api.get("/v1/me", tenant.scimToken());
		assertThat(scimOnApi.status()).as("a SCIM token is no access token").isEqualTo(401);
		ApiClient.Response base = fx.scim("GET", "/scim/v2", tenant.scimToken(), null);
		assertThat(base.status()).isEqualTo(401);
	}
}
