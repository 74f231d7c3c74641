package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.pages.Chromium;
import java.time.Duration;
import java.util.List;
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
 * keys and audit pages; creates a user with the form of the users page, changes their name and ends one of their
 * sessions; rotates the signing keys and withdraws the new key, and impersonates a user, each of the two dangerous
 * actions first refused to an old sign-in (sent to sign in again) and done after it; and a user without an instance
 * role is refused (403) on every page of the dashboard. Each page is checked with axe-core (no serious or critical
 * violation) and written as a screenshot to {@code target/screenshots/admin-*}, in light and dark at desktop and
 * mobile width.
 */
class DashboardBrowserTests extends DashboardTestSupport {

	@Autowired
	private AdminUsers users;

	@Autowired
	private dev.plinto.webhook.WebhookService webhooks;

	@Autowired
	private dev.plinto.token.SigningKeys signingKeys;

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
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().contains("q="));
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
		awaitNotice("The metadata was saved.");
		assertThat(users.get(victim.userId()).privateMetadata()).isEqualTo(Map.of("plan", "pro", "seats", 5));

		chrome.findElement(By.id("private_metadata")).clear();
		chrome.findElement(By.id("private_metadata")).sendKeys("not json");
		chrome.findElement(By.id("save-metadata")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElement(By.cssSelector("div.alert")).getText()
				.contains("must be one JSON object"));
		assertThat(chrome.findElement(By.id("private_metadata-error")).getText())
			.isEqualTo("The private metadata must be one JSON object, in braces.");
		assertThat(chrome.findElement(By.id("private_metadata")).getAttribute("aria-describedby"))
			.contains("private_metadata-error");
		Chromium.assertAccessible(chrome, "admin-user-metadata-refused");
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
		Chromium.screenshot(chrome, "admin-webhook-disabled");
		webhooks.delete(id, null);
	}

	@Test
	void nonAdminWhenOpeningAnyPageOfTheDashboardThenTheRefusalPage() {
		Account user = withSecondFactor(null);
		Account target = signUp();
		chrome = chromiumSignedIn(user, "/admin", "Something went wrong");
		assertThat(chrome.findElement(By.tagName("main")).getText())
			.contains("This page is for the administrators of this installation.");
		Chromium.screenshot(chrome, "admin-forbidden-light-desktop");
		List<String> pages = dashboardRoutes(target.userId()).stream()
			.filter(route -> route.startsWith("GET "))
			.map(route -> route.substring("GET ".length()))
			.toList();
		assertThat(pages).contains("/admin", "/admin/users", "/admin/users/" + target.userId(), "/admin/keys",
				"/admin/api-keys", "/admin/settings", "/admin/clients/new");
		for (String page : pages) {
			chrome.get(base() + page);
			assertThat(navigationStatus()).as(page).isEqualTo(403);
			assertThat(chrome.findElement(By.tagName("main")).getText()).as(page)
				.contains("This page is for the administrators of this installation.");
		}
	}

	@Test
	void adminWhenCreatingAUserRenamingThemAndEndingOneSessionThenTheUserFollows() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		// Addresses of a domain of this run's own, so that searching for it lists just these users.
		String domain = "d" + Long.toString(System.nanoTime(), 36) + ".example.com";
		AdminCaller operator = new AdminCaller(admin.userId(), dev.plinto.web.ClientInfo.none());
		users.create(operator, new dev.plinto.account.AccountAdministration.NewAccount("grace@" + domain,
				"Grace Hopper", PASSWORD, null, true, null, null, null));
		users.create(operator, new dev.plinto.account.AccountAdministration.NewAccount("alan@" + domain,
				"Alan Turing", null, null, false, null, null, null));
		chrome = chromiumSignedIn(admin, "/admin/users", "Users");
		String email = "ada@" + domain;
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("name")).sendKeys("Ada Lovelace");
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.id("email_verified")).click();
		chrome.findElement(By.id("create")).click();
		awaitHeading(email);
		awaitNotice("The user was created.");
		String id = chrome.getCurrentUrl().replaceAll(".*/admin/users/([^?]+).*", "$1");
		assertThat(users.get(id).name()).isEqualTo("Ada Lovelace");
		assertThat(users.get(id).emailVerified()).isTrue();

		WebElement name = chrome.findElement(By.id("name"));
		name.clear();
		name.sendKeys("Ada King");
		chrome.findElement(By.id("save-name")).click();
		awaitNotice("The name was saved.");
		assertThat(chrome.findElement(By.id("profile")).getText()).contains("Ada King");
		assertThat(users.get(id).name()).isEqualTo("Ada King");

		ApiClient.Response phone = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
		ApiClient.Response laptop = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(phone.status()).as(phone.toString()).isEqualTo(200);
		String sid = ApiClient.claims(phone.text("access_token")).path("sid").asString();
		chrome.navigate().refresh();
		awaitHeading(email);
		assertThat(chrome.findElements(By.cssSelector("#user-sessions tbody tr"))).hasSize(2);
		chrome.executeScript("arguments[0].scrollIntoView()", chrome.findElement(By.id("edit-title")));
		Chromium.screenshot(chrome, "admin-user-forms");
		chrome.findElement(By.id("revoke-" + sid)).click();
		awaitNotice("The session was ended; its tokens stop working at once.");
		assertThat(chrome.findElements(By.cssSelector("#user-sessions tbody tr"))).hasSize(1);
		chrome.executeScript("arguments[0].scrollIntoView()", chrome.findElement(By.id("sessions-title")));
		Chromium.screenshot(chrome, "admin-user-sessions");
		assertThat(api.post("/v1/token/refresh", ApiClient.map("refresh_token", phone.text("refresh_token"))).status())
			.as("the ended session cannot refresh").isEqualTo(401);
		assertThat(api.get("/v1/me", laptop.text("access_token")).status()).as("the other session stays")
			.isEqualTo(200);

		chrome.findElement(By.linkText("Users")).click();
		awaitHeading("Users");
		chrome.findElement(By.id("q")).sendKeys(domain);
		chrome.findElement(By.cssSelector("form[role=search] button")).click();
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().contains("q="));
		assertThat(chrome.findElements(By.cssSelector("#users tbody tr"))).hasSize(3);
		assertThat(chrome.findElement(By.id("users")).getText()).contains(email, "Ada King", "Grace Hopper",
				"Alan Turing");
		Chromium.screenshot(chrome, "admin-users");
	}

	@Test
	void adminWhenSignInNotRecentThenWithdrawingAKeyAndImpersonatingAskToSignInAgainAndThenWork() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		chrome = chromiumSignedIn(admin, "/admin/users/" + target.userId(), target.email());
		clock.advance(Duration.ofMinutes(16));

		chrome.findElement(By.id("impersonate")).click();
		awaitHeading("Sign in");
		assertThat(chrome.getCurrentUrl()).contains("prompt=login");
		assertThat(eventTypes(target)).as("an old sign-in impersonates nobody").doesNotContain("user.impersonated");

		chrome.get(base() + "/admin/keys");
		awaitHeading("Signing keys");
		java.util.Set<String> before = kids();
		chrome.findElement(By.xpath("//form[@action='/admin/keys/rotate'][not(input[@name='immediate'])]/button"))
			.click();
		await().atMost(Duration.ofSeconds(20)).until(() -> kids().size() == before.size() + 1);
		String kid = kids().stream().filter(k -> !before.contains(k)).findFirst().orElseThrow();
		awaitNoticeContaining("Key " + kid + " was created; it signs from");
		assertThat(chrome.findElement(By.id("keys")).getText()).contains(kid, "Next (published)");
		withdrawButton(kid).click();
		awaitHeading("Sign in");
		assertThat(kids()).as("an old sign-in withdraws nothing").contains(kid);

		signInOnThePage(chrome, admin, "Overview");
		chrome.get(base() + "/admin/keys");
		awaitHeading("Signing keys");
		withdrawButton(kid).click();
		awaitNotice("Key " + kid + " was withdrawn.");
		assertThat(kids()).doesNotContain(kid);
		assertThat(chrome.findElement(By.id("keys")).getText()).doesNotContain(kid);
		chrome.get(base() + "/admin/audit?user=" + admin.userId() + "&type=key.withdrawn");
		awaitHeading("Audit log");
		assertThat(chrome.findElement(By.id("events")).getText()).contains(kid);

		chrome.get(base() + "/admin/users/" + target.userId());
		awaitHeading(target.email());
		chrome.findElement(By.id("impersonate")).click();
		awaitHeading("Your account");
		assertThat(chrome.getCurrentUrl()).isEqualTo(base() + "/account");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(target.email());
		String token = chrome.manage().getCookieNamed("plinto_session").getValue();
		assertThat(ApiClient.claims(token).path("sub").asString()).isEqualTo(target.userId());
		assertThat(ApiClient.claims(token).path("act").path("sub").asString()).isEqualTo(admin.userId());
		assertThat(eventTypes(target)).contains("user.impersonated");
		chrome.get(base() + "/admin");
		assertThat(navigationStatus()).as("an impersonation never opens the dashboard").isEqualTo(403);
	}

	private List<String> eventTypes(Account account) {
		return users.securityEvents(account.userId(), null, 50).data().stream().map(AdminUsers.EventView::type).toList();
	}

	/** The HTTP status of the page the browser shows (Navigation Timing Level 2). */
	private long navigationStatus() {
		return ((Number) chrome.executeScript(
				"return performance.getEntriesByType('navigation')[0].responseStatus")).longValue();
	}

	private java.util.Set<String> kids() {
		return signingKeys.all().stream().map(dev.plinto.token.SigningKey::kid)
			.collect(java.util.stream.Collectors.toSet());
	}

	private WebElement withdrawButton(String kid) {
		return chrome.findElement(By.xpath("//input[@name='kid'][@value='" + kid + "']/following-sibling::button"));
	}

	private void awaitNoticeContaining(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.cssSelector("div.notice"))
				.stream()
				.anyMatch(n -> n.getText().contains(text)));
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
