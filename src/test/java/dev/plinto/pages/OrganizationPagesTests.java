package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.account.MailCatcher;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The organizations section of the account page over HTTP: create, make active (the new session JWT cookie carries
 * the organization's claims), leave (the last owner is refused with a sentence), the invitations waiting for the
 * user (accept, decline), and the refusal of forms without their CSRF token or from another origin.
 */
class OrganizationPagesTests extends PagesTestSupport {

	private FormClient browser;

	@BeforeEach
	void newBrowser() {
		browser = new FormClient(url());
	}

	@Test
	void createWhenPostedThenListedWithTheOwnerRoleAndATakenSlugIsNamedOnItsField() {
		signIn(browser, verifiedAccount());
		assertThat(browser.get("/account").body()).contains("You do not belong to any organization yet.");
		String name = "Labs " + UUID.randomUUID();
		String slug = "labs-" + UUID.randomUUID().toString().substring(0, 8);

		HttpResponse<String> created = browser.post("/account/organizations", Map.of("name", name, "slug", slug));
		assertThat(created.statusCode()).isEqualTo(303);
		assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/account#organizations");
		String page = browser.get("/account").body();
		assertThat(page).contains(name, slug + " · Owner", "Make active");

		HttpResponse<String> taken = browser.post("/account/organizations", Map.of("name", "Other", "slug", slug));
		assertThat(taken.statusCode()).isEqualTo(409);
		assertThat(taken.body()).contains("Another organization uses this slug", "href=\"#org-slug\"",
				"value=\"Other\"");

		HttpResponse<String> unnamed = browser.post("/account/organizations", Map.of("name", " ", "slug", ""));
		assertThat(unnamed.statusCode()).isEqualTo(400);
		assertThat(unnamed.body()).contains("Enter a name for the organization.", "href=\"#org-name\"");
	}

	@Test
	void makeActiveWhenPostedThenTheNewSessionCookieCarriesTheOrganizationAndClearingRemovesIt() {
		String email = verifiedAccount();
		signIn(browser, email);
		String org = createOrganization(apiToken(email), "Active " + UUID.randomUUID());
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).has("org_id")).isFalse();

		HttpResponse<String> switched = browser.post("/account/organizations/active", Map.of("organization_id", org));
		assertThat(switched.statusCode()).isEqualTo(303);
		assertThat(FormClient.setCookie(switched, "plinto_session")).as("a new session JWT cookie at once").isNotNull();
		JsonNode claims = ApiClient.claims(browser.cookies.get("plinto_session"));
		assertThat(claims.path("org_id").asText()).isEqualTo(org);
		assertThat(claims.path("org_role").asText()).isEqualTo("owner");
		// the session itself changed, as with POST /v1/me/active-organization: a refresh keeps the claims
		browser.cookies.remove("plinto_session");
		assertThat(browser.get("/account").body()).contains("Active in this browser");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).path("org_id").asText()).isEqualTo(org);

		HttpResponse<String> cleared = browser.post("/account/organizations/active", Map.of("organization_id", ""));
		assertThat(cleared.statusCode()).isEqualTo(303);
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).has("org_id")).isFalse();

		String foreign = createOrganization(apiToken(verifiedAccount()), "Foreign " + UUID.randomUUID());
		browser.get("/account");
		HttpResponse<String> refused = browser.post("/account/organizations/active",
				Map.of("organization_id", foreign));
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.body()).contains("You do not belong to this organization");
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).has("org_id")).isFalse();
	}

	@Test
	void leaveWhenLastOwnerThenRefusedWithASentenceAndWhenMemberThenGoneWithItsClaims() {
		String owner = verifiedAccount();
		String ownerToken = apiToken(owner);
		String orgName = "Leave " + UUID.randomUUID();
		String org = createOrganization(ownerToken, orgName);
		FormClient ownerBrowser = new FormClient(url());
		signIn(ownerBrowser, owner);
		HttpResponse<String> lastOwner = ownerBrowser.post("/account/organizations/leave",
				Map.of("organization_id", org));
		assertThat(lastOwner.statusCode()).isEqualTo(409);
		assertThat(lastOwner.body()).contains("You are the last owner of this organization", "role=\"alert\"");

		String member = verifiedAccount();
		String memberToken = apiToken(member);
		String token = invitationToken(ownerToken, org, member);
		assertThat(api.post("/v1/invitations/accept", Map.of("token", token), memberToken).status()).isEqualTo(200);
		signIn(browser, member);
		browser.post("/account/organizations/active", Map.of("organization_id", org));
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).path("org_role").asText())
			.isEqualTo("member");

		browser.get("/account");
		HttpResponse<String> left = browser.post("/account/organizations/leave", Map.of("organization_id", org));
		assertThat(left.statusCode()).isEqualTo(303);
		assertThat(ApiClient.claims(browser.cookies.get("plinto_session")).has("org_id"))
			.as("the new session JWT no longer names the organization")
			.isFalse();
		assertThat(browser.get("/account").body()).doesNotContain(orgName);
		assertThat(api.get("/v1/organizations/" + org, memberToken).status()).isEqualTo(404);
	}

	@Test
	void pendingInvitationsWhenListedThenAcceptedJoinsAndDeclinedEndsTheLink() {
		String owner = verifiedAccount();
		String ownerToken = apiToken(owner);
		String joinName = "Join " + UUID.randomUUID();
		String declineName = "Decline " + UUID.randomUUID();
		String join = createOrganization(ownerToken, joinName);
		String decline = createOrganization(ownerToken, declineName);
		String invitee = verifiedAccount();
		invitationToken(ownerToken, join, invitee);
		String declinedLink = invitationToken(ownerToken, decline, invitee);

		signIn(browser, invitee);
		String page = browser.get("/account").body();
		assertThat(page).contains(owner + " invited you to join " + joinName + " as Member",
				owner + " invited you to join " + declineName + " as Member");

		HttpResponse<String> accepted = browser.post("/account/invitations/accept",
				Map.of("invitation_id", invitationId(page, joinName)));
		assertThat(accepted.statusCode()).isEqualTo(303);
		HttpResponse<String> declined = browser.post("/account/invitations/decline",
				Map.of("invitation_id", invitationId(page, declineName)));
		assertThat(declined.statusCode()).isEqualTo(303);

		String after = browser.get("/account").body();
		assertThat(after).contains("No invitations are waiting for you.").doesNotContain(declineName);
		assertThat(api.get("/v1/organizations/" + join, apiToken(invitee)).text("role")).isEqualTo("member");
		HttpResponse<String> dead = new FormClient(url()).get("/accept-invitation?token=" + encode(declinedLink));
		assertThat(dead.body()).contains("This invitation was revoked.");

		HttpResponse<String> again = browser.post("/account/invitations/accept",
				Map.of("invitation_id", invitationId(page, joinName)));
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(again.body()).contains("This invitation is no longer waiting for you");
	}

	@Test
	void pendingInvitationsWhenJsonApiUsedThenSameListAndAccept() {
		String ownerToken = apiToken(verifiedAccount());
		String org = createOrganization(ownerToken, "Api " + UUID.randomUUID());
		String invitee = verifiedAccount();
		invitationToken(ownerToken, org, invitee);
		String inviteeToken = apiToken(invitee);

		ApiClient.Response list = api.get("/v1/me/invitations", inviteeToken);
		assertThat(list.status()).isEqualTo(200);
		JsonNode first = list.json().get("data").get(0);
		assertThat(first.get("organization_id").asString()).isEqualTo(org);
		assertThat(first.get("role").asString()).isEqualTo("member");

		ApiClient.Response stranger = api.post("/v1/me/invitations/" + first.get("id").asString() + "/accept", "",
				apiToken(verifiedAccount()));
		assertThat(stranger.code()).as("another user cannot accept it").isEqualTo("not_found");
		ApiClient.Response accepted = api.post("/v1/me/invitations/" + first.get("id").asString() + "/accept", "",
				inviteeToken);
		assertThat(accepted.status()).isEqualTo(200);
		assertThat(accepted.json().get("organization").get("id").asString()).isEqualTo(org);
		assertThat(api.get("/v1/me/invitations", inviteeToken).json().get("data").size()).isZero();
	}

	@Test
	void organizationFormsWhenPostedWithoutTokenOrFromAnotherOriginThenRefusedAndNothingChanges() {
		String email = verifiedAccount();
		signIn(browser, email);
		browser.get("/account");
		HttpResponse<String> noToken = browser.postRaw("/account/organizations", Map.of("name", "Forged"), "Origin",
				url());
		assertThat(noToken.statusCode()).isEqualTo(403);
		HttpResponse<String> foreign = browser.postRaw("/account/organizations",
				Map.of("name", "Forged", "_csrf", browser.csrf), "Origin", "https://evil.example");
		assertThat(foreign.statusCode()).isEqualTo(403);
		assertThat(foreign.body()).contains("sent from another site");
		assertThat(api.get("/v1/organizations", apiToken(email)).json().get("data").size()).isZero();
	}

	static void signIn(FormClient browser, String email) {
		browser.get("/sign-in");
		HttpResponse<String> done = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD));
		assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
		browser.get("/account");
	}

	String apiToken(String email) {
		ApiClient.Response r = api.post("/v1/sign-in", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.text("access_token");
	}

	String createOrganization(String token, String name) {
		ApiClient.Response r = api.post("/v1/organizations", Map.of("name", name), token);
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r.text("id");
	}

	/** Invites the address as a member and returns the token of the mailed link. */
	String invitationToken(String ownerToken, String org, String email) {
		int before = MAIL.messagesTo(email).size();
		ApiClient.Response r = api.post("/v1/organizations/" + org + "/invitations",
				Map.of("email", email, "role", "member"), ownerToken);
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return MailCatcher.token(MAIL.awaitMessage(email, before + 1));
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** The invitation id posted by the accept form of the row that names the organization. */
	private static String invitationId(String page, String organization) {
		Matcher m = Pattern.compile(Pattern.quote(organization)
				+ ".*?name=\"invitation_id\" value=\"([^\"]+)\"", Pattern.DOTALL).matcher(page);
		assertThat(m.find()).as("an invitation row for " + organization).isTrue();
		return m.group(1);
	}
}
