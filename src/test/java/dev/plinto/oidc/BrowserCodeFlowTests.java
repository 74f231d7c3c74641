package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.plinto.pages.Chromium;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The authorization code flow in Debian's headless Chromium ({@link Chromium}): the client is a small HTTP server on
 * a loopback port the test serves (its redirect URI), so the browser really follows Plinto's redirect to it. A
 * person signs in on the hosted page, allows the consent page, and arrives at the client with a code and the state;
 * signing in again later goes from the sign-in form straight to the client, the redirect chain sign-in →
 * {@code /oauth2/authorize} → client that Chromium checks against the sign-in page's {@code form-action} (the
 * client's origin is not in {@code PLINTO_REDIRECT_URLS} here).
 */
class BrowserCodeFlowTests extends OidcTestSupport {

	private ChromeDriver chrome;

	private HttpServer app;

	private String callback;

	private final List<String> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startApp() throws IOException {
		app = HttpServer.create();
		bindInRange(app);
		app.createContext("/callback", exchange -> {
			received.add(exchange.getRequestURI().getRawQuery());
			byte[] page = "<!doctype html><html lang=\"en\"><title>Acme</title><main><h1>Back at Acme</h1></main></html>".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, page.length);
			exchange.getResponseBody().write(page);
			exchange.close();
		});
		app.start();
		callback = "http://127.0.0.1:" + app.getAddress().getPort() + "/callback";
	}

	@AfterEach
	void stop() {
		if (chrome != null) {
			chrome.quit();
		}
		app.stop(0);
	}

	@Test
	void codeFlowWhenSignedInAndAllowedInChromiumThenTheClientReceivesACodeThatExchanges() {
		Registered client = register(false);
		User user = user();
		chrome = Chromium.start(true);
		Pkce pkce = Pkce.create();

		chrome.get(base() + authorizeUrl(client.id(), callback, "openid email", "st-chrome", "n-1", pkce));
		awaitHeading("Sign in");
		chrome.findElement(By.id("email")).sendKeys(user.email());
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();

		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().startsWith(base() + "/oauth2/consent"));
		assertThat(chrome.findElement(By.tagName("main")).getText()).contains(user.email());
		Chromium.screenshot(chrome, "oidc-consent-light-desktop");
		chrome.findElement(By.id("allow")).click();

		String code = arrived("st-chrome");
		Json tokens = exchangeAt(client, code, pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(tokens.text("id_token")).isNotBlank();

		// A new browser session: the consent is remembered, so the sign-in form's post ends at the client directly.
		chrome.get(base() + "/.well-known/openid-configuration");
		chrome.manage().deleteAllCookies(); // Plinto's, those of the current page's host
		Pkce again = Pkce.create();
		chrome.get(base() + authorizeUrl(client.id(), callback, "openid email", "st-again", "n-2", again));
		awaitHeading("Sign in");
		chrome.findElement(By.id("email")).sendKeys(user.email());
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		Json second = exchangeAt(client, arrived("st-again"), again);
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
	}

	/**
	 * The narrowest policy: the sign-in page of an authorization request adds only that client's redirect origins to
	 * its {@code form-action}; the sign-in page without one, or for an unknown client, adds nothing.
	 */
	@Test
	void signInPageWhenRedirectUrlIsAnAuthorizationRequestThenFormActionAllowsThatClientsOriginOnly() {
		Registered client = register(true);
		Registered other = confidential(true);
		Browser browser = new Browser(base());
		String toAuthorize = authorizeUrl(client.id(), callback, "openid", "s", "n", Pkce.create());
		String origin = callback.substring(0, callback.indexOf("/callback"));

		assertThat(formAction(browser.get("/sign-in?redirect_url=" + Browser.encode(toAuthorize))))
			.contains(origin).doesNotContain("https://app.example");
		assertThat(formAction(browser.get("/sign-in?redirect_url=" + Browser.encode(
				authorizeUrl(other.id(), REDIRECT, "openid", "s", "n", Pkce.create())))))
			.contains("https://app.example").doesNotContain(origin);
		assertThat(formAction(browser.get("/sign-in"))).doesNotContain(origin).doesNotContain("https://app.example");
		assertThat(formAction(browser.get("/sign-in?redirect_url=" + Browser.encode(
				authorizeUrl("cli_unknown", callback, "openid", "s", "n", Pkce.create())))))
			.doesNotContain(origin);
		assertThat(formAction(browser.get("/sign-in?redirect_url=" + Browser.encode("/account?client_id="
				+ client.id())))).doesNotContain(origin);
	}

	/** A loopback port in the upper half of this provider's range 18300-18399 (the lower half serves Plinto). */
	private static void bindInRange(HttpServer server) throws IOException {
		for (int port = 18399; port >= 18350; port--) {
			try {
				server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
				return;
			}
			catch (java.net.BindException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in 18350-18399");
	}

	private Registered register(boolean firstParty) {
		OidcClients.Created created = clients.create(new OidcClients.Spec("Acme " + UUID.randomUUID(),
				OidcClients.Type.CONFIDENTIAL, List.of(callback), List.of(), Set.of("authorization_code",
						"refresh_token"), Set.of("openid", "email"), firstParty, true, null, null, null),
				ClientInfo.none());
		return new Registered(created.client().clientId(), created.secret());
	}

	/** Waits until the browser is at the client's redirect URI; returns the code, after checking the state. */
	private String arrived(String state) {
		await().atMost(Duration.ofSeconds(20)).until(() -> chrome.getCurrentUrl().startsWith(callback + "?"));
		String url = chrome.getCurrentUrl();
		assertThat(chrome.findElement(By.tagName("h1")).getText()).isEqualTo("Back at Acme");
		assertThat(Browser.param(url, "state")).isEqualTo(state);
		assertThat(received).anySatisfy(query -> assertThat(query).contains("state=" + state));
		return Browser.param(url, "code");
	}

	private Json exchangeAt(Registered client, String code, Pkce pkce) {
		return tokenRequest("/oauth2/token", client, Map.of("grant_type", "authorization_code", "code", code,
				"redirect_uri", callback, "code_verifier", pkce.verifier()));
	}

	private void awaitHeading(String heading) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().equals(heading)));
	}

	private static String formAction(HttpResponse<String> page) {
		String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
		int start = csp.indexOf("form-action ");
		return csp.substring(start, csp.indexOf(';', start));
	}
}
