package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.account.MailCatcher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The hosted pages in Debian's headless Chromium: the whole journey from sign-up, the emailed link and sign-in to
 * ending another session, setting up an authenticator app and signing in with it, with and without JavaScript;
 * redirects to an allowed app and refusal of a foreign one; the language switcher; CSRF refusals; and screenshots of
 * every page in light and dark, at desktop and mobile width, in {@code target/screenshots/}, each page checked
 * with axe-core first ({@link Chromium#assertAccessible}).
 */
class BrowserTests extends PagesTestSupport {

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@ParameterizedTest(name = "JavaScript {0}")
	@ValueSource(booleans = { true, false })
	void journeyWhenSignUpVerifySignInRevokeEnrolTotpSignOutSignInWithTotpThenEachPageLeadsToTheNext(boolean javaScript) {
		chrome = Chromium.start(javaScript);
		String email = newEmail();
		String back = appUrl() + "welcome";

		open("/sign-up?redirect_url=" + encode(back));
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("name")).sendKeys("Ada Lovelace");
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-up'] button[type=submit]")).click();
		awaitHeading("Check your email");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(email);

		chrome.get(MailCatcher.link(MAIL.awaitMessage(email, 1)));
		chrome.findElement(By.cssSelector("button[type=submit]")).click();
		awaitHeading("Email confirmed");

		open("/sign-in?redirect_url=" + encode(back));
		signIn(email);
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().equals(back));
		assertThat(chrome.findElement(By.id("path")).getText()).isEqualTo("/app/welcome");

		// another session of the same account (an app on a phone), ended from the account page
		api.post("/v1/sign-in", dev.plinto.ApiClient.map("email", email, "password", PASSWORD));
		open("/account");
		awaitHeading("Your account");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(email, "This browser");
		assertThat(chrome.findElements(By.cssSelector("form[action='/account/sessions/revoke']"))).hasSize(2);
		chrome.findElement(By.cssSelector("ul.sessions form[action='/account/sessions/revoke'] button")).click();
		awaitHeading("Your account");
		assertThat(chrome.findElements(By.cssSelector("ul.sessions li"))).hasSize(1);

		// an authenticator app, set up from its QR code's key
		chrome.findElement(By.cssSelector("form[action='/account/totp'] button")).click();
		awaitHeading("Set up an authenticator app");
		String secret = chrome.findElement(By.cssSelector("code.secret")).getText().replace(" ", "");
		chrome.findElement(By.id("code")).sendKeys(dev.plinto.mfa.MfaSteps.code(secret, clock.instant()));
		chrome.findElement(By.cssSelector("form[action='/account/totp/confirm'] button[type=submit]")).click();
		awaitHeading("Recovery codes");
		assertThat(chrome.findElements(By.cssSelector("ol.codes li"))).hasSize(10);
		chrome.findElement(By.cssSelector("a.button")).click();
		awaitHeading("Your account");
		assertThat(chrome.findElement(By.id("mfa")).getText()).contains("An authenticator app is set up.");

		open("/sign-out");
		chrome.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
		awaitHeading("Signed out");
		open("/account");
		awaitHeading("Sign in");
		assertThat(chrome.getCurrentUrl()).contains("/sign-in?redirect_url=%2Faccount");

		signIn(email);
		awaitHeading("Confirm it's you");
		clock.advance(Duration.ofSeconds(30)); // the enrolment spent the current code
		chrome.findElement(By.id("code")).sendKeys(dev.plinto.mfa.MfaSteps.code(secret, clock.instant()));
		chrome.findElement(By.cssSelector("form[action='/sign-in/factor'] button[type=submit]")).click();
		awaitHeading("Your account");
	}

	@Test
	void signInWhenRedirectUrlForeignThenTheAccountPageInstead() {
		chrome = Chromium.start(false);
		String email = verifiedAccount();
		open("/sign-in?redirect_url=" + encode("https://evil.example/steal"));
		assertThat(chrome.findElements(By.name("redirect_url"))).isEmpty();
		signIn(email);
		awaitHeading("Your account");
		assertThat(chrome.getCurrentUrl()).isEqualTo(url() + "/account");
	}

	@Test
	void selectAccountWhenSignedInThenContinueAsTheAccountOrSignInWithAnother() {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		open("/sign-in");
		signIn(email);
		awaitHeading("Your account");
		open("/sign-in?prompt=select_account&redirect_url=%2Faccount");
		assertThat(chrome.findElement(By.cssSelector("p.notice")).getText()).contains(email);
		Chromium.screenshot(chrome, "sign-in-select-account");
		Chromium.assertAccessible(chrome, "sign-in-select-account");
		chrome.findElement(By.linkText("Continue as " + email)).click();
		awaitHeading("Your account");
	}

	@Test
	void languageSwitcherWhenGermanChosenThenEveryPageStaysGerman() {
		chrome = Chromium.start(true);
		open("/sign-in");
		awaitHeading("Sign in");
		chrome.findElement(By.linkText("Deutsch")).click();
		awaitHeading("Anmelden");
		assertThat(chrome.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("de");
		chrome.findElement(By.partialLinkText("Konto erstellen")).click();
		awaitHeading("Konto erstellen");
		chrome.findElement(By.linkText("Español")).click();
		awaitHeading("Cree su cuenta");
	}

	@Test
	void formWhenCsrfCookieMissingThenRefusedWithTheErrorPage() {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		open("/sign-in");
		chrome.manage().deleteCookieNamed("plinto_csrf");
		signIn(email);
		awaitHeading("Something went wrong");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("This form has expired");
		assertThat(chrome.manage().getCookieNamed("plinto_refresh")).isNull();
	}

	@Test
	void formWhenPostedFromAnotherSiteThenRefused() {
		chrome = Chromium.start(false);
		chrome.get("http://127.0.0.1:" + APP.getAddress().getPort() + "/forged");
		chrome.findElement(By.id("go")).click();
		awaitHeading("Something went wrong");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("sent from another site");
	}

	@Test
	void pagesWhenRenderedThenScreenshotsInLightAndDarkAtDesktopAndMobileWidth() {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		for (String scheme : new String[] { "light", "dark" }) {
			Chromium.colorScheme(chrome, scheme);
			for (boolean mobile : new boolean[] { false, true }) {
				chrome.manage().window().setSize(mobile ? Chromium.MOBILE : Chromium.DESKTOP);
				String suffix = "-" + scheme + (mobile ? "-mobile" : "-desktop");
				chrome.manage().deleteAllCookies();
				open("/sign-in");
				Chromium.screenshot(chrome, "sign-in" + suffix);
				chrome.findElement(By.id("email")).sendKeys(email);
				chrome.findElement(By.id("password")).sendKeys("not the password");
				chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
				awaitHeading("Sign in");
				Chromium.screenshot(chrome, "sign-in-refused" + suffix);
				open("/sign-up");
				Chromium.screenshot(chrome, "sign-up" + suffix);
				open("/sign-in/forgot-password");
				Chromium.screenshot(chrome, "forgot-password" + suffix);
				open("/reset-password?token=no-longer-valid");
				Chromium.screenshot(chrome, "link-dead" + suffix);
				open("/sign-in");
				signIn(email);
				awaitHeading("Your account");
				Chromium.screenshot(chrome, "account" + suffix);
				open("/sign-in?prompt=login&redirect_url=%2Faccount");
				Chromium.screenshot(chrome, "sign-in-again" + suffix);
				open("/account");
				chrome.findElement(By.cssSelector("form[action='/account/totp'] button")).click();
				awaitHeading("Set up an authenticator app");
				Chromium.screenshot(chrome, "totp-setup" + suffix);
				String secret = chrome.findElement(By.cssSelector("code.secret")).getText().replace(" ", "");
				chrome.findElement(By.id("code")).sendKeys(dev.plinto.mfa.MfaSteps.code(secret, clock.instant()));
				chrome.findElement(By.cssSelector("form[action='/account/totp/confirm'] button[type=submit]")).click();
				awaitHeading("Recovery codes");
				Chromium.screenshot(chrome, "recovery-codes" + suffix);
				open("/account");
				chrome.findElement(By.id("totp_password")).sendKeys(PASSWORD);
				chrome.findElement(By.cssSelector("form[action='/account/totp/remove'] button")).click();
				awaitHeading("Your account");
				open("/sign-out");
				Chromium.screenshot(chrome, "sign-out" + suffix);
				chrome.manage().deleteCookieNamed("plinto_csrf");
				chrome.findElement(By.cssSelector("form[action='/sign-out'] button")).click();
				awaitHeading("Something went wrong");
				Chromium.screenshot(chrome, "error" + suffix);
			}
		}
		assertThat(Chromium.SCREENSHOTS.resolve("account-dark-mobile.png")).exists();
	}

	@Test
	void accessibilityCheckWhenAnImageHasNoTextThenItFails() {
		chrome = Chromium.start(true);
		chrome.get(appUrl() + "broken");
		chrome.executeScript("document.body.insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> Chromium.assertAccessible(chrome, "broken"))
			.hasMessageContaining("image-alt (critical)");
	}

	private void open(String path) {
		chrome.get(url() + path);
	}

	private void signIn(String email) {
		chrome.findElement(By.id("email")).clear();
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
