package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import dev.plinto.ApiClient;
import dev.plinto.pages.Chromium;
import dev.plinto.webhook.WebhookService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's webhook endpoints in Debian's headless Chromium: an administrator adds an endpoint for a real
 * receiver on 127.0.0.2 (the only network {@link DashboardTestSupport} allows), copies the secret shown once, sees a
 * delivery it signed arrive and in the log, replays it, changes the endpoint, rotates its secret (both signatures
 * during the overlap) and deletes it. Each page is checked with axe-core and written as screenshots
 * ({@code admin-webhook*}). With the HTTP client: {@code support} reads but cannot post, deleting and rotating need a
 * recent sign-in, changes are audited with the administrator as actor, and a refused URL shows the service's sentence.
 */
class DashboardWebhooksBrowserTests extends DashboardTestSupport {

	@Autowired
	private WebhookService webhooks;

	@Autowired
	private JdbcClient jdbc;

	private ChromeDriver chrome;

	private HttpServer receiver;

	/** A request the receiver got: its headers (lower case) and body. */
	private record Received(Map<String, List<String>> headers, String body) {

		String id() {
			return headers.get("webhook-id").get(0);
		}

		void verify(String secret) throws Exception {
			new Webhook(secret).verify(body, HttpHeaders.of(headers, (a, b) -> true));
		}
	}

	private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

	@BeforeEach
	void startReceiver() throws IOException {
		// signatures are checked against the real time (5 minutes' tolerance)
		clock.set(java.time.Instant.now());
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
		receiver.createContext("/hooks", exchange -> {
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
			received.add(new Received(headers, new String(exchange.getRequestBody().readAllBytes(),
					StandardCharsets.UTF_8)));
			byte[] answer = "thanks".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		receiver.start();
	}

	@AfterEach
	void stop() {
		if (chrome != null) {
			chrome.quit();
		}
		receiver.stop(0);
	}

	private String receiverUrl() {
		return "http://127.0.0.2:" + receiver.getAddress().getPort() + "/hooks";
	}

	private List<Received> about(String text) {
		synchronized (received) {
			return received.stream().filter(r -> r.body().contains(text)).toList();
		}
	}

	@Test
	void adminWhenManagingAnEndpointThenSecretShownOnceDeliveriesReplayedAndDeleted() throws Exception {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		chrome = chromiumSignedIn(admin, "/admin/webhooks", "Webhooks");

		// a refused address: the service's sentence, what was typed kept
		chrome.findElement(By.id("url")).sendKeys("http://169.254.169.254/latest");
		chrome.findElement(By.id("add")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !chrome.findElements(By.id("webhook-alert")).isEmpty());
		assertThat(chrome.findElement(By.id("webhook-alert")).getText()).contains("internal address");
		assertThat(chrome.findElement(By.id("url")).getAttribute("value")).isEqualTo("http://169.254.169.254/latest");

		chrome.findElement(By.id("url")).clear();
		chrome.findElement(By.id("url")).sendKeys(receiverUrl());
		chrome.findElement(By.id("description")).sendKeys("Billing service");
		chrome.findElement(By.id("type-user.created")).click();
		Chromium.screenshot(chrome, "admin-webhooks-form");
		chrome.findElement(By.id("add")).click();
		awaitHeading("Signing secret");
		String secret = chrome.findElement(By.id("secret")).getText();
		assertThat(secret).startsWith("whsec_");
		Chromium.screenshot(chrome, "admin-webhook-secret");
		String id = webhooks.list().stream().filter(e -> e.url().equals(receiverUrl())).findFirst().orElseThrow().id();
		assertThat(webhooks.get(id).eventTypes()).containsExactly("user.created");
		assertThat(webhooks.get(id).description()).isEqualTo("Billing service");

		chrome.findElement(By.id("open-endpoint")).click();
		awaitHeading(receiverUrl());
		assertThat(chrome.getPageSource()).as("the secret is shown only once").doesNotContain(secret.substring(6));
		chrome.navigate().back();
		assertThat(chrome.getPageSource()).as("a page sent no-store is not shown again from the cache")
			.doesNotContain(secret.substring(6));

		Account user = signUp();
		await().atMost(Duration.ofSeconds(20)).until(() -> about(user.userId()).size() == 1);
		Received delivery = about(user.userId()).get(0);
		delivery.verify(secret);

		chrome.get(base() + "/admin/webhooks/" + id);
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			chrome.navigate().refresh();
			return !chrome.findElements(By.cssSelector("#attempts button.replay")).isEmpty();
		});
		assertThat(chrome.findElement(By.id("attempts")).getText()).contains(delivery.id(), "success", "200",
				"thanks");
		Chromium.screenshot(chrome, "admin-webhook");

		chrome.findElement(By.cssSelector("#attempts button.replay")).click();
		awaitNotice("The event is queued for delivery again.");
		await().atMost(Duration.ofSeconds(20)).until(() -> about(user.userId()).size() == 2);
		assertThat(about(user.userId()).get(1).id()).isEqualTo(delivery.id());
		about(user.userId()).get(1).verify(secret);

		jdbc.sql("update webhook_messages set status = 'failed' where endpoint_id = :e").param("e", id).update();
		chrome.findElement(By.id("replay-failed")).click();
		awaitNotice("1 failed delivery is queued again.");
		await().atMost(Duration.ofSeconds(20)).until(() -> about(user.userId()).size() == 3);

		chrome.findElement(By.id("description")).clear();
		chrome.findElement(By.id("description")).sendKeys("Billing and CRM");
		chrome.findElement(By.id("type-user.deleted")).click();
		chrome.findElement(By.id("save")).click();
		awaitNotice("The endpoint was saved.");
		assertThat(webhooks.get(id).description()).isEqualTo("Billing and CRM");
		assertThat(webhooks.get(id).eventTypes()).containsExactly("user.created", "user.deleted");

		chrome.findElement(By.id("overlap_hours")).sendKeys("1");
		chrome.findElement(By.id("rotate")).click();
		awaitHeading("Signing secret");
		String rotated = chrome.findElement(By.id("secret")).getText();
		assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
		assertThat(chrome.findElement(By.id("overlap")).getText()).contains("old secret");
		Account later = signUp();
		await().atMost(Duration.ofSeconds(20)).until(() -> about(later.userId()).size() == 1);
		Received both = about(later.userId()).get(0);
		assertThat(both.headers().get("webhook-signature").get(0).split(" ")).hasSize(2);
		both.verify(secret);
		both.verify(rotated);

		chrome.findElement(By.id("open-endpoint")).click();
		awaitHeading(receiverUrl());
		chrome.findElement(By.id("delete")).click();
		awaitHeading("Webhooks");
		awaitNotice("The endpoint was deleted.");
		assertThat(webhooks.list()).noneMatch(e -> e.id().equals(id));
		long audited = jdbc.sql("select count(*) from audit_events where actor_id = :a and type like 'WEBHOOK_%'")
			.param("a", admin.userId())
			.query(Long.class)
			.single();
		assertThat(audited).as("created, replayed twice, updated, rotated, deleted").isEqualTo(6);
	}

