package dev.plinto.pages;

import com.sun.net.httpserver.HttpServer;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.MutableClock;
import dev.plinto.WithMailCatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the hosted pages' tests: the real server on a fixed port, so that the issuer (and so the pages' Origin
 * check, cookies and redirects) names the address the test's browser really uses, with email verification
 * required and mail delivered to the test run's {@link WithMailCatcher}. Beside it runs a stand-in for an app
 * ({@link #APP}, a JDK HTTP server answering every path with its own path) whose {@code /app/} URLs are in
 * {@code PLINTO_REDIRECT_URLS}. Every subclass without properties of its own shares this one server.
 */
@PagesServer
abstract class PagesTestSupport implements WithMailCatcher {

	static final String PASSWORD = ApiTestSupport.PASSWORD;

	/** Ports handed out in this test run (declared first: the port fields below use it). */
	private static final java.util.Set<Integer> TAKEN = new java.util.HashSet<>();

	/** The server's port, from the range this project's page tests use. */
	static final int PORT = freePort();

	/** The stand-in app that a sign-in may return to. */
	static final HttpServer APP = app();

	@DynamicPropertySource
	static void pagesServer(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_PORT", () -> PORT);
		registry.add("server.port", () -> PORT);
		registry.add("PLINTO_REDIRECT_URLS", PagesTestSupport::appUrl);
	}

	@Autowired
	protected MutableClock clock;

	protected ApiClient api;

	/** The port of this test's server (a subclass with a context of its own registers another one). */
	@org.springframework.beans.factory.annotation.Value("${server.port}")
	protected int serverPort;

	@BeforeEach
	void createClient() {
		api = new ApiClient(url());
	}

	/** The base URL of this test's server. */
	String url() {
		return "http://localhost:" + serverPort;
	}

	static String base() {
		return "http://localhost:" + PORT;
	}

	/** The app's allowed URL prefix, e.g. {@code http://127.0.0.1:18701/app/}. */
	static String appUrl() {
		return "http://127.0.0.1:" + APP.getAddress().getPort() + "/app/";
	}

	static String newEmail() {
		return "page-" + UUID.randomUUID() + "@example.com";
	}

	/** A verified account with {@link #PASSWORD}, made through the JSON API and the mailed link. */
	String verifiedAccount() {
		String email = newEmail();
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		String token = dev.plinto.account.MailCatcher.token(MAIL.awaitMessage(email, 1));
		api.post("/v1/email-verification/confirm", ApiClient.map("token", token));
		return email;
	}

	private static HttpServer app() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", freePort()), 0);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().getPath();
				// /forged: a page of another site that posts a sign-in form to Plinto (a CSRF attempt).
				String html = path.equals("/forged") ? "<!doctype html><html lang=\"en\"><title>Forged</title>"
						+ "<form method=\"post\" action=\"" + base() + "/sign-in\"><input name=\"email\" "
						+ "value=\"victim@example.com\"><input name=\"password\" value=\"x\"><button id=\"go\" "
						+ "type=\"submit\">Go</button></form></html>"
						: "<!doctype html><html lang=\"en\"><title>App</title><h1>App home</h1><p id=\"path\">" + path
								+ "</p></html>";
				byte[] body = html.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * A free port from 18700-18799, the range of this project's page tests (or the hundred ports from the system
	 * property {@code plinto.test.pages-ports}, as many as {@code plinto.test.pages-port-count}), tried from a random start so that two test runs on one machine
	 * rarely race for the same one.
	 */
	static synchronized int freePort() {
		int from = Integer.getInteger("plinto.test.pages-ports", 18700);
		int count = Integer.getInteger("plinto.test.pages-port-count", 100);
		int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(count);
		for (int i = 0; i < count; i++) {
			int port = from + (start + i) % count;
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind(new InetSocketAddress("0.0.0.0", port));
				if (!TAKEN.add(port)) {
					continue;
				}
				return port;
			}
			catch (IOException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in " + from + "-" + (from + count - 1));
	}
}
