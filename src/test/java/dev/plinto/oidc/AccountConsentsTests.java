package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The account page's connected apps through the real server: an app the user allowed is listed with its scopes in
 * words and "Revoke access"; revoking removes the consent and ends the app's tokens for this user (introspection
 * says inactive, UserInfo and refresh refuse them), is audited, needs the CSRF token, and the app has to ask again.
 * Also, with the default settings, dynamic client registration is off: no endpoint, nothing in discovery.
 */
class AccountConsentsTests extends OidcTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void accountPageWhenAnAppWasAllowedThenItIsListedAndRevokingEndsItsTokens() {
		Registered client = confidential(false);
		Registered other = confidential(false);
		User user = user();
		Browser browser = new Browser(base());
		Json tokens = allow(browser, client, user, true);
		Json otherTokens = allow(browser, other, user, false);

		HttpResponse<String> account = browser.get("/account");
		assertThat(account.statusCode()).isEqualTo(200);
		String page = account.body();
		assertThat(page).contains("Apps with access to your account").contains(name(client))
			.contains("see your email address").contains("keep access while you are not using it")
			.contains("Revoke access");

		HttpResponse<String> forged = browser.postRaw("/account/apps/revoke", Map.of("client_id", client.id()),
				"Origin", base());
		assertThat(forged.statusCode()).as("without the CSRF token").isEqualTo(403);

		HttpResponse<String> revoked = browser.post("/account/apps/revoke", Map.of("client_id", client.id()));
		assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
		assertThat(revoked.body()).contains(name(client) + " no longer has access to your account.");
		assertThat(revoked.body()).as("the other app stays").contains(name(other));
		assertThat(appsSection(revoked.body())).doesNotContain(client.id());

		Json access = tokenRequest("/oauth2/introspect", client, Map.of("token", tokens.text("access_token")));
		assertThat(access.body().get("active").asBoolean()).as("the access token").isFalse();
		Json refresh = tokenRequest("/oauth2/introspect", client, Map.of("token", tokens.text("refresh_token")));
		assertThat(refresh.body().get("active").asBoolean()).as("the refresh token").isFalse();
		assertThat(api.get("/userinfo", tokens.text("access_token")).status()).isEqualTo(401);
		Json refreshed = tokenRequest("/oauth2/token", client, Map.of("grant_type", "refresh_token",
				"refresh_token", tokens.text("refresh_token")));
		assertThat(refreshed.text("error")).isEqualTo("invalid_grant");

		Json otherAccess = tokenRequest("/oauth2/introspect", other,
				Map.of("token", otherTokens.text("access_token")));
		assertThat(otherAccess.body().get("active").asBoolean()).as("another app's tokens stay").isTrue();

		assertThat(jdbc.sql("select count(*) from audit_events where type = 'OIDC_CONSENT_REVOKED' and user_id = ? "
				+ "and detail = ?")
			.param(user.id())
			.param(client.id())
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(browser.get("/account").body()).contains("Access removed from an app");

		HttpResponse<String> again = browser.follow(browser.get(authorizeUrl(client.id(), REDIRECT,
				"openid email offline_access", "st-again", "n", Pkce.create())));
		assertThat(again.statusCode()).as("the app has to ask again").isEqualTo(200);
		assertThat(again.body()).contains("Allow " + name(client));

		HttpResponse<String> twice = browser.post("/account/apps/revoke", Map.of("client_id", client.id()));
		assertThat(twice.statusCode()).isEqualTo(200);
		assertThat(twice.body()).contains("This app has no access to your account (any more).");
	}

	@Test
	void accountPageWhenNoAppWasAllowedThenSaysSo() {
		User user = user();
		Browser browser = new Browser(base());
		browser.get("/sign-in");
		browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD));
		assertThat(browser.get("/account").body())
			.contains("No app has access to your account through sign-in with Plinto.");
	}

	@Test
	void registrationWhenSwitchedOffThenNoEndpointAndNothingInDiscovery() {
		HttpResponse<String> r = new Browser(base()).postJson("/oauth2/register", "{\"client_name\":\"X\"}",
				"Authorization", "Bearer anything-at-all-0123456789-0123456789");
		assertThat(r.statusCode()).isEqualTo(404);
		JsonNode oidc = api.get("/.well-known/openid-configuration").json();
		assertThat(oidc.has("registration_endpoint")).isFalse();
		assertThat(api.get("/.well-known/oauth-authorization-server").json().has("registration_endpoint")).isFalse();
	}

	/** Signs in (once), allows the client's consent, and exchanges the code; returns the tokens. */
	private Json allow(Browser browser, Registered client, User user, boolean signIn) {
		Pkce pkce = Pkce.create();
		String url = authorizeUrl(client.id(), REDIRECT, "openid email offline_access", "st", "n", pkce);
		HttpResponse<String> consent = signIn ? authorizeWithSignIn(browser, url, user.email())
				: browser.follow(browser.get(url));
		assertThat(consent.statusCode()).as(consent.body()).isEqualTo(200);
		HttpResponse<String> allowed = browser.post("/oauth2/authorize", Map.of("client_id", client.id(),
				"state", stateOf(consent.body()), "scope", List.of("openid", "email", "offline_access")));
		assertThat(Browser.location(allowed)).startsWith(REDIRECT + "?code=");
		Json tokens = exchange(client, Browser.param(Browser.location(allowed), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens;
	}

	private String name(Registered client) {
		return clients.find(client.id()).orElseThrow().name();
	}

	private static String appsSection(String page) {
		int start = page.indexOf("id=\"apps\"");
		return page.substring(start, page.indexOf("</section>", start));
	}

	private static String stateOf(String consentPage) {
		Matcher m = Pattern.compile("name=\"state\" value=\"([^\"]+)\"").matcher(consentPage);
		assertThat(m.find()).as(consentPage).isTrue();
		return m.group(1).replace("&#61;", "=").replace("&amp;", "&");
	}
}
