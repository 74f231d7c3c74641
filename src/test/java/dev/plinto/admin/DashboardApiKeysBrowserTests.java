package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.audit.AuditEvent;
import dev.plinto.pages.Chromium;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's Backend API keys ({@code /admin/api-keys}): in Debian's headless Chromium an administrator creates a
 * key with the form, sees its secret once (not in the address, not on the list), calls the Backend API with it,
 * rotates it (the old secret is refused at once, the new one works) and revokes it (refused); each change is audited
 * with the administrator as the actor. Through the real server's pages: the secret's answer is {@code no-store}, a
 * refused form keeps what was typed, {@code support} reads the list but every post is refused (403), and rotating
 * and revoking need a recent sign-in. Pages are checked with axe-core and written as screenshots
 * ({@code target/screenshots/admin-api-keys-*}, {@code admin-api-key-secret-*}) in light and dark, desktop and mobile.
 */
class DashboardApiKeysBrowserTests extends DashboardTestSupport {

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private DashboardAuditSearch audit;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void adminWhenCreatingRotatingAndRevokingAKeyThenItsSecretIsShownOnceAndTheBackendApiFollows() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		String name = "billing-backend-" + System.nanoTime();
		chrome = chromiumSignedIn(admin, "/admin", "Overview");

		chrome.findElement(By.linkText("API keys")).click();
		awaitHeading("API keys");
		chrome.findElement(By.id("name")).sendKeys(name);
		chrome.findElement(By.cssSelector("input[name=scopes][value='users:read']")).click();
		chrome.findElement(By.cssSelector("input[name=scopes][value='audit:read']")).click();
		chrome.findElement(By.id("expires_in_days")).sendKeys("90");
		chrome.findElement(By.id("create-api-key")).click();
		awaitHeading("New API key");
		String secret = chrome.findElement(By.id("secret")).getText();
		assertThat(secret).startsWith("sk_live_").hasSizeGreaterThan(40);
		assertThat(chrome.getCurrentUrl()).as("the secret is never in an address")
			.isEqualTo(base() + "/admin/api-keys");
		assertThat(chrome.findElement(By.id("api-key")).getText()).contains(name, "users:read audit:read");
		Chromium.screenshot(chrome, "admin-api-key-secret");

		ApiKey key = apiKeys.list().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
		assertThat(key.createdBy()).isEqualTo(admin.userId());
		assertThat(key.scopes()).containsExactly("users:read", "audit:read");
		assertThat(Duration.between(key.createdAt(), key.expiresAt())).isEqualTo(Duration.ofDays(90));
		assertThat(api.get("/v1/admin/users", secret).status()).isEqualTo(200);

		chrome.findElement(By.linkText("Back to the API keys")).click();
		awaitHeading("API keys");
		String row = chrome.findElement(By.id("key-" + key.id())).getText();
		assertThat(row).contains(name, secret.substring(0, ApiKeys.PREFIX_LENGTH), "Active", "users:read");
		assertThat(chrome.getPageSource()).as("the list never shows a secret").doesNotContain(secret);
		Chromium.screenshot(chrome, "admin-api-keys");

		chrome.findElement(By.cssSelector("#key-" + key.id() + " form[action$='/rotate'] button")).click();
		awaitHeading("Rotated API key");
		String rotated = chrome.findElement(By.id("secret")).getText();
		assertThat(rotated).startsWith("sk_live_").isNotEqualTo(secret);
		assertThat(api.get("/v1/admin/users", secret).status()).as("the old secret stops at once").isEqualTo(401);
		assertThat(api.get("/v1/admin/users", rotated).status()).isEqualTo(200);

		chrome.findElement(By.linkText("Back to the API keys")).click();
		awaitHeading("API keys");
		chrome.findElement(By.cssSelector("#key-" + key.id() + " form[action$='/revoke'] button")).click();
		awaitNotice("The key was revoked; it is refused from the next request on.");
		assertThat(chrome.findElement(By.id("key-" + key.id())).getText()).contains("Revoked");
		assertThat(chrome.findElements(By.cssSelector("#key-" + key.id() + " form"))).isEmpty();
		assertThat(api.get("/v1/admin/users", rotated).status()).as("a revoked key is refused").isEqualTo(401);

