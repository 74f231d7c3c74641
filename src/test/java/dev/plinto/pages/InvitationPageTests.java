package dev.plinto.pages;

import static dev.plinto.pages.OrganizationPagesTests.encode;
import static dev.plinto.pages.OrganizationPagesTests.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.account.MailCatcher;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page an invitation link opens, for each visitor: someone without an account creates one and joins, the
 * signed-in invitee joins with one button, someone with an account who is signed out is sent to sign-in and back,
 * someone signed in with another address is asked to sign out first; a dead link says why. Opening the link
 * spends nothing, and its form needs the CSRF token and Plinto's origin.
 */
class InvitationPageTests extends PagesTestSupport {

	private FormClient browser;

	private String owner;

	private String ownerToken;

	private String org;

	private String orgName;

	@BeforeEach
	void organization() {
		browser = new FormClient(url());
		owner = verifiedAccount();
		ownerToken = apiToken(owner);
		orgName = "Guild " + UUID.randomUUID();
		ApiClient.Response r = api.post("/v1/organizations", Map.of("name", orgName), ownerToken);
		org = r.text("id");
	}

	@Test
	void pageWhenNoAccountThenShowsTheInvitationAndPostingCreatesTheAccountJoinsAndSignsIn() {
		String email = newEmail();
		String token = invite(email);

		HttpResponse<String> form = browser.get("/accept-invitation?token=" + encode(token));
		assertThat(form.statusCode()).isEqualTo(200);
		assertThat(form.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
		assertThat(form.headers().firstValue("Referrer-Policy")).contains("same-origin");
		assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'")
			.doesNotContain("unsafe-inline");
		assertThat(form.body()).contains("<title>Join " + orgName + " · Acme</title>",
				owner + " invited you to join the organization " + orgName + " on Acme.",
				"The invitation is for " + email + ".", "name=\"password\"", "value=\"" + token + "\"");
		assertThat(browser.get("/accept-invitation?token=" + encode(token)).statusCode())
			.as("opening twice spends nothing")
			.isEqualTo(200);

		HttpResponse<String> weak = browser.post("/accept-invitation", Map.of("token", token, "password", "password"));
		assertThat(weak.statusCode()).isEqualTo(422);
		assertThat(weak.body()).contains("This password is one of the most common ones", "href=\"#password\"");

		HttpResponse<String> joined = browser.post("/accept-invitation",
				Map.of("token", token, "name", "Lin", "password", PASSWORD));
		assertThat(joined.statusCode()).isEqualTo(200);
		assertThat(joined.body()).contains("Your account is ready and you are a member of " + orgName + ".");
		String jwt = browser.cookies.get("plinto_session");
		assertThat(ApiClient.claims(jwt).path("email").asText()).as("the browser is signed in").isEqualTo(email);
		assertThat(api.get("/v1/organizations/" + org, jwt).text("role")).isEqualTo("member");

		HttpResponse<String> again = new FormClient(url()).get("/accept-invitation?token=" + encode(token));
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("This invitation was accepted already.").doesNotContain("name=\"password\"");
	}

	@Test
	void pageWhenSignedInAsTheInviteeThenOneButtonJoins() {
		String invitee = verifiedAccount();
		String token = invite(invitee);
		signIn(browser, invitee);

		HttpResponse<String> page = browser.get("/accept-invitation?token=" + encode(token));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Join " + orgName + "</button>").doesNotContain("name=\"password\"");

		HttpResponse<String> joined = browser.post("/accept-invitation", Map.of("token", token));
		assertThat(joined.statusCode()).isEqualTo(200);
		assertThat(joined.body()).contains("You are now a member of " + orgName + ".");
		assertThat(api.get("/v1/organizations/" + org, apiToken(invitee)).text("role")).isEqualTo("member");
	}

