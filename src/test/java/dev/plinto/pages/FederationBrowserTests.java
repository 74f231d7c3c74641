package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.WithMailCatcher;
import dev.plinto.federation.MockIdentityProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Sign-in through an identity provider in Debian's headless Chromium: the sign-in page's provider button, the
 * provider (the test run's mock-oauth2-server, which answers at once), the callback and back at the app; then the
 * account page's "Linked accounts". Screenshots (checked with axe-core) in {@code target/screenshots/}.
 */
@PagesServer
class FederationBrowserTests implements WithMailCatcher {

	/**
	 * A port of its own: this class's server (with its provider settings) runs beside the shared one of the other
	 * page tests.
	 */
	static final int FEDERATION_PORT = PagesTestSupport.freePort();

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_PORT", () -> FEDERATION_PORT);
		registry.add("server.port", () -> FEDERATION_PORT);
		registry.add("PLINTO_REDIRECT_URLS", PagesTestSupport::appUrl);
		registry.add("PLINTO_OAUTH_PROVIDERS", () -> "acme-sso");
		registry.add("PLINTO_OAUTH_ACME_SSO_NAME", () -> "Acme SSO");
		registry.add("PLINTO_OAUTH_ACME_SSO_ISSUER", () -> MockIdentityProvider.SERVER.issuerUrl("browser").toString());
		registry.add("PLINTO_OAUTH_ACME_SSO_CLIENT_ID", () -> "plinto-browser");
		registry.add("PLINTO_OAUTH_ACME_SSO_CLIENT_SECRET", () -> "browser-secret");
	}

	private ChromeDriver chrome;

	private static String url() {
		return "http://localhost:" + FEDERATION_PORT;
	}

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void signInWhenProviderButtonThenBackAtTheAppAndTheAccountListsTheLinkedAccount() {
		chrome = Chromium.start(true);
		String email = PagesTestSupport.newEmail();
		MockIdentityProvider.SERVER.enqueueCallback(new DefaultOAuth2TokenCallback("browser",
				UUID.randomUUID().toString(), "JWT", List.of("plinto-browser"),
				Map.of("email", email, "email_verified", true, "name", "Ada Lovelace"), 3600));
		String back = PagesTestSupport.appUrl() + "social";

		chrome.get(url() + "/sign-in?redirect_url=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
		Chromium.screenshot(chrome, "sign-in-social");
		chrome.findElement(By.linkText("Continue with Acme SSO")).click();
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().equals(back));

		chrome.get(url() + "/account");
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.id("linked-accounts-title")).isDisplayed());
		assertThat(chrome.findElement(By.id("linked-accounts")).getText()).contains("Acme SSO").contains(email);
		Chromium.screenshot(chrome, "account-linked-accounts");
	}
}
