package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestClockConfiguration;
import dev.plinto.TestDnsServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Domain routing on the hosted sign-in page, over HTTP without a browser: an address of a verified domain routed to
 * an enterprise connection is sent (303) to that connection's start route, by its protocol, with the allowed
 * {@code redirect_url}; an address of a domain with passwords switched off gets a sentence instead of a password
 * sign-in or reset; everyone else signs in as before. Its own server on port 18822 and a DNS server on UDP 18826.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-enterprise-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1", "PLINTO_RATE_LIMIT_SIGN_IN=100000/1m",
		"PLINTO_RATE_LIMIT_SIGN_UP=100000/1m", "PLINTO_RATE_LIMIT_PASSWORD_RESET=100000/1m",
		"server.port=" + DomainRoutingPagesTests.PORT, "PLINTO_PORT=" + DomainRoutingPagesTests.PORT,
		"PLINTO_DNS_SERVERS=127.0.0.1:" + DomainRoutingPagesTests.DNS_PORT,
		"PLINTO_REDIRECT_URLS=" + DomainRoutingPagesTests.APP })
@Import(TestClockConfiguration.class)
class DomainRoutingPagesTests {

	static final int PORT = 18822;

	static final int DNS_PORT = 18826;

	static final String APP = "http://127.0.0.1:18823/app/";

	static final String BASE = "http://localhost:" + PORT;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static TestDnsServer dns;

	ApiClient api;

	FormClient browser;

	String owner;

	String org;

	@BeforeAll
	static void startDns() {
		dns = TestDnsServer.start(DNS_PORT);
	}

	@AfterAll
	static void stopDns() {
		dns.close();
	}

	@BeforeEach
	void organization() {
		api = new ApiClient(BASE);
		browser = new FormClient(BASE);
		ApiClient.Response signedUp = api.post("/v1/sign-up",
				Map.of("email", "owner-" + UUID.randomUUID() + "@example.com", "password", ApiTestSupport.PASSWORD));
		assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
		owner = signedUp.text("access_token");
		org = "/v1/organizations/" + api.post("/v1/organizations", Map.of("name", "Acme"), owner).text("id");
	}

	private String connection(Map<String, Object> settings) {
		ApiClient.Response r = api.post(org + "/connections", settings, owner);
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r.text("id");
	}

	private String oidc() {
		return connection(Map.of("type", "oidc", "name", "Acme Okta", "issuer", "https://acme.okta.example",
				"client_id", "plinto", "client_secret", "secret"));
	}

	/** A new domain, verified through its TXT record and routed as given. */
	private String routedDomain(String connectionId, boolean passwordsDisabled) {
		String domain = "acme-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
		ApiClient.Response claim = api.post(org + "/domains", Map.of("domain", domain), owner);
		dns.publish("_plinto-verification." + domain, claim.json().get("verification").get("value").asString());
		assertThat(api.post(org + "/domains/" + domain + "/verify", Map.of(), owner).status()).isEqualTo(200);
		Map<String, Object> route = new HashMap<>();
		route.put("connection_id", connectionId);
		route.put("passwords_disabled", passwordsDisabled);
		ApiClient.Response routed = api.send(api.request(org + "/domains/" + domain, owner)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(route)))
			.build());
		assertThat(routed.status()).as(routed.toString()).isEqualTo(200);
		return domain;
	}

	private HttpResponse<String> signIn(String email, String password, String redirectUrl) {
		browser.get("/sign-in" + (redirectUrl == null ? ""
				: "?redirect_url=" + URLEncoder.encode(redirectUrl, StandardCharsets.UTF_8)));
		Map<String, String> form = new HashMap<>(Map.of("email", email, "password", password));
		if (redirectUrl != null) {
			form.put("redirect_url", redirectUrl);
		}
		return browser.post("/sign-in", form);
	}

	@Test
	void signInWhenEmailOfRoutedDomainThenSeeOtherToTheConnectionStartWithTheRedirectUrl() {
		String oidc = oidc();
		String domain = routedDomain(oidc, false);
		String back = APP + "dashboard?tab=1";

		HttpResponse<String> routed = signIn("Ada@" + domain.toUpperCase(), "", back);

		assertThat(routed.statusCode()).as(routed.body()).isEqualTo(303);
		assertThat(routed.headers().firstValue("Location")).hasValue("/sso/connections/" + oidc + "/start?redirect_url="
				+ URLEncoder.encode(back, StandardCharsets.UTF_8));
		assertThat(browser.cookies).as("no session: the identity provider signs in").doesNotContainKey("plinto_refresh");

		// a password typed anyway is not used: the browser still goes to the identity provider
		HttpResponse<String> withPassword = signIn("nobody-" + UUID.randomUUID() + "@" + domain, "guess", null);
		assertThat(withPassword.statusCode()).isEqualTo(303);
		assertThat(withPassword.headers().firstValue("Location")).hasValue("/sso/connections/" + oidc + "/start");

		// a redirect_url that is not allowed is dropped, not carried along
		HttpResponse<String> foreign = signIn("ada@" + domain, "", "https://evil.example/steal");
		assertThat(foreign.headers().firstValue("Location")).hasValue("/sso/connections/" + oidc + "/start");
	}

	@Test
	void signInWhenSamlConnectionThenSeeOtherToTheSamlStart() {
		String saml = connection(Map.of("type", "saml", "name", "Acme ADFS", "metadata_url",
				"https://adfs.acme.example/FederationMetadata.xml"));
		String domain = routedDomain(saml, true);

		HttpResponse<String> routed = signIn("ada@" + domain, "", APP);

		assertThat(routed.statusCode()).isEqualTo(303);
		assertThat(routed.headers().firstValue("Location"))
			.hasValue("/saml/" + saml + "/start?redirect_url=" + URLEncoder.encode(APP, StandardCharsets.UTF_8));
	}

	@Test
	void signInWhenDomainNotRoutedThenPasswordSignInAsBeforeAndPasswordsDisabledDomainRefusesWithASentence() {
		String plain = "grace-" + UUID.randomUUID() + "@example.com";
		api.post("/v1/sign-up", Map.of("email", plain, "password", ApiTestSupport.PASSWORD));
		HttpResponse<String> signedIn = signIn(plain, ApiTestSupport.PASSWORD, APP);
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		assertThat(signedIn.headers().firstValue("Location")).hasValue(APP);
		assertThat(browser.cookies).containsKey("plinto_refresh");

		// routed to a connection that is then disabled: no route, and passwords stay off for the domain
		String oidc = oidc();
		String domain = routedDomain(oidc, true);
		String ada = "ada@" + domain;
		api.patch(org + "/connections/" + oidc, Map.of("enabled", false), owner);

		browser = new FormClient(BASE);
		HttpResponse<String> refused = signIn(ada, "some password", null);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("passwords are switched off for this email address");

		browser.get("/sign-in/forgot-password");
		HttpResponse<String> reset = browser.post("/sign-in/forgot-password", Map.of("email", ada));
		assertThat(reset.statusCode()).isEqualTo(403);
		assertThat(reset.body()).contains("passwords are switched off for this email address");
	}
}
