package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

class JdbcOrganizationRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		OrganizationRepository repository;

		String user;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			repository = new JdbcOrganizationRepository(jdbc);
			user = newUser("user-" + UUID.randomUUID() + "@example.com");
		}

		String newUser(String email) {
			String id = SecureTokens.newId("usr");
			jdbc.sql("""
					insert into users (id, email, email_verified, name, password_hash, created_at, updated_at)
					values (:id, :email, true, null, 'x', :at, :at)""")
				.param("id", id)
				.param("email", email)
				.param("at", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC))
				.update();
			return id;
		}

		Organization newOrganization() {
			Organization o = new Organization(SecureTokens.newId("org"), "Acme", "acme-" + UUID.randomUUID()
				.toString()
				.substring(0, 8), "{\"plan\":\"pro\"}", "{\"secret\":1}", user, T0, T0);
			repository.insert(o);
			repository.insertMembership(new Membership(o.id(), user, Role.OWNER, T0, T0));
			return o;
		}

		Invitation newInvitation(String organizationId, String email, Instant expires) {
			Invitation i = new Invitation(SecureTokens.newId("inv"), organizationId, email, Role.MEMBER,
					SecureTokens.hash(SecureTokens.newSecret()), user, T0, expires, null, null, null);
			repository.insertInvitation(i);
			return i;
		}

		@Test
		void insertWhenNewThenFoundWithBothMetadataAndCountedForCreator() {
			Organization o = newOrganization();
			assertThat(repository.findById(o.id())).contains(o);
			assertThat(repository.slugExists(o.slug())).isTrue();
			assertThat(repository.countCreatedBy(user)).isEqualTo(1);
			repository.updatePrivateMetadata(o.id(), "{\"billing\":\"cus_1\"}", T0.plusSeconds(1));
			assertThat(repository.findById(o.id()).orElseThrow().privateMetadata()).isEqualTo("{\"billing\":\"cus_1\"}");
		}

		@Test
		void insertWhenSlugTakenThenDuplicateKey() {
			Organization o = newOrganization();
			Organization clash = new Organization(SecureTokens.newId("org"), "Other", o.slug(), "{}", "{}", user, T0,
					T0);
			assertThatThrownBy(() -> repository.insert(clash)).isInstanceOf(DuplicateKeyException.class);
		}

		@Test
		void lockWhenExistsThenTrueAndWhenUnknownThenFalse() {
			Organization o = newOrganization();
			assertThat(repository.lock(o.id())).isTrue();
			assertThat(repository.lock("org_00000000000000000000000000")).isFalse();
		}

		@Test
		void membershipsWhenQueriedThenScopedByOrganization() {
			Organization a = newOrganization();
			Organization b = newOrganization();
			String other = newUser("zed-" + UUID.randomUUID() + "@example.com");
			repository.insertMembership(new Membership(b.id(), other, Role.MEMBER, T0, T0));

			assertThat(repository.findMembership(a.id(), other)).isEmpty();
			assertThat(repository.findSlugAndRole(a.id(), other)).isEmpty();
			assertThat(repository.findSlugAndRole(b.id(), other))
				.contains(new OrganizationRepository.SlugAndRole(b.slug(), Role.MEMBER));
			assertThat(repository.findMember(a.id(), other)).isEmpty();
			assertThat(repository.findMembers(a.id(), null, null, 10)).extracting(Member::userId).containsExactly(user);
			assertThat(repository.findMembers(b.id(), "zed-", null, 10)).extracting(Member::userId)
				.containsExactly(other);
			assertThat(repository.countMembers(b.id())).isEqualTo(2);
			assertThat(repository.countMembersWithRole(b.id(), Role.OWNER)).isEqualTo(1);

			repository.updateMembershipRole(a.id(), other, Role.ADMIN, T0);
			assertThat(repository.findMembership(b.id(), other).orElseThrow().role()).as("A's update missed B")
				.isEqualTo(Role.MEMBER);
			assertThat(repository.deleteMembership(a.id(), other)).isFalse();
			assertThat(repository.deleteMembership(b.id(), other)).isTrue();
		}

		@Test
		void findMembersWhenSearchHasWildcardsThenMatchedLiterally() {
			Organization o = newOrganization();
			String underscore = newUser("a_b-" + UUID.randomUUID() + "@example.com");
			String plain = newUser("axb-" + UUID.randomUUID() + "@example.com");
			repository.insertMembership(new Membership(o.id(), underscore, Role.MEMBER, T0, T0));
			repository.insertMembership(new Membership(o.id(), plain, Role.MEMBER, T0, T0));
			assertThat(repository.findMembers(o.id(), "a_b", null, 10)).extracting(Member::userId)
				.containsExactly(underscore);
			assertThat(repository.findMembers(o.id(), "%", null, 10)).isEmpty();
		}

		@Test
		void findMembersWhenPagedThenOrderedByEmailAfterCursor() {
			Organization o = newOrganization();
			String tag = UUID.randomUUID().toString().substring(0, 8);
			for (String prefix : List.of("c", "a", "b")) {
				repository.insertMembership(new Membership(o.id(), newUser(prefix + "-" + tag + "@example.com"),
						Role.MEMBER, T0, T0));
			}
			List<Member> first = repository.findMembers(o.id(), tag, null, 2);
			assertThat(first).extracting(Member::email).containsExactly("a-" + tag + "@example.com",
					"b-" + tag + "@example.com");
			assertThat(repository.findMembers(o.id(), tag, first.get(1).email(), 2)).extracting(Member::email)
				.containsExactly("c-" + tag + "@example.com");
		}

		@Test
		void findByMemberWhenSeveralThenOrderedBySlugWithRole() {
			Organization a = newOrganization();
			Organization b = newOrganization();
			List<OrganizationRepository.Joined> all = repository.findByMember(user, null, 10);
			assertThat(all).extracting(j -> j.organization().id()).contains(a.id(), b.id());
			assertThat(all).extracting(OrganizationRepository.Joined::role).containsOnly(Role.OWNER);
			String firstSlug = all.get(0).organization().slug();
			assertThat(repository.findByMember(user, firstSlug, 10)).extracting(j -> j.organization().slug())
				.doesNotContain(firstSlug);
		}

		@Test
		void rolesWhenStoredThenScopedAndCountedWithHolders() {
			Organization a = newOrganization();
			Organization b = newOrganization();
			Role role = new Role("billing", "Billing", null, List.of("org:members:read", "app:invoices.read"), false,
					T0, T0);
			repository.insertRole(a.id(), role);
			assertThat(repository.findRole(a.id(), "billing")).contains(role);
			assertThat(repository.findRole(b.id(), "billing")).isEmpty();
			assertThat(repository.countRoles(a.id())).isEqualTo(1);
			assertThatThrownBy(() -> repository.insertRole(a.id(), role)).isInstanceOf(DuplicateKeyException.class);

			assertThat(repository.countRoleHolders(a.id(), "billing")).isZero();
			repository.insertInvitation(new Invitation(SecureTokens.newId("inv"), a.id(), "x@example.com", "billing",
					SecureTokens.hash(SecureTokens.newSecret()), user, T0, T0.plus(Duration.ofDays(1)), null, null,
					null));
			assertThat(repository.countRoleHolders(a.id(), "billing")).isEqualTo(1);

			Role updated = new Role("billing", "Billing 2", "d", List.of(), false, T0, T0.plusSeconds(5));
			repository.updateRole(b.id(), updated);
			assertThat(repository.findRole(a.id(), "billing").orElseThrow().name()).isEqualTo("Billing");
			repository.updateRole(a.id(), updated);
			assertThat(repository.findRole(a.id(), "billing")).contains(updated);
			assertThat(repository.deleteRole(b.id(), "billing")).isFalse();
			assertThat(repository.deleteRole(a.id(), "billing")).isTrue();
		}

		@Test
		void invitationWhenAcceptedThenOnlyOnceAndNoLongerOpen() {
			Organization o = newOrganization();
			Invitation i = newInvitation(o.id(), "x@example.com", T0.plus(Duration.ofDays(7)));
			assertThat(repository.findInvitationByTokenHash(i.tokenHash())).contains(i);
			assertThat(repository.pendingInvitationExists(o.id(), "x@example.com", T0)).isTrue();
			assertThat(repository.countPendingInvitations(o.id(), T0)).isEqualTo(1);

			assertThat(repository.markInvitationAccepted(i.id(), "another link's hash", user, T0.plusSeconds(1)))
				.isFalse();
			assertThat(repository.markInvitationAccepted(i.id(), i.tokenHash(), user, T0.plus(Duration.ofDays(7))))
				.as("expired")
				.isFalse();
			assertThat(repository.markInvitationAccepted(i.id(), i.tokenHash(), user, T0.plusSeconds(1))).isTrue();
			assertThat(repository.markInvitationAccepted(i.id(), i.tokenHash(), user, T0.plusSeconds(2))).isFalse();
			assertThat(repository.revokeInvitation(o.id(), i.id(), T0.plusSeconds(3))).isFalse();
			assertThat(repository.findOpenInvitations(o.id())).isEmpty();
			Invitation accepted = repository.findInvitation(o.id(), i.id()).orElseThrow();
			assertThat(accepted.acceptedAt()).isEqualTo(T0.plusSeconds(1));
			assertThat(accepted.acceptedBy()).isEqualTo(user);
		}

		@Test
		void findPendingInvitationsForWhenSeveralOrganizationsThenOnlyUnexpiredOpenOnesOfThoseAddresses() {
			Organization a = newOrganization();
			Organization b = newOrganization();
			Invitation first = newInvitation(a.id(), "p@example.com", T0.plus(Duration.ofDays(7)));
			Invitation second = newInvitation(b.id(), "p@example.com", T0.plus(Duration.ofDays(7)));
			Invitation revoked = newInvitation(b.id(), "P@Example.com", T0.plus(Duration.ofDays(7)));
			newInvitation(a.id(), "late-p@example.com", T0.plusSeconds(10));
			newInvitation(a.id(), "other@example.com", T0.plus(Duration.ofDays(7)));
			repository.revokeInvitation(b.id(), revoked.id(), T0);

			assertThat(repository.findPendingInvitationsFor(List.of("p@example.com", "P@Example.com"), T0.plusSeconds(10)))
				.extracting(Invitation::id)
				.containsExactlyInAnyOrder(first.id(), second.id());
			assertThat(repository.findPendingInvitationsFor(List.of(), T0)).isEmpty();
		}

		@Test
		void invitationWhenExpiredThenNotPendingButStillOpen() {
			Organization o = newOrganization();
			newInvitation(o.id(), "late@example.com", T0.plusSeconds(10));
			assertThat(repository.pendingInvitationExists(o.id(), "late@example.com", T0.plusSeconds(10))).isFalse();
			assertThat(repository.countPendingInvitations(o.id(), T0.plusSeconds(10))).isZero();
			assertThat(repository.findOpenInvitations(o.id())).hasSize(1);
		}

		@Test
		void invitationWhenRenewedThenOldHashGoneAndScopedByOrganization() {
			Organization a = newOrganization();
			Organization b = newOrganization();
			Invitation i = newInvitation(a.id(), "r@example.com", T0.plusSeconds(10));
			String hash = SecureTokens.hash(SecureTokens.newSecret());
			assertThat(repository.renewInvitation(b.id(), i.id(), hash, T0, T0.plus(Duration.ofDays(7)))).isFalse();
			assertThat(repository.findInvitation(b.id(), i.id())).isEmpty();
			assertThat(repository.revokeInvitation(b.id(), i.id(), T0)).isFalse();
			assertThat(repository.renewInvitation(a.id(), i.id(), hash, T0.plusSeconds(1), T0.plus(Duration.ofDays(7))))
				.isTrue();
			assertThat(repository.findInvitationByTokenHash(i.tokenHash())).isEmpty();
			assertThat(repository.findInvitationByTokenHash(hash).orElseThrow().expiresAt())
				.isEqualTo(T0.plus(Duration.ofDays(7)));
			assertThat(repository.revokeInvitation(a.id(), i.id(), T0.plusSeconds(2))).isTrue();
		}

		@Test
		void deleteInvitationsEndedBeforeWhenOldThenPurgedAndOpenOnesKept() {
			Organization o = newOrganization();
			Invitation old = newInvitation(o.id(), "old@example.com", T0.plusSeconds(1));
			Invitation open = newInvitation(o.id(), "open@example.com", T0.plus(Duration.ofDays(60)));
			repository.deleteInvitationsEndedBefore(T0.plus(Duration.ofDays(30)));
			assertThat(repository.findInvitation(o.id(), old.id())).isEmpty();
			assertThat(repository.findInvitation(o.id(), open.id())).isPresent();
		}

		@Test
		void deleteWhenOrganizationDeletedThenMembershipsRolesAndInvitationsGo() {
			Organization o = newOrganization();
			repository.insertRole(o.id(), new Role("r", "R", null, List.of(), false, T0, T0));
			Invitation i = newInvitation(o.id(), "d@example.com", T0.plusSeconds(100));
			repository.delete(o.id());
			assertThat(repository.findById(o.id())).isEmpty();
			assertThat(repository.findMembership(o.id(), user)).isEmpty();
			assertThat(repository.findRoles(o.id())).isEmpty();
			assertThat(repository.findInvitationByTokenHash(i.tokenHash())).isEmpty();
			assertThat(repository.countCreatedBy(user)).isZero();
		}
	}

	@Nested
	class OnH2 extends Contract {
		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {
		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
