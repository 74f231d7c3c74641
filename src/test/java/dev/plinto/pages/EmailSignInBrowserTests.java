package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.account.MailCatcher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Sign-in with an emailed code and with a magic link in Debian's headless Chromium, with and without JavaScript,
 * the mails read from GreenMail; screenshots of the code page, the "check your email" page and the confirmation
 * page of a link opened in another browser in {@code target/screenshots/}.
 */
class EmailSignInBrowserTests extends PagesTestSupport {

	private static final Pattern LINK = Pattern.compile("(https?://\\S+)");

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@ParameterizedTest(name = "JavaScript {0}")
	@ValueSource(booleans = { true, false })
	void signInWhenCodeThenLinkFromTheMailThenBackAtTheApp(boolean javaScript) {
		chrome = Chromium.start(javaScript);
		String suffix = javaScript ? "" : "-no-js";
		String email = verifiedAccount();
		String back = appUrl() + "mailed";

		open("/sign-in?redirect_url=" + encode(back));
		chrome.findElement(By.id("email")).sendKeys(email);
		Chromium.screenshot(chrome, "sign-in-methods" + suffix);
		chrome.findElement(By.cssSelector("button[formaction='/sign-in/email-code']")).click();
		awaitHeading("Enter the code");
		Chromium.screenshot(chrome, "sign-in-email-code" + suffix);
		chrome.findElement(By.id("code")).sendKeys(MailCatcher.code(MAIL.awaitMessage(email, 2)));
		chrome.findElement(By.cssSelector("form[action='/sign-in/email-code/verify'] button[type=submit]")).click();
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().equals(back));

		signOutHere();
		open("/sign-in?redirect_url=" + encode(back));
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.cssSelector("button[formaction='/sign-in/email-link']")).click();
		awaitHeading("Check your email");
		Chromium.screenshot(chrome, "sign-in-email-link-sent" + suffix);
		String link = link(MAIL.awaitMessage(email, 3));
		assertThat(link).contains("redirect_url=");
		chrome.get(link);
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().equals(back));

		signOutHere();
		open("/sign-in");
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.cssSelector("button[formaction='/sign-in/email-link']")).click();
		awaitHeading("Check your email");
		String another = link(MAIL.awaitMessage(email, 4));
		signOutHere();
		chrome.get(another);
		awaitHeading("Sign in with the emailed link");
		Chromium.screenshot(chrome, "sign-in-email-link-confirm" + suffix);
		chrome.findElement(By.cssSelector("form[action='/sign-in/email-link/confirm'] button")).click();
		awaitHeading("Your account");
	}

	/** Forgets Plinto's cookies (a browser on another device), from a page of Plinto's own origin. */
	private void signOutHere() {
		open("/sign-in/forgot-password");
		chrome.manage().deleteAllCookies();
	}

	private void open(String path) {
		chrome.get(url() + path);
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}

	private static String link(jakarta.mail.internet.MimeMessage mail) {
		Matcher m = LINK.matcher(MailCatcher.text(mail));
		assertThat(m.find()).as("a link in the mail").isTrue();
		return m.group(1);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}
