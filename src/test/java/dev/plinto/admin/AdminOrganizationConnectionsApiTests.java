package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestDnsServer;
import dev.plinto.WithMailCatcher;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Backend API's enterprise connections, SCIM tokens and email domains of organizations
 * ({@code /v1/admin/organizations/{id}/connections…}, {@code …/domains…}) through the real server: the member API's
 * rules through the same services (the write-only, sealed client secret; DNS TXT verification against a DNS server
 * on loopback, {@link TestDnsServer} on UDP port 18636), scope refusals, tenant safety (a connection or domain of
 * another organization is 404 and untouched), and every change audited with the API key as actor.
 */
@TestPropertySource(properties = "PLINTO_DNS_SERVERS=127.0.0.1:" + AdminOrganizationConnectionsApiTests.DNS_PORT)
class AdminOrganizationConnectionsApiTests extends ApiTestSupport implements WithMailCatcher {

	static final int DNS_PORT = 18636;

	private static final String ORGS = "/v1/admin/organizations";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static TestDnsServer dns;

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private JdbcClient jdbc;

	private ApiKeys.WithSecret key;

	@BeforeAll
	static void startDns() {
		dns = TestDnsServer.start(DNS_PORT);
	}

	@AfterAll
	static void stopDns() {
		dns.close();
	}

	@BeforeEach
	void key() {
		key = apiKeys.create("connections " + UUID.randomUUID(), List.of("organizations:read",
				"organizations:write"), null, "test", ClientInfo.none());
	}

