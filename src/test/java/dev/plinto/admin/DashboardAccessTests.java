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

/**
 * Who may open the admin dashboard, through the real server: every {@code /admin} route refuses a signed-in user
 * without an instance role (403 page), sends a signed-out browser to sign in, sends an administrator without a
 * second factor to enrol one and one whose session did not use it to sign in again; {@code support} reads but
 * cannot post; deleting a user, impersonating one, changing an email address and withdrawing a signing key need a
 * recent sign-in; creating a user, changing the name, the email address and the metadata, and ending one session
 * work as the Backend API's, with refusals beside their field; the overview shows the counts.
 */
class DashboardAccessTests extends DashboardTestSupport {

	private static final String FORBIDDEN = "This page is for the administrators of this installation.";

	@Autowired
	private dev.plinto.webhook.WebhookService webhooks;

	@Autowired
	private AdminUsers users;

	@Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	private dev.plinto.token.SigningKeys signingKeys;

	@Test
	void routesWhenSignedInWithoutInstanceRoleThenEveryOneAnswers403() {
		Account user = withSecondFactor(null);
		Account target = signUp();
		Browser browser = new Browser(user);
		TreeSet<String> routes = dashboardRoutes(target.userId());
		assertThat(routes).contains("GET /admin", "GET /admin/users", "GET /admin/system", "GET /admin/keys",
				"GET /admin/audit", "GET /admin/webhooks", "POST /admin/users/" + target.userId() + "/ban",
				"POST /admin/users/" + target.userId() + "/delete", "POST /admin/keys/withdraw", "POST /admin/users",
				"POST /admin/users/" + target.userId() + "/email",
				"POST /admin/users/" + target.userId() + "/sessions/" + target.userId() + "/revoke");
		SoftAssertions soft = new SoftAssertions();
		for (String route : routes) {
			String[] parts = route.split(" ", 2);
			HttpResponse<String> r = parts[0].equals("GET") ? browser.get(parts[1])
					: browser.post(parts[1], Map.of("kid", "x", "private_metadata", "{}", "email", newEmail(), "name", "x"));
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
		HttpResponse<String> totp = browser.post("/account/totp", Map.of());
		assertThat(totp.statusCode()).as("no lasting sign-in method through an impersonation").isEqualTo(403);
		assertThat(totp.body()).contains("signed in as this user by an administrator");
		assertThat(jdbc.sql("select count(*) from totp_factors where user_id = :user")
			.param("user", target.userId())
			.query(Long.class)
			.single()).isZero();
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

	@Test
	void impersonateWhenTheUserHasAnInstanceRoleThenRefusedAndTheBrowserStaysTheAdministrator() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account other = withSecondFactor(DashboardRole.SUPPORT);
		Browser browser = new Browser(admin);
		browser.get("/admin/users/" + other.userId());

		HttpResponse<String> r = browser.post("/admin/users/" + other.userId() + "/impersonate", Map.of());

		assertThat(r.statusCode()).isEqualTo(403);
		assertThat(r.body()).contains("cannot be impersonated");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).path("sub").asString())
			.isEqualTo(admin.userId());
	}

	@Test
	void supportWhenPostingTheUserFormsThen403AndNothingChanges() {
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		Account target = signUp();
		String id = target.userId();
		String sid = ApiClient.claims(target.accessToken()).path("sid").asString();
		Browser browser = new Browser(support);
		HttpResponse<String> page = browser.get("/admin/users/" + id);
		assertThat(page.body()).contains("Public metadata", "Private metadata", "Unsafe metadata")
			.doesNotContain("method=\"post\"");
		String created = newEmail();
		Map<String, Map<String, String>> posts = Map.of("/admin/users",
				Map.of("email", created, "password", PASSWORD), "/admin/users/" + id + "/name",
				Map.of("name", "Changed"), "/admin/users/" + id + "/email",
				Map.of("email", newEmail(), "email_verified", "true"), "/admin/users/" + id + "/metadata",
				Map.of("public_metadata", "{\"plan\":\"pro\"}"), "/admin/users/" + id + "/sessions/" + sid + "/revoke",
				Map.of());
		posts.forEach((path, fields) -> {
			HttpResponse<String> r = browser.post(path, fields);
			assertThat(r.statusCode()).as(path).isEqualTo(403);
			assertThat(r.body()).as(path).contains("can look at every page of the dashboard but change nothing");
		});
		AdminUsers.AdminUser after = users.get(id);
		assertThat(after.name()).isNull();
		assertThat(after.email()).isEqualTo(target.email());
		assertThat(after.emailVerified()).isFalse();
		assertThat(after.publicMetadata()).isEmpty();
		assertThat(api.get("/v1/me", target.accessToken()).status()).as("the session still works").isEqualTo(200);
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", created, "password", PASSWORD)).status())
			.as("no user was created").isEqualTo(401);
	}

	@Test
	void dangerousPostsWhenSignInNotRecentThenSignInAgainAndNothingChanges() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Browser browser = new Browser(new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret()));
		String kid = signingKeys.rotate(false).kid();
		try {
			assertThat(browser.get("/admin/users/" + target.userId()).statusCode()).isEqualTo(200);
			Map<String, Map<String, String>> posts = Map.of("/admin/users/" + target.userId() + "/impersonate",
					Map.of(), "/admin/users/" + target.userId() + "/email", Map.of("email", newEmail()),
					"/admin/keys/withdraw", Map.of("kid", kid));
			posts.forEach((path, fields) -> {
				HttpResponse<String> r = browser.post(path, fields);
				assertThat(r.statusCode()).as(path).isEqualTo(303);
				assertThat(r.headers().firstValue("Location")).as(path)
					.hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
			});
			assertThat(browser.cookies.get("plinto_session")).as("still the administrator's session")
				.isEqualTo(refreshed.text("access_token"));
			assertThat(users.get(target.userId()).email()).isEqualTo(target.email());
			assertThat(signingKeys.all()).extracting(dev.plinto.token.SigningKey::kid).contains(kid);
			assertThat(users.securityEvents(target.userId(), null, 50).data()).extracting(AdminUsers.EventView::type)
				.as("nobody was impersonated")
				.doesNotContain("user.impersonated");
		}
		finally {
			signingKeys.withdraw(kid);
		}
	}

	@Test
	void createWhenPasswordOrMailThenTheUserExistsAndRefusalsShowBesideTheirField() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/users").body()).contains("Create a user", "name=\"password\"");
		String email = newEmail();
		HttpResponse<String> created = browser.post("/admin/users", Map.of("email", email, "name", "Ada Lovelace",
				"password", PASSWORD, "email_verified", "true"));
		assertThat(created.statusCode()).isEqualTo(303);
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith("/admin/users/usr_").endsWith("?done=created");
		String id = location.substring("/admin/users/".length(), location.indexOf('?'));
		assertThat(browser.get(location).body()).contains("The user was created.", "Ada Lovelace", email);
		assertThat(users.get(id).emailVerified()).isTrue();
		assertThat(api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD)).status())
			.as("the user signs in with the password given").isEqualTo(200);
		assertThat(browser.get("/admin/audit?user=" + id + "&type=user.created").body()).contains(admin.userId())
			.contains("with a password");

		String invited = newEmail();
		HttpResponse<String> mailed = browser.post("/admin/users", Map.of("email", invited, "name", "", "password", ""));
		assertThat(mailed.statusCode()).isEqualTo(303);
		assertThat(mailed.headers().firstValue("Location").orElseThrow()).endsWith("?done=created_mail");
		assertThat(browser.get("/admin/audit?user=" + invited + "&type=user.created").body())
			.contains("without a password; mail to set one sent");

		browser.get("/admin/users");
		HttpResponse<String> taken = browser.post("/admin/users", Map.of("email", email, "name", "Second Ada",
				"password", "a different long password 42"));
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(taken.body()).contains("<p class=\"field-error\" id=\"email-error\">Another account already uses "
				+ "this email address.</p>")
			.contains("value=\"Second Ada\"")
			.doesNotContain("a different long password 42");
		HttpResponse<String> common = browser.post("/admin/users", Map.of("email", newEmail(), "password",
				"password"));
		assertThat(common.statusCode()).isEqualTo(422);
		assertThat(common.body()).contains("id=\"password-error\">This password is one of the most common ones.");
		HttpResponse<String> invalid = browser.post("/admin/users", Map.of("email", "not an address"));
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("id=\"email-error\">Enter an email address such as name@example.com.");
	}

	@Test
	void editWhenNameEmailAndMetadataChangedThenSavedAuditedAndRefusalsShowBesideTheirField() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		String id = target.userId();
		Browser browser = new Browser(admin);
		browser.get("/admin/users/" + id);

		assertThat(browser.post("/admin/users/" + id + "/name", Map.of("name", "Grace Hopper")).headers()
			.firstValue("Location")).hasValue("/admin/users/" + id + "?done=name_saved");
		assertThat(users.get(id).name()).isEqualTo("Grace Hopper");

		String address = newEmail();
		assertThat(browser.post("/admin/users/" + id + "/email", Map.of("email", address, "email_verified", "true"))
			.headers()
			.firstValue("Location")).hasValue("/admin/users/" + id + "?done=email_saved");
		assertThat(users.get(id).email()).isEqualTo(address);
		assertThat(users.get(id).emailVerified()).isTrue();
		assertThat(browser.post("/admin/users/" + id + "/email", Map.of("email", address)).statusCode())
			.isEqualTo(303);
		assertThat(users.get(id).emailVerified()).as("an unticked box clears the verification").isFalse();
		HttpResponse<String> taken = browser.post("/admin/users/" + id + "/email", Map.of("email", admin.email()));
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(taken.body()).contains("id=\"email-error\">Another account already uses this email address.");
		assertThat(users.get(id).email()).isEqualTo(address);

		assertThat(browser.post("/admin/users/" + id + "/metadata", Map.of("public_metadata", "{\"plan\": \"pro\"}",
				"private_metadata", "{\"crm\": 7}", "unsafe_metadata", "{\"theme\": \"dark\"}"))
			.statusCode()).isEqualTo(303);
		AdminUsers.AdminUser saved = users.get(id);
		assertThat(saved.publicMetadata()).isEqualTo(Map.of("plan", "pro"));
		assertThat(saved.privateMetadata()).isEqualTo(Map.of("crm", 7));
		assertThat(saved.unsafeMetadata()).isEqualTo(Map.of("theme", "dark"));
		assertThat(api.get("/v1/me", target.accessToken()).raw()).as("the user reads the public metadata")
			.contains("\"plan\":\"pro\"");

		HttpResponse<String> invalid = browser.post("/admin/users/" + id + "/metadata",
				Map.of("public_metadata", "{\"plan\": \"team\"}", "private_metadata", "{}", "unsafe_metadata", "[1, 2]"));
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body())
			.contains("<p class=\"field-error\" id=\"unsafe_metadata-error\">The unsafe metadata must be one JSON "
					+ "object, in braces.</p>")
			.contains("aria-describedby=\"unsafe_metadata-hint unsafe_metadata-error\"")
			.contains("[1, 2]")
			.contains("{\"plan\": \"team\"}")
			.doesNotContain("id=\"public_metadata-error\"");
		HttpResponse<String> large = browser.post("/admin/users/" + id + "/metadata",
				Map.of("public_metadata", "{\"notes\": \"" + "x".repeat(9000) + "\"}"));
		assertThat(large.statusCode()).isEqualTo(422);
		assertThat(large.body()).contains("id=\"public_metadata-error\">The public metadata may be at most 8192 bytes "
				+ "of JSON.");
		assertThat(users.get(id).publicMetadata()).as("nothing refused is saved").isEqualTo(Map.of("plan", "pro"));
		assertThat(users.get(id).unsafeMetadata()).isEqualTo(Map.of("theme", "dark"));

		// The page shows the metadata as stored; the user then changes their unsafe metadata, and the administrator
		// saves the form with only the public metadata edited: the user's change stays.
		HttpResponse<String> shown = browser.get("/admin/users/" + id);
		assertThat(shown.body()).contains("name=\"unsafe_metadata_original\"");
		String shownUnsafe = "{\n  \"theme\" : \"dark\"\n}";
		assertThat(api.patch("/v1/me", Map.of("unsafe_metadata", Map.of("theme", "light")), target.accessToken())
			.status()).isEqualTo(200);
		assertThat(browser.post("/admin/users/" + id + "/metadata", Map.of("public_metadata", "{\"plan\": \"team\"}",
				"public_metadata_original", "{\"plan\": \"pro\"}", "unsafe_metadata", shownUnsafe,
				"unsafe_metadata_original", shownUnsafe)).statusCode()).isEqualTo(303);
		assertThat(users.get(id).publicMetadata()).isEqualTo(Map.of("plan", "team"));
		assertThat(users.get(id).unsafeMetadata()).as("a field the administrator left alone is not written")
			.isEqualTo(Map.of("theme", "light"));

		HttpResponse<String> audit = browser.get("/admin/audit?user=" + id + "&type=user.updated");
		assertThat(audit.body()).contains(admin.userId(), "name", "email_verified", "public_metadata",
				"unsafe_metadata");
	}

	@Test
	void revokeSessionWhenOneEndedThenItsTokensStopAndTheOthersStay() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account target = signUp();
		ApiClient.Response second = api.post("/v1/sign-in", ApiClient.map("email", target.email(), "password",
				PASSWORD));
		Account other = signUp();
		String sid = ApiClient.claims(target.accessToken()).path("sid").asString();
		String otherSid = ApiClient.claims(other.accessToken()).path("sid").asString();
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/users/" + target.userId()).body())
			.contains("action=\"/admin/users/" + target.userId() + "/sessions/" + sid + "/revoke\"");

		HttpResponse<String> foreign = browser.post("/admin/users/" + target.userId() + "/sessions/" + otherSid
				+ "/revoke", Map.of());
		assertThat(foreign.statusCode()).as("another user's session through this user's page").isEqualTo(404);
		assertThat(foreign.body()).contains("This session has ended already or is not one of this user's.");
		assertThat(api.get("/v1/me", other.accessToken()).status()).isEqualTo(200);

		HttpResponse<String> revoked = browser.post("/admin/users/" + target.userId() + "/sessions/" + sid + "/revoke",
				Map.of());
		assertThat(revoked.headers().firstValue("Location"))
			.hasValue("/admin/users/" + target.userId() + "?done=session_revoked");
		assertThat(api.get("/v1/me", target.accessToken()).status()).as("its access token stops at once")
			.isEqualTo(401);
		assertThat(api.post("/v1/token/refresh", ApiClient.map("refresh_token", target.refreshToken())).status())
			.isEqualTo(401);
		assertThat(api.get("/v1/me", second.text("access_token")).status()).as("the other session stays")
			.isEqualTo(200);
		assertThat(users.sessions(target.userId())).extracting(AdminUsers.SessionView::id).doesNotContain(sid)
			.hasSize(1);
		assertThat(browser.get("/admin/audit?user=" + target.userId() + "&type=session.revoked").body())
			.contains(admin.userId(), sid);
		HttpResponse<String> again = browser.post("/admin/users/" + target.userId() + "/sessions/" + sid + "/revoke",
				Map.of());
		assertThat(again.statusCode()).as("an ended session").isEqualTo(404);
	}
}
