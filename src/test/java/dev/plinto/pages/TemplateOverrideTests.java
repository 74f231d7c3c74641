package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code PLINTO_TEMPLATES_DIR}: an operator's {@code sign-in.jte}, written only against the stable template contract
 * ({@code ctx}, {@code form}, {@code redirectUrl}, the {@code layout} and {@code fragments}), replaces the shipped
 * one; every other page stays as shipped; signing in through the custom page still works.
 */
@PagesServer
class TemplateOverrideTests implements WithMailCatcher {

	private static final Path DIR = overrides();

	/** A port of its own: this class's server runs beside the shared one of the other page tests. */
	private static final int OWN_PORT = PagesTestSupport.freePort();

	@org.springframework.beans.factory.annotation.Value("${server.port}")
	private int serverPort;

	@DynamicPropertySource
	static void templates(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_TEMPLATES_DIR", DIR::toString);
		registry.add("PLINTO_PORT", () -> OWN_PORT);
		registry.add("server.port", () -> OWN_PORT);
	}

	@Test
	void signInWhenOverriddenThenTheOperatorsTemplateAndTheRestAsShipped() {
		assertThat(serverPort).isEqualTo(OWN_PORT);
		FormClient browser = new FormClient(url());
		HttpResponse<String> page = browser.get("/sign-in");
		assertThat(page.body()).contains("id=\"welcome\"", "Welcome back to Acme", "<title>Hello · Acme</title>");
		assertThat(browser.get("/sign-up").body()).contains("Create your account").doesNotContain("welcome");
		String email = PagesTestSupport.newEmail();
		ApiClient api = new ApiClient(url());
		api.post("/v1/sign-up", ApiClient.map("email", email, "password", PagesTestSupport.PASSWORD));
		api.post("/v1/email-verification/confirm",
				ApiClient.map("token", MailCatcher.token(MAIL.awaitMessage(email, 1))));
		HttpResponse<String> done = browser.post("/sign-in",
				Map.of("email", email, "password", PagesTestSupport.PASSWORD));
		assertThat(done.statusCode()).isEqualTo(303);
	}

	@Test
	void signInWhenOverriddenThenTheBrowserShowsIt() {
		ChromeDriver chrome = Chromium.start(false);
		try {
			chrome.get(url() + "/sign-in");
			assertThat(chrome.findElement(By.id("welcome")).getText()).isEqualTo("Welcome back to Acme");
			Chromium.screenshot(chrome, "sign-in-overridden");
		}
		finally {
			chrome.quit();
		}
	}

	private String url() {
		return "http://localhost:" + serverPort;
	}

	private static Path overrides() {
		try {
			Path dir = Files.createTempDirectory("plinto-templates");
			Files.writeString(dir.resolve("sign-in.jte"), """
					@import dev.plinto.pages.PageContext
					@import dev.plinto.pages.FormState
					@param PageContext ctx
					@param FormState form
					@param String redirectUrl
					@template.layout(ctx = ctx, title = "Hello", content = @`
					<p id="welcome">Welcome back to ${ctx.brand().appName()}</p>
					@template.fragments.errors(ctx = ctx, form = form)
					<form method="post" action="/sign-in">
					@template.fragments.hidden(ctx = ctx, redirectUrl = redirectUrl)
					@template.fragments.field(form = form, name = "email", type = "email", label = ctx.t("field.email"))
					@template.fragments.field(form = form, name = "password", type = "password", label = ctx.t("field.password"))
					<button type="submit">${ctx.t("sign_in.submit")}</button>
					</form>
					`)
					""");
			return dir;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
