package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's OIDC clients over HTTP, as a browser without JavaScript posts its forms: registering, changing
 * (with the command line's refusals shown on the page), the secret shown once and never cached, the audit with
 * the administrator as actor, {@code support} reading without forms and refused every post, and rotating and
 * deleting refused without a recent sign-in.
 */
class DashboardClientsTests extends DashboardTestSupport {

	@Autowired
	private OidcClients clients;

	@Autowired
	private JdbcClient jdbc;

	private static Map<String, String> form(String name, String redirect) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("type", "confidential");
		fields.put("name", name);
		fields.put("redirect_uris", redirect);
		fields.put("post_logout_redirect_uris", "");
		fields.put("grants", "authorization_code");
		fields.put("scopes", "openid profile");
		fields.put("consent_required", "true");
		fields.put("require_pkce", "true");
		fields.put("logo_uri", "");
		fields.put("access_token_ttl", "300");
		fields.put("refresh_token_ttl", "2592000");
		fields.put("backchannel_logout_uri", "");
		return fields;
	}

	private long audited(String type, String actor, String clientId) {
		return jdbc.sql("select count(*) from audit_events where type = :type and actor_id = :actor and detail like :d")
			.param("type", type)
			.param("actor", actor)
			.param("d", "%" + clientId + "%")
			.query(Long.class)
			.single();
	}

	@Test
	void adminWhenRegisteringAndChangingThenSecretOnceRefusalsOnThePageAndAudited() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		assertThat(browser.get("/admin/clients/new").statusCode()).isEqualTo(200);

		HttpResponse<String> refused = browser.post("/admin/clients", form("Acme", "http://app.example/cb"));
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("role=\"alert\"").contains("must be https").contains("value=\"Acme\"");

		HttpResponse<String> created = browser.post("/admin/clients", form("Acme web", "https://app.example/cb"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		assertThat(created.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		String id = created.body().replaceAll("(?s).*<code id=\"client-id\">([^<]+)</code>.*", "$1");
		String secret = created.body().replaceAll("(?s).*<code class=\"secret\" id=\"client-secret\"[^>]*>([^<]+)</code>.*",
				"$1");
		assertThat(id).startsWith("cli_");
		assertThat(secret).hasSize(43);
		assertThat(clients.find(id).orElseThrow().name()).isEqualTo("Acme web");
		assertThat(audited("OIDC_CLIENT_CREATED", admin.userId(), id)).isEqualTo(1);

		HttpResponse<String> page = browser.get("/admin/clients/" + id);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).as("the secret is never shown again").doesNotContain(secret).doesNotContain("sha256$");
		assertThat(browser.get("/admin/clients").body()).contains(id).contains("Acme web");

		Map<String, String> change = form("Acme console", "https://app.example/cb\nhttps://app.example/cb2");
		change.remove("type");
		change.remove("consent_required");
		change.put("access_token_ttl", "5");
		HttpResponse<String> badTtl = browser.post("/admin/clients/" + id + "/update", change);
		assertThat(badTtl.statusCode()).isEqualTo(400);
		assertThat(badTtl.body()).contains("access token lifetime");
		assertThat(clients.find(id).orElseThrow().name()).as("nothing changed").isEqualTo("Acme web");

		change.put("access_token_ttl", "600");
		HttpResponse<String> saved = browser.post("/admin/clients/" + id + "/update", change);
		assertThat(saved.statusCode()).isEqualTo(303);
		assertThat(saved.headers().firstValue("Location")).hasValue("/admin/clients/" + id + "?done=updated");
		OidcClients.Client after = clients.find(id).orElseThrow();
		assertThat(after.name()).isEqualTo("Acme console");
		assertThat(after.redirectUris()).containsExactlyInAnyOrder("https://app.example/cb", "https://app.example/cb2");
		assertThat(after.firstParty()).as("consent box cleared").isTrue();
		assertThat(after.accessTokenTtl()).isEqualTo(Duration.ofSeconds(600));
		assertThat(audited("OIDC_CLIENT_UPDATED", admin.userId(), id)).isEqualTo(1);
		assertThat(browser.get("/admin/clients/" + id + "?done=updated").body()).contains("The client was saved.");
	}

	@Test
	void supportWhenReadingThenNoFormsAndWhenPostingThen403() {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Support sees", OidcClients.Type.CONFIDENTIAL,
				List.of("https://app.example/cb"), List.of(), Set.of("authorization_code"), null, false, true, null,
				null, null), ClientInfo.none());
		String id = client.client().clientId();
		Account support = withSecondFactor(DashboardRole.SUPPORT);
		Browser browser = new Browser(support);
		for (String page : List.of("/admin/clients", "/admin/clients/" + id, "/admin/clients/new")) {
			HttpResponse<String> r = browser.get(page);
			assertThat(r.statusCode()).as(page).isEqualTo(200);
			assertThat(r.body()).as(page).contains("Support (read-only)").doesNotContain("method=\"post\"");
		}
		for (String post : List.of("/admin/clients", "/admin/clients/" + id + "/update",
				"/admin/clients/" + id + "/rotate-secret", "/admin/clients/" + id + "/delete")) {
			HttpResponse<String> r = browser.post(post, form("Changed", "https://app.example/cb"));
			assertThat(r.statusCode()).as(post).isEqualTo(403);
			assertThat(r.body()).contains("can look at every page of the dashboard but change nothing");
		}
		assertThat(clients.find(id).orElseThrow().name()).isEqualTo("Support sees");
	}

	@Test
	void rotateAndDeleteWhenSignInNotRecentThenSignInAgainAndWhenRecentThenDone() {
		OidcClients.Created client = clients.create(new OidcClients.Spec("Sensitive", OidcClients.Type.CONFIDENTIAL,
				List.of(), List.of(), Set.of("client_credentials"), Set.of("jobs"), false, true, null, null, null),
				ClientInfo.none());
		String id = client.client().clientId();
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		Browser old = new Browser(new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret()));
		assertThat(old.get("/admin/clients/" + id).statusCode()).isEqualTo(200);
		for (String post : List.of("/rotate-secret", "/delete")) {
			HttpResponse<String> r = old.post("/admin/clients/" + id + post, Map.of());
			assertThat(r.statusCode()).as(post).isEqualTo(303);
			assertThat(r.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
		}
		assertThat(clients.find(id)).as("not deleted").isPresent();

		clock.advance(Duration.ofSeconds(30));
		Browser fresh = new Browser(signInWithTotp(admin.email(), admin.totpSecret()));
		fresh.get("/admin/clients/" + id);
		HttpResponse<String> rotated = fresh.post("/admin/clients/" + id + "/rotate-secret", Map.of());
		assertThat(rotated.statusCode()).isEqualTo(200);
		assertThat(rotated.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		assertThat(rotated.body()).contains("id=\"client-secret\"").doesNotContain(client.secret());
		assertThat(audited("OIDC_CLIENT_SECRET_ROTATED", admin.userId(), id)).isEqualTo(1);

		fresh.get("/admin/clients/" + id);
		HttpResponse<String> deleted = fresh.post("/admin/clients/" + id + "/delete", Map.of());
		assertThat(deleted.statusCode()).isEqualTo(303);
		assertThat(deleted.headers().firstValue("Location")).hasValue("/admin/clients?deleted=1");
		assertThat(clients.find(id)).isEmpty();
		assertThat(audited("OIDC_CLIENT_DELETED", admin.userId(), id)).isEqualTo(1);
		assertThat(fresh.get("/admin/clients/" + id).statusCode()).isEqualTo(404);
	}
}
