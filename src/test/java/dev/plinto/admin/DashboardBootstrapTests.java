package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.crypto.SecureTokens;
import dev.plinto.pages.Chromium;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The first administrator through the bootstrap link: printed only while no administrator exists and no earlier
 * link is still valid, stored as a hash, confirmed by a signed-in browser's form post (opening it changes nothing),
 * single use, and dead once an administrator exists. The page is checked with axe-core in Chromium and written as a
 * screenshot ({@code target/screenshots/admin-bootstrap-*}).
 */
class DashboardBootstrapTests extends DashboardTestSupport {

	@Autowired
	private DashboardBootstrap bootstrap;

	@Autowired
	private DataSource dataSource;

	@Test
	void linkWhenNoAdministratorThenOneSignedInAccountBecomesAdminOnceAndOnlyOnce() {
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// No administrator, and the link printed at start (or by another test) has expired.
		jdbc.sql("update users set instance_role = null").update();
		clock.advance(DashboardBootstrap.LIFETIME.plusMinutes(1));
		String token = bootstrap.issue().orElseThrow();
		assertThat(bootstrap.issue()).as("a restart while the link is valid prints nothing").isEmpty();
		assertThat(jdbc.sql("select count(*) from admin_bootstrap_tokens where token_hash = ?")
			.param(SecureTokens.hash(token))
			.query(Long.class)
			.single()).as("only the hash is stored").isEqualTo(1);

		Browser signedOut = new Browser(null);
		HttpResponse<String> anonymous = signedOut.get("/admin/bootstrap?token=" + token);
		assertThat(anonymous.statusCode()).isEqualTo(303);
		assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/sign-in?redirect_url=");

		Account first = withSecondFactor(null);
		Browser browser = new Browser(first);
		assertThat(browser.get("/admin/bootstrap?token=wrong").statusCode()).isEqualTo(410);
		HttpResponse<String> page = browser.get("/admin/bootstrap?token=" + token);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Make me the administrator");
		assertThat(roles.roleOf(first.userId())).as("opening the page changes nothing").isEmpty();
		ChromeDriver chrome = chromiumSignedIn(first, "/admin/bootstrap?token=" + token,
				"Become the first administrator");
		try {
			Chromium.screenshot(chrome, "admin-bootstrap");
		}
		finally {
			chrome.quit();
		}
		assertThat(roles.roleOf(first.userId())).as("opening the page in a browser changes nothing").isEmpty();

		HttpResponse<String> confirmed = browser.post("/admin/bootstrap", Map.of("token", token));
		assertThat(confirmed.statusCode()).isEqualTo(303);
		assertThat(confirmed.headers().firstValue("Location")).hasValue("/admin");
		assertThat(roles.roleOf(first.userId())).hasValue(DashboardRole.ADMIN);
		assertThat(browser.get("/admin").statusCode()).isEqualTo(200);

		Account second = withSecondFactor(null);
		Browser other = new Browser(second);
		assertThat(other.get("/admin/bootstrap?token=" + token).statusCode()).isEqualTo(410);
		assertThat(other.post("/admin/bootstrap", Map.of("token", token)).statusCode()).isEqualTo(410);
		assertThat(roles.roleOf(second.userId())).isEmpty();

		clock.advance(DashboardBootstrap.LIFETIME.plus(Duration.ofMinutes(1)));
		assertThat(bootstrap.issue()).as("no new link while an administrator exists").isEmpty();
		assertThat(jdbc.sql("select count(*) from audit_events where user_id = ? and type = 'ADMIN_ROLE_GRANTED'")
			.param(first.userId())
			.query(Long.class)
			.single()).isEqualTo(1);
	}
}
