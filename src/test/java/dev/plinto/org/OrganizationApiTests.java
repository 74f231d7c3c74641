package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.org.OrgFixture.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Organizations, members and roles through the real server on H2. */
class OrganizationApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	private OrgFixture fx;

	@BeforeEach
	void fixture() {
		fx = new OrgFixture(api, MAIL);
	}

	private long auditEvents(String organizationId, String type) {
		return jdbc.sql("select count(*) from audit_events where organization_id = :org and type = :type")
			.param("org", organizationId)
			.param("type", type)
			.query(Long.class)
			.single();
	}

	@Test
	void createWhenNameOnlyThenCallerIsOwnerAndSlugDerivedFromName() {
		Person ada = fx.person();
		ApiClient.Response created = api.post("/v1/organizations", Map.of("name", "Ächtung Café & Co"), ada.token());

		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.text("id")).startsWith("org_");
		assertThat(created.text("name")).isEqualTo("Ächtung Café & Co");
		assertThat(created.text("slug")).matches("achtung-cafe-co(-[0-9a-z]{6})?");
		assertThat(created.text("role")).isEqualTo("owner");
		assertThat(OrgFixture.strings(created.json().get("permissions"))).contains("org:delete", "org:manage");
		assertThat(created.json().get("public_metadata").isObject()).isTrue();
		assertThat(created.json().has("private_metadata")).as("private metadata is never returned").isFalse();
		assertThat(auditEvents(created.text("id"), "ORGANIZATION_CREATED")).isEqualTo(1);

		ApiClient.Response read = api.get("/v1/organizations/" + created.text("id"), ada.token());
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.text("slug")).isEqualTo(created.text("slug"));
	}

	@Test
	void createWhenSameNameTwiceThenSecondGetsSuffixedSlug() {
		Person ada = fx.person();
		String name = "Team " + java.util.UUID.randomUUID();
		String first = api.post("/v1/organizations", Map.of("name", name), ada.token()).text("slug");
		String second = api.post("/v1/organizations", Map.of("name", name), ada.token()).text("slug");
		assertThat(second).startsWith(first + "-").isNotEqualTo(first);
	}

	@Test
	void createWhenSlugTakenOrInvalidThenClearCodes() {
		Person ada = fx.person();
		String slug = "acme-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		assertThat(api.post("/v1/organizations", Map.of("name", "Acme", "slug", slug), ada.token()).status())
			.isEqualTo(201);

		ApiClient.Response taken = api.post("/v1/organizations", Map.of("name", "Acme 2", "slug", slug), ada.token());
		assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
		assertThat(taken.code()).isEqualTo("slug_taken");
		assertThat(taken.json().get("errors").get(0).get("field").asString()).isEqualTo("slug");

		for (String bad : List.of("Acme", "a", "-acme", "acme-", "ac--me", "acme_co", "acme co", "x".repeat(49))) {
			ApiClient.Response invalid = api.post("/v1/organizations", Map.of("name", "Acme", "slug", bad),
					ada.token());
			assertThat(invalid.status()).as(bad + ": " + invalid).isEqualTo(400);
			assertThat(invalid.code()).isEqualTo("validation_failed");
			assertThat(invalid.json().get("errors").get(0).get("field").asString()).isEqualTo("slug");
		}
	}

	@Test
	void createWhenNameMissingOrHasControlCharactersThenValidationFailed() {
		Person ada = fx.person();
		ApiClient.Response missing = api.post("/v1/organizations", Map.of(), ada.token());
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.code()).isEqualTo("validation_failed");
		ApiClient.Response control = api.post("/v1/organizations", Map.of("name", "Acme\nBcc: x@y"), ada.token());
		assertThat(control.status()).isEqualTo(400);
		assertThat(control.code()).isEqualTo("validation_failed");
	}

	@Test
	void createWhenNoBearerThenUnauthenticated() {
		ApiClient.Response r = api.post("/v1/organizations", Map.of("name", "Acme"));
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("unauthenticated");
	}

	@Test
	void updateWhenFieldsAbsentOrNullThenUnchangedAndUnknownFieldRefused() {
		Person ada = fx.person();
		String org = fx.organization(ada);
		ApiClient.Response before = api.patch("/v1/organizations/" + org,
				Map.of("name", "Named", "public_metadata", Map.of("plan", "pro")), ada.token());
		assertThat(before.status()).as(before.toString()).isEqualTo(200);

		ApiClient.Response empty = api.patch("/v1/organizations/" + org, Map.of(), ada.token());
		ApiClient.Response nul = api.patch("/v1/organizations/" + org,
				ApiClient.map("name", null, "slug", null, "public_metadata", null), ada.token());
		ApiClient.Response slugOnly = api.patch("/v1/organizations/" + org, Map.of("slug", "named-" + org.substring(4)
			.toLowerCase()), ada.token());
		ApiClient.Response unknown = api.patch("/v1/organizations/" + org, Map.of("name", "Other", "owner", "me"),
				ada.token());

		for (ApiClient.Response r : List.of(empty, nul)) {
			assertThat(r.status()).as(r.toString()).isEqualTo(200);
			assertThat(r.text("name")).isEqualTo("Named");
			assertThat(r.text("slug")).isEqualTo(before.text("slug"));
			assertThat(r.json().get("public_metadata").get("plan").asString()).isEqualTo("pro");
		}
		assertThat(slugOnly.status()).as(slugOnly.toString()).isEqualTo(200);
		assertThat(slugOnly.text("name")).isEqualTo("Named");
		assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
		assertThat(unknown.code()).isEqualTo("validation_failed");
		assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("owner");
		assertThat(api.get("/v1/organizations/" + org, ada.token()).text("name")).isEqualTo("Named");
	}

	@Test
	void updateRoleAndMemberWhenFieldsAbsentNullOrUnknownThenUnchangedOrRefused() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");
		String roles = "/v1/organizations/" + org + "/roles";
		assertThat(api.post(roles, Map.of("key", "billing", "name", "Billing", "description", "Invoices",
				"permissions", List.of("app:invoices.read")), owner.token()).status()).isEqualTo(201);

		ApiClient.Response empty = api.patch(roles + "/billing", Map.of(), owner.token());
		ApiClient.Response nul = api.patch(roles + "/billing",
				ApiClient.map("name", null, "description", null, "permissions", null), owner.token());
		ApiClient.Response cleared = api.patch(roles + "/billing", Map.of("description", ""), owner.token());
		ApiClient.Response unknownRoleField = api.patch(roles + "/billing", Map.of("built_in", true), owner.token());
		String memberPath = "/v1/organizations/" + org + "/members/" + member.id();
		ApiClient.Response noRole = api.patch(memberPath, Map.of(), owner.token());
		ApiClient.Response nullRole = api.patch(memberPath, ApiClient.map("role", null), owner.token());
		ApiClient.Response unknownMemberField = api.patch(memberPath, Map.of("role", "admin", "joined_at", "x"),
				owner.token());

		for (ApiClient.Response r : List.of(empty, nul)) {
			assertThat(r.status()).as(r.toString()).isEqualTo(200);
			assertThat(r.text("name")).isEqualTo("Billing");
			assertThat(r.text("description")).isEqualTo("Invoices");
			assertThat(OrgFixture.strings(r.json().get("permissions"))).containsExactly("app:invoices.read");
		}
		assertThat(cleared.text("description")).as("an empty string clears an optional text").isNull();
		assertThat(unknownRoleField.code()).isEqualTo("validation_failed");
		assertThat(unknownRoleField.json().get("errors").get(0).get("field").asString()).isEqualTo("built_in");
		for (ApiClient.Response r : List.of(noRole, nullRole)) {
			assertThat(r.status()).as("role is what this PATCH changes: " + r).isEqualTo(400);
			assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("role");
		}
		assertThat(unknownMemberField.code()).isEqualTo("validation_failed");
		assertThat(unknownMemberField.json().get("errors").get(0).get("field").asString()).isEqualTo("joined_at");
		assertThat(api.get("/v1/organizations/" + org, member.token()).text("role")).isEqualTo("member");
	}

	@Test
	void updateWhenMetadataThenReplacedAndBoundedAndMustBeObject() {
		Person ada = fx.person();
		String org = fx.organization(ada);
		ApiClient.Response updated = api.patch("/v1/organizations/" + org,
				Map.of("name", "Renamed", "public_metadata", Map.of("plan", "pro", "seats", 5, "tags",
						List.of("a", "ü"))), ada.token());
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.text("name")).isEqualTo("Renamed");
		assertThat(updated.json().get("public_metadata").get("plan").asString()).isEqualTo("pro");
		assertThat(updated.json().get("public_metadata").get("seats").asInt()).isEqualTo(5);
		assertThat(updated.json().get("public_metadata").get("tags").get(1).asString()).isEqualTo("ü");
		assertThat(auditEvents(org, "ORGANIZATION_UPDATED")).isEqualTo(1);

		ApiClient.Response tooLarge = api.patch("/v1/organizations/" + org,
				Map.of("public_metadata", Map.of("blob", "x".repeat(9000))), ada.token());
		assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(422);
		assertThat(tooLarge.code()).isEqualTo("metadata_too_large");

		ApiClient.Response notObject = api.send(api.request("/v1/organizations/" + org, ada.token())
			.header("Content-Type", "application/json")
			.method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"public_metadata\":[1,2]}"))
			.build());
		assertThat(notObject.status()).as(notObject.toString()).isEqualTo(400);

		ApiClient.Response hostile = api.send(api.request("/v1/organizations/" + org, ada.token())
			.header("Content-Type", "application/json")
			.method("PATCH", java.net.http.HttpRequest.BodyPublishers
				.ofString("{\"public_metadata\":{\"nul\":\"a\\u0000b\",\"lone\":\"\\ud800\"}}"))
			.build());
		assertThat(hostile.status()).as("refused like every string PostgreSQL cannot store: " + hostile).isEqualTo(400);
		assertThat(hostile.code()).isEqualTo("malformed_request");

		ApiClient.Response read = api.get("/v1/organizations/" + org, ada.token());
		assertThat(read.text("name")).isEqualTo("Renamed");
	}

	@Test
	void updateWhenSlugChangedToTakenOneThenSlugTaken() {
		Person ada = fx.person();
		String first = fx.organization(ada);
		String second = fx.organization(ada);
		String firstSlug = api.get("/v1/organizations/" + first, ada.token()).text("slug");
		ApiClient.Response r = api.patch("/v1/organizations/" + second, Map.of("slug", firstSlug), ada.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("slug_taken");
	}

	@Test
	void listWhenMemberOfSeveralThenEachWithRoleAndPaginated() {
		Person ada = fx.person();
		Person bob = fx.person();
		List<String> mine = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			mine.add(fx.organization(ada));
		}
		String bobs = fx.organization(bob);
		fx.addMember(bob, bobs, ada, "member");

		List<String> seen = new ArrayList<>();
		List<String> roles = new ArrayList<>();
		String cursor = null;
		do {
			ApiClient.Response page = api.get("/v1/organizations?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
					ada.token());
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			page.json().get("data").forEach(o -> {
				seen.add(o.get("id").asString());
				roles.add(o.get("role").asString());
			});
			cursor = page.text("next_cursor");
		}
		while (cursor != null);
		assertThat(seen).containsExactlyInAnyOrder(mine.get(0), mine.get(1), mine.get(2), bobs);
		assertThat(roles).containsExactlyInAnyOrder("owner", "owner", "owner", "member");

		ApiClient.Response badCursor = api.get("/v1/organizations?cursor=AA", ada.token());
		assertThat(badCursor.status()).isEqualTo(400);
		assertThat(badCursor.code()).isEqualTo("validation_failed");
		assertThat(api.get("/v1/organizations?limit=0", ada.token()).status()).isEqualTo(400);
		assertThat(api.get("/v1/organizations?limit=", ada.token()).status()).isEqualTo(400);
	}

	@Test
	void permissionsWhenMemberRoleThenForbiddenNamingPermission() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");

		ApiClient.Response update = api.patch("/v1/organizations/" + org, Map.of("name", "x"), member.token());
		assertThat(update.status()).as(update.toString()).isEqualTo(403);
		assertThat(update.code()).isEqualTo("forbidden");
		assertThat(update.text("detail")).contains("org:manage");

		ApiClient.Response delete = api.delete("/v1/organizations/" + org, member.token());
		assertThat(delete.status()).isEqualTo(403);
		assertThat(delete.text("detail")).contains("org:delete");

		ApiClient.Response invite = fx.invite(member, org, OrgFixture.newEmail(), "member");
		assertThat(invite.status()).isEqualTo(403);
		assertThat(invite.text("detail")).contains("org:invitations:manage");

		ApiClient.Response role = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "billing", "name", "Billing", "permissions", List.of()), member.token());
		assertThat(role.status()).isEqualTo(403);
		assertThat(role.text("detail")).contains("org:roles:manage");

		ApiClient.Response members = api.get("/v1/organizations/" + org + "/members", member.token());
		assertThat(members.status()).as("members hold org:members:read").isEqualTo(200);
	}

	@Test
	void adminWhenGrantingOwnerOrTouchingOwnerThenForbidden() {
		Person owner = fx.person();
		Person admin = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, admin, "admin");
		fx.addMember(owner, org, member, "member");

		ApiClient.Response promote = api.patch("/v1/organizations/" + org + "/members/" + admin.id(),
				Map.of("role", "owner"), admin.token());
		assertThat(promote.status()).as(promote.toString()).isEqualTo(403);
		assertThat(promote.text("detail")).contains("org:delete");

		ApiClient.Response removeOwner = api.delete("/v1/organizations/" + org + "/members/" + owner.id(),
				admin.token());
		assertThat(removeOwner.status()).isEqualTo(403);

		ApiClient.Response inviteOwner = fx.invite(admin, org, OrgFixture.newEmail(), "owner");
		assertThat(inviteOwner.status()).isEqualTo(403);

		ApiClient.Response escalate = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "superuser", "name", "Super", "permissions", List.of("org:delete")), admin.token());
		assertThat(escalate.status()).isEqualTo(403);

		ApiClient.Response demote = api.patch("/v1/organizations/" + org + "/members/" + member.id(),
				Map.of("role", "admin"), admin.token());
		assertThat(demote.status()).as("an admin may grant admin").isEqualTo(200);
		assertThat(demote.text("role")).isEqualTo("admin");
	}

	@Test
	void lastOwnerWhenDemotedRemovedOrLeavingThenRefused() {
		Person owner = fx.person();
		Person second = fx.person();
		String org = fx.organization(owner);

		ApiClient.Response demote = api.patch("/v1/organizations/" + org + "/members/" + owner.id(),
				Map.of("role", "member"), owner.token());
		assertThat(demote.status()).as(demote.toString()).isEqualTo(409);
		assertThat(demote.code()).isEqualTo("last_owner");
		ApiClient.Response leave = api.post("/v1/organizations/" + org + "/leave", "", owner.token());
		assertThat(leave.status()).isEqualTo(409);
		assertThat(leave.code()).isEqualTo("last_owner");
		ApiClient.Response remove = api.delete("/v1/organizations/" + org + "/members/" + owner.id(), owner.token());
		assertThat(remove.code()).isEqualTo("last_owner");

		fx.addMember(owner, org, second, "owner");
		ApiClient.Response nowAllowed = api.patch("/v1/organizations/" + org + "/members/" + owner.id(),
				Map.of("role", "member"), owner.token());
		assertThat(nowAllowed.status()).as(nowAllowed.toString()).isEqualTo(200);
		assertThat(auditEvents(org, "MEMBER_ROLE_CHANGED")).isEqualTo(1);
		ApiClient.Response secondLeaves = api.post("/v1/organizations/" + org + "/leave", "", second.token());
		assertThat(secondLeaves.code()).isEqualTo("last_owner");
	}

	@Test
	void membersWhenSearchedAndPaginatedThenFilteredByEmailInOrder() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		String tag = java.util.UUID.randomUUID().toString().substring(0, 8);
		List<Person> tagged = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Person p = fx.person("m" + i + "-" + tag + "@example.com");
			fx.addMember(owner, org, p, "member");
			tagged.add(p);
		}
		fx.addMember(owner, org, fx.person(), "member");

		ApiClient.Response all = api.get("/v1/organizations/" + org + "/members?limit=100", owner.token());
		assertThat(all.json().get("data").size()).isEqualTo(5);

		List<String> found = new ArrayList<>();
		String cursor = null;
		do {
			ApiClient.Response page = api.get("/v1/organizations/" + org + "/members?limit=2&email=" + tag.toUpperCase()
					+ (cursor == null ? "" : "&cursor=" + cursor), owner.token());
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			page.json().get("data").forEach(m -> found.add(m.get("email").asString()));
			cursor = page.text("next_cursor");
		}
		while (cursor != null);
		assertThat(found).containsExactly(tagged.get(0).email(), tagged.get(1).email(), tagged.get(2).email());

		ApiClient.Response wildcard = api.get("/v1/organizations/" + org + "/members?email=%25", owner.token());
		assertThat(wildcard.json().get("data").size()).as("% is matched literally").isZero();
	}

	@Test
	void removeMemberWhenAdminRemovesMemberThenGoneAndAudited() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");

		ApiClient.Response removed = api.delete("/v1/organizations/" + org + "/members/" + member.id(), owner.token());
		assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
		assertThat(api.get("/v1/organizations/" + org, member.token()).status()).isEqualTo(404);
		assertThat(auditEvents(org, "MEMBER_REMOVED")).isEqualTo(1);
		ApiClient.Response again = api.delete("/v1/organizations/" + org + "/members/" + member.id(), owner.token());
		assertThat(again.status()).isEqualTo(404);
	}

	@Test
	void leaveWhenMemberThenNoLongerListed() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");

		assertThat(api.post("/v1/organizations/" + org + "/leave", "", member.token()).status()).isEqualTo(204);
		assertThat(api.get("/v1/organizations", member.token()).json().get("data").size()).isZero();
		assertThat(auditEvents(org, "MEMBER_LEFT")).isEqualTo(1);
	}

	@Test
	void rolesWhenCustomRoleCreatedAssignedUpdatedThenInUseUntilUnassigned() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");

		ApiClient.Response created = api.post("/v1/organizations/" + org + "/roles", Map.of("key", "billing",
				"name", "Billing", "description", "Pays", "permissions",
				List.of("org:members:read", "app:invoices.read", "app:invoices:write")), owner.token());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.json().get("built_in").asBoolean()).isFalse();

		ApiClient.Response duplicate = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "billing", "name", "Again", "permissions", List.of()), owner.token());
		assertThat(duplicate.code()).isEqualTo("role_exists");
		ApiClient.Response builtInKey = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "admin", "name", "Again", "permissions", List.of()), owner.token());
		assertThat(builtInKey.code()).isEqualTo("role_exists");
		ApiClient.Response badPermission = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "x", "name", "X", "permissions", List.of("org:everything")), owner.token());
		assertThat(badPermission.status()).isEqualTo(422);
		assertThat(badPermission.code()).isEqualTo("unknown_permission");
		ApiClient.Response badApp = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "x", "name", "X", "permissions", List.of("app:Not Valid")), owner.token());
		assertThat(badApp.code()).isEqualTo("unknown_permission");
		ApiClient.Response badKey = api.post("/v1/organizations/" + org + "/roles",
				Map.of("key", "Bad Key", "name", "X", "permissions", List.of()), owner.token());
		assertThat(badKey.code()).isEqualTo("validation_failed");

		ApiClient.Response assigned = api.patch("/v1/organizations/" + org + "/members/" + member.id(),
				Map.of("role", "billing"), owner.token());
		assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
		ApiClient.Response unknown = api.patch("/v1/organizations/" + org + "/members/" + member.id(),
				Map.of("role", "nope"), owner.token());
		assertThat(unknown.status()).isEqualTo(422);
		assertThat(unknown.code()).isEqualTo("unknown_role");

		ApiClient.Response seen = api.get("/v1/organizations/" + org, member.token());
		assertThat(seen.text("role")).isEqualTo("billing");
		assertThat(OrgFixture.strings(seen.json().get("permissions"))).contains("app:invoices.read");

		ApiClient.Response updated = api.patch("/v1/organizations/" + org + "/roles/billing",
				Map.of("permissions", List.of("app:invoices.read")), owner.token());
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(OrgFixture.strings(updated.json().get("permissions"))).containsExactly("app:invoices.read");
		ApiClient.Response members = api.get("/v1/organizations/" + org + "/members", member.token());
		assertThat(members.status()).as("the role lost org:members:read").isEqualTo(403);

		ApiClient.Response inUse = api.delete("/v1/organizations/" + org + "/roles/billing", owner.token());
		assertThat(inUse.status()).isEqualTo(409);
		assertThat(inUse.code()).isEqualTo("role_in_use");
		ApiClient.Response builtIn = api.delete("/v1/organizations/" + org + "/roles/member", owner.token());
		assertThat(builtIn.code()).isEqualTo("role_built_in");
		ApiClient.Response builtInPatch = api.patch("/v1/organizations/" + org + "/roles/admin",
				Map.of("name", "Boss"), owner.token());
		assertThat(builtInPatch.code()).isEqualTo("role_built_in");

		api.patch("/v1/organizations/" + org + "/members/" + member.id(), Map.of("role", "member"), owner.token());
		assertThat(api.delete("/v1/organizations/" + org + "/roles/billing", owner.token()).status()).isEqualTo(204);
		assertThat(api.delete("/v1/organizations/" + org + "/roles/billing", owner.token()).status()).isEqualTo(404);

		ApiClient.Response roles = api.get("/v1/organizations/" + org + "/roles", member.token());
		assertThat(roles.json().get("data").size()).isEqualTo(3);
		assertThat(auditEvents(org, "ROLE_CREATED")).isEqualTo(1);
		assertThat(auditEvents(org, "ROLE_UPDATED")).isEqualTo(1);
		assertThat(auditEvents(org, "ROLE_DELETED")).isEqualTo(1);
	}

	@Test
	void deleteWhenOwnerThenMembershipsAndInvitationsRemovedAndAudited() {
		Person owner = fx.person();
		Person member = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, member, "member");
		String pendingToken = fx.invitationToken(owner, org, OrgFixture.newEmail(), "member");

		ApiClient.Response deleted = api.delete("/v1/organizations/" + org, owner.token());
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertThat(api.get("/v1/organizations/" + org, owner.token()).status()).isEqualTo(404);
		assertThat(api.get("/v1/organizations/" + org, member.token()).status()).isEqualTo(404);
		assertThat(auditEvents(org, "MEMBER_REMOVED")).isEqualTo(2);
		assertThat(auditEvents(org, "INVITATION_REVOKED")).isEqualTo(1);
		assertThat(auditEvents(org, "ORGANIZATION_DELETED")).isEqualTo(1);
		ApiClient.Response accept = api.post("/v1/invitations/accept",
				Map.of("token", pendingToken, "password", PASSWORD));
		assertThat(accept.code()).isEqualTo("invalid_invitation");
	}

	@Test
	void openApiWhenFetchedThenEveryOrganizationEndpointWithItsErrorCodes() {
		tools.jackson.databind.JsonNode doc = api.get("/openapi.json").json();
		tools.jackson.databind.JsonNode paths = doc.get("paths");
		assertThat(new ArrayList<>(paths.propertyNames())).contains("/v1/organizations", "/v1/organizations/{id}",
				"/v1/organizations/{id}/members", "/v1/organizations/{id}/members/{user_id}",
				"/v1/organizations/{id}/leave", "/v1/organizations/{id}/roles", "/v1/organizations/{id}/roles/{key}",
				"/v1/organizations/{id}/invitations", "/v1/organizations/{id}/invitations/{invitation_id}",
				"/v1/organizations/{id}/invitations/{invitation_id}/resend", "/v1/invitations/accept",
				"/v1/me/active-organization");
		assertThat(paths.get("/v1/organizations/{id}/members/{user_id}").get("patch").get("responses").get("409")
			.get("description").asString()).contains("last_owner");
		assertThat(paths.get("/v1/organizations/{id}").get("patch").get("responses").get("403").get("description")
			.asString()).contains("forbidden");
		tools.jackson.databind.JsonNode accept = paths.get("/v1/invitations/accept").get("post").get("responses");
		assertThat(accept.get("410").get("description").asString()).contains("invitation_revoked")
			.contains("invitation_expired");
		assertThat(accept.get("409").get("description").asString()).contains("invitation_used");
		assertThat(accept.get("403").get("description").asString()).contains("invitation_email_mismatch");
		assertThat(paths.get("/v1/organizations/{id}/roles/{key}").get("delete").get("responses").get("409")
			.get("description").asString()).contains("role_in_use");
		assertThat(doc.get("components").get("schemas").get("Problem").get("properties").get("code").get("enum")
			.valueStream()
			.map(tools.jackson.databind.JsonNode::asString)).contains("slug_taken", "member_limit_reached");
	}

	@Test
	void auditWhenOrganizationChangedThenActingUserRecordedAndShownInTheirSecurityEvents() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		String actor = jdbc.sql("select user_id from audit_events where organization_id = :org and type = :type")
			.param("org", org)
			.param("type", "ORGANIZATION_CREATED")
			.query(String.class)
			.single();
		assertThat(actor).isEqualTo(owner.id());
		ApiClient.Response events = api.get("/v1/me/security-events", owner.token());
		assertThat(events.raw()).contains("organization.created", "organization.member.added");
	}
}
