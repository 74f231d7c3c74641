package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookService;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The Backend API's organizations ({@code /v1/admin/organizations…}) through the real server: every endpoint of
 * organizations, members, custom roles and invitations, scope refusals, tenant safety (a member, role or invitation
 * of another organization, ids that do not exist), and the audit events and webhook events each change leaves, with
 * the API key as actor, the same as the member API's. Enterprise connections and domains:
 * {@link AdminOrganizationConnectionsApiTests}.
 */
class AdminOrganizationsApiTests extends ApiTestSupport implements WithMailCatcher {

	private static final String ORGS = "/v1/admin/organizations";

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private WebhookService webhooks;

	private String endpointId;

	private ApiKeys.WithSecret key;

	/** Webhook events are stored only while an endpoint wants them: one endpoint for every event of the test. */
	@BeforeEach
	void webhookEndpointAndKey() {
		endpointId = webhooks.create("https://hooks.example.com/" + UUID.randomUUID(), "organizations test", null,
				ClientInfo.none()).endpoint().id();
		key = apiKeys.create("orgs " + UUID.randomUUID(), List.of("organizations:read", "organizations:write"), null,
				"test", ClientInfo.none());
	}

	@AfterEach
	void removeEndpoint() {
		webhooks.delete(endpointId, ClientInfo.none());
	}

	private record Person(String id, String email, String token) {
	}

	private Person person() {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		return new Person(r.json().get("user").get("id").asString(), email, r.text("access_token"));
	}

	private String keyWith(String... scopes) {
		return apiKeys.create("scoped " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none())
			.secret();
	}

