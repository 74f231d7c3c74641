package dev.plinto.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** The SCIM repository's contract on H2 and on PostgreSQL (a database named with "scim"). */
class JdbcScimRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		ScimRepository repository;

		String connection;

		String otherConnection;

		Contract(Storage storage) {
			super(storage, "scim");
		}

		@BeforeEach
		void createConnections() {
			repository = new JdbcScimRepository(jdbc);
			connection = newConnection();
			otherConnection = newConnection();
		}

		String newUser() {
			String id = SecureTokens.newId("usr");
			jdbc.sql("""
					insert into users (id, email, email_verified, name, password_hash, created_at, updated_at)
					values (:id, :email, true, null, 'x', :at, :at)""")
				.param("id", id)
				.param("email", "u-" + UUID.randomUUID() + "@example.com")
				.param("at", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC))
				.update();
			return id;
		}

		String newConnection() {
			String org = SecureTokens.newId("org");
			OffsetDateTime at = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
			jdbc.sql("""
					insert into organizations (id, name, slug, public_metadata, private_metadata, created_at, updated_at)
					values (:id, 'Acme', :slug, '{}', '{}', :at, :at)""")
				.param("id", org)
				.param("slug", "acme-" + UUID.randomUUID().toString().substring(0, 8))
				.param("at", at)
				.update();
			String id = SecureTokens.newId("con");
			jdbc.sql("""
					insert into organization_connections (id, organization_id, type, name, enabled, created_at, updated_at)
					values (:id, :org, 'oidc', 'IdP', true, :at, :at)""")
				.param("id", id)
				.param("org", org)
				.param("at", at)
				.update();
			return id;
		}

		ScimUser user(String connectionId, String userName, String externalId) {
			ScimUser u = new ScimUser(connectionId, newUser(), userName, externalId, true, true,
					"{\"name\":{\"givenName\":\"Zoë 😀\"}}", 1, T0, T0);
			repository.insertUser(u);
			return u;
		}

		@Test
		void findUserWhenStoredThenEveryFieldRoundTripsAndOtherConnectionsSeeNothing() {
			ScimUser u = user(connection, "Ada@Example.com", "ext-1");
			ScimUser found = repository.findUser(connection, u.userId()).orElseThrow();
			assertThat(found).isEqualTo(u);
			assertThat(repository.findUser(otherConnection, u.userId())).isEmpty();
			assertThat(repository.findUserByUserName(connection, "ada@example.COM")).contains(u);
			assertThat(repository.findUserByUserName(otherConnection, "ada@example.com")).isEmpty();
		}

		@Test
		void insertUserWhenUserNameTakenInConnectionThenUniquenessButFreeInAnother() {
			user(connection, "Grace", null);
			assertThatThrownBy(() -> user(connection, "GRACE", null)).isInstanceOf(ScimError.class)
				.satisfies(e -> assertThat(((ScimError) e).scimType()).isEqualTo("uniqueness"));
			assertThat(user(otherConnection, "grace", null).userName()).isEqualTo("grace");
		}

		@Test
		void findUsersWhenFilteredAndPagedThenOnlyTheConnectionsMatchesInAStableOrder() {
			for (int i = 0; i < 3; i++) {
				user(connection, "p" + i, "same");
			}
			user(otherConnection, "p0", "same");
			ScimRepository.Match external = new ScimRepository.Match("external_id", "same");
			assertThat(repository.countUsers(connection, external)).isEqualTo(3);
			assertThat(repository.countUsers(connection, null)).isEqualTo(3);
			var all = repository.findUsers(connection, external, 0, 10);
			assertThat(repository.findUsers(connection, external, 1, 1)).containsExactly(all.get(1));
			assertThat(repository.findUsers(connection, new ScimRepository.Match("user_name_key", "p1"), 0, 10))
				.extracting(ScimUser::userName).containsExactly("p1");
		}

		@Test
		void deactivatedInOrganizationWhenInactiveInOneOfItsConnectionsThenTrueOnlyThere() {
			ScimUser u = user(connection, "dana", null);
			String organization = jdbc.sql("select organization_id from organization_connections where id = :id")
				.param("id", connection).query(String.class).single();
			String other = jdbc.sql("select organization_id from organization_connections where id = :id")
				.param("id", otherConnection).query(String.class).single();
			assertThat(repository.deactivatedInOrganization(organization, u.userId())).isFalse();
			repository.updateUser(new ScimUser(u.connectionId(), u.userId(), u.userName(), null, false, true, "{}", 2,
					T0, T0));
			assertThat(repository.deactivatedInOrganization(organization, u.userId())).isTrue();
			assertThat(repository.deactivatedInOrganization(other, u.userId())).isFalse();
		}

		@Test
		void groupMembersWhenUserOfAnotherConnectionThenRefusedByTheDatabase() {
			ScimUser mine = user(connection, "mine", null);
			ScimUser theirs = user(otherConnection, "theirs", null);
			ScimGroup group = new ScimGroup(SecureTokens.newId("grp"), connection, "Admins", null, 1, T0, T0);
			repository.insertGroup(group);
			assertThat(repository.addMember(connection, group.id(), mine.userId())).isTrue();
			assertThat(repository.addMember(connection, group.id(), mine.userId())).isFalse();
			assertThatThrownBy(() -> repository.addMember(connection, group.id(), theirs.userId()))
				.isInstanceOf(DataIntegrityViolationException.class);
			assertThat(repository.members(group.id())).extracting(ScimRepository.GroupMember::userId)
				.containsExactly(mine.userId());
			assertThat(repository.groupsOf(connection, mine.userId())).containsExactly(group);
			assertThat(repository.findGroupByDisplayName(connection, "admins")).contains(group);
			assertThat(repository.findGroup(otherConnection, group.id())).isEmpty();

			assertThat(repository.deleteUser(connection, mine.userId())).isTrue();
			assertThat(repository.members(group.id())).as("memberships go with the user").isEmpty();
			assertThat(repository.deleteGroup(otherConnection, group.id())).isFalse();
			assertThat(repository.deleteGroup(connection, group.id())).isTrue();
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
