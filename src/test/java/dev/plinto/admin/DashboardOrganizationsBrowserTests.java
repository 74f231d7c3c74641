package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.pages.Chromium;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's organizations in Debian's headless Chromium: an administrator signed in with their authenticator
 * app creates an organization with its first owner, adds members by email address and by user id, invites an
 * address, finds the organization by part of its name, edits its private metadata, makes a member admin and removes
 * another, each through the pages' forms; the list and the organization's page are checked with axe-core and
 * written as screenshots ({@code target/screenshots/admin-organizations-*}, {@code admin-organization-*},
 * {@code admin-organization-members-*}).
 */
class DashboardOrganizationsBrowserTests extends DashboardTestSupport {

	@Autowired
	private AdminOrganizations organizations;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void adminWhenSignedInThenCreatesAnOrganizationAddsMembersEditsMetadataChangesARoleAndRemovesAMember() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account owner = signUp();
		Account promoted = signUp();
		Account leaving = signUp();
		String invitee = newEmail();
		String name = "Globex " + UUID.randomUUID().toString().substring(0, 8);
		chrome = chromiumSignedIn(admin, "/admin", "Overview");

		chrome.findElement(By.linkText("Organizations")).click();
		awaitHeading("Organizations");
		chrome.findElement(By.id("new-name")).sendKeys(name);
		chrome.findElement(By.id("new-owner")).sendKeys(owner.email());
		chrome.findElement(By.id("create-organization")).click();
		awaitHeading(name);
		awaitNotice("The organization was created.");
		String org = chrome.getCurrentUrl().replaceAll(".*/admin/organizations/([^?#]+).*", "$1");
		assertThat(api.get("/v1/organizations/" + org, owner.accessToken()).json().get("role").asString())
			.isEqualTo("owner");

		chrome.findElement(By.id("add-member")).sendKeys(promoted.email());
		new Select(chrome.findElement(By.id("add-member-role"))).selectByValue("member");
		chrome.findElement(By.id("add-member-button")).click();
		awaitNotice("The member was added.");
		chrome.findElement(By.id("add-member")).sendKeys(leaving.userId());
		chrome.findElement(By.id("add-member-button")).click();
		awaitNotice("The member was added.");
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.findElement(By.id("members")).getText()
			.contains(leaving.email()));
		chrome.findElement(By.id("invite-email")).sendKeys(invitee);
		new Select(chrome.findElement(By.id("invite-role"))).selectByValue("admin");
		chrome.findElement(By.id("invite-button")).click();
		awaitNotice("The invitation was sent.");
		assertThat(organizations.invitations(org))
			.singleElement()
			.satisfies(i -> assertThat(i.email() + " " + i.role()).isEqualTo(invitee + " admin"));
		chrome.executeScript("document.getElementById('members-title').scrollIntoView()");
		Chromium.screenshot(chrome, "admin-organization-members");

		chrome.findElement(By.linkText("Back to the organizations")).click();
		awaitHeading("Organizations");
		chrome.findElement(By.id("q")).sendKeys(name.substring(0, 12));
		chrome.findElement(By.cssSelector("form[role=search] button")).click();
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.findElements(By.linkText(name)).size() == 1);
		Chromium.screenshot(chrome, "admin-organizations");
		assertTablesScrollInsideTheirWrapAtPhoneWidth();
		chrome.findElement(By.linkText(name)).click();
		awaitHeading(name);
		assertThat(chrome.findElement(By.id("members")).getText()).contains(owner.email(), promoted.email(),
				leaving.email());
		assertThat(chrome.findElement(By.id("invitations")).getText()).contains("Pending", invitee);
		assertThat(chrome.findElement(By.id("organization-events")).getText()).contains(admin.userId());

		WebElement metadata = chrome.findElement(By.id("private_metadata"));
		metadata.clear();
		metadata.sendKeys("{\"billing_id\": \"cus_42\", \"seats\": 25}");
		chrome.findElement(By.id("save-organization")).click();
		awaitNotice("The name and metadata were saved.");
		assertThat(organizations.get(org).privateMetadata()).isEqualTo(Map.of("billing_id", "cus_42", "seats", 25));
		assertThat(api.get("/v1/organizations/" + org, owner.accessToken()).raw()).doesNotContain("cus_42");

		new Select(chrome.findElement(By.id("role-" + promoted.userId()))).selectByValue("admin");
		chrome.findElement(By.id("change-role-" + promoted.userId())).click();
		awaitNotice("The role was changed.");
		assertThat(organizations.members(org, null, 100).data())
			.anySatisfy(m -> assertThat(m.userId() + " " + m.role()).isEqualTo(promoted.userId() + " admin"));

		chrome.findElement(By.id("remove-" + leaving.userId())).click();
		awaitNotice("The member was removed.");
		assertThat(chrome.findElement(By.id("members")).getText()).doesNotContain(leaving.email());
		assertThat(api.get("/v1/organizations/" + org, leaving.accessToken()).status()).isEqualTo(404);
		assertTablesScrollInsideTheirWrapAtPhoneWidth();
		chrome.executeScript("document.getElementById('private-hint').scrollIntoView()");
		Chromium.screenshot(chrome, "admin-organization");

		chrome.get(base() + "/admin/users/" + owner.userId());
		awaitHeading(owner.email());
		chrome.findElement(By.linkText(name)).click();
		awaitHeading(name);
	}

	/**
	 * At a phone's width every table of the page sits in a {@code table-wrap} that scrolls sideways and takes the
	 * keyboard's focus (WCAG 2.1.1, 1.4.10), so the page itself never scrolls sideways.
	 */
	private void assertTablesScrollInsideTheirWrapAtPhoneWidth() {
		Dimension size = chrome.manage().window().getSize();
		try {
			chrome.manage().window().setSize(Chromium.MOBILE);
			List<WebElement> tables = chrome.findElements(By.tagName("table"));
			assertThat(tables).isNotEmpty();
			for (WebElement table : tables) {
				WebElement wrap = table.findElement(By.xpath(".."));
				assertThat(wrap.getAttribute("class")).as("the box of #" + table.getAttribute("id"))
					.isEqualTo("table-wrap");
				assertThat(wrap.getAttribute("tabindex")).isEqualTo("0");
				assertThat(wrap.getCssValue("overflow-x")).isEqualTo("auto");
			}
			Object overflow = chrome.executeScript(
					"return document.documentElement.scrollWidth - document.documentElement.clientWidth");
			assertThat(((Number) overflow).longValue()).as("the page does not scroll sideways").isLessThanOrEqualTo(0);
		}
		finally {
			chrome.manage().window().setSize(size);
		}
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
