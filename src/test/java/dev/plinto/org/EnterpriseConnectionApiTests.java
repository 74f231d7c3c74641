package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestDnsServer;
import dev.plinto.WithMailCatcher;
import dev.plinto.crypto.SecretBox;
import dev.plinto.org.OrgFixture.Person;
import java.net.http.HttpRequest;
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
 * Organizations' enterprise connections and email domains through the real server on H2: management by admins
 * only, tenancy, the sealed write-only client secret, DNS TXT verification against a DNS server on loopback
 * ({@link TestDnsServer}, UDP port 18825), one verifying organization per domain, and what a verified domain does to
 * sign-in: discovery, and passwords refused for its addresses only.
 */
@TestPropertySource(properties = "PLINTO_DNS_SERVERS=127.0.0.1:" + EnterpriseConnectionApiTests.DNS_PORT)
class EnterpriseConnectionApiTests extends ApiTestSupport implements WithMailCatcher {

	static final int DNS_PORT = 18825;

	static TestDnsServer dns;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String METADATA_XML = """
			<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.acme.example">
			  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
			    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
			        Location="https://idp.acme.example/sso"/>
			  </md:IDPSSODescriptor>
			</md:EntityDescriptor>""";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SecretBox box;

	OrgFixture fixture;

	@BeforeAll
	static void startDns() {
		dns = TestDnsServer.start(DNS_PORT);
	}

	@AfterAll
	static void stopDns() {
		dns.close();
	}

	@BeforeEach
	void fixture() {
		fixture = new OrgFixture(api, MAIL);
		dns.failing(false);
	}

	/** A domain of its own for each test, under a real registry suffix. */
	static String newDomain() {
		return "acme-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
	}

	private ApiClient.Response createOidc(Person by, String org) {
		return api.post("/v1/organizations/" + org + "/connections", Map.of("type", "oidc", "name", "Acme Okta",
				"issuer", "https://acme.okta.example", "client_id", "plinto-client", "client_secret", "s3cret-value-1",
				"attribute_mapping", Map.of("email", "mail", "groups", "groups", "roles", Map.of("acme-admins", "admin"))),
				by.token());
	}

	private ApiClient.Response put(String path, Object body, String token) {
		return api.send(api.request(path, token).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build());
	}

	private List<String> auditTypes(String org) {
		return jdbc.sql("select type from audit_events where organization_id = :org order by occurred_at, id")
			.param("org", org)
			.query(String.class)
			.list()
			.stream()
			.map(name -> dev.plinto.audit.AuditEvent.Type.valueOf(name).wireName())
			.toList();
	}

