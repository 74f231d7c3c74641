package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may open the admin dashboard, through the real server: every {@code /admin} route refuses a signed-in user
 * without an instance role (403 page), sends a signed-out browser to sign in, sends an administrator without a
 * second factor to enrol one and one whose session did not use it to sign in again; {@code support} reads but
 * cannot post; deleting a user needs a recent sign-in; the overview shows the counts.
 */
class DashboardAccessTests extends DashboardTestSupport {

	private static final String FORBIDDEN = "This page is for the administrators of this installation.";

	@Autowired
	private dev.plinto.webhook.WebhookService webhooks;

	@Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping mappings;

	/** Every dashboard route as "METHOD path", every path variable filled with {@code id}. */
	private TreeSet<String> routes(String id) {
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

	@Test
	void routesWhenSignedInWithoutInstanceRoleThenEveryOneAnswers403() {
		Account user = withSecondFactor(null);
		Account target = signUp();
		Browser browser = new Browser(user);
		TreeSet<String> routes = routes(target.userId());
		assertThat(routes).contains("GET /admin", "GET /admin/users", "GET /admin/system", "GET /admin/keys",
				"GET /admin/audit", "GET /admin/webhooks", "POST /admin/users/" + target.userId() + "/ban",
				"POST /admin/users/" + target.userId() + "/delete", "POST /admin/keys/withdraw");
		SoftAssertions soft = new SoftAssertions();
		for (String route : routes) {
			String[] parts = route.split(" ", 2);
			HttpResponse<String> r = parts[0].equals("GET") ? browser.get(parts[1])
					: browser.post(parts[1], Map.of("kid", "x", "private_metadata", "{}"));
			soft.assertThat(r.statusCode()).as(route).isEqualTo(403);
			soft.assertThat(r.body()).as(route).contains(FORBIDDEN);
		}
		soft.assertAll();
		assertThat(api.get("/v1/me", target.accessToken()).status()).as("the target was not banned or deleted")
			.isEqualTo(200);
	}

	@Test
	void routesWhenSignedOutThenSentToSignInAndBack() {
		Browser browser = new Browser(null);
		HttpResponse<String> r = browser.get("/admin/users?q=ada");
		assertThat(r.statusCode()).isEqualTo(303);
		assertThat(r.headers().firstValue("Location")).hasValue("/sign-in?redirect_url=%2Fadmin%2Fusers%3Fq%3Dada");
	}

	@Test
	void supportWhenReadingThenPagesAndWhenPostingThen403() {
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		Account target = signUp();
		Browser browser = new Browser(support);
		for (String page : new String[] { "/admin", "/admin/users", "/admin/users/" + target.userId(),
				"/admin/system", "/admin/keys", "/admin/audit" }) {
			HttpResponse<String> r = browser.get(page);
			assertThat(r.statusCode()).as(page).isEqualTo(200);
			assertThat(r.body()).as(page).contains("Support (read-only)").doesNotContain("method=\"post\"");
		}
		HttpResponse<String> ban = browser.post("/admin/users/" + target.userId() + "/ban", Map.of());
		assertThat(ban.statusCode()).isEqualTo(403);
		assertThat(ban.body()).contains("can look at every page of the dashboard but change nothing");
		assertThat(api.get("/v1/me", target.accessToken()).status()).isEqualTo(200);
	}

	@Test
	void adminWhenNoSecondFactorThenSentToEnrolOne() {
		Account admin = signUp();
		roles.grant(admin.email(), DashboardRole.ADMIN, "test", null);
		HttpResponse<String> r = new Browser(admin).get("/admin");
		assertThat(r.statusCode()).isEqualTo(303);
		assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/account");
	}

	@Test
	void adminWhenSessionSignedInWithoutItsSecondFactorThenSignInAgain() {
		Account admin = signUp();
		dev.plinto.mfa.MfaSteps.enrolTotp(api, admin.accessToken(), clock.instant());
		roles.grant(admin.email(), DashboardRole.OWNER, "test", null);
		HttpResponse<String> r = new Browser(admin).get("/admin");
		assertThat(r.statusCode()).isEqualTo(303);
		assertThat(r.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
	}

	@Test
	void deleteWhenSignInNotRecentThenSignInAgainAndWhenRecentThenDeleted() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Account old = new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret());
		Browser browser = new Browser(old);
		assertThat(browser.get("/admin/users/" + target.userId()).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = browser.post("/admin/users/" + target.userId() + "/delete", Map.of());
		assertThat(refused.statusCode()).isEqualTo(303);
		assertThat(refused.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", target.email(), "password", PASSWORD)).status())
			.as("the user still exists").isEqualTo(200);

		clock.advance(Duration.ofSeconds(30));
		Browser fresh = new Browser(signInWithTotp(admin.email(), admin.totpSecret()));
		fresh.get("/admin/users/" + target.userId());
		HttpResponse<String> deleted = fresh.post("/admin/users/" + target.userId() + "/delete", Map.of());
		assertThat(deleted.statusCode()).isEqualTo(303);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", target.email(), "password", PASSWORD)).status())
			.as("the user is deleted").isEqualTo(401);
	}

	@Test
	void overviewWhenSignInsAndFailuresThenCountedInNumbersAndCharts() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account other = signUp();
		api.post("/v1/sign-in", ApiClient.map("email", other.email(), "password", "not the password"));
		Browser browser = new Browser(admin);
		HttpResponse<String> r = browser.get("/admin");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).contains("<svg role=\"img\" aria-labelledby=\"chart-sign-ins-title chart-sign-ins-desc\"")
			.contains("Daily active users")
			.contains("wrong password")
			.containsPattern("id=\"dau\">[1-9][0-9]*<")
			.containsPattern("id=\"live-sessions\">[1-9][0-9]*<")
			.contains("Sign-ups by method (30 days)")
			.containsPattern("(?s)id=\"sign-ups-by-method\".*<td>password</td><td class=\"num\">[1-9][0-9]*</td>");
		HttpResponse<String> system = browser.get("/admin/system");
		assertThat(system.body()).contains("CPU of the process", "Database connections in use",
				"95th percentile of request time", "Clerk", "Auth0", "List prices as of 2026-11-22");
	}

