package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.pages.Chromium;
import dev.plinto.platform.DatabaseSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's settings page in Debian's headless Chromium: an administrator sees each setting with its value and
 * source, a refused value is shown next to its field with nothing saved, saved values take effect at once and are
 * audited with the administrator as actor, and an override goes back to the environment's value. {@code support}
 * reads the page without a form and its post is refused. Checked with axe-core; screenshots
 * {@code target/screenshots/admin-settings-*}.
 */
class RuntimeSettingsBrowserTests extends DashboardTestSupport {

	@Autowired
	private LiveSettings live;

	@Autowired
	private DatabaseSettings settings;

	@Autowired
	private JdbcClient jdbc;

	private ChromeDriver chrome;

	@AfterEach
	void quitAndReset() {
		if (chrome != null) {
			chrome.quit();
		}
		jdbc.sql("delete from runtime_settings").update();
		settings.reload();
	}

	@Test
	void adminWhenSavingSettingsThenRefusedValueShownAndValidOnesApplyAtOnce() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		chrome = chromiumSignedIn(admin, "/admin/settings", "Settings");
		assertThat(chrome.findElements(By.cssSelector("fieldset legend")).stream().map(WebElement::getText))
			.containsExactly("Sign-in methods", "Two-step verification", "Password", "Branding",
					"Rate limits and lockout");
		assertThat(chrome.findElement(By.id("PLINTO_MFA")).getDomProperty("value")).isEqualTo("optional");
		assertThat(chrome.findElement(By.id("PLINTO_MFA-hint")).getText()).contains("Built-in default");
		Chromium.screenshot(chrome, "admin-settings");

		replace("PLINTO_MFA", "sometimes");
		replace("PLINTO_PRIMARY_COLOR", "#0a7d4f");
		chrome.findElement(By.id("save-settings")).click();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !chrome.findElements(By.id("PLINTO_MFA-error")).isEmpty());
		assertThat(chrome.findElement(By.id("PLINTO_MFA-error")).getText())
			.isEqualTo("PLINTO_MFA must be one of [optional, required], not 'sometimes'.");
		assertThat(chrome.findElement(By.cssSelector("div.alert")).getText()).contains("Nothing was saved");
		assertThat(chrome.findElement(By.id("PLINTO_MFA")).getDomProperty("value")).as("as typed")
			.isEqualTo("sometimes");
		assertThat(live.current().pages().branding().primaryColor()).as("nothing of a refused form is saved")
			.isEqualTo("#4f46e5");
		Chromium.screenshot(chrome, "admin-settings-refused");

		replace("PLINTO_MFA", "required");
		replace("PLINTO_PASSWORD_MIN_LENGTH", "12");
		chrome.findElement(By.id("save-settings")).click();
		awaitNotice("Saved: PLINTO_MFA, PLINTO_PASSWORD_MIN_LENGTH, PLINTO_PRIMARY_COLOR. This server uses the new "
				+ "values now, the others within two seconds.");
		PlintoSettings now = live.current();
		assertThat(now.mfa().policy()).isEqualTo(PlintoSettings.MfaPolicy.REQUIRED);
		assertThat(now.passwordMinLength()).isEqualTo(12);
		assertThat(now.pages().branding().primaryColor()).isEqualTo("#0a7d4f");
		assertThat(chrome.findElement(By.id("PLINTO_MFA-hint")).getText()).contains("Changed here")
			.contains(admin.userId());
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'SETTINGS_CHANGED' and actor_id = :a")
			.param("a", admin.userId())
			.query(Long.class)
			.single()).isEqualTo(1);

		chrome.findElement(By.id("reset-PLINTO_MFA")).click();
		chrome.findElement(By.id("save-settings")).click();
		awaitNotice("Saved: PLINTO_MFA. This server uses the new values now, the others within two seconds.");
		assertThat(live.current().mfa().policy()).isEqualTo(PlintoSettings.MfaPolicy.OPTIONAL);
		assertThat(live.current().passwordMinLength()).as("the others stay").isEqualTo(12);
	}

	@Test
	void supportWhenReadingSettingsThenNoFormAndPostRefused() {
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		Browser browser = new Browser(support);
		HttpResponse<String> page = browser.get("/admin/settings");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("PLINTO_SIGN_IN_METHODS").doesNotContain("method=\"post\"");
		HttpResponse<String> post = browser.post("/admin/settings", Map.of("PLINTO_MFA", "required"));
		assertThat(post.statusCode()).isEqualTo(403);
		assertThat(live.current().mfa().policy()).isEqualTo(PlintoSettings.MfaPolicy.OPTIONAL);
	}

	private void replace(String id, String value) {
		WebElement field = chrome.findElement(By.id(id));
		field.clear();
		field.sendKeys(value);
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
