package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.PlintoApplication;
import dev.plinto.WithMailCatcher;
import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Plinto federating to Plinto in Debian's headless Chromium: a second Plinto server (the upstream, on
 * {@code 127.0.0.1}, so its cookies never mix with this one's on {@code localhost}) is the OpenID provider, with this
 * test's server registered there as a confidential client; this server knows it as the generic provider
 * {@code upstream} by its issuer alone (discovery). A person with an account upstream presses "Continue with Upstream"
 * here, signs in on the upstream's hosted page, comes back with a code that this server exchanges and whose ID token
 * it verifies against the upstream's JWKS, and is signed in here with a new account linked to the upstream one.
 */
@PagesServer
class PlintoToPlintoBrowserTests implements WithMailCatcher {

	/** This server's own port, and the upstream provider's, of the federation tests' range. */
	static final int RP_PORT = PagesTestSupport.freePort();

	static final int UPSTREAM_PORT = 18813;

	static final String PASSWORD = ApiTestSupport.PASSWORD;

	static final String UPSTREAM = "http://127.0.0.1:" + UPSTREAM_PORT;

	static final String RP = "http://localhost:" + RP_PORT;

	static final String CALLBACK = RP + "/sso/upstream/callback";

	/** The upstream server and this server's client there, started when this server's settings are read. */
	private static ConfigurableApplicationContext upstream;

	private static OidcClients.Created client;

	@DynamicPropertySource
	static void upstreamProvider(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_PORT", () -> RP_PORT);
		registry.add("server.port", () -> RP_PORT);
		registry.add("PLINTO_REDIRECT_URLS", PagesTestSupport::appUrl);
		registry.add("PLINTO_OAUTH_PROVIDERS", () -> "upstream");
		registry.add("PLINTO_OAUTH_UPSTREAM_NAME", () -> "Upstream");
		registry.add("PLINTO_OAUTH_UPSTREAM_ISSUER", () -> UPSTREAM);
		registry.add("PLINTO_OAUTH_UPSTREAM_CLIENT_ID", () -> upstreamClient().client().clientId());
		registry.add("PLINTO_OAUTH_UPSTREAM_CLIENT_SECRET", () -> upstreamClient().secret());
	}

	private static synchronized OidcClients.Created upstreamClient() {
		if (client == null) {
			upstream = new SpringApplicationBuilder(PlintoApplication.class)
				.properties(Map.ofEntries(Map.entry("PLINTO_PORT", UPSTREAM_PORT),
						Map.entry("server.port", UPSTREAM_PORT), Map.entry("PLINTO_ISSUER", UPSTREAM),
						Map.entry("PLINTO_DATABASE_URL",
								"jdbc:h2:mem:plinto-upstream-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"),
						Map.entry("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY),
						Map.entry("PLINTO_DATA_DIR", "target/test-data-upstream"),
						Map.entry("PLINTO_ARGON2_MEMORY_KIB", 1024), Map.entry("PLINTO_ARGON2_ITERATIONS", 1),
						Map.entry("PLINTO_APP_NAME", "Upstream")))
				.run();
			client = upstream.getBean(OidcClients.class)
				.create(new OidcClients.Spec("Downstream " + UUID.randomUUID(), OidcClients.Type.CONFIDENTIAL,
						List.of(CALLBACK), List.of(), Set.of("authorization_code", "refresh_token"),
						Set.of("openid", "email", "profile"), true, true, null, null, null, null),
						ClientInfo.none());
		}
		return client;
	}

	@AfterAll
	static void stopUpstream() {
		if (upstream != null) {
			upstream.close();
		}
	}

	@Autowired
	JdbcClient jdbc;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void signInWhenUpstreamPlintoIsTheProviderThenSignedInHereWithALinkedAccount() {
		String email = PagesTestSupport.newEmail();
		ApiClient upstreamApi = new ApiClient(UPSTREAM);
		ApiClient.Response signedUp = upstreamApi.post("/v1/sign-up", Map.of("email", email, "password", PASSWORD));
		assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
		String upstreamUser = signedUp.json().get("user").get("id").asString();
		// confirmed upstream, as this server (PLINTO_EMAIL_VERIFICATION=required) accepts confirmed addresses only
		upstream.getBean(JdbcClient.class)
			.sql("update users set email_verified = true where id = :id")
			.param("id", upstreamUser)
			.update();
		// Back to a page of this server: a redirect from here on to another origin would be the last hop of the upstream
		// sign-in form's submission, which Chromium checks against that page's form-action (docs/federation.md).
		String back = RP + "/account";

		chrome = Chromium.start(true);
		chrome.get(RP + "/sign-in?redirect_url=" + URLEncoder.encode("/account", StandardCharsets.UTF_8));
		chrome.findElement(By.linkText("Continue with Upstream")).click();

		await().atMost(Duration.ofSeconds(30)).until(() -> chrome.getCurrentUrl().startsWith(UPSTREAM + "/sign-in"));
		Chromium.screenshot(chrome, "federation-upstream-sign-in");
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> chrome.getCurrentUrl().equals(back));
		}
		catch (org.awaitility.core.ConditionTimeoutException e) {
			Chromium.screenshot(chrome, "federation-upstream-stuck");
			throw new AssertionError("not back at the app: at " + chrome.getCurrentUrl() + ": "
					+ chrome.findElement(By.tagName("body")).getText(), e);
		}

		Map<String, Object> identity = jdbc.sql("""
				select i.user_id, i.subject, u.email from user_identities i join users u on u.id = i.user_id
				where i.provider = 'upstream' and i.subject = :subject""")
			.param("subject", upstreamUser)
			.query()
			.singleRow();
		assertThat(identity.get("email")).as("a new account here, linked to the upstream one").isEqualTo(email);

		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.id("linked-accounts")).getText().contains("Upstream"));
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(email);
		Chromium.screenshot(chrome, "federation-upstream-account");
	}
}
