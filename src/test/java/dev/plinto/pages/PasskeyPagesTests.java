package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.mfa.SoftwareAuthenticator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The passkey posts of the hosted pages over HTTP, with a software authenticator in place of the browser's: a passkey
 * registered on the account page signs in without a password and sets the session cookies; it is the second factor
 * after a password; renaming and removing; and the refusals: no CSRF token, a foreign Origin, a JSON body, a bad,
 * replayed or API-issued assertion, and registration or removal without a recent sign-in.
 */
class PasskeyPagesTests extends PagesTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern MFA_TOKEN = Pattern.compile("name=\"mfa_token\" value=\"([^\"]+)\"");

	private static final Pattern PASSKEY_ID = Pattern.compile("name=\"passkey_id\" value=\"([^\"]+)\"");

	@Test
	void passkeyWhenRegisteredOnTheAccountPageThenItSignsInWithoutAPasswordAndSetsTheCookies() {
		String email = verifiedAccount();
		FormClient owner = signedIn(email);
		SoftwareAuthenticator authenticator = register(owner, "Laptop");
		assertThat(owner.get("/account").body()).contains("Laptop", "never used");

		FormClient browser = new FormClient(url());
		String target = appUrl() + "after-passkey";
		browser.get("/sign-in?redirect_url=" + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8));
		HttpResponse<String> options = browser.post("/sign-in/passkey/options", Map.of());
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		assertThat(options.headers().firstValue("Cache-Control")).contains("no-store");
		JsonNode request = json(options);
		assertThat(request.get("allowCredentials")).as("a discoverable sign-in lists no credentials").isEmpty();
		assertThat(request.get("userVerification").asString()).isEqualTo("required");
		String assertion = JSON.writeValueAsString(authenticator.get(request));

		HttpResponse<String> done = browser.post("/sign-in/passkey",
				Map.of("credential", assertion, "redirect_url", target));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(done.headers().firstValue("Location")).contains(target);
		assertThat(FormClient.setCookie(done, "plinto_refresh")).contains("HttpOnly", "SameSite=Lax");
		JsonNode claims = ApiClient.claims(browser.cookies.get("plinto_session"));
		assertThat(claims.path("email").asString()).isEqualTo(email);
		assertThat(claims.path("amr").toString()).contains("hwk").doesNotContain("pwd");
		assertThat(browser.get("/account").body()).contains(email, "last used");

		FormClient replayer = new FormClient(url());
		replayer.get("/sign-in");
		HttpResponse<String> replayed = replayer.post("/sign-in/passkey", Map.of("credential", assertion));
		assertThat(replayed.statusCode()).isEqualTo(400);
		assertThat(replayed.body()).contains("expired or was already used");
		assertThat(replayer.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void passkeyWhenAccountHasOneThenItIsTheSecondFactorAfterThePassword() {
		String email = verifiedAccount();
		SoftwareAuthenticator authenticator = register(signedIn(email), "Phone");

		FormClient browser = new FormClient(url());
		browser.get("/sign-in");
		HttpResponse<String> factor = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(factor.statusCode()).isEqualTo(200);
		assertThat(factor.body()).contains("action=\"/sign-in/factor/passkey\"", "Use my passkey");
		String mfaToken = group(MFA_TOKEN, factor.body());

		HttpResponse<String> bad = browser.post("/sign-in/factor/passkey",
				Map.of("mfa_token", mfaToken, "credential", "{\"id\":\"not a credential\"}"));
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("could not be verified", "action=\"/sign-in/factor/passkey\"");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");

		HttpResponse<String> options = browser.post("/sign-in/passkey/options", Map.of("mfa_token", mfaToken));
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		JsonNode request = json(options);
		assertThat(request.get("allowCredentials")).as("the second factor lists the user's passkeys").hasSize(1);
		HttpResponse<String> done = browser.post("/sign-in/factor/passkey", Map.of("mfa_token", mfaToken,
				"credential", JSON.writeValueAsString(authenticator.get(request))));

		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(done.headers().firstValue("Location")).contains(url() + "/account");
		JsonNode claims = ApiClient.claims(browser.cookies.get("plinto_session"));
		assertThat(claims.path("amr").toString()).contains("pwd", "hwk", "mfa");
	}

	@Test
	void passkeyPostsWhenWithoutTokenFromAnotherOriginOrAsJsonThenRefused() throws Exception {
		FormClient browser = new FormClient(url());
		browser.get("/sign-in");

		HttpResponse<String> noToken = browser.postRaw("/sign-in/passkey/options", Map.of(), "Origin", url());
		assertThat(noToken.statusCode()).isEqualTo(403);
		assertThat(noToken.body()).contains("This form has expired");
		HttpResponse<String> noTokenSignIn = browser.postRaw("/sign-in/passkey", Map.of("credential", "{}"), "Origin",
				url());
		assertThat(noTokenSignIn.statusCode()).isEqualTo(403);

		HttpResponse<String> foreign = browser.postRaw("/sign-in/passkey/options", Map.of("_csrf", browser.csrf),
				"Origin", "https://evil.example");
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(foreign.body()).contains("sent from another site");

		// JSON skips the pages' CSRF check (a cross-site page cannot send it without a preflight), so the passkey
		// posts take forms only.
		HttpResponse<String> asJson = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url() + "/sign-in/passkey/options"))
				.header("Content-Type", "application/json")
				.header("Origin", url())
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asJson.statusCode()).isEqualTo(415);
		assertThat(asJson.body()).doesNotContain("challenge");
	}

	@Test
	void passkeySignInWhenAssertionBadOrForAnApiFlowThenThePageSaysSoAndNoSession() throws IOException {
		String email = verifiedAccount();
		SoftwareAuthenticator authenticator = register(signedIn(email), "Key");
		FormClient browser = new FormClient(url());
		browser.get("/sign-in");

		HttpResponse<String> garbage = browser.post("/sign-in/passkey", Map.of("credential", "not json"));
		assertThat(garbage.statusCode()).isEqualTo(400);
		assertThat(garbage.body()).contains("role=\"alert\"", "could not be verified", "action=\"/sign-in\"");

		// Options the JSON API handed out belong to an API flow: a page cannot complete it.
		ApiClient.Response apiOptions = api.post("/v1/sign-in/passkey/options", Map.of());
		HttpResponse<String> crossed = browser.post("/sign-in/passkey",
				Map.of("credential", JSON.writeValueAsString(authenticator.get(apiOptions.json()))));
		assertThat(crossed.statusCode()).isEqualTo(400);
		assertThat(crossed.body()).contains("expired or was already used");
		assertThat(browser.cookies).doesNotContainKey("plinto_refresh");
	}

	@Test
	void passkeyWhenRenamedAndRemovedWithPlainFormsThenTheListSaysSo() {
		String email = verifiedAccount();
		FormClient owner = signedIn(email);
		register(owner, "Laptop");
		String id = group(PASSKEY_ID, owner.get("/account").body());

		HttpResponse<String> blank = owner.post("/account/passkeys/rename", Map.of("passkey_id", id, "name", " "));
		assertThat(blank.statusCode()).isEqualTo(400);
		assertThat(blank.body()).contains("Enter a name for the passkey", "href=\"#passkey-name-" + id + "\"");

		HttpResponse<String> renamed = owner.post("/account/passkeys/rename",
				Map.of("passkey_id", id, "name", "Work laptop"));
		assertThat(renamed.statusCode()).isEqualTo(200);
		assertThat(renamed.body()).contains("The passkey is renamed", "Work laptop");

		FormClient other = signedIn(verifiedAccount());
		HttpResponse<String> notTheirs = other.post("/account/passkeys/remove", Map.of("passkey_id", id));
		assertThat(notTheirs.statusCode()).isEqualTo(404);
		assertThat(notTheirs.body()).contains("This passkey no longer exists");

		HttpResponse<String> removed = owner.post("/account/passkeys/remove", Map.of("passkey_id", id));
		assertThat(removed.statusCode()).isEqualTo(200);
		assertThat(removed.body()).contains("The passkey is removed", "You have no passkeys yet")
			.doesNotContain("Work laptop");
	}

	@Test
	void registerAndRemoveWhenSignInIsOlderThanTheWindowThenSignInAgain() {
		String email = verifiedAccount();
		FormClient owner = signedIn(email);
		register(owner, "Laptop");
		String id = group(PASSKEY_ID, owner.get("/account").body());
		clock.advance(Duration.ofMinutes(16));
		owner.cookies.remove("plinto_session"); // expired: the next page refreshes it, keeping the sign-in's time
		assertThat(owner.get("/account").statusCode()).isEqualTo(200);

		HttpResponse<String> options = owner.postRaw("/account/passkeys/options", Map.of("_csrf", owner.csrf),
				"Origin", url(), "Accept", "application/json");
		assertThat(options.statusCode()).as("the script's request").isEqualTo(403);
		assertThat(options.body()).contains("needs a recent sign-in");
		HttpResponse<String> remove = owner.post("/account/passkeys/remove", Map.of("passkey_id", id));
		assertThat(remove.statusCode()).as("a form: sign in again, then back").isEqualTo(303);
		assertThat(remove.headers().firstValue("Location"))
			.hasValue("/sign-in?prompt=login&redirect_url=%2Faccount");
		HttpResponse<String> rename = owner.post("/account/passkeys/rename", Map.of("passkey_id", id, "name", "Old"));
		assertThat(rename.statusCode()).as("renaming changes no way to sign in").isEqualTo(200);
	}

	/** A browser signed in with the password (before any passkey), on its account page. */
	private FormClient signedIn(String email) {
		FormClient browser = new FormClient(url());
		browser.get("/sign-in");
		HttpResponse<String> done = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
		return browser;
	}

	/** Registers a software passkey on the account page, as the pages' script does. */
	private SoftwareAuthenticator register(FormClient browser, String name) {
		HttpResponse<String> options = browser.post("/account/passkeys/options", Map.of());
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(url());
		HttpResponse<String> added = browser.post("/account/passkeys",
				Map.of("credential", JSON.writeValueAsString(authenticator.create(json(options))), "name", name));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
		assertThat(added.body()).contains("Your passkey is added", name);
		return authenticator;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	private static String group(Pattern pattern, String text) {
		Matcher m = pattern.matcher(text);
		assertThat(m.find()).as(pattern + " in the page").isTrue();
		return m.group(1);
	}
}
