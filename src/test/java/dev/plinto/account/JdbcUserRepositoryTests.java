package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

class JdbcUserRepositoryTests {

	/** An instant with a non-zero microsecond part, as the application clock produces them. */
	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	static User newUser(Instant at) {
		return new User(SecureTokens.newId("usr"), "user-" + UUID.randomUUID() + "@example.com", false, "Ada",
				"$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", at, at);
	}

	abstract static class Contract extends DatabaseContract {

		UserRepository users;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepository() {
			users = new JdbcUserRepository(jdbc);
		}

		@Test
		void insertWhenNewUserThenFoundByIdAndEmailWithAllFields() {
			User user = newUser(T0);
			users.insert(user);
			assertThat(users.findById(user.id())).contains(user);
			assertThat(users.findByEmail(user.email())).contains(user);
		}

		@Test
		void insertWhenTimestampsHaveMicrosecondsThenReadBackEqual() {
			Instant created = Instant.parse("2023-12-31T23:59:59.999999Z");
			Instant updated = Instant.parse("2024-01-01T00:00:00.000001Z");
			User user = new User(SecureTokens.newId("usr"), "user-" + UUID.randomUUID() + "@example.com", true, null,
					"hash", created, updated);
			users.insert(user);
			User read = users.findById(user.id()).orElseThrow();
			assertThat(read.createdAt()).isEqualTo(created);
			assertThat(read.updatedAt()).isEqualTo(updated);
			assertThat(read.emailVerified()).isTrue();
			assertThat(read.name()).isNull();
		}

		@Test
		void insertWhenEmailTakenThenDuplicateKeyException() {
			User first = newUser(T0);
			users.insert(first);
			User second = new User(SecureTokens.newId("usr"), first.email(), false, "Other", "hash", T0, T0);
			assertThatThrownBy(() -> users.insert(second)).isInstanceOf(DuplicateKeyException.class);
			assertThat(users.findById(second.id())).isEmpty();
			assertThat(users.findByEmail(first.email()).orElseThrow().id()).isEqualTo(first.id());
		}

		@Test
		void setBannedWhenBannedAndLiftedThenReadBackOnlyForThatUser() {
			User user = newUser(T0);
			User other = newUser(T0);
			users.insert(user);
			users.insert(other);
			Instant at = T0.plusSeconds(60);
			users.setBanned(user.id(), at, at);
			assertThat(users.findById(user.id()).orElseThrow().bannedAt()).isEqualTo(at);
			assertThat(users.findById(user.id()).orElseThrow().banned()).isTrue();
			assertThat(users.findById(other.id()).orElseThrow().banned()).isFalse();
			users.setBanned(user.id(), null, at);
			assertThat(users.findById(user.id()).orElseThrow().banned()).isFalse();
		}

		@Test
		void updateMetadataWhenSomeObjectsGivenThenOnlyThoseReplaced() {
			User user = newUser(T0);
			users.insert(user);
			assertThat(users.findProfile(user.id()).orElseThrow().metadata())
				.isEqualTo(new UserMetadata("{}", "{}", "{}"));
			users.updateMetadata(user.id(), "{\"a\":1}", null, "{\"u\":true}", T0);
			users.updateMetadata(user.id(), null, "{\"p\":\"x\"}", null, T0);
			assertThat(users.findProfile(user.id()).orElseThrow().metadata())
				.isEqualTo(new UserMetadata("{\"a\":1}", "{\"p\":\"x\"}", "{\"u\":true}"));
			assertThat(users.findProfile(user.id()).orElseThrow()).as("the account and its metadata in one read")
				.isEqualTo(new UserRepository.Profile(users.findById(user.id()).orElseThrow(),
						new UserMetadata("{\"a\":1}", "{\"p\":\"x\"}", "{\"u\":true}")));
			assertThat(users.findProfile(SecureTokens.newId("usr"))).isEmpty();
		}

		@Test
		void setEmailVerifiedWhenFalseThenUnverified() {
			User user = new User(SecureTokens.newId("usr"), "user-" + UUID.randomUUID() + "@example.com", true, null,
					"hash", T0, T0);
			users.insert(user);
			users.setEmailVerified(user.id(), false, T0);
			assertThat(users.findById(user.id()).orElseThrow().emailVerified()).isFalse();
		}

		@Test
		void findWhenUnknownThenEmpty() {
			assertThat(users.findById(SecureTokens.newId("usr"))).isEmpty();
			assertThat(users.findByEmail("nobody-" + UUID.randomUUID() + "@example.com")).isEmpty();
		}

		@Test
		void updateNameWhenUserExistsThenNameAndUpdatedAtChangeOnlyForThatUser() {
			User user = newUser(T0);
			User other = newUser(T0);
			users.insert(user);
			users.insert(other);
			Instant later = T0.plus(Duration.ofMinutes(5)).plusNanos(7_000);
			users.updateName(user.id(), "Grace", later);
			User read = users.findById(user.id()).orElseThrow();
			assertThat(read.name()).isEqualTo("Grace");
			assertThat(read.updatedAt()).isEqualTo(later);
			assertThat(read.createdAt()).isEqualTo(T0);
			assertThat(users.findById(other.id())).contains(other);
		}

		@Test
		void updatePasswordHashWhenUserExistsThenNewHashStored() {
			User user = newUser(T0);
			users.insert(user);
			Instant later = T0.plus(Duration.ofHours(1));
			users.updatePasswordHash(user.id(), "$argon2id$new", later);
			User read = users.findById(user.id()).orElseThrow();
			assertThat(read.passwordHash()).isEqualTo("$argon2id$new");
			assertThat(read.updatedAt()).isEqualTo(later);
		}

		@Test
		void markEmailVerifiedWhenUnverifiedThenVerified() {
			User user = newUser(T0);
			users.insert(user);
			Instant later = T0.plus(Duration.ofSeconds(42));
			users.markEmailVerified(user.id(), later);
			User read = users.findById(user.id()).orElseThrow();
			assertThat(read.emailVerified()).isTrue();
			assertThat(read.updatedAt()).isEqualTo(later);
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