	@Test
	void supportWhenReadingWebhooksThenNoFormAndEveryPostRefused() {
		String id = webhooks.create("https://hooks.example.com/support", "support test", List.of(), null).endpoint()
			.id();
		Browser browser = new Browser(withSecondFactor(DashboardRole.SUPPORT));
		for (String page : List.of("/admin/webhooks", "/admin/webhooks/" + id)) {
			HttpResponse<String> r = browser.get(page);
			assertThat(r.statusCode()).as(page).isEqualTo(200);
			assertThat(r.body()).as(page).contains("Support (read-only)").doesNotContain("method=\"post\"");
		}
		for (String post : List.of("", "/" + id + "/update", "/" + id + "/rotate-secret", "/" + id + "/replay",
				"/" + id + "/replay-failed", "/" + id + "/delete", "/" + id + "/disable")) {
			HttpResponse<String> r = browser.post("/admin/webhooks" + post, Map.of("url",
					"https://hooks.example.com/other", "event_id", "msg_x", "since", "2026-01-01T00:00"));
			assertThat(r.statusCode()).as(post).isEqualTo(403);
		}
		assertThat(webhooks.get(id).url()).isEqualTo("https://hooks.example.com/support");
		assertThat(webhooks.list()).noneMatch(e -> e.url().equals("https://hooks.example.com/other"));
		webhooks.delete(id, null);
	}

	@Test
	void rotateOrDeleteWhenSignInNotRecentThenSignInAgain() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		String id = webhooks.create("https://hooks.example.com/recent", null, List.of(), null).endpoint().id();
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Browser browser = new Browser(new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret()));
		assertThat(browser.get("/admin/webhooks/" + id).statusCode()).isEqualTo(200);
		for (String action : List.of("rotate-secret", "delete")) {
			HttpResponse<String> refused = browser.post("/admin/webhooks/" + id + "/" + action, Map.of());
			assertThat(refused.statusCode()).as(action).isEqualTo(303);
			assertThat(refused.headers().firstValue("Location").orElseThrow()).startsWith("/sign-in?prompt=login");
		}
		assertThat(webhooks.get(id).previousSecretExpiresAt()).as("not rotated").isNull();
		HttpResponse<String> edited = browser.post("/admin/webhooks/" + id + "/update", Map.of("url",
				"https://hooks.example.com/recent-2", "event_types", "user.created"));
		assertThat(edited.statusCode()).as("editing needs no recent sign-in").isEqualTo(303);
		assertThat(webhooks.get(id).url()).isEqualTo("https://hooks.example.com/recent-2");
		HttpResponse<String> unknownType = browser.post("/admin/webhooks/" + id + "/update", Map.of("url",
				"https://hooks.example.com/recent-2", "event_types", "user.exploded"));
		assertThat(unknownType.statusCode()).isEqualTo(400);
		assertThat(unknownType.body()).contains("There is no event type");
		webhooks.delete(id, null);
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
