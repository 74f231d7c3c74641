package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationService;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import dev.plinto.web.ErrorCode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The request sequence Okta sends to a SCIM 2.0 application, as its SCIM 2.0 protocol reference shows it —
 * lookup by userName with startIndex and count, create with a password, PUT of the whole user, deactivation by a
 * path-less replace, groups renamed with their id in the value and members removed by a value filter — through
 * the real server. Deactivation ends the user's sessions.
 */
class ScimOktaTests extends ApiTestSupport {

	@Autowired
	private ConnectionRepository connections;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private OrganizationService organizations;

	private ScimFixture fx;

	@BeforeEach
	void fixture() {
		fx = new ScimFixture(api, connections);
	}

	private static String user(String userName, String email, String externalId, boolean active, String givenName) {
		return """
				{
				  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
				  "userName": "%s",
				  "name": {"givenName": "%s", "familyName": "User"},
				  "emails": [{"primary": true, "value": "%s", "type": "work"}],
				  "displayName": "%s User",
				  "locale": "en-US",
				  "externalId": "%s",
				  "groups": [],
				  "password": "1mz050nq",
				  "active": %s
				}""".formatted(userName, givenName, email, givenName, externalId, active);
	}

	@Test
	void userLifecycleWhenOktaSequenceThenCreatedReplacedAndDeactivated() {
		ScimFixture.Tenant tenant = fx.tenant();
		String email = "test.user-" + UUID.randomUUID() + "@okta.local";
		String externalId = "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);

		ApiClient.Response lookup = fx.get(tenant, "/Users?filter=" + ScimFixture.q("userName eq \"" + email + "\"")
				+ "&startIndex=1&count=100");
		assertThat(lookup.status()).as(lookup.toString()).isEqualTo(200);
		assertThat(lookup.json().get("totalResults").asInt()).isZero();

		ApiClient.Response created = fx.post(tenant, "/Users", user(email, email, externalId, true, "Test"));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		assertThat(created.json().has("password")).as("a password is never stored nor returned").isFalse();
		assertThat(created.text("displayName")).isEqualTo("Test User");
		assertThat(jdbc.sql("select name from users where id = :id").param("id", id).query(String.class).single())
			.isEqualTo("Test User");
		assertThat(jdbc.sql("select attributes from scim_users where user_id = :id").param("id", id)
			.query(String.class).single()).doesNotContain("1mz050nq");

		ApiClient.Response read = fx.get(tenant, "/Users/" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().get("name").get("givenName").asString()).isEqualTo("Test");

		ApiClient.Response replaced = fx.put(tenant, "/Users/" + id, user(email, email, externalId, true, "Tess"));
		assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
		assertThat(replaced.json().get("name").get("givenName").asString()).isEqualTo("Tess");
		assertThat(jdbc.sql("select name from users where id = :id").param("id", id).query(String.class).single())
			.as("the name of an account the connection created follows the identity provider")
			.isEqualTo("Tess User");

		ApiClient.Response deactivated = fx.patch(tenant, "/Users/" + id, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "replace", "value": {"active": false}}]}""");
		assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);
		assertThat(deactivated.json().get("active").asBoolean()).isFalse();
		assertThat(fx.role(tenant, id)).isNull();

		ApiClient.Response page = fx.get(tenant, "/Users?startIndex=1&count=100");
		assertThat(page.json().get("totalResults").asInt()).as("a deactivated user is still listed").isEqualTo(1);
		assertThat(page.json().get("Resources").get(0).get("active").asBoolean()).isFalse();
	}

	@Test
	void deactivationWhenUserHasSessionsThenTheyAreRevoked() {
		ScimFixture.Tenant tenant = fx.tenant();
		String domain = "corp-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
		fx.verifiedDomain(tenant, domain);
		ScimFixture.Person person = fx.person("jane-" + UUID.randomUUID() + "@" + domain);
		assertThat(api.get("/v1/me", person.accessToken()).status()).isEqualTo(200);

		ApiClient.Response linked = fx.post(tenant, "/Users", user(person.email(), person.email(), "00u1", true,
				"Jane"));
		assertThat(linked.status()).as("an account in a domain the organization verified is linked: " + linked)
			.isEqualTo(201);
		assertThat(linked.text("id")).isEqualTo(person.id());
		assertThat(fx.role(tenant, person.id())).isEqualTo("member");
		assertThat(jdbc.sql("select name from users where id = :id").param("id", person.id()).query(String.class)
			.optional()).as("a linked account's profile is its own").isEmpty();

		ApiClient.Response deactivated = fx.patch(tenant, "/Users/" + person.id(), """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "replace", "value": {"active": false}}]}""");
		assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);

		ApiClient.Response me = api.get("/v1/me", person.accessToken());
		assertThat(me.status()).as("the access token's session has ended: " + me).isEqualTo(401);
		ApiClient.Response refreshed = refresh(person.refreshToken());
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(401);
		assertThat(fx.role(tenant, person.id())).isNull();
		assertThatThrownBy(() -> organizations.joinThroughConnection(tenant.organizationId(), person.id(), "member",
				tenant.connectionId(), ClientInfo.none()))
			.as("a sign-in through the organization's connection does not make a deactivated user a member again")
			.isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
		assertThat(fx.role(tenant, person.id())).isNull();
	}

	@Test
	void groupLifecycleWhenOktaSequenceThenRenamedMembersAddedAndRemovedByFilter() {
		ScimFixture.Tenant tenant = fx.tenant("{}", "member");
		String a = fx.post(tenant, "/Users", user("a-" + UUID.randomUUID() + "@okta.local", "a-" + UUID.randomUUID()
				+ "@okta.local", "00ua", true, "A")).text("id");
		String b = fx.post(tenant, "/Users", user("b-" + UUID.randomUUID() + "@okta.local", "b-" + UUID.randomUUID()
				+ "@okta.local", "00ub", true, "B")).text("id");

		ApiClient.Response created = fx.post(tenant, "/Groups", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2",
				 "members": []}""");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String group = created.text("id");
		ApiClient.Response listed = fx.get(tenant, "/Groups?filter=" + ScimFixture.q("displayName eq \"Test SCIMv2\"")
				+ "&startIndex=1&count=100");
		assertThat(listed.json().get("totalResults").asInt()).isEqualTo(1);

		// renamed to the key of a built-in role: its members become admins
		ApiClient.Response renamed = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "replace", "value": {"id": "%s", "displayName": "Admin"}}]}""".formatted(group));
		assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
		assertThat(renamed.text("displayName")).isEqualTo("Admin");

		ApiClient.Response added = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "add", "path": "members",
				   "value": [{"value": "%s", "display": "a"}, {"value": "%s", "display": "b"}]}]}""".formatted(a, b));
		assertThat(added.status()).as(added.toString()).isEqualTo(200);
		assertThat(added.json().get("members").size()).isEqualTo(2);
		assertThat(fx.role(tenant, a)).isEqualTo("admin");
		assertThat(fx.role(tenant, b)).isEqualTo("admin");

		ApiClient.Response removed = fx.patch(tenant, "/Groups/" + group, """
				{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
				 "Operations": [{"op": "remove", "path": "members[value eq \\"%s\\"]"}]}""".formatted(a));
		assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
		assertThat(removed.json().get("members").size()).isEqualTo(1);
		assertThat(fx.role(tenant, a)).isEqualTo("member");
		assertThat(fx.role(tenant, b)).isEqualTo("admin");

		// a group named after the owner role never makes anyone owner
		ApiClient.Response owners = fx.post(tenant, "/Groups", """
				{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "owner",
				 "members": [{"value": "%s"}]}""".formatted(a));
		assertThat(owners.status()).as(owners.toString()).isEqualTo(201);
		assertThat(fx.role(tenant, a)).isEqualTo("member");

		assertThat(fx.delete(tenant, "/Groups/" + group).status()).isEqualTo(204);
		assertThat(fx.role(tenant, b)).as("a deleted group's members lose its role").isEqualTo("member");
	}

	@Test
	void listWhenPagedThenStartIndexAndCountSlice() {
		ScimFixture.Tenant tenant = fx.tenant();
		for (int i = 0; i < 3; i++) {
			String email = "p" + i + "-" + UUID.randomUUID() + "@okta.local";
			assertThat(fx.post(tenant, "/Users", user(email, email, "00up" + i, true, "P")).status()).isEqualTo(201);
		}
		ApiClient.Response second = fx.get(tenant, "/Users?startIndex=2&count=1");
		assertThat(second.json().get("totalResults").asInt()).isEqualTo(3);
		assertThat(second.json().get("startIndex").asInt()).isEqualTo(2);
		assertThat(second.json().get("itemsPerPage").asInt()).isEqualTo(1);
		ApiClient.Response all = fx.get(tenant, "/Users");
		assertThat(second.json().get("Resources").get(0).get("id").asString())
			.as("pages follow one stable order").isEqualTo(all.json().get("Resources").get(1).get("id").asString());
		ApiClient.Response countOnly = fx.get(tenant, "/Users?count=0");
		assertThat(countOnly.json().get("totalResults").asInt()).isEqualTo(3);
		assertThat(countOnly.json().get("Resources").isEmpty()).isTrue();

		ApiClient.Response unsupported = fx.get(tenant, "/Users?filter=" + ScimFixture.q("name.givenName sw \"P\""));
		assertThat(unsupported.status()).isEqualTo(400);
		assertThat(unsupported.text("scimType")).isEqualTo("invalidFilter");
		ApiClient.Response malformed = fx.get(tenant, "/Users?filter=" + ScimFixture.q("userName eq"));
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.text("scimType")).isEqualTo("invalidFilter");
	}
}
