package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard's organizations over HTTP: {@code support} reads every part of the page, sees no form and is
 * refused every post; creating an organization, adding a member (by email or user id) and inviting go through the
 * Backend API's services with their refusals shown on the page; deleting needs a recent sign-in; a metadata text that
 * is not one JSON object changes nothing; a member or invitation of another organization is not found; every change
 * is audited with the administrator as actor.
 */
class DashboardOrganizationsTests extends DashboardTestSupport {

	@Autowired
	private AdminOrganizations organizations;

	@Autowired
	private JdbcClient jdbc;

	private final AdminCaller operator = new AdminCaller("test", ClientInfo.none());

	/** An organization owned by a new account, with a second member and an open invitation. */
	private record Org(String id, String name, Account owner, Account member, String invitationId) {
	}

	private Org organization() {
		Account owner = signUp();
		Account member = signUp();
		String name = "Initech " + UUID.randomUUID().toString().substring(0, 8);
		ApiClient.Response created = api.post("/v1/organizations", ApiClient.map("name", name, "public_metadata",
				Map.of("plan", "team")), owner.accessToken());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String id = created.text("id");
		organizations.update(operator, id, null, null, null, Map.of("crm", "acc_9"));
		organizations.addMember(operator, id, member.userId(), "member");
		String invitation = organizations.invite(operator, id, newEmail(), "member").id();
		return new Org(id, name, owner, member, invitation);
	}

	private long auditedBy(String org, String type, String actor) {
		return jdbc.sql("select count(*) from audit_events where organization_id = :o and type = :t and actor_id = :a")
			.param("o", org)
			.param("t", type)
			.param("a", actor)
			.query(Long.class)
			.single();
	}

	@Test
	void supportWhenReadingThenSeesEverythingWithoutFormsAndEveryPostIsRefused() {
		Org org = organization();
		Browser browser = new Browser(withSecondFactor(DashboardRole.SUPPORT));

		HttpResponse<String> list = browser.get("/admin/organizations?q=" + org.name().substring(8));
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains(org.name()).contains("/admin/organizations/" + org.id())
			.doesNotContain("<form method=\"post\"")
			.doesNotContain("id=\"create-organization\"");
		HttpResponse<String> page = browser.get("/admin/organizations/" + org.id());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("acc_9", "plan", org.owner().email(), org.member().email(), "Pending")
			.doesNotContain("<form method=\"post\"")
			.doesNotContain("id=\"delete\"");

		String base = "/admin/organizations/" + org.id();
		for (String post : new String[] { "/admin/organizations", base + "/members", base + "/invitations",
				base + "/edit", base + "/members/" + org.member().userId() + "/role",
				base + "/members/" + org.member().userId() + "/remove",
				base + "/invitations/" + org.invitationId() + "/revoke", base + "/delete" }) {
			HttpResponse<String> refused = browser.post(post, Map.of("name", "X", "role", "owner",
					"private_metadata", "{}", "public_metadata", "{}", "member", org.owner().email(), "email",
					newEmail()));
			assertThat(refused.statusCode()).as(post).isEqualTo(403);
		}
		assertThat(organizations.get(org.id()).privateMetadata()).containsEntry("crm", "acc_9");
		assertThat(organizations.members(org.id(), null, 10).data()).hasSize(2);
		assertThat(organizations.invitations(org.id())).hasSize(1);
		assertThat(organizations.search("X", null, 10).data()).noneMatch(o -> o.name().equals("X"));
	}

	@Test
	void createWhenFormSentThenCreatedWithTheOwnerByEmailAndAuditedWithTheAdministrator() {
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account owner = signUp();
		Browser browser = new Browser(admin);
		HttpResponse<String> list = browser.get("/admin/organizations");
		assertThat(list.body()).contains("id=\"create-organization\"");
		String name = "Hooli " + UUID.randomUUID().toString().substring(0, 8);

		HttpResponse<String> blank = browser.post("/admin/organizations", Map.of("name", " ", "slug", "",
				"owner", ""));
		assertThat(blank.statusCode()).isEqualTo(400);
		assertThat(blank.body()).contains("The name must be 1 to 200 characters on one line.");
		HttpResponse<String> nobody = browser.post("/admin/organizations", Map.of("name", name, "slug", "",
				"owner", "nobody-" + UUID.randomUUID() + "@example.com"));
		assertThat(nobody.statusCode()).isEqualTo(404);
		assertThat(nobody.body()).contains("No account has this email address.").contains(name);
		HttpResponse<String> badSlug = browser.post("/admin/organizations", Map.of("name", name, "slug",
				"Not A Slug", "owner", ""));
		assertThat(badSlug.statusCode()).isEqualTo(400);
		assertThat(organizations.search(name, null, 10).data()).as("nothing was created").isEmpty();

		HttpResponse<String> created = browser.post("/admin/organizations", Map.of("name", name, "slug", "",
				"owner", owner.email().toUpperCase(java.util.Locale.ROOT)));

		assertThat(created.statusCode()).isEqualTo(303);
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith("/admin/organizations/org_").endsWith("?done=created");
		String id = location.substring("/admin/organizations/".length(), location.indexOf('?'));
		assertThat(browser.get(location).body()).contains("The organization was created.").contains(owner.email());
		assertThat(organizations.members(id, null, 10).data())
			.singleElement()
			.satisfies(m -> assertThat(m.userId() + " " + m.role()).isEqualTo(owner.userId() + " owner"));
		assertThat(api.get("/v1/organizations/" + id, owner.accessToken()).json().get("role").asString())
			.isEqualTo("owner");
		assertThat(auditedBy(id, "ORGANIZATION_CREATED", admin.userId())).isEqualTo(1);
		assertThat(auditedBy(id, "MEMBER_ADDED", admin.userId())).isEqualTo(1);

		HttpResponse<String> withoutOwner = browser.post("/admin/organizations", Map.of("name", name + " bis",
				"slug", "bis-" + UUID.randomUUID().toString().substring(0, 8), "owner", ""));
		assertThat(withoutOwner.statusCode()).isEqualTo(303);
		String second = withoutOwner.headers().firstValue("Location").orElseThrow();
		assertThat(browser.get(second).body()).contains("No member yet.");
	}

