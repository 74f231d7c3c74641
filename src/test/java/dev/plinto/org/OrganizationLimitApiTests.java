package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.org.OrgFixture.Person;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The configured limits, including under concurrency, on H2. */
@TestPropertySource(properties = { "PLINTO_ORG_MAX_PER_USER=2", "PLINTO_ORG_MAX_MEMBERS=" + ConcurrencyScenario.MAX_MEMBERS,
		"PLINTO_ORG_INVITATION_TTL=36h" })
class OrganizationLimitApiTests extends ApiTestSupport implements WithMailCatcher {

	private OrgFixture fx;

	@BeforeEach
	void fixture() {
		fx = new OrgFixture(api, MAIL);
	}

	@Test
	void createWhenUserCreatedMaximumThenOrganizationLimitReachedUntilOneIsDeleted() {
		Person ada = fx.person();
		String first = fx.organization(ada);
		fx.organization(ada);
		ApiClient.Response third = api.post("/v1/organizations", Map.of("name", "Third"), ada.token());
		assertThat(third.status()).as(third.toString()).isEqualTo(409);
		assertThat(third.code()).isEqualTo("organization_limit_reached");

		api.delete("/v1/organizations/" + first, ada.token());
		assertThat(api.post("/v1/organizations", Map.of("name", "Third"), ada.token()).status()).isEqualTo(201);
	}

	@Test
	void inviteWhenMembersAndPendingInvitationsFillTheLimitThenMemberLimitReached() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		fx.addMember(owner, org, fx.person(), "member");
		String pending = fx.invite(owner, org, OrgFixture.newEmail(), "member").text("id");
		ApiClient.Response full = fx.invite(owner, org, OrgFixture.newEmail(), "member");
		assertThat(full.status()).as(full.toString()).isEqualTo(409);
		assertThat(full.code()).isEqualTo("member_limit_reached");

		api.delete("/v1/organizations/" + org + "/invitations/" + pending, owner.token());
		assertThat(fx.invite(owner, org, OrgFixture.newEmail(), "member").status()).isEqualTo(201);
	}

	@Test
	void inviteWhenTtlConfiguredThenExpiryAndMailFollowIt() {
		Person owner = fx.person();
		String org = fx.organization(owner);
		String email = OrgFixture.newEmail();
		ApiClient.Response invited = fx.invite(owner, org, email, "member");
		assertThat(java.time.Duration.between(java.time.Instant.parse(invited.text("created_at")),
				java.time.Instant.parse(invited.text("expires_at")))).hasHours(36);
		assertThat(MailCatcher.text(MAIL.awaitMessage(email, 1))).contains("36 hours");
	}

	@Test
	void inviteWhenConcurrentThenMemberLimitHolds() throws Exception {
		new ConcurrencyScenario(api, fx).memberLimitUnderConcurrentInvitations();
	}

	@Test
	void changeRoleWhenOwnersDemoteEachOtherConcurrentlyThenOneOwnerRemains() throws Exception {
		new ConcurrencyScenario(api, fx).lastOwnerUnderConcurrentDemotions();
	}
}
