package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.pages.Chromium;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The admin dashboard in Debian's headless Chromium: an administrator signs in with their authenticator app from
 * the dashboard's sign-in redirect, sees the overview, finds a user, bans them (their refresh token then stops
 * working), lifts the ban, locks and unlocks sign-in, edits the private metadata, and reads the system, signing
 * keys and audit pages. Each page is checked with axe-core (no serious or critical violation) and written as a
 * screenshot to {@code target/screenshots/admin-*}, in light and dark at desktop and mobile width.
 */
class DashboardBrowserTests extends DashboardTestSupport {

	@Autowired
	private AdminUsers users;

	@Autowired
	private dev.plinto.webhook.WebhookService webhooks;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void adminWhenSignedInWithTotpThenFindsBansUnbansLocksUnlocksAndEditsAUser() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account victim = signUp();
		chrome = chromiumSignedIn(admin, "/admin", "Overview");
		assertThat(chrome.findElements(By.cssSelector("figure.chart svg[role=img]"))).hasSize(3);
		assertThat(Long.parseLong(chrome.findElement(By.id("dau")).getText())).isPositive();
		Chromium.screenshot(chrome, "admin-overview");
		chrome.executeScript("document.getElementById('new-users-title').scrollIntoView()");
		assertThat(chrome.findElement(By.id("sign-ups-by-method")).getText()).contains("password");
		Chromium.screenshot(chrome, "admin-overview-sign-ups");

		chrome.findElement(By.linkText("Users")).click();
		awaitHeading("Users");
		chrome.findElement(By.id("q")).sendKeys(victim.email());
		chrome.findElement(By.cssSelector("form[role=search] button")).click();
		chrome.findElement(By.linkText(victim.email())).click();
		awaitHeading(victim.email());
		Chromium.screenshot(chrome, "admin-user");

		chrome.findElement(By.id("ban")).click();
		awaitNotice("The user is banned and signed out everywhere.");
		assertThat(chrome.findElement(By.id("state")).getText()).contains("Banned since");
		ApiClient.Response refresh = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				victim.refreshToken()));
		assertThat(refresh.status()).as(refresh.toString()).isEqualTo(401);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", victim.email(), "password", PASSWORD)).status())
			.as("a banned user cannot sign in")
			.isNotEqualTo(200);

		chrome.findElement(By.id("unban")).click();
		awaitNotice("The ban is lifted; the user can sign in again.");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", victim.email(), "password", PASSWORD)).status())
			.isEqualTo(200);

		chrome.findElement(By.id("hours")).sendKeys("2");
		chrome.findElement(By.id("lock")).click();
		awaitNotice("Sign-in is locked.");
		assertThat(chrome.findElement(By.id("state")).getText()).contains("Sign-in locked until");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", victim.email(), "password", PASSWORD)).status())
			.isEqualTo(429);
		chrome.findElement(By.id("unlock")).click();
		awaitNotice("Sign-in is unlocked.");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", victim.email(), "password", PASSWORD)).status())
			.isEqualTo(200);

		WebElement metadata = chrome.findElement(By.id("private_metadata"));
		metadata.clear();
		metadata.sendKeys("{\"plan\": \"pro\", \"seats\": 5}");
		chrome.findElement(By.id("save-metadata")).click();
		awaitNotice("The private metadata was saved.");
		assertThat(users.get(victim.userId()).privateMetadata()).isEqualTo(Map.of("plan", "pro", "seats", 5));

		chrome.findElement(By.id("private_metadata")).clear();
		chrome.findElement(By.id("private_metadata")).sendKeys("not json");
		chrome.findElement(By.id("save-metadata")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElement(By.cssSelector("div.alert")).getText()
				.contains("must be one JSON object"));
		assertThat(users.get(victim.userId()).privateMetadata()).containsEntry("plan", "pro");

		chrome.findElement(By.linkText("System")).click();
		awaitHeading("System");
		assertThat(chrome.findElement(By.id("triggers")).getText()).contains("CPU of the process",
				"Database connections in use");
		Chromium.screenshot(chrome, "admin-system");

		chrome.findElement(By.linkText("Signing keys")).click();
		awaitHeading("Signing keys");
		assertThat(chrome.findElement(By.id("keys")).getText()).contains("Signing now");
		Chromium.screenshot(chrome, "admin-keys");

		chrome.get(base() + "/admin/audit?user=" + victim.email());
		awaitHeading("Audit log");
		assertThat(chrome.findElement(By.id("events")).getText()).contains(admin.userId());
		Chromium.screenshot(chrome, "admin-audit");

		String id = webhooks.create("https://hooks.example.com/dashboard", "Billing service", null, null)
			.endpoint()
			.id();
		chrome.findElement(By.linkText("Webhooks")).click();
		awaitHeading("Webhooks");
		Chromium.screenshot(chrome, "admin-webhooks");
		chrome.findElement(By.linkText("https://hooks.example.com/dashboard")).click();
		awaitHeading("https://hooks.example.com/dashboard");
		chrome.findElement(By.id("disable")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElement(By.id("endpoint-state")).getText().equals("Disabled"));
		Chromium.screenshot(chrome, "admin-webhook");
		webhooks.delete(id, null);
	}

	@Test
	void nonAdminWhenOpeningTheDashboardThenTheRefusalPage() {
		Account user = withSecondFactor(null);
		chrome = chromiumSignedIn(user, "/admin", "Something went wrong");
		assertThat(chrome.findElement(By.tagName("main")).getText())
			.contains("This page is for the administrators of this installation.");
		Chromium.screenshot(chrome, "admin-forbidden-light-desktop");
	}

	private void awaitHeading(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.tagName("h1"))
				.stream()
				.anyMatch(h -> h.getText().equals(text)));
	}

	private void awaitNotice(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.cssSelector("div.notice"))
				.stream()
				.anyMatch(n -> n.getText().equals(text)));
	}
}
