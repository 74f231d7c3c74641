package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.org.OrgFixture.Person;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tenancy proof, run on H2 and on PostgreSQL: the owner of organization A, who holds every permission in A,
 * tries every organization endpoint against organization B — B's own paths, and B's member, role and
 * invitation ids under A's path — and can read, change or list nothing of B.
 */
final class TenancyScenario {

	private final ApiClient api;

	private final OrgFixture fx;

	TenancyScenario(ApiClient api, OrgFixture fx) {
		this.api = api;
		this.fx = fx;
	}

	void run() {
		Person ownerA = fx.person();
		Person memberA = fx.person();
		String a = fx.organization(ownerA);
		fx.addMember(ownerA, a, memberA, "member");

		Person ownerB = fx.person();
		Person memberB = fx.person();
		String b = fx.organization(ownerB);
		fx.addMember(ownerB, b, memberB, "member");
		assertThat(api.post("/v1/organizations/" + b + "/roles", Map.of("key", "b-secret", "name", "B secret",
				"permissions", List.of("app:b.secret")), ownerB.token()).status()).isEqualTo(201);
		String invitedToB = OrgFixture.newEmail();
		String invitationB = fx.invite(ownerB, b, invitedToB, "member").text("id");
		assertThat(invitationB).startsWith("inv_");
		String before = snapshot(ownerB, b);

		String unknownDetail = api.get("/v1/organizations/org_00000000000000000000000000", ownerA.token())
			.text("detail");
		String t = ownerA.token();
		String pathB = "/v1/organizations/" + b;
		Map<String, Supplier<ApiClient.Response>> throughB = new java.util.LinkedHashMap<>();
		throughB.put("GET org", () -> api.get(pathB, t));
		throughB.put("PATCH org", () -> api.patch(pathB, Map.of("name", "pwned"), t));
		throughB.put("DELETE org", () -> api.delete(pathB, t));
		throughB.put("GET members", () -> api.get(pathB + "/members", t));
		throughB.put("GET members search", () -> api.get(pathB + "/members?email=example", t));
		throughB.put("PATCH member", () -> api.patch(pathB + "/members/" + memberB.id(), Map.of("role", "owner"), t));
		throughB.put("DELETE member", () -> api.delete(pathB + "/members/" + memberB.id(), t));
		throughB.put("DELETE owner", () -> api.delete(pathB + "/members/" + ownerB.id(), t));
		throughB.put("PATCH self into B", () -> api.patch(pathB + "/members/" + ownerA.id(), Map.of("role", "owner"), t));
		throughB.put("leave", () -> api.post(pathB + "/leave", "", t));
		throughB.put("GET roles", () -> api.get(pathB + "/roles", t));
		throughB.put("POST role", () -> api.post(pathB + "/roles", Map.of("key", "x", "name", "X", "permissions",
				List.of()), t));
		throughB.put("PATCH role", () -> api.patch(pathB + "/roles/b-secret", Map.of("name", "pwned"), t));
		throughB.put("DELETE role", () -> api.delete(pathB + "/roles/b-secret", t));
		throughB.put("GET invitations", () -> api.get(pathB + "/invitations", t));
		throughB.put("POST invitation", () -> fx.invite(ownerA, b, OrgFixture.newEmail(), "member"));
		throughB.put("resend invitation", () -> api.post(pathB + "/invitations/" + invitationB + "/resend", "", t));
		throughB.put("DELETE invitation", () -> api.delete(pathB + "/invitations/" + invitationB, t));
		throughB.put("activate B", () -> {
			Map<String, Object> body = new HashMap<>();
			body.put("organization_id", b);
			return api.post("/v1/me/active-organization", body, t);
		});
		String pathA = "/v1/organizations/" + a;
		throughB.put("B member under A: PATCH", () -> api.patch(pathA + "/members/" + memberB.id(),
				Map.of("role", "admin"), t));
		throughB.put("B member under A: DELETE", () -> api.delete(pathA + "/members/" + memberB.id(), t));
		throughB.put("B role under A: PATCH", () -> api.patch(pathA + "/roles/b-secret", Map.of("name", "x"), t));
		throughB.put("B role under A: DELETE", () -> api.delete(pathA + "/roles/b-secret", t));
		throughB.put("B invitation under A: resend", () -> api.post(pathA + "/invitations/" + invitationB
				+ "/resend", "", t));
		throughB.put("B invitation under A: DELETE", () -> api.delete(pathA + "/invitations/" + invitationB, t));

		throughB.forEach((name, call) -> {
			ApiClient.Response r = call.get();
			assertThat(r.status()).as(name + ": " + r).isEqualTo(404);
			assertThat(r.code()).as(name).isEqualTo("not_found");
			if (!name.contains("under A")) {
				assertThat(r.text("detail")).as(name + ": same answer as for an organization that does not exist")
					.isEqualTo(unknownDetail);
			}
		});

		ApiClient.Response bRoleInA = api.patch(pathA + "/members/" + memberA.id(), Map.of("role", "b-secret"), t);
		assertThat(bRoleInA.code()).as("B's custom role does not exist in A").isEqualTo("unknown_role");
		ApiClient.Response inviteWithBRole = fx.invite(ownerA, a, OrgFixture.newEmail(), "b-secret");
		assertThat(inviteWithBRole.code()).isEqualTo("unknown_role");

		ApiClient.Response mine = api.get("/v1/organizations?limit=100", t);
		assertThat(mine.raw()).contains(a).doesNotContain(b);
		ApiClient.Response membersA = api.get(pathA + "/members?limit=100", t);
		assertThat(membersA.raw()).doesNotContain(memberB.id()).doesNotContain(ownerB.id());
		assertThat(api.get(pathA + "/members?email=" + memberB.email(), t).json().get("data").size()).isZero();
		assertThat(api.get(pathA + "/roles", t).raw()).doesNotContain("b-secret");
		assertThat(api.get(pathA + "/invitations", t).raw()).doesNotContain(invitationB).doesNotContain(invitedToB);

		ApiClient.Response accept = api.post("/v1/invitations/accept", Map.of("token", "guess-" + invitationB), t);
		assertThat(accept.code()).as("an invitation id is not a token").isEqualTo("invalid_invitation");

		assertThat(snapshot(ownerB, b)).as("nothing of B changed").isEqualTo(before);
		assertThat(api.get(pathB, memberB.token()).status()).as("B's member is still a member").isEqualTo(200);
	}

	/** What B's owner sees of B: the organization, members, roles and invitations. */
	private String snapshot(Person ownerB, String b) {
		String path = "/v1/organizations/" + b;
		return api.get(path, ownerB.token()).raw() + api.get(path + "/members", ownerB.token()).raw()
				+ api.get(path + "/roles", ownerB.token()).raw() + api.get(path + "/invitations", ownerB.token()).raw();
	}
}
