package dev.plinto.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.TestClockConfiguration;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.pages.Chromium;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SP-initiated SAML sign-in in the real browser (Debian's headless Chromium) against a real identity provider,
 * Debian's SimpleSAMLphp ({@link SamlSimpleSamlPhp}) on loopback: Plinto's SP metadata registered at the IdP, the
 * IdP's metadata fetched by Plinto from its URL, the signed AuthnRequest checked by the IdP
 * ({@code validate.authnrequest}), the user signing in at the IdP's form, and the signed assertion accepted by
 * Plinto, which makes the account, joins it to the organization with the role its groups map to, and signs the
 * browser in. Plinto (port 18851) and the IdP (18850) share the host 127.0.0.1, so the IdP's post to the ACS is a
 * same-site request on plain http, as in a development setup. Screenshots in {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-saml-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1", "PLINTO_PORT=" + SamlBrowserTests.PORT,
		"server.port=" + SamlBrowserTests.PORT, "PLINTO_ISSUER=http://127.0.0.1:" + SamlBrowserTests.PORT,
		"PLINTO_SAML_METADATA_ALLOW_HTTP=true", "PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.1/32",
		"PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m" })
@Import(TestClockConfiguration.class)
class SamlBrowserTests {

	static final int PORT = 18851;

	static final int IDP_PORT = 18850;

	@Autowired
	ConnectionRepository connections;

	@Autowired
	JdbcClient jdbc;

	private SamlSimpleSamlPhp idp;

	private ChromeDriver chrome;

	@AfterEach
	void stop() {
		if (chrome != null) {
			chrome.quit();
		}
		if (idp != null) {
			idp.close();
		}
	}

	private void screenshot(String name) {
		try {
			java.nio.file.Files.createDirectories(Chromium.SCREENSHOTS);
			java.nio.file.Files.write(Chromium.SCREENSHOTS.resolve(name + ".png"),
					chrome.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@Test
	void signInWhenSpInitiatedThroughSimpleSamlPhpThenJoinsTheOrganizationWithTheMappedRole() {
		String user = "ada-" + UUID.randomUUID().toString().substring(0, 8);
		String email = user + "@acme.example";
		idp = SamlSimpleSamlPhp.start(IDP_PORT, """
				        '%s:lovelace-engine' => [
				            'email' => ['%s'],
				            'displayName' => ['Ada Lovelace'],
				            'groups' => ['engineers', 'plinto-admins'],
				        ],
				""".formatted(user, email));
		chrome = Chromium.start(true);
		ApiClient api = new ApiClient("http://127.0.0.1:" + PORT);
		String owner = "owner-" + UUID.randomUUID() + "@example.com";
		String token = api.post("/v1/sign-up", ApiClient.map("email", owner, "password", ApiTestSupport.PASSWORD))
			.text("access_token");
		String organizationId = api.post("/v1/organizations", ApiClient.map("name", "Acme"), token).text("id");
		String connectionId = "con_" + UUID.randomUUID().toString().replace("-", "");
		Instant now = Instant.now();
		connections.insert(new OrganizationConnection(connectionId, organizationId, OrganizationConnection.Type.SAML,
				"Acme SimpleSAMLphp", true, null, null, null, idp.metadataUrl(), null,
				"{\"email\":\"email\",\"name\":\"displayName\",\"groups\":\"groups\","
						+ "\"roles\":{\"plinto-admins\":\"admin\"}}",
				"member", null, null, now, now));
		String base = "http://127.0.0.1:" + PORT;
		String metadata = api.get("/saml/" + connectionId + "/metadata").raw();
		Matcher certificate = Pattern.compile("<ds:X509Certificate>([^<]+)</ds:X509Certificate>").matcher(metadata);
		assertThat(certificate.find()).as(metadata).isTrue();
		idp.registerServiceProvider(base + "/saml/" + connectionId + "/metadata",
				base + "/saml/" + connectionId + "/acs", certificate.group(1).replaceAll("\\s", ""));

		chrome.get(base + "/saml/" + connectionId + "/start?redirect_url=%2Faccount");
		WebDriverWait wait = new WebDriverWait(chrome, Duration.ofSeconds(30));
		wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
		assertThat(chrome.getCurrentUrl()).as(idp.log()).startsWith(idp.base());
		// The identity provider's page, not Plinto's: a screenshot only, without Plinto's accessibility check.
		screenshot("saml-simplesamlphp-login");
		chrome.findElement(By.id("username")).sendKeys(user);
		chrome.findElement(By.id("password")).sendKeys("lovelace-engine");
		chrome.findElement(By.id("submit_button")).click();

		wait.until(ExpectedConditions.urlToBe(base + "/account"));
		assertThat(chrome.getPageSource()).contains(email);
		Chromium.screenshot(chrome, "saml-signed-in-account");
		String role = jdbc.sql("select m.role_key from organization_memberships m join users u on u.id = m.user_id "
				+ "where u.email = :email and m.organization_id = :org")
			.param("email", email)
			.param("org", organizationId)
			.query(String.class)
			.single();
		assertThat(role).isEqualTo("admin");

		// A refusal: the sentence and a way back to sign-in, in every colour scheme and width (axe-core checked).
		chrome.get(base + "/saml/con_unknown/start");
		assertThat(chrome.getPageSource()).contains("This sign-in connection does not exist or is turned off.");
		Chromium.screenshot(chrome, "saml-refused");
	}
}
