package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTests {

	@Test
	void builtInRolesWhenComparedThenOwnerHoldsEveryPermissionAndAdminAllButDelete() {
		assertThat(Role.builtIn(Role.OWNER).permissions()).containsExactlyElementsOf(Role.ORG_PERMISSIONS);
		assertThat(Role.builtIn(Role.ADMIN).permissions()).doesNotContain(Role.DELETE).contains(Role.MANAGE);
		assertThat(Role.builtIn(Role.MEMBER).permissions()).containsExactly(Role.MEMBERS_READ);
		assertThat(Role.builtIn("billing")).isNull();
	}

	@Test
	void validPermissionWhenOrgOrAppThenAcceptedOtherwiseRefused() {
		assertThat(Role.validPermission("org:members:manage")).isTrue();
		assertThat(Role.validPermission("app:invoices.read")).isTrue();
		assertThat(Role.validPermission("app:a:b-c_d")).isTrue();
		assertThat(Role.validPermission("org:anything")).isFalse();
		assertThat(Role.validPermission("app:")).isFalse();
		assertThat(Role.validPermission("app:Upper")).isFalse();
		assertThat(Role.validPermission("app:a..b")).isFalse();
		assertThat(Role.validPermission("app:" + "a".repeat(100))).isFalse();
		assertThat(Role.validPermission(null)).isFalse();
	}

	@Test
	void orgPermissionsMissingFromWhenCallerLacksSomeThenOnlyOrgOnesListed() {
		Role role = new Role("r", "R", null, List.of(Role.DELETE, "app:x", Role.MEMBERS_READ), false, null, null);
		assertThat(role.orgPermissionsMissingFrom(Set.of(Role.MEMBERS_READ))).containsExactly(Role.DELETE);
		assertThat(role.orgPermissionsMissingFrom(Set.copyOf(Role.ORG_PERMISSIONS))).isEmpty();
	}

	@Test
	void slugsWhenDerivedFromNamesThenUrlSafeAndValid() {
		assertThat(Slugs.fromName("Ächtung Café & Co")).isEqualTo("achtung-cafe-co");
		assertThat(Slugs.fromName("  ---  ")).isEqualTo("org");
		assertThat(Slugs.fromName("日本")).isEqualTo("org");
		assertThat(Slugs.fromName("x".repeat(100))).hasSize(40);
		assertThat(Slugs.valid(Slugs.withSuffix("acme"))).isTrue();
		assertThat(Slugs.valid("acme-co")).isTrue();
		assertThat(Slugs.valid("acme--co")).isFalse();
		assertThat(Slugs.valid("a")).isFalse();
	}

}