	@Test
	void addMemberAndInviteWhenFormsSentThenDoneThroughTheServicesAndRefusalsKeepWhatWasTyped() {
		Org org = organization();
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Account byEmail = signUp();
		Account byId = signUp();
		Browser browser = new Browser(admin);
		String base = "/admin/organizations/" + org.id();
		assertThat(browser.get(base).body()).contains("id=\"add-member\"").contains("id=\"invite-email\"");

		HttpResponse<String> added = browser.post(base + "/members", Map.of("member", byEmail.email(), "role",
				"admin"));
		assertThat(added.statusCode()).isEqualTo(303);
		assertThat(added.headers().firstValue("Location")).hasValue(base + "?done=member_added");
		assertThat(browser.post(base + "/members", Map.of("member", byId.userId(), "role", "owner")).statusCode())
			.as("by user id, any role").isEqualTo(303);
		assertThat(organizations.members(org.id(), null, 10).data())
			.extracting(m -> m.userId() + " " + m.role())
			.contains(byEmail.userId() + " admin", byId.userId() + " owner");
		assertThat(browser.get(base + "?done=member_added").body()).contains("The member was added.");

		String unknown = "nobody-" + UUID.randomUUID() + "@example.com";
		HttpResponse<String> nobody = browser.post(base + "/members", Map.of("member", unknown, "role", "member"));
		assertThat(nobody.statusCode()).isEqualTo(404);
		assertThat(nobody.body()).contains("No account has this email address.").contains(unknown);
		HttpResponse<String> again = browser.post(base + "/members", Map.of("member", byEmail.email(), "role",
				"member"));
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("already belongs to the organization");
		assertThat(browser.post(base + "/members", Map.of("member", " ", "role", "member")).statusCode())
			.isEqualTo(400);
		assertThat(browser.post(base + "/members", Map.of("member", org.member().userId(), "role", "wizard"))
			.statusCode()).isEqualTo(422);

		String invitee = newEmail();
		HttpResponse<String> invited = browser.post(base + "/invitations", Map.of("email", invitee, "role",
				"admin"));
		assertThat(invited.statusCode()).isEqualTo(303);
		assertThat(invited.headers().firstValue("Location")).hasValue(base + "?done=invited");
		assertThat(organizations.invitations(org.id()))
			.anySatisfy(i -> assertThat(i.email() + " " + i.role()).isEqualTo(invitee + " admin"));
		HttpResponse<String> pending = browser.post(base + "/invitations", Map.of("email", invitee, "role",
				"member"));
		assertThat(pending.statusCode()).isEqualTo(409);
		assertThat(pending.body()).contains("pending invitation").contains(invitee);
		assertThat(browser.post(base + "/invitations", Map.of("email", "not an address", "role", "member"))
			.statusCode()).isEqualTo(400);
		assertThat(organizations.invitations(org.id())).hasSize(2);

		assertThat(auditedBy(org.id(), "MEMBER_ADDED", admin.userId())).isEqualTo(2);
		assertThat(auditedBy(org.id(), "INVITATION_CREATED", admin.userId())).isEqualTo(1);
		assertThat(browser.post("/admin/organizations/org_" + "0".repeat(26) + "/members", Map.of("member",
				byEmail.email(), "role", "member")).statusCode()).isEqualTo(404);
	}

