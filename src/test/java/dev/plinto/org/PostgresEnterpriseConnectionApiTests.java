package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.TestDnsServer;
import dev.plinto.WithMailCatcher;
import dev.plinto.crypto.SecretBox;
import dev.plinto.org.OrgFixture.Person;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enterprise connections and domains end to end on PostgreSQL: the sealed secret, DNS verification, the unique
 * index that keeps a domain verified for one organization (a unique violation there, answered 409 and never a 500),
 * and a routed domain with passwords switched off. DNS server on UDP 18827.
 */
@TestPropertySource(properties = "PLINTO_DNS_SERVERS=127.0.0.1:18827")
class PostgresEnterpriseConnectionApiTests extends PostgresApiTestSupport implements WithMailCatcher {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static TestDnsServer dns;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SecretBox box;

	@BeforeAll
	static void startDns() {
		dns = TestDnsServer.start(18827);
	}

	@AfterAll
	static void stopDns() {
		dns.close();
	}

	@Test
	void domainWhenTwoOrganizationsVerifyItThenOneHoldsItAndItsRoutingRefusesPasswordsOnPostgres() {
		OrgFixture fx = new OrgFixture(api, MAIL);
		Person ownerA = fx.person();
		String a = "/v1/organizations/" + fx.organization(ownerA);
		Person ownerB = fx.person();
		String b = "/v1/organizations/" + fx.organization(ownerB);
		ApiClient.Response connection = api.post(a + "/connections", Map.of("type", "oidc", "name", "Zürich IdP",
				"issuer", "https://idp.acme.example", "client_id", "plinto", "client_secret", "pg-secret"),
				ownerA.token());
		assertThat(connection.status()).as(connection.toString()).isEqualTo(201);
		String id = connection.text("id");
		String sealed = jdbc.sql("select oidc_client_secret from organization_connections where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
		assertThat(box.open(sealed, OrganizationConnection.secretAssociatedData(id))).isEqualTo("pg-secret");

		String domain = EnterpriseConnectionApiTests.newDomain();
		ApiClient.Response claimA = api.post(a + "/domains", Map.of("domain", domain), ownerA.token());
		ApiClient.Response claimB = api.post(b + "/domains", Map.of("domain", domain), ownerB.token());
		assertThat(claimB.status()).isEqualTo(201);
		dns.publish("_plinto-verification." + domain, claimA.json().get("verification").get("value").asString(),
				claimB.json().get("verification").get("value").asString());
		assertThat(api.post(a + "/domains/" + domain + "/verify", "", ownerA.token()).status()).isEqualTo(200);
		ApiClient.Response taken = api.post(b + "/domains/" + domain + "/verify", "", ownerB.token());
		assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("domain_taken");

		Map<String, Object> route = new HashMap<>();
		route.put("connection_id", id);
		route.put("passwords_disabled", true);
		ApiClient.Response routed = api.send(api.request(a + "/domains/" + domain, ownerA.token())
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(route)))
			.build());
		assertThat(routed.status()).as(routed.toString()).isEqualTo(200);
		assertThat(api.post("/v1/sign-in", Map.of("email", "ada@" + domain, "password", "x")).code())
			.isEqualTo("passwords_disabled");
		assertThat(api.post("/v1/sign-in/discover", Map.of("email", "ada@" + domain)).text("connection_id"))
			.isEqualTo(id);
	}
}
