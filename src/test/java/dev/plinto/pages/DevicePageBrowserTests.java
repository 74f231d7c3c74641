package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenID provider's "enter the code" page (device authorization, docs/oidc.md) in a real browser: the link of
 * {@code verification_uri_complete} opened signed out leads through the sign-in page back to the page with the
 * code filled in; a wrong code is answered on the page, linked from the error summary; the right one leads to the
 * consent screen and, allowed, to the "device connected" page, and the device's poll gets its tokens. Each page is
 * checked with axe-core and photographed in light and dark, at desktop and mobile width.
 */
class DevicePageBrowserTests extends PagesTestSupport {

	@Autowired
	OidcClients clients;

	private ChromeDriver chrome;

	@AfterEach
	void quit() {
		if (chrome != null) {
			chrome.quit();
		}
	}

	@Test
	void devicePageWhenTheLinkIsOpenedSignedOutThenSignInEnterTheCodeConsentAndTheDeviceGetsItsTokens()
			throws Exception {
		chrome = Chromium.start(true);
		String email = verifiedAccount();
		OidcClients.Created tv = clients.create(new OidcClients.Spec("Acme TV", OidcClients.Type.CONFIDENTIAL,
				List.of(), List.of(), Set.of("device_code"), Set.of("profile", "email"), false, true, null, null,
				null), ClientInfo.none());
		String credentials = "Basic " + Base64.getEncoder()
			.encodeToString((tv.client().clientId() + ":" + tv.secret()).getBytes(StandardCharsets.UTF_8));
		JsonNode device = post("/oauth2/device_authorization", "scope=profile+email", credentials);
		String userCode = device.get("user_code").asString();

		chrome.get(device.get("verification_uri").asString() + "?user_code=" + userCode);
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().contains("/sign-in"));
		chrome.findElement(By.id("email")).sendKeys(email);
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		awaitHeading("Connect a device");
		assertThat(chrome.findElement(By.id("user_code")).getAttribute("value")).isEqualTo(userCode);
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(email);
		Chromium.screenshot(chrome, "device");

		chrome.findElement(By.id("user_code")).clear();
		chrome.findElement(By.id("user_code")).sendKeys("BCDF-GHJK");
		chrome.findElement(By.id("continue")).click();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.until(() -> chrome.findElement(By.id("error-summary")).isDisplayed());
		assertThat(chrome.findElement(By.id("user_code")).getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(chrome.findElement(By.cssSelector("#error-summary a")).getAttribute("href")).endsWith("#user_code");
		Chromium.screenshot(chrome, "device-wrong-code");

		chrome.findElement(By.id("user_code")).sendKeys(userCode);
		chrome.findElement(By.id("continue")).click();
		awaitHeading("Allow Acme TV?");
		Chromium.screenshot(chrome, "device-consent");
		chrome.findElement(By.id("allow")).click();
		awaitHeading("Device connected");
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains("Acme TV can now use your account");
		Chromium.screenshot(chrome, "device-approved");

		JsonNode tokens = post("/oauth2/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
				+ "&device_code=" + device.get("device_code").asString(), credentials);
		assertThat(tokens.get("access_token").asString()).isNotBlank();
	}

	private JsonNode post(String path, String body, String authorization) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", authorization)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> chrome.findElement(By.tagName("h1")).getText().equals(heading));
	}
}
