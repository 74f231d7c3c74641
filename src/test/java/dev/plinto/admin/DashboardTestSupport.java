package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.MutableClock;
import dev.plinto.TestClockConfiguration;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.pages.Chromium;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Base of the admin dashboard's tests: the real server on a fixed port from 18900-18919, or from the 20 ports that
 * start at the system property {@code plinto.test.dashboard-port-base} (the issuer, and so the
 * pages' Origin check and cookies, name the address the test's client and browser use), an in-memory H2 database,
 * cheap Argon2 and high rate limits. Every class shares this one server (the port is fixed for the JVM), so webhook
 * endpoints may reach a receiver on 127.0.0.2 (plain http, that network allowed) for all of them. Helpers make accounts through the JSON API, give them an instance role and an
 * authenticator app, and sign them in with it, through the API or in Chromium.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-dashboard-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1", "PLINTO_RATE_LIMIT_SIGN_IN=100000/1m",
		"PLINTO_RATE_LIMIT_SIGN_UP=100000/1m", "PLINTO_RATE_LIMIT_REFRESH=100000/1m",
		"PLINTO_RATE_LIMIT_MFA=100000/1m", "PLINTO_APP_NAME=Acme", "PLINTO_WEBHOOKS_ALLOW_HTTP=true",
		"PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.2/32", "plinto.jobs.webhook-poll=100" })
@Import(TestClockConfiguration.class)
abstract class DashboardTestSupport {

	static final String PASSWORD = ApiTestSupport.PASSWORD;

	static final int PORT = freePort();

	@DynamicPropertySource
	static void server(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_PORT", () -> PORT);
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	protected MutableClock clock;

	@Autowired
	protected DashboardRoles roles;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	protected ApiClient api;

	@BeforeEach
	void createClient() {
		api = new ApiClient(base());
	}

	static String base() {
		return "http://localhost:" + PORT;
	}

	static String newEmail() {
		return "dashboard-" + UUID.randomUUID() + "@example.com";
	}

	/**
	 * Every dashboard route the server maps, as "METHOD path" with every path variable filled with {@code id} (the
	 * bootstrap page, open to any signed-in browser, left out): new routes are covered without being listed.
	 */
	TreeSet<String> dashboardRoutes(String id) {
		TreeSet<String> routes = new TreeSet<>();
		for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
			for (String path : info.getPatternValues()) {
				if (path.startsWith("/admin") && !path.equals(AdminPageRoutes.BOOTSTRAP)) {
					info.getMethodsCondition()
						.getMethods()
						.forEach(m -> routes.add(m.name() + " " + path.replaceAll("\\{[^}]+\\}", id)));
				}
			}
		}
		return routes;
	}

	/** An account made through the JSON API, its id and a session's tokens. */
	record Account(String email, String userId, String accessToken, String refreshToken, String totpSecret) {
	}

	Account signUp() {
		String email = newEmail();
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return new Account(email, r.json().path("user").path("id").asString(), r.text("access_token"),
				r.text("refresh_token"), null);
	}

	/** An account with an authenticator app, the role (if any), signed in with its password and TOTP code. */
	Account withSecondFactor(DashboardRole role) {
		Account account = signUp();
		MfaSteps.Enrolled totp = MfaSteps.enrolTotp(api, account.accessToken(), clock.instant());
		if (role != null) {
			assertThat(roles.grant(account.email(), role, "test", null)).isPresent();
		}
		clock.advance(Duration.ofSeconds(30));
		return signInWithTotp(account.email(), totp.secret());
	}

