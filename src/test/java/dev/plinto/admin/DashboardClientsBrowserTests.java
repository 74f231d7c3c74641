package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.oidc.OidcClients;
import dev.plinto.pages.Chromium;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The dashboard's OIDC clients in Debian's headless Chromium: an administrator signed in with their authenticator
 * app registers a client, sees its secret once (and never on the client's page), changes it, gives it a new
 * secret, moves it to {@code private_key_jwt} with a JWKS URI (a missing key refused beside its field) and deletes
 * it. Each page is checked with axe-core (no serious or critical violation) and written as a
 * screenshot to {@code target/screenshots/admin-client*}, in light and dark at desktop and mobile width.
 */
class DashboardClientsBrowserTests extends DashboardTestSupport {

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
	void adminWhenRegisteringAClientThenSecretOnceThenChangesRotatesAndDeletesIt() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		chrome = chromiumSignedIn(admin, "/admin/clients", "OIDC clients");

		chrome.findElement(By.id("new-client")).click();
		awaitHeading("Register a client");
		chrome.findElement(By.id("name")).sendKeys("Acme dashboard");
		chrome.findElement(By.id("redirect_uris")).sendKeys("https://app.acme.example/callback");
		chrome.findElement(By.id("post_logout_redirect_uris")).sendKeys("https://app.acme.example/");
		Chromium.screenshot(chrome, "admin-client-new");
		chrome.findElement(By.id("create-client")).click();
		awaitHeading("Client registered");
		String id = chrome.findElement(By.id("client-id")).getText();
		String secret = chrome.findElement(By.id("client-secret")).getText();
		assertThat(id).startsWith("cli_");
		assertThat(secret).hasSize(43);
		assertThat(chrome.findElement(By.id("secret-once")).getText()).contains("shown only this once");
		Chromium.screenshot(chrome, "admin-client-secret");

		chrome.findElement(By.id("to-client")).click();
		awaitHeading("Acme dashboard");
		assertThat(chrome.getPageSource()).as("the secret is shown once only").doesNotContain(secret);
		assertThat(chrome.findElement(By.id("redirects")).getText()).contains("https://app.acme.example/callback");

		WebElement name = chrome.findElement(By.id("name"));
		name.clear();
		name.sendKeys("Acme console");
		chrome.findElement(By.id("grant-client_credentials")).click();
		chrome.findElement(By.id("save-client")).click();
		awaitNotice("The client was saved.");
		awaitHeading("Acme console");
		assertThat(clients.find(id).orElseThrow().grants()).contains("client_credentials");
		Chromium.screenshot(chrome, "admin-client");
		chrome.findElement(By.linkText("Back to the clients")).click();
		awaitHeading("OIDC clients");
		assertThat(chrome.findElement(By.id("clients")).getText()).contains("Acme console", id);
		Chromium.screenshot(chrome, "admin-clients");
		chrome.findElement(By.linkText("Acme console")).click();
		awaitHeading("Acme console");

		WebElement redirect = chrome.findElement(By.id("redirect_uris"));
		redirect.clear();
		redirect.sendKeys("http://app.acme.example/callback");
		chrome.findElement(By.id("save-client")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.id("alert")).stream().anyMatch(a -> a.getText().contains("must be https")));
		assertThat(clients.find(id).orElseThrow().redirectUris()).containsExactly("https://app.acme.example/callback");

		chrome.get(base() + "/admin/clients/" + id);
		awaitHeading("Acme console");
		chrome.findElement(By.id("rotate-secret")).click();
		awaitHeading("New client secret");
		String rotated = chrome.findElement(By.id("client-secret")).getText();
		assertThat(rotated).hasSize(43).isNotEqualTo(secret);

		chrome.findElement(By.id("to-client")).click();
		awaitHeading("Acme console");
		chrome.findElement(By.id("auth-private_key_jwt")).click();
		chrome.findElement(By.id("save-client")).click();
		await().atMost(Duration.ofSeconds(20)).until(() -> !chrome.findElements(By.id("jwks-error")).isEmpty());
		assertThat(chrome.findElement(By.id("jwks-error")).getText()).contains("exactly one of a JWKS URI or a JWKS");
		assertThat(chrome.findElement(By.id("jwks")).getDomAttribute("aria-invalid")).isEqualTo("true");
		assertThat(chrome.findElement(By.id("auth-private_key_jwt")).isSelected()).as("as chosen").isTrue();
		chrome.executeScript("document.getElementById('auth_method').scrollIntoView()");
		Chromium.screenshot(chrome, "admin-client-keys-refused");
		chrome.findElement(By.id("jwks_uri")).sendKeys("https://keys.acme.example/jwks.json");
		chrome.findElement(By.id("save-client")).click();
		awaitNotice("The client was saved.");
		assertThat(chrome.findElement(By.id("client-auth")).getText())
			.isEqualTo("private_key_jwt (keys from https://keys.acme.example/jwks.json)");
		assertThat(chrome.findElements(By.id("rotate-secret"))).as("no secret any more").isEmpty();
		assertThat(clients.find(id).orElseThrow().keys())
			.isEqualTo(new OidcClients.ClientKeys("https://keys.acme.example/jwks.json", null));
		chrome.findElement(By.id("delete-client")).click();
		awaitHeading("OIDC clients");
		awaitNotice("The client was deleted.");
		assertThat(clients.find(id)).isEmpty();
	}

	private void awaitHeading(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().equals(text)));
	}

	private void awaitNotice(String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.cssSelector("div.notice"))
				.stream()
				.anyMatch(n -> n.getText().equals(text)));
	}
}