		List<AuditEvent> events = audit.search(new DashboardAuditSearch.Filter(admin.userId(), null, null, null, null,
				null), null).events().stream().filter(e -> e.detail() != null && e.detail().contains(key.id())).toList();
		assertThat(events).extracting(AuditEvent::type)
			.contains(AuditEvent.Type.API_KEY_CREATED, AuditEvent.Type.API_KEY_ROTATED, AuditEvent.Type.API_KEY_REVOKED);
		assertThat(events).extracting(AuditEvent::actorId).containsOnly(admin.userId());
	}

	@Test
	void adminWhenPostingTheFormThenTheSecretIsNoStoreAndARefusalKeepsWhatWasTyped() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/api-keys").statusCode()).isEqualTo(200);

		HttpResponse<String> noScope = browser.post("/admin/api-keys", Map.of("name", "reporting-job"));
		assertThat(noScope.statusCode()).isEqualTo(400);
		assertThat(noScope.body()).contains("Choose at least one scope.", "value=\"reporting-job\"");
		HttpResponse<String> badExpiry = browser.post("/admin/api-keys",
				Map.of("name", "reporting-job", "scopes", "users:read", "expires_in_days", "0"));
		assertThat(badExpiry.statusCode()).isEqualTo(400);
		assertThat(badExpiry.body()).contains("whole number of days from 1 to 3650",
				"value=\"users:read\" checked");
		assertThat(apiKeys.list()).noneMatch(k -> k.name().equals("reporting-job"));

		HttpResponse<String> created = browser.post("/admin/api-keys",
				Map.of("name", "reporting-job", "scopes", "users:read"));
		assertThat(created.statusCode()).isEqualTo(200);
		assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(created.headers().firstValue("Location")).isEmpty();
		String secret = created.body().replaceAll("(?s).*id=\"secret\">(sk_live_[A-Za-z0-9_-]+)<.*", "$1");
		assertThat(secret).startsWith("sk_live_");
		assertThat(api.get("/v1/admin/users", secret).status()).isEqualTo(200);
		ApiKey key = apiKeys.list().stream().filter(k -> k.name().equals("reporting-job")).findFirst().orElseThrow();
		assertThat(key.expiresAt()).isNull();
		assertThat(browser.get("/admin/api-keys").body()).contains(key.id()).doesNotContain(secret);

		HttpResponse<String> unknown = browser.post("/admin/api-keys/key_unknown/revoke", Map.of());
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("There is no such key, or it was revoked.");
	}

	@Test
	void supportWhenReadingThenTheListAndWhenPostingThen403() {
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		ApiKey key = apiKeys.create("support-visible", List.of("users:read"), null, "cli", ClientInfo.none()).key();
		Browser browser = new Browser(support);
		HttpResponse<String> page = browser.get("/admin/api-keys");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("support-visible", key.prefix()).doesNotContain("method=\"post\"");
		int before = apiKeys.list().size();
		for (String path : new String[] { "/admin/api-keys", "/admin/api-keys/" + key.id() + "/rotate",
				"/admin/api-keys/" + key.id() + "/revoke" }) {
			HttpResponse<String> refused = browser.post(path, Map.of("name", "support-made", "scopes", "users:read"));
			assertThat(refused.statusCode()).as(path).isEqualTo(403);
			assertThat(refused.body()).as(path).contains("can look at every page of the dashboard but change nothing");
		}
		assertThat(apiKeys.list()).hasSize(before);
		assertThat(apiKeys.get(key.id()).revokedAt()).isNull();
		assertThat(apiKeys.get(key.id()).prefix()).isEqualTo(key.prefix());
	}

	@Test
	void adminWhenSignInNotRecentThenRotateAndRevokeSendToSignInAgain() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		ApiKey key = apiKeys.create("needs-recent-sign-in", List.of("users:read"), null, "cli", ClientInfo.none())
			.key();
		clock.advance(Duration.ofMinutes(16));
		var refreshed = api.post("/v1/token/refresh", dev.plinto.ApiClient.map("refresh_token", admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Browser browser = new Browser(new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret()));
		assertThat(browser.get("/admin/api-keys").statusCode()).isEqualTo(200);
		for (String action : new String[] { "rotate", "revoke" }) {
			HttpResponse<String> r = browser.post("/admin/api-keys/" + key.id() + "/" + action, Map.of());
			assertThat(r.statusCode()).as(action).isEqualTo(303);
			assertThat(r.headers().firstValue("Location").orElseThrow()).as(action).startsWith("/sign-in?prompt=login");
		}
		assertThat(apiKeys.get(key.id()).revokedAt()).isNull();
		assertThat(apiKeys.get(key.id()).prefix()).isEqualTo(key.prefix());
	}

	private void awaitHeading(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().equals(text)));
	}

	private void awaitNotice(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.cssSelector("div.notice"))
				.stream()
				.anyMatch(n -> n.getText().equals(text)));
	}
}