	/** A new organization made through the Backend API, with {@code owner} (may be null) as first owner. */
	private String organization(Person owner) {
		Map<String, Object> body = new HashMap<>(Map.of("name", "Org " + UUID.randomUUID()));
		if (owner != null) {
			body.put("owner_user_id", owner.id());
		}
		ApiClient.Response r = api.post(ORGS, body, key.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r.text("id");
	}

	private ApiClient.Response add(String org, Person p, String role) {
		return api.post(ORGS + "/" + org + "/members", Map.of("user_id", p.id(), "role", role), key.secret());
	}

	/** The audit events of an organization of this type whose actor is the test's key. */
	private long auditedByKey(String org, String type) {
		return jdbc.sql("""
				select count(*) from audit_events where organization_id = :org and type = :type and actor_id = :actor
				and user_id is null""")
			.param("org", org)
			.param("type", type)
			.param("actor", key.key().id())
			.query(Long.class)
			.single();
	}

	/** The webhook events of this type naming this organization. */
	private long webhookEvents(String org, String type) {
		return jdbc.sql("select count(*) from webhook_events where type = :type and payload like :org")
			.param("type", type)
			.param("org", "%" + org + "%")
			.query(Long.class)
			.single();
	}

	// --- create -------------------------------------------------------------------------------------------------

	@Test
	void createWhenOwnerGivenThenOwnerIsFirstMemberAuditedAndAnnounced() {
		Person owner = person();
		ApiClient.Response r = api.post(ORGS, Map.of("name", "Acme " + UUID.randomUUID(), "public_metadata",
				Map.of("plan", "pro"), "private_metadata", Map.of("crm", "acc_7"), "owner_user_id", owner.id()),
				key.secret());

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		String org = r.text("id");
		assertThat(r.header("Location")).isEqualTo(ORGS + "/" + org);
		assertThat(r.json().get("private_metadata").get("crm").asString()).isEqualTo("acc_7");
		assertThat(r.json().get("members_count").asInt()).isEqualTo(1);
		assertThat(r.json().get("created_by").isNull()).as("an operator's organization has no creating user").isTrue();
		ApiClient.Response asMember = api.get("/v1/organizations/" + org, owner.token());
		assertThat(asMember.json().get("role").asString()).isEqualTo("owner");
		assertThat(asMember.raw()).contains("pro").doesNotContain("acc_7");
		assertThat(auditedByKey(org, "ORGANIZATION_CREATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "MEMBER_ADDED")).isEqualTo(1);
		assertThat(webhookEvents(org, "organization.created")).isEqualTo(1);
		assertThat(webhookEvents(org, "membership.created")).isEqualTo(1);
	}

	@Test
	void createWhenNoOwnerThenNoMembersAndAnInvitedOwnerCanTakeOver() throws Exception {
		String org = organization(null);
		assertThat(api.get(ORGS + "/" + org, key.secret()).json().get("members_count").asInt()).isZero();
		assertThat(webhookEvents(org, "membership.created")).isZero();

		String email = newEmail();
		ApiClient.Response invited = api.post(ORGS + "/" + org + "/invitations", Map.of("email", email, "role",
				"owner"), key.secret());
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		assertThat(invited.json().get("invited_by").isNull()).isTrue();
		MimeMessage mail = MAIL.awaitMessage(email, 1);
		ApiClient.Response accepted = api.post("/v1/invitations/accept", Map.of("token", MailCatcher.token(mail),
				"password", PASSWORD), null);
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
		ApiClient.Response asMember = api.get("/v1/organizations/" + org, accepted.text("access_token"));
		assertThat(asMember.json().get("role").asString()).isEqualTo("owner");
		assertThat(auditedByKey(org, "INVITATION_CREATED")).isEqualTo(1);
		assertThat(webhookEvents(org, "invitation.created")).isEqualTo(1);
	}

	@Test
	void createWhenInvalidThenProblemDocuments() {
		String name = "Taken " + UUID.randomUUID();
		String slug = "taken-" + UUID.randomUUID().toString().substring(0, 8);
		assertThat(api.post(ORGS, Map.of("name", name, "slug", slug), key.secret()).status()).isEqualTo(201);

		ApiClient.Response taken = api.post(ORGS, Map.of("name", name, "slug", slug), key.secret());
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("slug_taken");
		assertThat(taken.header("Content-Type")).startsWith("application/problem+json");
		assertThat(api.post(ORGS, Map.of("name", "X", "slug", "Not A Slug"), key.secret()).code())
			.isEqualTo("validation_failed");
		assertThat(api.post(ORGS, Map.of("slug", "no-name-" + UUID.randomUUID().toString().substring(0, 8)),
				key.secret()).code()).isEqualTo("validation_failed");
		assertThat(api.post(ORGS, Map.of("name", "X", "private_metadata", Map.of("blob", "x".repeat(9000))),
				key.secret()).code()).isEqualTo("metadata_too_large");
		ApiClient.Response noUser = api.post(ORGS, Map.of("name", "Ghost " + UUID.randomUUID(), "owner_user_id",
				"usr_" + "0".repeat(26)), key.secret());
		assertThat(noUser.status()).as(noUser.toString()).isEqualTo(404);
		assertThat(noUser.code()).isEqualTo("not_found");
		assertThat(api.get(ORGS + "?query=Ghost", key.secret()).raw()).as("nothing was created")
			.doesNotContain("Ghost");
	}

	// --- members ------------------------------------------------------------------------------------------------

	@Test
	void membersWhenAddedPromotedAndRemovedThenAuditedWithTheKeyAndAnnounced() {
		Person owner = person();
		Person member = person();
		String org = organization(owner);

		ApiClient.Response added = add(org, member, "member");
		assertThat(added.status()).as(added.toString()).isEqualTo(201);
		assertThat(added.json().get("user_id").asString()).isEqualTo(member.id());
		assertThat(added.json().get("email").asString()).isEqualTo(member.email());
		assertThat(added.json().get("role").asString()).isEqualTo("member");
		assertThat(api.get("/v1/organizations/" + org, member.token()).json().get("role").asString())
			.isEqualTo("member");

		ApiClient.Response promoted = api.patch(ORGS + "/" + org + "/members/" + member.id(), Map.of("role",
				"owner"), key.secret());
		assertThat(promoted.status()).as(promoted.toString()).isEqualTo(200);
		assertThat(promoted.json().get("role").asString()).as("the operator may grant any role").isEqualTo("owner");

		ApiClient.Response removed = api.delete(ORGS + "/" + org + "/members/" + owner.id(), key.secret());
		assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
		JsonNode members = api.get(ORGS + "/" + org + "/members", key.secret()).json().get("data");
		assertThat(members).hasSize(1);
		assertThat(members.get(0).get("user_id").asString()).isEqualTo(member.id());
		assertThat(api.get("/v1/organizations/" + org, owner.token()).status()).isEqualTo(404);

		assertThat(auditedByKey(org, "MEMBER_ADDED")).as("the first owner and the member").isEqualTo(2);
		assertThat(auditedByKey(org, "MEMBER_ROLE_CHANGED")).isEqualTo(1);
		assertThat(auditedByKey(org, "MEMBER_REMOVED")).isEqualTo(1);
		assertThat(webhookEvents(org, "membership.created")).isEqualTo(2);
		assertThat(webhookEvents(org, "membership.updated")).isEqualTo(1);
		assertThat(webhookEvents(org, "membership.deleted")).isEqualTo(1);
	}

	@Test
	void lastOwnerWhenDemotedOrRemovedByTheOperatorThenRefused() {
		Person owner = person();
		String org = organization(owner);
		String path = ORGS + "/" + org + "/members/" + owner.id();

		ApiClient.Response demoted = api.patch(path, Map.of("role", "admin"), key.secret());
		assertThat(demoted.status()).isEqualTo(409);
		assertThat(demoted.code()).isEqualTo("last_owner");
		ApiClient.Response removed = api.delete(path, key.secret());
		assertThat(removed.status()).isEqualTo(409);
		assertThat(removed.code()).isEqualTo("last_owner");
		assertThat(api.get("/v1/organizations/" + org, owner.token()).json().get("role").asString())
			.isEqualTo("owner");
	}

	@Test
	void addMemberWhenRefusedThenProblemDocumentsAndNothingChanges() {
		Person owner = person();
		Person other = person();
		String org = organization(owner);

		ApiClient.Response again = add(org, owner, "member");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("already_member");
		ApiClient.Response unknownRole = add(org, other, "wizard");
		assertThat(unknownRole.status()).isEqualTo(422);
		assertThat(unknownRole.code()).isEqualTo("unknown_role");
		ApiClient.Response noSuchUser = api.post(ORGS + "/" + org + "/members", Map.of("user_id",
				"usr_" + "0".repeat(26), "role", "member"), key.secret());
		assertThat(noSuchUser.status()).isEqualTo(404);
		assertThat(noSuchUser.code()).isEqualTo("not_found");
		assertThat(api.post(ORGS + "/" + org + "/members", Map.of("role", "member"), key.secret()).code())
			.isEqualTo("validation_failed");
		assertThat(api.get(ORGS + "/" + org, key.secret()).json().get("members_count").asInt()).isEqualTo(1);
	}

	// --- tenant safety ------------------------------------------------------------------------------------------

	@Test
	void callsWhenNamingAMemberOrInvitationOfAnotherOrganizationThenNotFound() {
		Person ownerA = person();
		Person ownerB = person();
		Person memberB = person();
		String orgA = organization(ownerA);
		String orgB = organization(ownerB);
		add(orgB, memberB, "member");
		String invitationB = api.post(ORGS + "/" + orgB + "/invitations", Map.of("email", newEmail(), "role",
				"member"), key.secret()).text("id");

		List<ApiClient.Response> refused = new ArrayList<>();
		refused.add(api.patch(ORGS + "/" + orgA + "/members/" + memberB.id(), Map.of("role", "admin"), key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/members/" + memberB.id(), key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/members/" + ownerB.id(), key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/invitations/" + invitationB, key.secret()));
		refused.add(api.post(ORGS + "/" + orgA + "/invitations/" + invitationB + "/resend", "", key.secret()));
		assertThat(api.post(ORGS + "/" + orgB + "/roles", Map.of("key", "auditor", "name", "Auditor",
				"permissions", List.of("app:reports.read")), key.secret()).status()).isEqualTo(201);
		refused.add(api.patch(ORGS + "/" + orgA + "/roles/auditor", Map.of("name", "Taken over"), key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/roles/auditor", key.secret()));
		String missing = "org_" + "0".repeat(26);
		refused.add(api.get(ORGS + "/" + missing + "/invitations", key.secret()));
		refused.add(api.post(ORGS + "/" + missing + "/invitations", Map.of("email", newEmail(), "role", "member"),
				key.secret()));
		refused.add(api.post(ORGS + "/" + missing + "/members", Map.of("user_id", memberB.id(), "role", "member"),
				key.secret()));
		refused.add(api.patch(ORGS + "/" + missing + "/members/" + memberB.id(), Map.of("role", "admin"),
				key.secret()));
		refused.add(api.delete(ORGS + "/" + missing + "/members/" + memberB.id(), key.secret()));
		refused.add(api.delete(ORGS + "/" + missing, key.secret()));
		refused.add(api.delete(ORGS + "/not-an-id", key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/members/usr_" + "0".repeat(26), key.secret()));
		refused.add(api.delete(ORGS + "/" + orgA + "/invitations/inv_" + "0".repeat(26), key.secret()));
		refused.add(api.get(ORGS + "/" + missing + "/roles", key.secret()));
		refused.add(api.post(ORGS + "/" + missing + "/roles", Map.of("key", "auditor", "name", "Auditor",
				"permissions", List.of()), key.secret()));
		refused.add(api.post(ORGS + "/" + missing + "/invitations/" + invitationB + "/resend", "", key.secret()));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(404);
			assertThat(r.code()).isEqualTo("not_found");
			assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		}

		assertThat(api.get("/v1/organizations/" + orgB, memberB.token()).json().get("role").asString())
			.as("org B's member is untouched").isEqualTo("member");
		assertThat(api.get(ORGS + "/" + orgB + "/invitations", key.secret()).json().get("data")).hasSize(1);
		assertThat(api.get(ORGS + "/" + orgA, key.secret()).json().get("members_count").asInt()).isEqualTo(1);
		assertThat(api.get(ORGS + "/" + orgB + "/roles", key.secret()).raw()).as("org B's role is untouched")
			.contains("\"name\":\"Auditor\"");
		assertThat(auditedByKey(orgB, "INVITATION_RESENT")).isZero();
		ApiClient.Response foreignRole = api.patch(ORGS + "/" + orgA + "/members/" + ownerA.id(), Map.of("role",
				"auditor"), key.secret());
		assertThat(foreignRole.code()).as("org B's role is no role of org A").isEqualTo("unknown_role");
	}

	// --- invitations --------------------------------------------------------------------------------------------

	@Test
	void invitationsWhenCreatedListedAndRevokedThenAuditedAndAnnounced() {
		Person owner = person();
		String org = organization(owner);
		String email = newEmail();

		ApiClient.Response invited = api.post(ORGS + "/" + org + "/invitations", Map.of("email", email, "role",
				"admin"), key.secret());
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		assertThat(invited.json().get("status").asString()).isEqualTo("pending");
		assertThat(invited.raw()).doesNotContain("token");
		String id = invited.text("id");
		assertThat(MailCatcher.link(MAIL.awaitMessage(email, 1))).contains("token=");
		ApiClient.Response pending = api.post(ORGS + "/" + org + "/invitations", Map.of("email", email, "role",
				"member"), key.secret());
		assertThat(pending.code()).isEqualTo("invitation_pending");
		assertThat(api.post(ORGS + "/" + org + "/invitations", Map.of("email", owner.email(), "role", "member"),
				key.secret()).code()).isEqualTo("already_member");

		JsonNode open = api.get(ORGS + "/" + org + "/invitations", key.secret()).json().get("data");
		assertThat(open).hasSize(1);
		assertThat(open.get(0).get("email").asString()).isEqualTo(email);
		assertThat(open.get(0).get("role").asString()).isEqualTo("admin");
		assertThat(api.get("/v1/organizations/" + org + "/invitations", owner.token()).json().get("data"))
			.as("the members see it too").hasSize(1);

		assertThat(api.delete(ORGS + "/" + org + "/invitations/" + id, key.secret()).status()).isEqualTo(204);
		ApiClient.Response again = api.delete(ORGS + "/" + org + "/invitations/" + id, key.secret());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("invitation_not_pending");
		assertThat(api.get(ORGS + "/" + org + "/invitations", key.secret()).json().get("data")).isEmpty();
		assertThat(auditedByKey(org, "INVITATION_CREATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "INVITATION_REVOKED")).isEqualTo(1);
		assertThat(webhookEvents(org, "invitation.created")).isEqualTo(1);
		assertThat(webhookEvents(org, "invitation.revoked")).isEqualTo(1);
	}

	@Test
	void resendWhenCalledThenANewLinkIsMailedTheOldOneStopsAndAuditedWithTheKey() {
		Person owner = person();
		String org = organization(owner);
		String email = newEmail();
		String id = api.post(ORGS + "/" + org + "/invitations", Map.of("email", email, "role", "owner"),
				key.secret()).text("id");
		String first = MailCatcher.token(MAIL.awaitMessage(email, 1));

		ApiClient.Response resent = api.post(ORGS + "/" + org + "/invitations/" + id + "/resend", "", key.secret());

		assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
		assertThat(resent.text("id")).isEqualTo(id);
		assertThat(resent.text("role")).as("the operator resends any role").isEqualTo("owner");
		assertThat(resent.raw()).doesNotContain("token");
		String second = MailCatcher.token(MAIL.awaitMessage(email, 2));
		assertThat(second).isNotEqualTo(first);
		ApiClient.Response old = api.post("/v1/invitations/accept", Map.of("token", first, "password", PASSWORD),
				null);
		assertThat(old.code()).as("the previous link stops working").isEqualTo("invalid_invitation");
		assertThat(api.post("/v1/invitations/accept", Map.of("token", second, "password", PASSWORD), null).status())
			.isEqualTo(201);
		ApiClient.Response accepted = api.post(ORGS + "/" + org + "/invitations/" + id + "/resend", "",
				key.secret());
		assertThat(accepted.status()).isEqualTo(409);
		assertThat(accepted.code()).isEqualTo("invitation_not_pending");
		assertThat(auditedByKey(org, "INVITATION_RESENT")).isEqualTo(1);
		assertThat(webhookEvents(org, "invitation.created")).as("a resend is no new invitation").isEqualTo(1);
	}

	// --- custom roles -------------------------------------------------------------------------------------------

	@Test
	void rolesWhenCreatedChangedAndDeletedThenMembersSeeThemAndEachIsAuditedWithTheKey() {
		Person owner = person();
		Person member = person();
		String org = organization(owner);
		String roles = ORGS + "/" + org + "/roles";

		ApiClient.Response created = api.post(roles, Map.of("key", "billing", "name", "Billing", "description",
				"Invoices", "permissions", List.of("org:members:read", "app:invoices.read")), key.secret());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.text("key")).isEqualTo("billing");
		assertThat(created.json().get("built_in").asBoolean()).isFalse();
		JsonNode listed = api.get(roles, key.secret()).json().get("data");
		assertThat(listed).hasSize(4);
		assertThat(listed.get(0).get("key").asString()).isEqualTo("owner");
		assertThat(listed.get(3).get("permissions").toString()).contains("app:invoices.read");
		assertThat(api.get("/v1/organizations/" + org + "/roles", owner.token()).raw()).contains("billing");
		assertThat(api.post(roles, Map.of("key", "billing", "name", "Again", "permissions", List.of()),
				key.secret()).code()).isEqualTo("role_exists");
		assertThat(api.post(roles, Map.of("key", "bad", "name", "Bad", "permissions", List.of("root")),
				key.secret()).code()).isEqualTo("unknown_permission");

		ApiClient.Response changed = api.patch(roles + "/billing", Map.of("name", "Invoices", "permissions",
				List.of("org:manage", "app:invoices.write")), key.secret());
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.text("name")).isEqualTo("Invoices");
		assertThat(changed.json().get("permissions").toString()).contains("org:manage").doesNotContain("read");
		assertThat(api.patch(roles + "/owner", Map.of("name", "Boss"), key.secret()).code())
			.isEqualTo("role_built_in");
		assertThat(api.delete(roles + "/member", key.secret()).code()).isEqualTo("role_built_in");

		add(org, member, "billing");
		ApiClient.Response inUse = api.delete(roles + "/billing", key.secret());
		assertThat(inUse.status()).isEqualTo(409);
		assertThat(inUse.code()).isEqualTo("role_in_use");
		api.patch(ORGS + "/" + org + "/members/" + member.id(), Map.of("role", "member"), key.secret());
		assertThat(api.delete(roles + "/billing", key.secret()).status()).isEqualTo(204);
		assertThat(api.get(roles, key.secret()).json().get("data")).hasSize(3);
		assertThat(api.delete(roles + "/billing", key.secret()).status()).isEqualTo(404);

		assertThat(auditedByKey(org, "ROLE_CREATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "ROLE_UPDATED")).isEqualTo(1);
		assertThat(auditedByKey(org, "ROLE_DELETED")).isEqualTo(1);
	}

	// --- update ---------------------------------------------------------------------------------------------------

	@Test
	void updateWhenSlugGivenThenChangedAuditedAndATakenSlugRefused() {
		Person owner = person();
		String org = organization(owner);
		String other = organization(null);
		String slug = "renamed-" + UUID.randomUUID().toString().substring(0, 8);

		ApiClient.Response changed = api.patch(ORGS + "/" + org, Map.of("slug", slug), key.secret());

		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.text("slug")).isEqualTo(slug);
		assertThat(api.get("/v1/organizations/" + org, owner.token()).text("slug")).isEqualTo(slug);
		ApiClient.Response taken = api.patch(ORGS + "/" + other, Map.of("slug", slug), key.secret());
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("slug_taken");
		assertThat(api.patch(ORGS + "/" + other, Map.of("slug", "Not A Slug"), key.secret()).code())
			.isEqualTo("validation_failed");
		assertThat(auditedByKey(org, "ORGANIZATION_UPDATED")).isEqualTo(1);
		assertThat(webhookEvents(org, "organization.updated")).isEqualTo(1);
		assertThat(auditedByKey(other, "ORGANIZATION_UPDATED")).isZero();
	}

	@Test
	void membersWhenFilteredByEmailThenOnlyThoseWhoseEmailContainsIt() {
		Person owner = person();
		Person member = person();
		String org = organization(owner);
		add(org, member, "member");

		JsonNode found = api.get(ORGS + "/" + org + "/members?email="
				+ member.email().substring(0, 12).toUpperCase(java.util.Locale.ROOT), key.secret()).json().get("data");

		assertThat(found).hasSize(1);
		assertThat(found.get(0).get("user_id").asString()).isEqualTo(member.id());
		assertThat(api.get(ORGS + "/" + org + "/members?email=%25", key.secret()).json().get("data"))
			.as("a % is a character, not a wildcard").isEmpty();
		assertThat(api.get(ORGS + "/" + org + "/members", key.secret()).json().get("data")).hasSize(2);
	}

	// --- delete -------------------------------------------------------------------------------------------------

	@Test
	void deleteWhenCalledThenMembersAndInvitationsGoAuditedAndAnnouncedAsByTheMemberApi() {
		Person owner = person();
		Person member = person();
		String org = organization(owner);
		add(org, member, "admin");
		api.post(ORGS + "/" + org + "/invitations", Map.of("email", newEmail(), "role", "member"), key.secret());
		ApiClient.Response active = api.post("/v1/me/active-organization", Map.of("organization_id", org),
				member.token());
		assertThat(ApiClient.claims(active.text("access_token")).get("org_id").asString()).isEqualTo(org);

		ApiClient.Response deleted = api.delete(ORGS + "/" + org, key.secret());

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertThat(api.get(ORGS + "/" + org, key.secret()).status()).isEqualTo(404);
		assertThat(api.get("/v1/organizations/" + org, owner.token()).status()).isEqualTo(404);
		assertThat(auditedByKey(org, "ORGANIZATION_DELETED")).isEqualTo(1);
		assertThat(auditedByKey(org, "MEMBER_REMOVED")).as("each member").isEqualTo(2);
		assertThat(auditedByKey(org, "INVITATION_REVOKED")).as("the open invitation").isEqualTo(1);
		assertThat(webhookEvents(org, "organization.deleted")).isEqualTo(1);
		assertThat(jdbc.sql("select count(*) from sessions where active_organization_id = :org").param("org", org)
			.query(Long.class).single()).as("no session works in it any more").isZero();
		assertThat(api.delete(ORGS + "/" + org, key.secret()).status()).isEqualTo(404);
	}

	// --- scopes -------------------------------------------------------------------------------------------------

	@Test
	void writesWhenKeyHasOnlyOrganizationsReadThenInsufficientScopeAndNothingChanges() {
		Person owner = person();
		Person other = person();
		String org = organization(owner);
		String invitation = api.post(ORGS + "/" + org + "/invitations", Map.of("email", newEmail(), "role",
				"member"), key.secret()).text("id");
		String readOnly = keyWith("organizations:read");
		String path = ORGS + "/" + org;

		List<ApiClient.Response> refused = new ArrayList<>();
		refused.add(api.post(ORGS, Map.of("name", "Refused"), readOnly));
		refused.add(api.delete(path, readOnly));
		refused.add(api.post(path + "/members", Map.of("user_id", other.id(), "role", "member"), readOnly));
		refused.add(api.patch(path + "/members/" + owner.id(), Map.of("role", "admin"), readOnly));
		refused.add(api.delete(path + "/members/" + owner.id(), readOnly));
		refused.add(api.post(path + "/invitations", Map.of("email", newEmail(), "role", "member"), readOnly));
		refused.add(api.delete(path + "/invitations/" + invitation, readOnly));
		refused.add(api.post(path + "/invitations/" + invitation + "/resend", "", readOnly));
		refused.add(api.patch(path, Map.of("slug", "refused-" + UUID.randomUUID().toString().substring(0, 8)),
				readOnly));
		refused.add(api.post(path + "/roles", Map.of("key", "refused", "name", "Refused", "permissions",
				List.of()), readOnly));
		refused.add(api.patch(path + "/roles/refused", Map.of("name", "Refused"), readOnly));
		refused.add(api.delete(path + "/roles/refused", readOnly));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("insufficient_scope");
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"organizations:write\"");
		}
		assertThat(api.get(path + "/invitations", readOnly).status()).isEqualTo(200);
		assertThat(api.get(path + "/invitations", readOnly).json().get("data")).hasSize(1);
		assertThat(api.get(path, readOnly).json().get("members_count").asInt()).isEqualTo(1);

		assertThat(api.get(path + "/roles", readOnly).json().get("data")).as("no role was created").hasSize(3);

		String writeOnly = keyWith("organizations:write");
		for (String read : List.of(path + "/invitations", path + "/roles", path + "/members?email=x")) {
			ApiClient.Response r = api.get(read, writeOnly);
			assertThat(r.status()).as(read).isEqualTo(403);
			assertThat(r.header("WWW-Authenticate")).contains("scope=\"organizations:read\"");
		}
		String usersKey = keyWith("users:read", "users:write");
		assertThat(api.post(ORGS, Map.of("name", "Refused"), usersKey).code()).isEqualTo("insufficient_scope");
		assertThat(api.delete(path, usersKey).code()).isEqualTo("insufficient_scope");
		assertThat(api.get(path, readOnly).status()).as("still there").isEqualTo(200);
	}
}