	@Test
	void connectionWhenAdminCreatesOidcThenSecretSealedInTheDatabaseAndNeverReturned() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);

		ApiClient.Response created = createOidc(owner, org);

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		assertThat(id).startsWith("conn_");
		assertThat(created.raw()).doesNotContain("s3cret-value-1").doesNotContain("client_secret\"");
		assertThat(created.json().get("client_secret_set").asBoolean()).isTrue();
		assertThat(created.text("issuer")).isEqualTo("https://acme.okta.example");
		assertThat(created.text("default_role")).isEqualTo("member");
		assertThat(created.text("start_path")).isEqualTo("/sso/connections/" + id + "/start");
		assertThat(created.json().get("attribute_mapping").get("roles").get("acme-admins").asString())
			.isEqualTo("admin");
		String stored = jdbc.sql("select oidc_client_secret from organization_connections where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
		assertThat(stored).doesNotContain("s3cret-value-1");
		assertThat(SecretBox.keyIdOf(stored)).isPresent();
		assertThat(box.open(stored, OrganizationConnection.secretAssociatedData(id))).isEqualTo("s3cret-value-1");

		ApiClient.Response listed = api.get("/v1/organizations/" + org + "/connections", owner.token());
		assertThat(listed.status()).isEqualTo(200);
		assertThat(listed.json().get("data")).hasSize(1);
		assertThat(listed.raw()).doesNotContain("s3cret-value-1");

		ApiClient.Response updated = api.patch("/v1/organizations/" + org + "/connections/" + id,
				Map.of("name", "Acme Okta EU", "client_secret", "s3cret-value-2", "enabled", false), owner.token());
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.text("name")).isEqualTo("Acme Okta EU");
		assertThat(updated.json().get("enabled").asBoolean()).isFalse();
		assertThat(updated.raw()).doesNotContain("s3cret-value-2");
		String resealed = jdbc.sql("select oidc_client_secret from organization_connections where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
		assertThat(box.open(resealed, OrganizationConnection.secretAssociatedData(id))).isEqualTo("s3cret-value-2");

		ApiClient.Response typeChange = api.patch("/v1/organizations/" + org + "/connections/" + id,
				Map.of("type", "saml"), owner.token());
		assertThat(typeChange.status()).isEqualTo(400);
		assertThat(typeChange.code()).isEqualTo("validation_failed");

		ApiClient.Response deleted = api.delete("/v1/organizations/" + org + "/connections/" + id, owner.token());
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(api.get("/v1/organizations/" + org + "/connections/" + id, owner.token()).status()).isEqualTo(404);
		assertThat(auditTypes(org)).contains("organization.connection.created", "organization.connection.updated",
				"organization.connection.deleted");
	}

	@Test
	void connectionWhenSamlThenHttpsMetadataUrlOrSafeMetadataXmlOnly() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);
		String path = "/v1/organizations/" + org + "/connections";

		ApiClient.Response http = api.post(path, Map.of("type", "saml", "name", "Acme ADFS", "metadata_url",
				"http://adfs.acme.example/metadata"), owner.token());
		assertThat(http.status()).isEqualTo(400);
		assertThat(http.raw()).contains("metadata_url");
		ApiClient.Response both = api.post(path, Map.of("type", "saml", "name", "Acme ADFS", "metadata_url",
				"https://adfs.acme.example/metadata", "metadata_xml", METADATA_XML), owner.token());
		assertThat(both.status()).isEqualTo(400);
		ApiClient.Response entity = api.post(path, Map.of("type", "saml", "name", "Acme ADFS", "metadata_xml",
				"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + METADATA_XML), owner.token());
		assertThat(entity.status()).isEqualTo(400);
		assertThat(entity.raw()).doesNotContain("root:");
		ApiClient.Response secret = api.post(path, Map.of("type", "saml", "name", "Acme ADFS", "metadata_xml",
				METADATA_XML, "client_secret", "x"), owner.token());
		assertThat(secret.status()).isEqualTo(400);

		ApiClient.Response created = api.post(path, Map.of("type", "saml", "name", "Acme ADFS", "metadata_xml",
				METADATA_XML), owner.token());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.text("start_path")).isEqualTo("/saml/" + created.text("id") + "/start");
		assertThat(created.json().get("client_secret_set").asBoolean()).isFalse();
		ApiClient.Response byUrl = api.patch(path + "/" + created.text("id"),
				Map.of("metadata_url", "https://adfs.acme.example/FederationMetadata.xml"), owner.token());
		assertThat(byUrl.status()).as(byUrl.toString()).isEqualTo(200);
		assertThat(byUrl.text("metadata_url")).isEqualTo("https://adfs.acme.example/FederationMetadata.xml");
		assertThat(byUrl.json().get("metadata_xml").isNull()).isTrue();
	}

	@Test
	void connectionWhenRolesUnknownOrNotHeldThenRefused() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);
		String path = "/v1/organizations/" + org + "/connections";
		Map<String, Object> base = Map.of("type", "oidc", "name", "Acme", "issuer", "https://idp.acme.example",
				"client_id", "c", "client_secret", "s");

		ApiClient.Response unknownDefault = api.post(path, with(base, "default_role", "auditor"), owner.token());
		assertThat(unknownDefault.status()).isEqualTo(422);
		assertThat(unknownDefault.code()).isEqualTo("unknown_role");
		ApiClient.Response unknownMapped = api.post(path,
				with(base, "attribute_mapping", Map.of("roles", Map.of("g", "auditor"))), owner.token());
		assertThat(unknownMapped.code()).isEqualTo("unknown_role");
		ApiClient.Response badIssuer = api.post(path, with(base, "issuer", "http://idp.acme.example"), owner.token());
		assertThat(badIssuer.status()).isEqualTo(400);
		assertThat(api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "auditor", "name", "Auditor", "permissions", List.of("app:audit.read")), owner.token())
			.status()).isEqualTo(201);

		ApiClient.Response custom = api.post(path, with(base, "default_role", "auditor"), owner.token());
		assertThat(custom.status()).as(custom.toString()).isEqualTo(201);
		assertThat(custom.text("default_role")).isEqualTo("auditor");
	}

	private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
		Map<String, Object> m = new java.util.LinkedHashMap<>(base);
		m.put(key, value);
		return m;
	}

	@Test
	void everyEndpointWhenOtherOrganizationOrMemberWithoutPermissionThenNotFoundOrForbidden() {
		Person ownerA = fixture.person();
		String orgA = fixture.organization(ownerA);
		Person ownerB = fixture.person();
		String orgB = fixture.organization(ownerB);
		String connectionB = createOidc(ownerB, orgB).text("id");
		String domainB = newDomain();
		assertThat(api.post("/v1/organizations/" + orgB + "/domains", Map.of("domain", domainB), ownerB.token())
			.status()).isEqualTo(201);
		Person member = fixture.person();
		fixture.addMember(ownerB, orgB, member, "member");
		Person admin = fixture.person();
		fixture.addMember(ownerB, orgB, admin, "admin");

		// org A's owner reaches nothing of org B, neither by org B's id nor through org A's
		String b = "/v1/organizations/" + orgB;
		String a = "/v1/organizations/" + orgA;
		for (ApiClient.Response r : List.of(api.get(b + "/connections", ownerA.token()),
				api.get(b + "/connections/" + connectionB, ownerA.token()),
				api.get(a + "/connections/" + connectionB, ownerA.token()),
				api.patch(a + "/connections/" + connectionB, Map.of("name", "x"), ownerA.token()),
				api.delete(a + "/connections/" + connectionB, ownerA.token()),
				api.get(b + "/domains", ownerA.token()), api.get(a + "/domains/" + domainB, ownerA.token()),
				api.post(a + "/domains/" + domainB + "/verify", Map.of(), ownerA.token()),
				put(a + "/domains/" + domainB, Map.of("passwords_disabled", false), ownerA.token()),
				api.delete(a + "/domains/" + domainB, ownerA.token()))) {
			assertThat(r.status()).as(r.toString()).isEqualTo(404);
		}
		// org A's owner cannot route its own domain to org B's connection
		String domainA = newDomain();
		api.post(a + "/domains", Map.of("domain", domainA), ownerA.token());
		ApiClient.Response foreign = put(a + "/domains/" + domainA,
				Map.of("connection_id", connectionB, "passwords_disabled", false), ownerA.token());
		assertThat(foreign.status()).isEqualTo(422);
		assertThat(foreign.code()).isEqualTo("unknown_connection");

		// a member without org:connections:manage gets 403, an admin holds it
		for (ApiClient.Response r : List.of(api.get(b + "/connections", member.token()),
				api.get(b + "/connections/" + connectionB, member.token()), createOidc(member, orgB),
				api.get(b + "/domains", member.token()),
				api.post(b + "/domains", Map.of("domain", newDomain()), member.token()),
				api.delete(b + "/domains/" + domainB, member.token()))) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.text("detail")).contains("org:connections:manage");
		}
		// an admin holds it, but cannot have a connection grant the owner role, which holds more than theirs
		ApiClient.Response escalate = api.post(b + "/connections", Map.of("type", "oidc", "name", "Own", "issuer",
				"https://idp.acme.example", "client_id", "c", "client_secret", "s", "default_role", "owner"),
				admin.token());
		assertThat(escalate.status()).as(escalate.toString()).isEqualTo(403);
		assertThat(escalate.text("detail")).contains("org:delete");
		assertThat(api.get(b + "/connections", admin.token()).json().get("data")).hasSize(1);
		assertThat(api.get(b + "/domains", admin.token()).json().get("data")).hasSize(1);
		assertThat(api.get(b + "/connections/" + connectionB, ownerB.token()).text("name")).isEqualTo("Acme Okta");
	}

	@Test
	void claimWhenPublicSuffixMailProviderOrDuplicateThenRefusedAndIdnStoredAscii() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);
		String path = "/v1/organizations/" + org + "/domains";
		for (String refused : List.of("gmail.com", "com", "co.uk", "github.io", "hotmail.co.uk", "mail.gmail.com")) {
			ApiClient.Response r = api.post(path, Map.of("domain", refused), owner.token());
			assertThat(r.status()).as(refused + ": " + r).isEqualTo(422);
			assertThat(r.code()).isEqualTo("domain_not_allowed");
		}
		assertThat(api.post(path, Map.of("domain", "not a domain"), owner.token()).status()).isEqualTo(400);
		assertThat(api.post(path, Map.of("domain", "localhost"), owner.token()).status()).isEqualTo(422);

		String label = "bücher-" + UUID.randomUUID().toString().substring(0, 8);
		ApiClient.Response idn = api.post(path, Map.of("domain", " " + label.toUpperCase(java.util.Locale.ROOT)
				.replace("Ü", "ü") + ".Example.COM "), owner.token());
		assertThat(idn.status()).as(idn.toString()).isEqualTo(201);
		String ascii = idn.text("domain");
		assertThat(ascii).startsWith("xn--bcher-").endsWith(".example.com");
		assertThat(idn.json().get("verified").asBoolean()).isFalse();
		assertThat(idn.json().get("verification").get("name").asString()).isEqualTo("_plinto-verification." + ascii);
		assertThat(idn.json().get("verification").get("value").asString()).matches("plinto-verification=[\\w-]{43}");
		ApiClient.Response again = api.post(path, Map.of("domain", label + ".example.com"), owner.token());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("domain_exists");
		assertThat(api.get(path + "/" + label + ".example.com", owner.token()).text("domain")).isEqualTo(ascii);
		assertThat(api.delete(path + "/" + ascii, owner.token()).status()).isEqualTo(204);
		assertThat(api.get(path + "/" + ascii, owner.token()).status()).isEqualTo(404);
		assertThat(auditTypes(org)).contains("organization.domain.claimed", "organization.domain.deleted");
	}

	@Test
	void verifyWhenTxtRecordPublishedThenVerifiedAndAnotherOrganizationCannotVerifyIt() {
		Person ownerA = fixture.person();
		String orgA = fixture.organization(ownerA);
		Person ownerB = fixture.person();
		String orgB = fixture.organization(ownerB);
		String domain = newDomain();
		String a = "/v1/organizations/" + orgA + "/domains";
		String b = "/v1/organizations/" + orgB + "/domains";
		ApiClient.Response claimA = api.post(a, Map.of("domain", domain), ownerA.token());
		ApiClient.Response claimB = api.post(b, Map.of("domain", domain), ownerB.token());
		assertThat(claimB.status()).as("two organizations may claim a domain").isEqualTo(201);

		ApiClient.Response missing = api.post(a + "/" + domain + "/verify", Map.of(), ownerA.token());
		assertThat(missing.status()).isEqualTo(422);
		assertThat(missing.code()).isEqualTo("domain_not_verified");
		// B's record does not verify A's claim
		dns.publish("_plinto-verification." + domain, claimB.json().get("verification").get("value").asString(),
				"v=spf1 -all");
		assertThat(api.post(a + "/" + domain + "/verify", Map.of(), ownerA.token()).code())
			.isEqualTo("domain_not_verified");
		dns.failing(true);
		ApiClient.Response down = api.post(a + "/" + domain + "/verify", Map.of(), ownerA.token());
		assertThat(down.status()).isEqualTo(503);
		assertThat(down.header("Retry-After")).isNotNull();
		dns.failing(false);

		dns.publish("_plinto-verification." + domain, "v=spf1 -all",
				claimA.json().get("verification").get("value").asString(),
				claimB.json().get("verification").get("value").asString());
		ApiClient.Response verified = api.post(a + "/" + domain + "/verify", Map.of(), ownerA.token());
		assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
		assertThat(verified.json().get("verified").asBoolean()).isTrue();
		assertThat(verified.text("verified_by")).isEqualTo("dns");

		ApiClient.Response taken = api.post(b + "/" + domain + "/verify", Map.of(), ownerB.token());
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("domain_taken");
		Person ownerC = fixture.person();
		ApiClient.Response claimC = api.post("/v1/organizations/" + fixture.organization(ownerC) + "/domains",
				Map.of("domain", domain), ownerC.token());
		assertThat(claimC.code()).isEqualTo("domain_taken");
		assertThat(auditTypes(orgA)).contains("organization.domain.verified");
		assertThat(auditTypes(orgB)).doesNotContain("organization.domain.verified");

		// once A lets go of it, B can verify it with its own record
		assertThat(api.delete(a + "/" + domain, ownerA.token()).status()).isEqualTo(204);
		assertThat(api.post(b + "/" + domain + "/verify", Map.of(), ownerB.token()).status()).isEqualTo(200);
	}

	/** Claims, publishes and verifies a domain for the organization, and routes it to the connection. */
	private void verifiedDomain(Person owner, String org, String domain, String connectionId,
			boolean passwordsDisabled) {
		String path = "/v1/organizations/" + org + "/domains";
		ApiClient.Response claim = api.post(path, Map.of("domain", domain), owner.token());
		assertThat(claim.status()).as(claim.toString()).isEqualTo(201);
		dns.publish("_plinto-verification." + domain, claim.json().get("verification").get("value").asString());
		assertThat(api.post(path + "/" + domain + "/verify", Map.of(), owner.token()).status()).isEqualTo(200);
		Map<String, Object> route = new java.util.HashMap<>();
		route.put("connection_id", connectionId);
		route.put("passwords_disabled", passwordsDisabled);
		ApiClient.Response routed = put(path + "/" + domain, route, owner.token());
		assertThat(routed.status()).as(routed.toString()).isEqualTo(200);
	}

	@Test
	void signInWhenDomainHasPasswordsDisabledThenPasswordRefusedForEveryAddressOfItOnly() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);
		String connection = createOidc(owner, org).text("id");
		String domain = newDomain();
		String ada = "ada@" + domain;
		signUp(ada);
		String other = newEmail();
		signUp(other);
		ApiClient.Response noConnection = put("/v1/organizations/" + org + "/domains/x." + domain,
				Map.of("passwords_disabled", true), owner.token());
		assertThat(noConnection.status()).isEqualTo(404);

		ApiClient.Response unverified = api.post("/v1/organizations/" + org + "/domains", Map.of("domain", domain),
				owner.token());
		Map<String, Object> disable = new java.util.HashMap<>();
		disable.put("connection_id", connection);
		disable.put("passwords_disabled", true);
		assertThat(put("/v1/organizations/" + org + "/domains/" + domain, disable, owner.token()).status())
			.isEqualTo(200);
		// a claim alone changes nothing for anyone
		assertThat(signIn(ada, PASSWORD).status()).isEqualTo(200);
		ApiClient.Response withoutConnection = put("/v1/organizations/" + org + "/domains/" + domain,
				Map.of("passwords_disabled", true), owner.token());
		assertThat(withoutConnection.status()).isEqualTo(400);

		dns.publish("_plinto-verification." + domain, unverified.json().get("verification").get("value").asString());
		assertThat(api.post("/v1/organizations/" + org + "/domains/" + domain + "/verify", Map.of(), owner.token())
			.status()).isEqualTo(200);

		ApiClient.Response refused = signIn(ada, PASSWORD);
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("passwords_disabled");
		ApiClient.Response unknown = signIn("nobody-" + UUID.randomUUID() + "@" + domain.toUpperCase(), "wrong");
		assertThat(unknown.status()).as("the same answer whether or not the account exists").isEqualTo(403);
		assertThat(unknown.text("detail")).isEqualTo(refused.text("detail"));
		assertThat(signIn(other, PASSWORD).status()).isEqualTo(200);
		assertThat(api.post("/v1/password-reset", Map.of("email", ada)).code()).isEqualTo("passwords_disabled");
		assertThat(api.post("/v1/password-reset", Map.of("email", other)).status()).isEqualTo(202);
		assertThat(api.post("/v1/sign-up", Map.of("email", "grace@" + domain, "password", PASSWORD)).code())
			.isEqualTo("passwords_disabled");

		// with passwords allowed again, the route stays and passwords work
		Map<String, Object> allow = new java.util.HashMap<>(disable);
		allow.put("passwords_disabled", false);
		assertThat(put("/v1/organizations/" + org + "/domains/" + domain, allow, owner.token()).status())
			.isEqualTo(200);
		assertThat(signIn(ada, PASSWORD).status()).isEqualTo(200);
		assertThat(auditTypes(org)).contains("organization.domain.updated");
	}

	@Test
	void discoverWhenDomainVerifiedAndRoutedThenSsoWithStartUrlOtherwisePasswordWhetherOrNotAccountsExist() {
		Person owner = fixture.person();
		String org = fixture.organization(owner);
		String connection = createOidc(owner, org).text("id");
		String domain = newDomain();
		verifiedDomain(owner, org, domain, connection, true);

		ApiClient.Response sso = api.post("/v1/sign-in/discover", Map.of("email", "Ada@" + domain.toUpperCase()));
		assertThat(sso.status()).as(sso.toString()).isEqualTo(200);
		assertThat(sso.text("strategy")).isEqualTo("sso");
		assertThat(sso.text("connection_id")).isEqualTo(connection);
		assertThat(sso.text("connection_type")).isEqualTo("oidc");
		assertThat(sso.text("start_url")).endsWith("/sso/connections/" + connection + "/start");
		assertThat(sso.json().get("passwords_disabled").asBoolean()).isTrue();
		ApiClient.Response nobody = api.post("/v1/sign-in/discover", Map.of("email", "x-" + UUID.randomUUID()
				+ "@" + domain));
		assertThat(nobody.raw()).isEqualTo(sso.raw());

		ApiClient.Response plain = api.post("/v1/sign-in/discover", Map.of("email", newEmail()));
		assertThat(plain.text("strategy")).isEqualTo("password");
		assertThat(plain.json().get("start_url").isNull()).isTrue();
		assertThat(api.post("/v1/sign-in/discover", Map.of()).status()).isEqualTo(400);

		// a disabled connection routes nowhere
		api.patch("/v1/organizations/" + org + "/connections/" + connection, Map.of("enabled", false), owner.token());
		assertThat(api.post("/v1/sign-in/discover", Map.of("email", "ada@" + domain)).text("strategy"))
			.isEqualTo("password");
	}
}
