package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * "Delete my account" in Debian's headless Chromium (each page checked with axe-core): a wrong password is named on its field, the
 * right one deletes the account, signs the browser out and says so; screenshots of each step in
 * {@code target/screenshots/}.
 */
class AccountDeletionBrowserTests extends PagesTestSupport {

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void deleteAccountWhenPasswordWrongThenRightThenDeletedSignedOutAndCannotSignIn() {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		chrome.get(url() + "/sign-in");
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		awaitHeading("Your account");
		assertThat(chrome.findElement(By.id("delete-title")).getText()).isEqualTo("Delete my account");
		chrome.get(url() + "/account#delete-title");
		Chromium.screenshot(chrome, "account-delete-section");

		chrome.findElement(By.id("delete_password")).sendKeys("not the password");
		chrome.findElement(By.cssSelector("form[action='/account/delete'] button[type=submit]")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.until(() -> chrome.findElement(By.id("delete_password-error")).isDisplayed());
		assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Your account");
		assertThat(chrome.findElement(By.id("delete_password-error")).getText())
			.isEqualTo("The current password is not correct.");
		Chromium.screenshot(chrome, "account-delete-refused");

		chrome.findElement(By.id("delete_password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/account/delete'] button[type=submit]")).click();
		awaitHeading("Your account was deleted");
		Chromium.screenshot(chrome, "account-deleted");

		chrome.get(url() + "/account");
		awaitHeading("Sign in");
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("main")).getText()
				.contains("The email address or password is not correct."));
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}
}
