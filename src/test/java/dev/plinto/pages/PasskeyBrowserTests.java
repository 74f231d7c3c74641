package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.mfa.SoftwareAuthenticator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import tools.jackson.databind.json.JsonMapper;

/**
 * Passkeys on the hosted pages in Debian's headless Chromium with its virtual authenticator (WebDriver's WebAuthn
 * extension, a CTAP2 platform authenticator that verifies the user): registering a passkey on the account page,
 * signing in with the passkey button, the passkey as second factor after a password, renaming and removing; and,
 * with JavaScript off, no passkey button while renaming and removing still work. Screenshots of each state go to
 * {@code target/screenshots/passkey-*.png}.
 */
class PasskeyBrowserTests extends PagesTestSupport {

	/** A platform authenticator with user verification that consents to every request. */
	private static final VirtualAuthenticatorOptions AUTHENTICATOR = new VirtualAuthenticatorOptions()
		.setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
		.setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
		.setHasResidentKey(true)
		.setHasUserVerification(true)
		.setIsUserVerified(true)
		.setIsUserConsenting(true);

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void passkeyWhenAddedOnTheAccountPageThenItSignsInAloneAndAsSecondFactorAndCanBeRenamedAndRemoved() {
		chrome = Chromium.start(true);
		VirtualAuthenticator authenticator = chrome.addVirtualAuthenticator(AUTHENTICATOR);
		String email = verifiedAccount();

		open("/sign-in");
		awaitHeading("Sign in");
		assertThat(chrome.findElement(By.id("email")).getDomAttribute("autocomplete")).isEqualTo("username webauthn");
		await().atMost(Duration.ofSeconds(10)).until(() -> button("Sign in with a passkey").isDisplayed());
		Chromium.screenshot(chrome, "passkey-sign-in");
		signInWithPassword(email);
		awaitHeading("Your account");
		assertThat(main()).contains("You have no passkeys yet");
		sectionScreenshot("passkey-account-none");

		chrome.findElement(By.id("passkey-new-name")).sendKeys("Chromium");
		button("Add a passkey").click();
		awaitText("Your passkey is added");
		assertThat(main()).contains("Chromium", "never used");
		List<Credential> credentials = authenticator.getCredentials();
		assertThat(credentials).hasSize(1);
		assertThat(credentials.get(0).isResidentCredential()).isTrue();
		sectionScreenshot("passkey-account-added");

		// Autofill: the sign-in page's conditional request, which the virtual authenticator answers at once with its
		// one discoverable passkey (a person would pick it in the email field's suggestions).
		signOut();
		open("/sign-in");
		awaitHeading("Your account");
		assertThat(main()).contains(email, "last used");

		// The button: the page opens with no authenticator present (so autofill waits), then one with the passkey
		// appears and the button's request uses it.
		signOut();
		chrome.removeVirtualAuthenticator(authenticator);
		open("/sign-in");
		awaitHeading("Sign in");
		await().atMost(Duration.ofSeconds(10)).until(() -> button("Sign in with a passkey").isDisplayed());
		authenticator = withCredentials(credentials);
		button("Sign in with a passkey").click();
		awaitHeading("Your account");
		Chromium.screenshot(chrome, "passkey-account-signed-in-with-passkey");

		// The second factor: the password first (no authenticator, so autofill stays quiet), then the passkey.
		signOut();
		credentials = authenticator.getCredentials();
		chrome.removeVirtualAuthenticator(authenticator);
		open("/sign-in");
		awaitHeading("Sign in");
		signInWithPassword(email);
		awaitHeadingStart("Confirm it");
		await().atMost(Duration.ofSeconds(10)).until(() -> button("Use my passkey").isDisplayed());
		Chromium.screenshot(chrome, "passkey-second-factor");
		withCredentials(credentials);
		button("Use my passkey").click();
		awaitHeading("Your account");

		String id = chrome.findElement(By.name("passkey_id")).getDomAttribute("value");
		chrome.findElement(By.id("passkey-name-" + id)).clear();
		chrome.findElement(By.id("passkey-name-" + id)).sendKeys("Work laptop");
		button("Rename").click();
		awaitText("The passkey is renamed");
		assertThat(main()).contains("Work laptop");
		sectionScreenshot("passkey-account-renamed");

		button("Remove").click();
		awaitText("The passkey is removed");
		assertThat(main()).contains("You have no passkeys yet").doesNotContain("Work laptop");
		sectionScreenshot("passkey-account-removed");
	}