	@Test
	void pageWhenAccountExistsAndSignedOutThenSentToSignInAndBackToTheInvitation() {
		String invitee = verifiedAccount();
		String token = invite(invitee);
		String pagePath = "/accept-invitation?token=" + encode(token);

		HttpResponse<String> sent = browser.get(pagePath);
		assertThat(sent.statusCode()).isEqualTo(303);
		assertThat(sent.headers().firstValue("Location").orElseThrow())
			.isEqualTo("/sign-in?redirect_url=" + encode(pagePath));

		browser.get("/sign-in"); // a form's CSRF token, as a page opened earlier would have given
		HttpResponse<String> posted = browser.post("/accept-invitation", Map.of("token", token, "password", PASSWORD));
		assertThat(posted.statusCode()).as("a form posted anyway creates nothing").isEqualTo(303);
		assertThat(posted.headers().firstValue("Location").orElseThrow()).startsWith("/sign-in?redirect_url=");

		browser.get("/sign-in?redirect_url=" + encode(pagePath));
		HttpResponse<String> signedIn = browser.post("/sign-in",
				Map.of("email", invitee, "password", PASSWORD, "redirect_url", pagePath));
		assertThat(signedIn.statusCode()).isEqualTo(303);
		assertThat(signedIn.headers().firstValue("Location").orElseThrow()).isEqualTo(url() + pagePath);
		assertThat(browser.get(pagePath).body()).contains("Join " + orgName + "</button>");
		assertThat(api.get("/v1/organizations/" + org, apiToken(invitee)).status())
			.as("the invitation stays open until the button is pressed")
			.isEqualTo(404);
	}

	@Test
	void pageWhenSignedInWithAnotherAddressThenAskedToSignOutFirstAndAPostIsRefused() {
		String token = invite(newEmail());
		String other = verifiedAccount();
		signIn(browser, other);

		HttpResponse<String> page = browser.get("/accept-invitation?token=" + encode(token));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("You are signed in as " + other + ".",
				"href=\"/sign-out?redirect_url=" + encode("/accept-invitation?token=" + encode(token)) + "\"")
			.doesNotContain("name=\"password\"");
		HttpResponse<String> refused = browser.post("/accept-invitation", Map.of("token", token));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("This invitation is for another email address.");
	}

	@Test
	void pageWhenLinkDeadThenSaysWhyWithAWayForwardAndNoForm() {
		String email = newEmail();
		String id = api.post("/v1/organizations/" + org + "/invitations", Map.of("email", email, "role", "member"),
				ownerToken)
			.text("id");
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		api.delete("/v1/organizations/" + org + "/invitations/" + id, ownerToken);

		HttpResponse<String> revoked = browser.get("/accept-invitation?token=" + encode(token));
		assertThat(revoked.statusCode()).isEqualTo(410);
		assertThat(revoked.body()).contains("Invitation not valid", "This invitation was revoked.",
				"Ask the person who invited you to send the invitation again").doesNotContain("name=\"password\"");

		HttpResponse<String> bogus = browser.get("/accept-invitation?token=not-a-real-token");
		assertThat(bogus.statusCode()).isEqualTo(400);
		assertThat(bogus.body()).contains("This invitation link is not valid.", "href=\"/sign-in\"");
	}

	@Test
	void pageWhenGermanThenTranslated() {
		String token = invite(newEmail());
		HttpResponse<String> page = browser.get("/accept-invitation?token=" + encode(token), "Accept-Language", "de");
		assertThat(page.body()).contains(orgName + " beitreten", "Konto anlegen und beitreten");
	}

	@Test
	void formWhenPostedWithoutTokenOrFromAnotherOriginThenRefusedAndTheInvitationStaysOpen() {
		String email = newEmail();
		String token = invite(email);
		browser.get("/accept-invitation?token=" + encode(token));
		HttpResponse<String> noToken = browser.postRaw("/accept-invitation",
				Map.of("token", token, "password", PASSWORD), "Origin", url());
		assertThat(noToken.statusCode()).isEqualTo(403);
		HttpResponse<String> foreign = browser.postRaw("/accept-invitation",
				Map.of("token", token, "password", PASSWORD, "_csrf", browser.csrf), "Origin", "https://evil.example");
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(browser.get("/accept-invitation?token=" + encode(token)).body()).contains("name=\"password\"");
	}

	private String invite(String email) {
		int before = MAIL.messagesTo(email).size();
		ApiClient.Response r = api.post("/v1/organizations/" + org + "/invitations",
				Map.of("email", email, "role", "member"), ownerToken);
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return MailCatcher.token(MAIL.awaitMessage(email, before + 1));
	}

	private String apiToken(String email) {
		ApiClient.Response r = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.text("access_token");
	}
}