	Account signInWithTotp(String email, String secret) {
		ApiClient.Response first = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		ApiClient.Response second = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", first.text("mfa_token"), "factor", "totp",
				"code", MfaSteps.code(secret, clock.instant())));
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		return new Account(email, second.json().path("user").path("id").asString(), second.text("access_token"),
				second.text("refresh_token"), secret);
	}

	/**
	 * A new Chromium (with JavaScript) in which {@code account} (made by {@link #withSecondFactor}) signs in as a
	 * person would: it opens {@code path}, is sent to the sign-in page with the way back, types the password and a
	 * fresh code of its authenticator app, and is brought back to {@code path}, whose heading is {@code heading}. The
	 * caller quits the browser; if signing in fails, it is quit here.
	 */
	ChromeDriver chromiumSignedIn(Account account, String path, String heading) {
		ChromeDriver chrome = Chromium.start(true);
		try {
			chrome.get(base() + path);
			awaitHeading(chrome, "Sign in");
			assertThat(chrome.getCurrentUrl()).contains("redirect_url=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
			signInOnThePage(chrome, account, heading);
			assertThat(chrome.getCurrentUrl()).isEqualTo(base() + path);
			return chrome;
		}
		catch (RuntimeException | AssertionError e) {
			chrome.quit();
			throw e;
		}
	}

	/**
	 * On the sign-in page open in {@code chrome}: types the password of {@code account} and a fresh code of its
	 * authenticator app, and waits for the page it is sent back to, whose heading is {@code heading}.
	 */
	void signInOnThePage(ChromeDriver chrome, Account account, String heading) {
		chrome.findElement(By.id("email")).clear();
		chrome.findElement(By.id("email")).sendKeys(account.email());
		chrome.findElement(By.id("password")).sendKeys(PASSWORD);
		chrome.findElement(By.cssSelector("form[action='/sign-in'] button[type=submit]")).click();
		awaitHeading(chrome, "Confirm it's you");
		clock.advance(Duration.ofSeconds(30));
		chrome.findElement(By.id("code")).sendKeys(MfaSteps.code(account.totpSecret(), clock.instant()));
		chrome.findElement(By.cssSelector("form[action='/sign-in/factor'] button[type=submit]")).click();
		awaitHeading(chrome, heading);
	}

	private static void awaitHeading(ChromeDriver chrome, String text) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> chrome.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().equals(text)));
	}

	/**
	 * A browser-like client of the pages: the session JWT cookie of {@code account} (null: signed out), the CSRF
	 * cookie and field of the last page it read, redirects not followed.
	 */
	static final class Browser {

		private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

		private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

		final Map<String, String> cookies = new LinkedHashMap<>();

		String csrf;

		Browser(Account account) {
			if (account != null) {
				cookies.put("plinto_session", account.accessToken());
			}
			HttpResponse<String> signIn = get("/sign-in?prompt=login");
			assertThat(signIn.statusCode()).isEqualTo(200);
		}

		HttpResponse<String> get(String path) {
			return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
		}

		/** A form post with the CSRF token and the server's Origin, as a page of the server sends it. */
		HttpResponse<String> post(String path, Map<String, String> fields) {
			Map<String, String> all = new LinkedHashMap<>(fields);
			all.put("_csrf", csrf);
			String body = all.entrySet()
				.stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
						+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
			return send(HttpRequest.newBuilder(URI.create(base() + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Origin", base())
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) {
			if (!cookies.isEmpty()) {
				request.header("Cookie", cookies.entrySet()
					.stream()
					.map(e -> e.getKey() + "=" + e.getValue())
					.collect(Collectors.joining("; ")));
			}
			try {
				HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				for (String header : response.headers().allValues("Set-Cookie")) {
					String pair = header.split(";", 2)[0];
					String name = pair.substring(0, pair.indexOf('='));
					String value = pair.substring(pair.indexOf('=') + 1);
					if (!value.isEmpty()) {
						cookies.put(name, value);
					}
				}
				Matcher m = CSRF.matcher(response.body());
				if (m.find()) {
					csrf = m.group(1);
				}
				return response;
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
		}
	}

	/**
	 * A free port from 18900-18919, the range of the dashboard's tests, or from the 20 ports at the system property
	 * {@code plinto.test.dashboard-port-base} (checkouts that test side by side each keep to a range of their own).
	 */
	static synchronized int freePort() {
		int base = Integer.getInteger("plinto.test.dashboard-port-base", 18900);
		int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(20);
		for (int i = 0; i < 20; i++) {
			int port = base + (start + i) % 20;
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind(new InetSocketAddress("0.0.0.0", port));
				return port;
			}
			catch (IOException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in " + base + "-" + (base + 19));
	}
}