	@Test
	void editWhenMetadataIsNotOneJsonObjectThenNothingChangesAndWhenValidThenAuditedWithTheAdministrator() {
		Org org = organization();
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		Browser browser = new Browser(admin);
		String base = "/admin/organizations/" + org.id();
		browser.get(base);

		HttpResponse<String> invalid = browser.post(base + "/edit", Map.of("name", "Renamed", "public_metadata",
				"{}", "private_metadata", "[1, 2]"));
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("must be one JSON object").contains("[1, 2]");
		HttpResponse<String> large = browser.post(base + "/edit", Map.of("name", "Renamed", "public_metadata", "{}",
				"private_metadata", "{\"blob\": \"" + "x".repeat(9000) + "\"}"));
		assertThat(large.statusCode()).isEqualTo(422);
		assertThat(large.body()).contains("at most 8192 bytes");
		assertThat(organizations.get(org.id()).name()).isEqualTo(org.name());

		HttpResponse<String> saved = browser.post(base + "/edit", Map.of("name", "Renamed", "public_metadata",
				"{\"plan\": \"enterprise\"}", "private_metadata", "{\"crm\": \"acc_10\"}"));
		assertThat(saved.statusCode()).isEqualTo(303);
		assertThat(saved.headers().firstValue("Location")).hasValue(base + "?done=saved");
		AdminOrganizations.AdminOrganization now = organizations.get(org.id());
		assertThat(now.name()).isEqualTo("Renamed");
		assertThat(now.publicMetadata()).isEqualTo(Map.of("plan", "enterprise"));
		assertThat(now.privateMetadata()).isEqualTo(Map.of("crm", "acc_10"));
		assertThat(auditedBy(org.id(), "ORGANIZATION_UPDATED", admin.userId())).isEqualTo(1);

		HttpResponse<String> revoked = browser.post(base + "/invitations/" + org.invitationId() + "/revoke", Map.of());
		assertThat(revoked.statusCode()).isEqualTo(303);
		assertThat(organizations.invitations(org.id())).isEmpty();
		assertThat(auditedBy(org.id(), "INVITATION_REVOKED", admin.userId())).isEqualTo(1);
	}

	@Test
	void actionsWhenNamingAMemberOrInvitationOfAnotherOrganizationThenNotFoundAndLastOwnerKept() {
		Org a = organization();
		Org b = organization();
		Browser browser = new Browser(withSecondFactor(DashboardRole.ADMIN));
		String base = "/admin/organizations/" + a.id();
		browser.get(base);

		assertThat(browser.post(base + "/members/" + b.member().userId() + "/role", Map.of("role", "admin"))
			.statusCode()).isEqualTo(404);
		assertThat(browser.post(base + "/members/" + b.member().userId() + "/remove", Map.of()).statusCode())
			.isEqualTo(404);
		assertThat(browser.post(base + "/invitations/" + b.invitationId() + "/revoke", Map.of()).statusCode())
			.isEqualTo(404);
		assertThat(organizations.members(b.id(), null, 10).data()).hasSize(2);
		assertThat(organizations.invitations(b.id())).hasSize(1);
		assertThat(browser.get("/admin/organizations/org_" + "0".repeat(26)).statusCode()).isEqualTo(404);

		HttpResponse<String> lastOwner = browser.post(base + "/members/" + a.owner().userId() + "/role",
				Map.of("role", "member"));
		assertThat(lastOwner.statusCode()).isEqualTo(409);
		assertThat(lastOwner.body()).contains("last owner");
		HttpResponse<String> unknownRole = browser.post(base + "/members/" + a.member().userId() + "/role",
				Map.of("role", "wizard"));
		assertThat(unknownRole.statusCode()).isEqualTo(422);
	}

	@Test
	void deleteWhenSignInNotRecentThenSignInAgainAndWhenRecentThenDeletedAndAudited() {
		Org org = organization();
		Account admin = withSecondFactor(DashboardRole.ADMIN);
		clock.advance(Duration.ofMinutes(16));
		ApiClient.Response refreshed = api.post("/v1/token/refresh", ApiClient.map("refresh_token",
				admin.refreshToken()));
		Account old = new Account(admin.email(), admin.userId(), refreshed.text("access_token"),
				refreshed.text("refresh_token"), admin.totpSecret());
		Browser stale = new Browser(old);
		String base = "/admin/organizations/" + org.id();
		assertThat(stale.get(base).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = stale.post(base + "/delete", Map.of());
		assertThat(refused.statusCode()).isEqualTo(303);
		assertThat(refused.headers().firstValue("Location")).hasValue("/sign-in?prompt=login&redirect_url=%2Fadmin");
		assertThat(organizations.get(org.id()).id()).isEqualTo(org.id());

		clock.advance(Duration.ofSeconds(30));
		Browser fresh = new Browser(signInWithTotp(admin.email(), admin.totpSecret()));
		fresh.get(base);
		HttpResponse<String> deleted = fresh.post(base + "/delete", Map.of());
		assertThat(deleted.statusCode()).isEqualTo(303);
		assertThat(deleted.headers().firstValue("Location")).hasValue("/admin/organizations?deleted=1");
		assertThat(fresh.get(base).statusCode()).isEqualTo(404);
		assertThat(jdbc.sql("select count(*) from organization_memberships where organization_id = :o")
			.param("o", org.id()).query(Long.class).single()).isZero();
		assertThat(auditedBy(org.id(), "ORGANIZATION_DELETED", admin.userId())).isEqualTo(1);
		assertThat(fresh.get("/admin/organizations?deleted=1").body()).contains("The organization was deleted.");
	}
}
