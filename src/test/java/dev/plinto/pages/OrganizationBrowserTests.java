package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.account.MailCatcher;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The organization pages in Debian's headless Chromium (each page checked with axe-core): an invitation link opened by someone
 * without an account leads to a new account, a membership and a signed-in browser, whose account page then lists
 * the organization and makes it active. Screenshots of the invitation page and the organizations section go to
 * {@code target/screenshots/}.
 */
class OrganizationBrowserTests extends PagesTestSupport {

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void invitationLinkWhenOpenedWithoutAnAccountThenJoinsSignsInAndTheAccountPageMakesItActive() {
		String owner = verifiedAccount();
		String ownerToken = api.post("/v1/sign-in", ApiClient.map("email", owner, "password", PASSWORD))
			.text("access_token");
		String orgName = "Guild " + UUID.randomUUID().toString().substring(0, 8);
		String org = api.post("/v1/organizations", Map.of("name", orgName), ownerToken).text("id");
		String email = newEmail();
		api.post("/v1/organizations/" + org + "/invitations", Map.of("email", email, "role", "member"), ownerToken);
		String link = MailCatcher.link(MAIL.awaitMessage(email, 1));

		chrome = Chromium.start(true);
		chrome.manage().window().setSize(Chromium.DESKTOP);
		chrome.get(link);
		awaitHeading("Join " + orgName);
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(owner, email);
		Chromium.screenshot(chrome, "accept-invitation-light-desktop");
		chrome.findElement(By.id("name")).sendKeys("Grace Hopper");
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/accept-invitation'] button[type=submit]")).click();
		awaitHeading("Welcome");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("you are a member of " + orgName);

		chrome.get(url() + "/account");
		awaitHeading("Your account");
		chrome.findElement(By.cssSelector("form[action='/account/organizations/active'] button")).click();
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.id("organizations")).getText().contains("Active in this browser"));
		String jwt = chrome.manage().getCookieNamed("plinto_session").getValue();
		assertThat(ApiClient.claims(jwt).path("org_id").asText()).isEqualTo(org);
		sectionScreenshot("account-organizations-light-desktop");
		Chromium.colorScheme(chrome, "dark");
		chrome.manage().window().setSize(Chromium.MOBILE);
		chrome.get(link);
		awaitHeading("Invitation not valid");
		Chromium.screenshot(chrome, "accept-invitation-used-dark-mobile");
	}

	/** The organizations section alone (it lies below the first screen of the account page). */
	private void sectionScreenshot(String name) {
		try {
			java.nio.file.Files.createDirectories(Chromium.SCREENSHOTS);
			java.nio.file.Files.write(Chromium.SCREENSHOTS.resolve(name + ".png"),
					chrome.findElement(By.id("organizations")).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
		}
		catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}
}
