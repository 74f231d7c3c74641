package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The account page's apps with access in Chromium: a user allows an app on the consent page (and lands on the app),
 * finds it on the account page with what it may do, and revokes its access; screenshots of the consent page, the
 * section with the app and the page after revoking, in light and dark, at desktop and mobile width, each checked
 * with axe-core ({@link Chromium#screenshot}).
 */
class AccountAppsBrowserTests extends PagesTestSupport {

	@Autowired
	private OidcClients clients;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void accountPageWhenAnAppWasAllowedThenItIsListedAndRevokeAccessRemovesIt() throws Exception {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		String redirect = appUrl() + "callback";
		String clientId = clients.create(new OidcClients.Spec("Acme Notes", OidcClients.Type.CONFIDENTIAL,
				List.of(redirect), List.of(), Set.of("authorization_code", "refresh_token"),
				Set.of("openid", "profile", "email", "offline_access"), false, true, null, null, null),
				ClientInfo.none()).client().clientId();

		chrome.get(url() + "/sign-in");
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		awaitHeading("Your account");
		assertThat(chrome.findElement(By.id("apps")).getText())
			.contains("No app has access to your account through sign-in with Plinto.");

		String verifier = "v-" + java.util.UUID.randomUUID() + java.util.UUID.randomUUID();
		String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
			.digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		chrome.get(url() + "/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
				+ encode(redirect) + "&scope=" + encode("openid profile email offline_access")
				+ "&state=s1&nonce=n1&code_challenge=" + challenge + "&code_challenge_method=S256");
		awaitHeading("Allow Acme Notes?");
		Chromium.screenshot(chrome, "oidc-consent");
		chrome.findElement(By.id("allow")).click();
		awaitHeading("App home");
		assertThat(chrome.getCurrentUrl()).startsWith(redirect + "?code=");

		chrome.get(url() + "/account");
		awaitHeading("Your account");
		String section = chrome.findElement(By.id("apps")).getText();
		assertThat(section).contains("Apps with access to your account", "Acme Notes", "see your name",
				"see your email address and whether it is confirmed", "keep access while you are not using it",
				"Revoke access");
		for (String scheme : new String[] { "light", "dark" }) {
			Chromium.colorScheme(chrome, scheme);
			for (boolean mobile : new boolean[] { false, true }) {
				chrome.manage().window().setSize(mobile ? Chromium.MOBILE : Chromium.DESKTOP);
				chrome.executeScript("document.getElementById('apps').scrollIntoView()");
				Chromium.screenshot(chrome, "account-apps-" + scheme + (mobile ? "-mobile" : "-desktop"));
			}
		}
		chrome.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("features", List.of()));
		chrome.manage().window().setSize(Chromium.DESKTOP);

		chrome.findElement(By.cssSelector("#apps form[action='/account/apps/revoke'] button")).click();
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.cssSelector(".notice")).getText()
				.equals("Acme Notes no longer has access to your account."));
		assertThat(chrome.findElement(By.id("apps")).getText()).doesNotContain("Acme Notes")
			.contains("No app has access to your account");
		Chromium.screenshot(chrome, "account-apps-revoked");
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