	@Test
	void passkeyPagesWhenJavaScriptOffThenNoPasskeyButtonsButRenameAndRemoveWork() {
		String email = verifiedAccount();
		FormClient setup = new FormClient(url());
		setup.get("/sign-in");
		setup.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		setup.get("/account");
		HttpResponse<String> options = setup.post("/account/passkeys/options", Map.of());
		JsonMapper json = JsonMapper.builder().build();
		HttpResponse<String> added = setup.post("/account/passkeys", Map.of("credential",
				json.writeValueAsString(new SoftwareAuthenticator(url()).create(json.readTree(options.body()))),
				"name", "Security key"));
		assertThat(added.body()).contains("Your passkey is added");

		chrome = Chromium.start(false);
		open("/sign-in");
		awaitHeading("Sign in");
		assertThat(button("Sign in with a passkey").isDisplayed()).isFalse();
		signInWithPassword(email);
		awaitHeadingStart("Confirm it");
		assertThat(button("Use my passkey").isDisplayed()).isFalse();
		assertThat(main()).contains("Confirming with a passkey needs a browser that supports passkeys");
		Chromium.screenshot(chrome, "passkey-second-factor-no-javascript");

		// The account page's plain forms, in the session the setup above started before the passkey existed (its
		// refresh cookie handed to Chromium): a second factor now, the password alone could not sign in here.
		chrome.manage().deleteAllCookies();
		chrome.manage().addCookie(new org.openqa.selenium.Cookie("plinto_refresh", setup.cookies.get("plinto_refresh")));
		open("/account");
		awaitHeading("Your account");
		assertThat(main()).contains("Security key", "Adding a passkey needs a browser that supports passkeys");
		assertThat(button("Add a passkey").isDisplayed()).isFalse();
		sectionScreenshot("passkey-account-no-javascript");
		String id = chrome.findElement(By.name("passkey_id")).getDomAttribute("value");
		chrome.findElement(By.id("passkey-name-" + id)).clear();
		chrome.findElement(By.id("passkey-name-" + id)).sendKeys("Blue key");
		button("Rename").click();
		awaitText("The passkey is renamed");
		assertThat(main()).contains("Blue key");
		button("Remove").click();
		awaitText("The passkey is removed");
		assertThat(main()).contains("You have no passkeys yet");
	}

	/** A new virtual authenticator holding the given passkeys. */
	private VirtualAuthenticator withCredentials(List<Credential> credentials) {
		VirtualAuthenticator authenticator = chrome.addVirtualAuthenticator(AUTHENTICATOR);
		credentials.forEach(authenticator::addCredential);
		return authenticator;
	}

	/** A screenshot with the account page scrolled to its "Passkeys" section. */
	private void sectionScreenshot(String name) {
		chrome.executeScript("document.getElementById('passkeys').scrollIntoView()");
		Chromium.screenshot(chrome, name);
	}

	private void open(String path) {
		chrome.get(url() + path);
	}

	private String main() {
		return chrome.findElement(By.tagName("main")).getText();
	}

	private org.openqa.selenium.WebElement button(String text) {
		return chrome.findElement(By.xpath("//button[normalize-space()='" + text + "']"));
	}

	private void signInWithPassword(String email) {
		chrome.findElement(By.id("email")).clear();
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
	}

	private void signOut() {
		open("/sign-out");
		chrome.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
		awaitHeading("Signed out");
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}

	private void awaitHeadingStart(String start) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().startsWith(start));
	}

	private void awaitText(String text) {
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> main().contains(text));
	}
}
