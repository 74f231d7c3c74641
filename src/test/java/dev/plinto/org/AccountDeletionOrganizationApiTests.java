package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.AccountSteps;
import dev.plinto.org.OrgFixture.Person;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Deleting an account that belongs to organizations: the last owner is refused, memberships end. */
class AccountDeletionOrganizationApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	private OrgFixture fx;

	@BeforeEach
	void fixture() {
		fx = new OrgFixture(api, MAIL);
	}

	private ApiClient.Response delete(Person person) {
		return AccountSteps.deleteAccount(api, person.token(), Map.of("password", PASSWORD), null);
	}

	@Test
	void deleteWhenLastOwnerOfAnOrganizationThen409LastOwnerNamingItAndNothingDeleted() {
		Person owner = fx.person();
		String organizationId = fx.organization(owner);
		String slug = api.get("/v1/organizations/" + organizationId, owner.token()).text("slug");

		ApiClient.Response refused = delete(owner);

		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.code()).isEqualTo("last_owner");
		assertThat(refused.text("detail")).contains(slug);
		assertThat(api.get("/v1/me", owner.token()).status()).isEqualTo(200);
		assertThat(api.get("/v1/organizations/" + organizationId, owner.token()).status()).isEqualTo(200);
	}

	@Test
	void deleteWhenLastOwnerDeletedTheOrganizationFirstThen204() {
		Person owner = fx.person();
		String organizationId = fx.organization(owner);
		assertThat(api.delete("/v1/organizations/" + organizationId, owner.token()).status()).isEqualTo(204);

		assertThat(delete(owner).status()).isEqualTo(204);
	}

	@Test
	void deleteWhenAnotherOwnerRemainsThenMembershipEndsAndTheOrganizationStaysWithoutCreator() {
		Person creator = fx.person();
		Person other = fx.person();
		String organizationId = fx.organization(creator);
		fx.addMember(creator, organizationId, other, "owner");

		ApiClient.Response deleted = delete(creator);

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		List<String> members = jdbc.sql("select user_id from organization_memberships where organization_id = :o")
			.param("o", organizationId)
			.query(String.class)
			.list();
		assertThat(members).containsExactly(other.id());
		assertThat(jdbc.sql("select created_by from organizations where id = :o").param("o", organizationId)
			.query(String.class)
			.optional()).isEmpty();
		assertThat(jdbc.sql("select count(*) from audit_events where organization_id = :o and type = 'MEMBER_LEFT'")
			.param("o", organizationId)
			.query(Long.class)
			.single()).isOne();
	}

	@Test
	void deleteWhenPlainMemberThenMembershipEndsAndOwnerKeepsTheOrganization() {
		Person owner = fx.person();
		Person member = fx.person();
		String organizationId = fx.organization(owner);
		fx.addMember(owner, organizationId, member, "member");

		assertThat(delete(member).status()).isEqualTo(204);

		ApiClient.Response members = api.get("/v1/organizations/" + organizationId + "/members", owner.token());
		assertThat(members.status()).isEqualTo(200);
		assertThat(members.raw()).doesNotContain(member.email()).contains(owner.email());
	}
}