	private String organization() {
		ApiClient.Response r = api.post(ORGS, Map.of("name", "Org " + UUID.randomUUID()), key.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r.text("id");
	}

	private static String newDomain() {
		return "acme-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
	}

	private ApiClient.Response createOidc(String org, String secret) {
		return api.post(ORGS + "/" + org + "/connections", Map.of("type", "oidc", "name", "Acme Okta", "issuer",
				"https://acme.okta.example", "client_id", "plinto-client", "client_secret", secret,
				"attribute_mapping", Map.of("groups", "groups", "roles", Map.of("acme-owners", "owner"))),
				key.secret());
	}

	private ApiClient.Response put(String path, Object body, String bearer) {
		return api.send(api.request(path, bearer)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	private ApiClient.Response scimUsers(String connectionId, String token) {
		return api.send(api.request("/scim/v2/" + connectionId + "/Users", token)
			.header("Accept", "application/scim+json")
			.GET()
			.build());
	}

	/** The audit events of an organization of this type whose actor is the test's key. */
	private long auditedByKey(String org, String type) {
		return jdbc.sql("""
				select count(*) from audit_events where organization_id = :org and type = :type and actor_id = :actor
				and user_id is null""")
			.param("org", org)
			.param("type", type)
			.param("actor", key.key().id())
			.query(Long.class)
			.single();
	}

	// --- connections ----------------------------------------------------------------------------------------------

	@Test
	void connectionsWhenCreatedReadChangedAndDeletedThenSecretSealedNeverReturnedAndAuditedWithTheKey() {
		String org = organization();

		ApiClient.Response created = createOidc(org, "s3cret-value-1");

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		assertThat(created.raw()).doesNotContain("s3cret-value-1").doesNotContain("\"client_secret\"");
		assertThat(created.json().get("client_secret_set").asBoolean()).isTrue();
		assertThat(created.json().get("scim_token_set").asBoolean()).isFalse();
		assertThat(created.json().get("attribute_mapping").get("roles").get("acme-owners").asString())
			.as("the operator may let a connection grant any role").isEqualTo("owner");
		assertThat(created.text("start_path")).isEqualTo("/sso/connections/" + id + "/start");
		assertThat(jdbc.sql("select oidc_client_secret from organization_connections where id = :id")
			.param("id", id).query(String.class).single()).as("sealed at rest").doesNotContain("s3cret-value-1");

		ApiClient.Response listed = api.get(ORGS + "/" + org + "/connections", key.secret());
		assertThat(listed.json().get("data")).hasSize(1);
		assertThat(listed.raw()).doesNotContain("s3cret-value-1");
		ApiClient.Response read = api.get(ORGS + "/" + org + "/connections/" + id, key.secret());
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.raw()).doesNotContain("s3cret-value-1");

		ApiClient.Response changed = api.patch(ORGS + "/" + org + "/connections/" + id, Map.of("enabled", false,
				"client_secret", "s3cret-value-2", "default_role", "admin"), key.secret());
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().get("enabled").asBoolean()).isFalse();
		assertThat(changed.text("default_role")).isEqualTo("admin");
		assertThat(changed.raw()).doesNotContain("s3cret-value-2");
		assertThat(api.patch(ORGS + "/" + org + "/connections/" + id, Map.of("type", "saml"), key.secret()).code())
			.isEqualTo("validation_failed");
		assertThat(api.patch(ORGS + "/" + org + "/connections/" + id, Map.of("default_role", "wizard"),
				key.secret()).code()).isEqualTo("unknown_role");
		assertThat(api.post(ORGS + "/" + org + "/connections", Map.of("type", "oidc", "name", "No secret", "issuer",
				"https://idp.example.com", "client_id", "x"), key.secret()).code()).isEqualTo("validation_failed");

		assertThat(api.delete(ORGS + "/" + org + "/connections/" + id, key.secret()).status()).isEqualTo(204);
		assertThat(api.get(ORGS + "/" + org + "/connections/" + id, key.secret()).status()).isEqualTo(404);
		assertThat(auditedByKey(org, "CONNECTION_CREATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "CONNECTION_UPDATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "CONNECTION_DELETED")).isEqualTo(1);
	}

	@Test
	void scimTokenWhenCreatedRotatedAndWithdrawnThenShownOnceWorksForItsConnectionAndAuditedWithTheKey() {
		String org = organization();
		String connection = createOidc(org, "secret").text("id");
		String path = ORGS + "/" + org + "/connections/" + connection + "/scim-token";

		ApiClient.Response first = api.post(path, "", key.secret());
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(first.header("Cache-Control")).contains("no-store");
		assertThat(first.text("token")).startsWith("scim_");
		assertThat(first.text("scim_base_url")).endsWith("/scim/v2/" + connection);
		assertThat(scimUsers(connection, first.text("token")).status()).isEqualTo(200);
		assertThat(api.get(ORGS + "/" + org + "/connections/" + connection, key.secret()).raw())
			.contains("\"scim_token_set\":true")
			.doesNotContain(first.text("token"));

		ApiClient.Response second = api.post(path, "", key.secret());
		assertThat(scimUsers(connection, first.text("token")).status()).as("the old token").isEqualTo(401);
		assertThat(scimUsers(connection, second.text("token")).status()).isEqualTo(200);

		assertThat(api.delete(path, key.secret()).status()).isEqualTo(204);
		assertThat(scimUsers(connection, second.text("token")).status()).isEqualTo(401);
		assertThat(api.delete(path, key.secret()).status()).as("without a token: nothing to do").isEqualTo(204);
		assertThat(auditedByKey(org, "SCIM_TOKEN_CREATED")).isEqualTo(2);
		assertThat(auditedByKey(org, "SCIM_TOKEN_REVOKED")).isEqualTo(1);
	}

	// --- domains --------------------------------------------------------------------------------------------------

	@Test
	void domainsWhenClaimedVerifiedByDnsRoutedAndRemovedThenAuditedWithTheKey() {
		String org = organization();
		String connection = createOidc(org, "secret").text("id");
		String domain = newDomain();
		String domains = ORGS + "/" + org + "/domains";

		ApiClient.Response claimed = api.post(domains, Map.of("domain", domain.toUpperCase(java.util.Locale.ROOT)),
				key.secret());
		assertThat(claimed.status()).as(claimed.toString()).isEqualTo(201);
		assertThat(claimed.text("domain")).isEqualTo(domain);
		assertThat(claimed.json().get("verified").asBoolean()).isFalse();
		assertThat(claimed.json().get("verification").get("name").asString())
			.isEqualTo("_plinto-verification." + domain);
		assertThat(api.post(domains, Map.of("domain", "gmail.com"), key.secret()).code())
			.isEqualTo("domain_not_allowed");
		assertThat(api.post(domains, Map.of("domain", domain), key.secret()).code()).isEqualTo("domain_exists");
		assertThat(api.get(domains, key.secret()).json().get("data")).hasSize(1);

		ApiClient.Response unpublished = api.post(domains + "/" + domain + "/verify", "", key.secret());
		assertThat(unpublished.status()).as(unpublished.toString()).isEqualTo(422);
		assertThat(unpublished.code()).as("the operator verifies by DNS too").isEqualTo("domain_not_verified");
		dns.publish("_plinto-verification." + domain,
				claimed.json().get("verification").get("value").asString());
		ApiClient.Response verified = api.post(domains + "/" + domain + "/verify", "", key.secret());
		assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
		assertThat(verified.json().get("verified").asBoolean()).isTrue();
		assertThat(verified.text("verified_by")).isEqualTo("dns");

		ApiClient.Response routed = put(domains + "/" + domain, Map.of("connection_id", connection,
				"passwords_disabled", true), key.secret());
		assertThat(routed.status()).as(routed.toString()).isEqualTo(200);
		assertThat(routed.text("connection_id")).isEqualTo(connection);
		assertThat(routed.json().get("passwords_disabled").asBoolean()).isTrue();
		assertThat(api.post("/v1/sign-in/discover", Map.of("email", "ada@" + domain)).raw())
			.as("sign-in discovery routes the domain").contains(connection);
		assertThat(put(domains + "/" + domain, Map.of("passwords_disabled", true), key.secret()).code())
			.isEqualTo("validation_failed");
		assertThat(api.get(domains + "/" + domain, key.secret()).text("connection_id")).isEqualTo(connection);

		assertThat(api.delete(domains + "/" + domain, key.secret()).status()).isEqualTo(204);
		assertThat(api.get(domains + "/" + domain, key.secret()).status()).isEqualTo(404);
		assertThat(auditedByKey(org, "DOMAIN_CLAIMED")).isEqualTo(1);
		assertThat(auditedByKey(org, "DOMAIN_VERIFIED")).isEqualTo(1);
		assertThat(auditedByKey(org, "DOMAIN_UPDATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "DOMAIN_DELETED")).isEqualTo(1);
	}

	// --- tenant safety --------------------------------------------------------------------------------------------

	@Test
	void callsWhenNamingAConnectionOrDomainOfAnotherOrganizationThenNotFoundAndNothingChanges() {
		String orgA = organization();
		String orgB = organization();
		String connectionA = createOidc(orgA, "secret-a").text("id");
		String connectionB = createOidc(orgB, "secret-b").text("id");
		String domainB = newDomain();
		assertThat(api.post(ORGS + "/" + orgB + "/domains", Map.of("domain", domainB), key.secret()).status())
			.isEqualTo(201);
		String a = ORGS + "/" + orgA;

		List<ApiClient.Response> refused = new ArrayList<>();
		refused.add(api.get(a + "/connections/" + connectionB, key.secret()));
		refused.add(api.patch(a + "/connections/" + connectionB, Map.of("name", "Taken over"), key.secret()));
		refused.add(api.delete(a + "/connections/" + connectionB, key.secret()));
		refused.add(api.post(a + "/connections/" + connectionB + "/scim-token", "", key.secret()));
		refused.add(api.delete(a + "/connections/" + connectionB + "/scim-token", key.secret()));
		refused.add(api.get(a + "/domains/" + domainB, key.secret()));
		refused.add(api.post(a + "/domains/" + domainB + "/verify", "", key.secret()));
		refused.add(put(a + "/domains/" + domainB, Map.of("connection_id", connectionA, "passwords_disabled", false),
				key.secret()));
		refused.add(api.delete(a + "/domains/" + domainB, key.secret()));
		String missing = ORGS + "/org_" + "0".repeat(26);
		refused.add(api.get(missing + "/connections", key.secret()));
		refused.add(api.post(missing + "/connections", Map.of("type", "saml", "name", "X", "metadata_url",
				"https://idp.example.com/metadata"), key.secret()));
		refused.add(api.get(missing + "/domains", key.secret()));
		refused.add(api.post(missing + "/domains", Map.of("domain", newDomain()), key.secret()));
		refused.add(api.get(a + "/connections/conn_" + "0".repeat(26), key.secret()));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(404);
			assertThat(r.code()).isEqualTo("not_found");
			assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		}
		ApiClient.Response foreignConnection = put(a + "/domains/" + domainB, Map.of("connection_id", connectionB,
				"passwords_disabled", false), key.secret());
		assertThat(foreignConnection.status()).isEqualTo(404);
		String domainA = newDomain();
		api.post(a + "/domains", Map.of("domain", domainA), key.secret());
		ApiClient.Response routedToB = put(a + "/domains/" + domainA, Map.of("connection_id", connectionB,
				"passwords_disabled", false), key.secret());
		assertThat(routedToB.code()).as("a connection of another organization").isEqualTo("unknown_connection");

		ApiClient.Response b = api.get(ORGS + "/" + orgB + "/connections/" + connectionB, key.secret());
		assertThat(b.text("name")).as("org B's connection is untouched").isEqualTo("Acme Okta");
		assertThat(b.json().get("scim_token_set").asBoolean()).isFalse();
		assertThat(api.get(ORGS + "/" + orgB + "/domains/" + domainB, key.secret()).status()).isEqualTo(200);
		assertThat(auditedByKey(orgB, "CONNECTION_UPDATED") + auditedByKey(orgB, "CONNECTION_DELETED")
				+ auditedByKey(orgB, "DOMAIN_DELETED")).isZero();
	}

	// --- scopes ---------------------------------------------------------------------------------------------------

	@Test
	void callsWhenKeyLacksTheScopeThenInsufficientScopeAndNothingChanges() {
		String org = organization();
		String connection = createOidc(org, "secret").text("id");
		String domain = newDomain();
		api.post(ORGS + "/" + org + "/domains", Map.of("domain", domain), key.secret());
		String readOnly = apiKeys.create("read " + UUID.randomUUID(), List.of("organizations:read"), null, "test",
				ClientInfo.none()).secret();
		String writeOnly = apiKeys.create("write " + UUID.randomUUID(), List.of("organizations:write"), null,
				"test", ClientInfo.none()).secret();
		String path = ORGS + "/" + org;

		List<ApiClient.Response> writes = new ArrayList<>();
		writes.add(api.post(path + "/connections", Map.of("type", "saml", "name", "Refused", "metadata_url",
				"https://idp.example.com/metadata"), readOnly));
		writes.add(api.patch(path + "/connections/" + connection, Map.of("name", "Refused"), readOnly));
		writes.add(api.delete(path + "/connections/" + connection, readOnly));
		writes.add(api.post(path + "/connections/" + connection + "/scim-token", "", readOnly));
		writes.add(api.delete(path + "/connections/" + connection + "/scim-token", readOnly));
		writes.add(api.post(path + "/domains", Map.of("domain", newDomain()), readOnly));
		writes.add(api.post(path + "/domains/" + domain + "/verify", "", readOnly));
		writes.add(put(path + "/domains/" + domain, Map.of("connection_id", connection, "passwords_disabled", true),
				readOnly));
		writes.add(api.delete(path + "/domains/" + domain, readOnly));
		for (ApiClient.Response r : writes) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("insufficient_scope");
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"organizations:write\"");
		}
		for (String read : List.of(path + "/connections", path + "/connections/" + connection, path + "/domains",
				path + "/domains/" + domain)) {
			ApiClient.Response r = api.get(read, writeOnly);
			assertThat(r.status()).as(read).isEqualTo(403);
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"organizations:read\"");
			assertThat(api.get(read, readOnly).status()).as(read).isEqualTo(200);
		}
		assertThat(api.get(path + "/connections", readOnly).json().get("data")).hasSize(1);
		assertThat(api.get(path + "/connections/" + connection, readOnly).raw()).contains("\"name\":\"Acme Okta\"")
			.contains("\"scim_token_set\":false");
		assertThat(api.get(path + "/domains", readOnly).json().get("data")).hasSize(1);
		assertThat(api.get(path + "/domains/" + domain, readOnly).json().get("connection_id").isNull()).isTrue();
	}
}