	@Test
	void auditWhenFilteredByUserAndTypeThenOnlyThoseEvents() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		Browser browser = new Browser(admin);
		browser.get("/admin/users/" + target.userId());
		assertThat(browser.post("/admin/users/" + target.userId() + "/lock", Map.of("hours", "2")).statusCode())
			.isEqualTo(303);
		HttpResponse<String> r = browser.get("/admin/audit?user=" + target.email() + "&type=user.locked");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).contains(target.userId()).contains(admin.userId());
		HttpResponse<String> none = browser.get("/admin/audit?user=" + target.email() + "&type=user.banned");
		assertThat(none.body()).contains("No event matches these filters.");
	}

	@Test
	void webhooksWhenDisabledAndEnabledThenAuditedWithTheAdministratorAsActor() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		String url = "https://hooks.example.com/" + java.util.UUID.randomUUID();
		String id = webhooks.create(url, "dashboard test", null, null).endpoint().id();
		Browser browser = new Browser(admin);
		HttpResponse<String> list = browser.get("/admin/webhooks");
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains(url);
		browser.get("/admin/webhooks/" + id);
		assertThat(browser.post("/admin/webhooks/" + id + "/disable", Map.of()).statusCode()).isEqualTo(303);
		assertThat(webhooks.get(id).enabled()).isFalse();
		assertThat(browser.get("/admin/webhooks/" + id).body()).contains("Disabled");
		assertThat(browser.post("/admin/webhooks/" + id + "/enable", Map.of()).statusCode()).isEqualTo(303);
		assertThat(webhooks.get(id).enabled()).isTrue();
		HttpResponse<String> audit = browser.get("/admin/audit?user=" + admin.userId() + "&type=webhook.endpoint_disabled");
		assertThat(audit.body()).contains(admin.userId()).doesNotContain("No event matches these filters.");
		webhooks.delete(id, null);
	}

	@Test
	void impersonateWhenRecentSignInThenThisBrowserIsTheUserAndTheUserSeesIt() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		Browser browser = new Browser(admin);
		browser.get("/admin/users/" + target.userId());
		browser.cookies.remove("plinto_refresh");
		HttpResponse<String> r = browser.post("/admin/users/" + target.userId() + "/impersonate", Map.of());
		assertThat(r.statusCode()).isEqualTo(303);
		assertThat(r.headers().firstValue("Location")).hasValue("/account");
		String token = browser.cookies.get("plinto_session");
		assertThat(ApiClient.claims(token).path("sub").asString()).isEqualTo(target.userId());
		assertThat(ApiClient.claims(token).path("act").path("sub").asString()).isEqualTo(admin.userId());
		HttpResponse<String> account = browser.get("/account");
		assertThat(account.statusCode()).isEqualTo(200);
		assertThat(account.body()).contains(target.email());
		assertThat(browser.get("/admin").statusCode()).as("an impersonation never opens the dashboard")
			.isEqualTo(403);
		ApiClient.Response events = api.get("/v1/me/security-events", target.accessToken());
		assertThat(events.raw()).contains("user.impersonated");

		// Audited on both accounts, in the one transaction that started the session.
		String session = ApiClient.claims(token).path("sid").asString();
		assertThat(jdbc.sql("select actor_id, session_id from audit_events where user_id = :user and type = :type")
			.param("user", target.userId())
			.param("type", "USER_IMPERSONATED")
			.query((rs, n) -> rs.getString(1) + " " + rs.getString(2))
			.list()).containsExactly(admin.userId() + " " + session);
		assertThat(jdbc.sql("select actor_id, detail from audit_events where user_id = :user and type = :type")
			.param("user", admin.userId())
			.param("type", "USER_IMPERSONATION_STARTED")
			.query((rs, n) -> rs.getString(1) + " " + rs.getString(2))
			.list()).containsExactly(admin.userId() + " as " + target.userId() + " in session " + session);
		assertThat(api.get("/v1/me/security-events", admin.accessToken()).json().get("data"))
			.as("the administrator sees it among their own security events")
			.anySatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("user.impersonation_started"))
			.noneSatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("user.impersonated"));
	}
}
