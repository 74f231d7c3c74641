package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.org.ConnectionRepository;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The request sequence Microsoft Entra ID sends to a SCIM endpoint, as its documentation ("Tutorial: Develop and
 * plan provisioning for a SCIM endpoint in Microsoft Entra ID", the user and group operations) shows it —
 * capitalised operations, multi-valued paths, {@code excludedAttributes=members}, removing members with a value
 * list — through the real server.
 */
class ScimEntraIdTests extends ApiTestSupport {

	@Autowired
	private ConnectionRepository connections;

	@Autowired
	private JdbcClient jdbc;

	private ScimFixture fx;

	@BeforeEach
	void fixture() {
		fx = new ScimFixture(api, connections);
	}

	private static String createUserBody(String userName, String email, String externalId) {
		return """
				{
				  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
				    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
				  "externalId": "%s",
				  "userName": "%s",
				  "active": true,
				  "emails": [{"primary": true, "type": "work", "value": "%s"}],
				  "meta": {"resourceType": "User"},
				  "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
				  "roles": []
				}""".formatted(externalId, userName, email);
	}

	@Test
	void userLifecycleWhenEntraIdSequenceThenCreatedFoundPatchedDisabledAndDeleted() {
		ScimFixture.Tenant tenant = fx.tenant();
		String externalId = UUID.randomUUID().toString();
		String userName = "Test_User_" + UUID.randomUUID();
		String email = "Test_User_" + UUID.randomUUID() + "@testuser.com";

		// Get user by query, zero results: Entra ID checks before it creates
		ApiClient.Response none = fx.get(tenant, "/Users?filter=" + ScimFixture.q("userName eq \"" + userName + "\""));
		assertThat(none.status()).as(none.toString()).isEqualTo(200);
		assertThat(none.header("Content-Type")).startsWith("application/scim+json");
		assertThat(none.json().get("totalResults").asInt()).isZero();
		assertThat(none.json().get("schemas").get(0).asString())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");

		ApiClient.Response created = fx.post(tenant, "/Users", createUserBody(userName, email, externalId));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		assertThat(id).startsWith("usr_");
		assertThat(created.header("Location")).isEqualTo(tenant.baseUrl() + "/Users/" + id);
		assertThat(created.text("userName")).isEqualTo(userName);
		assertThat(created.text("externalId")).isEqualTo(externalId);
		assertThat(created.json().get("active").asBoolean()).isTrue();
		assertThat(created.json().get("meta").get("resourceType").asString()).isEqualTo("User");
		assertThat(fx.role(tenant, id)).as("a provisioned user joins with the default role").isEqualTo("member");

		// a second create of the same userName is a conflict in RFC 7644 §3.12 form
		ApiClient.Response again = fx.post(tenant, "/Users", createUserBody(userName.toUpperCase(), "other-"
				+ UUID.randomUUID() + "@testuser.com", externalId));
		assertThat(again.status()).as(again.toString()).isEqualTo(409);
		assertThat(again.text("scimType")).isEqualTo("uniqueness");
		assertThat(again.json().get("schemas").get(0).asString())
			.isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");

		// Get user by query, by userName and by externalId (userName is not case-exact)
		ApiClient.Response byName = fx.get(tenant, "/Users?filter="
				+ ScimFixture.q("userName eq \"" + userName.toLowerCase() + "\""));
		assertThat(byName.json().get("totalResults").asInt()).isEqualTo(1);
		assertThat(byName.json().get("Resources").get(0).get("id").asString()).isEqualTo(id);
		ApiClient.Response byExternal = fx.get(tenant, "/Users?filter="
				+ ScimFixture.q("externalId eq \"" + externalId + "\""));
		assertThat(byExternal.json().get("totalResults").asInt()).isEqualTo(1);

		// Update user: multi-valued and single-valued properties
		ApiClient.Response multi = fx.patch(tenant, "/Users/" + id, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [
				   {"op": "Replace", "path": "emails[type eq \\"work\\"].value", "value": "updatedEmail@microsoft.com"},
				   {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"}]}""");
		assertThat(multi.status()).as(multi.toString()).isEqualTo(200);
		assertThat(multi.json().get("emails").get(0).get("value").asString()).isEqualTo("updatedEmail@microsoft.com");
		assertThat(multi.json().get("name").get("familyName").asString()).isEqualTo("updatedFamilyName");
		String newUserName = UUID.randomUUID() + "@testuser.com";
		ApiClient.Response single = fx.patch(tenant, "/Users/" + id, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Replace", "path": "userName", "value": "%s"}]}""".formatted(newUserName));
		assertThat(single.status()).as(single.toString()).isEqualTo(200);
		assertThat(single.text("userName")).isEqualTo(newUserName);
		assertThat(jdbc.sql("select email from users where id = :id").param("id", id).query(String.class).single())
			.as("the account's email is set at creation and never changed over SCIM")
			.isEqualTo(email.toLowerCase());

		// Disable user
		ApiClient.Response disabled = fx.patch(tenant, "/Users/" + id, """
				{"Operations": [{"op": "Replace", "path": "active", "value": false}],
				 "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""");
		assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
		assertThat(disabled.json().get("active").asBoolean()).isFalse();
		assertThat(fx.role(tenant, id)).as("a disabled user is no member").isNull();

		// the older Entra ID form: "False" as a string re-enables nothing; "True" re-enables
		ApiClient.Response enabled = fx.patch(tenant, "/Users/" + id, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}""");
		assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
		assertThat(enabled.json().get("active").asBoolean()).isTrue();
		assertThat(fx.role(tenant, id)).isEqualTo("member");

		// Delete user
		ApiClient.Response deleted = fx.delete(tenant, "/Users/" + id);
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertThat(fx.get(tenant, "/Users/" + id).status()).isEqualTo(404);
		assertThat(fx.role(tenant, id)).isNull();
		assertThat(auditEvents(tenant.organizationId())).contains("scim.user.provisioned", "scim.user.updated",
				"scim.user.deactivated", "scim.user.reactivated", "scim.user.deprovisioned",
				"organization.member.added", "organization.member.removed");
	}

	@Test
	void groupLifecycleWhenEntraIdSequenceThenMembersGiveTheMappedRole() {
		ScimFixture.Tenant tenant = fx.tenant("{\"roles\": {\"Plinto Admins\": \"admin\"}}", "member");
		String alice = fx.post(tenant, "/Users", createUserBody("alice-" + UUID.randomUUID(), "alice-"
				+ UUID.randomUUID() + "@testuser.com", UUID.randomUUID().toString())).text("id");

		ApiClient.Response created = fx.post(tenant, "/Groups", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group",
				   "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
				 "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
				 "displayName": "Engineering",
				 "meta": {"resourceType": "Group"}}""");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String group = created.text("id");
		assertThat(created.json().get("members").isEmpty()).isTrue();

		ApiClient.Response read = fx.get(tenant, "/Groups/" + group + "?excludedAttributes=members");
		assertThat(read.status()).as(read.toString()).isEqualTo(200);
		assertThat(read.json().has("members")).isFalse();
		assertThat(read.text("displayName")).isEqualTo("Engineering");
		ApiClient.Response byName = fx.get(tenant, "/Groups?excludedAttributes=members&filter="
				+ ScimFixture.q("displayName eq \"engineering\""));
		assertThat(byName.json().get("totalResults").asInt()).isEqualTo(1);
		assertThat(byName.json().get("Resources").get(0).has("members")).isFalse();

		// Update group: non-member attributes (a rename to the mapped name gives its members the role)
		ApiClient.Response renamed = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Replace", "path": "displayName", "value": "Plinto Admins"}]}""");
		assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);

		// Update group: add members
		ApiClient.Response added = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Add", "path": "members", "value": [{"$ref": null, "value": "%s"}]}]}"""
			.formatted(alice));
		assertThat(added.status()).as(added.toString()).isEqualTo(200);
		assertThat(added.json().get("members").get(0).get("value").asString()).isEqualTo(alice);
		assertThat(fx.role(tenant, alice)).isEqualTo("admin");
		assertThat(fx.get(tenant, "/Users/" + alice).json().get("groups").get(0).get("display").asString())
			.isEqualTo("Plinto Admins");

		// Update group: remove members (Entra ID sends the members to remove as a value list)
		ApiClient.Response removed = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "Remove", "path": "members", "value": [{"$ref": null, "value": "%s"}]}]}"""
			.formatted(alice));
		assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
		assertThat(removed.json().get("members").isEmpty()).isTrue();
		assertThat(fx.role(tenant, alice)).as("back to the connection's default role").isEqualTo("member");

		assertThat(fx.delete(tenant, "/Groups/" + group).status()).isEqualTo(204);
		assertThat(fx.get(tenant, "/Groups/" + group).status()).isEqualTo(404);
		assertThat(auditEvents(tenant.organizationId())).contains("scim.group.created", "scim.group.updated",
				"scim.group.deleted", "organization.member.role_changed");
	}

	@Test
	void discoveryWhenReadThenServiceProviderConfigResourceTypesAndSchemas() {
		ScimFixture.Tenant tenant = fx.tenant();
		ApiClient.Response config = fx.get(tenant, "/ServiceProviderConfig");
		assertThat(config.status()).as(config.toString()).isEqualTo(200);
		assertThat(config.json().get("patch").get("supported").asBoolean()).isTrue();
		assertThat(config.json().get("filter").get("supported").asBoolean()).isTrue();
		assertThat(config.json().get("filter").get("maxResults").asInt()).isEqualTo(200);
		assertThat(config.json().get("bulk").get("supported").asBoolean()).isFalse();
		assertThat(config.json().get("authenticationSchemes").get(0).get("type").asString()).isEqualTo("oauthbearertoken");

		ApiClient.Response types = fx.get(tenant, "/ResourceTypes");
		assertThat(types.json().get("totalResults").asInt()).isEqualTo(2);
		assertThat(fx.get(tenant, "/ResourceTypes/User").json().get("endpoint").asString()).isEqualTo("/Users");

		ApiClient.Response schemas = fx.get(tenant, "/Schemas");
		assertThat(schemas.json().get("totalResults").asInt()).isEqualTo(3);
		ApiClient.Response user = fx.get(tenant, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
		assertThat(user.status()).as(user.toString()).isEqualTo(200);
		assertThat(user.raw()).contains("\"userName\"");
	}

	private java.util.List<String> auditEvents(String organizationId) {
		return jdbc.sql("select type from audit_events where organization_id = :org")
			.param("org", organizationId)
			.query(String.class)
			.list()
			.stream()
			.map(t -> dev.plinto.audit.AuditEvent.Type.valueOf(t).wireName())
			.toList();
	}
}
