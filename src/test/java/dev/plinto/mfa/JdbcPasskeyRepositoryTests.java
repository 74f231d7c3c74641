package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

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

class JdbcPasskeyRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		PasskeyRepository repository;

		String userId;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			repository = new JdbcPasskeyRepository(jdbc);
			userId = newUser();
		}

		String newUser() {
			String id = SecureTokens.newId("usr");
			jdbc.sql("""
					insert into users (id, email, email_verified, password_hash, created_at, updated_at)
					values (:id, :email, false, 'hash', :at, :at)""")
				.param("id", id)
				.param("email", "user-" + UUID.randomUUID() + "@example.com")
				.param("at", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC))
				.update();
			return id;
		}

		static PasskeyRepository.Passkey passkey(String user, Instant createdAt) {
			return new PasskeyRepository.Passkey(SecureTokens.newId("pky"), user, SecureTokens.newSecret(),
					SecureTokens.newSecret(64), 7, List.of("hybrid", "internal"), "Laptop", createdAt, null);
		}

		@Test
		void insertWhenNewCredentialThenFoundByIdAndUserWithAllFields() {
			PasskeyRepository.Passkey p = passkey(userId, T0);

			assertThat(repository.insert(p)).isTrue();

			assertThat(repository.findByCredentialId(p.credentialId())).contains(p);
			assertThat(repository.findByUser(userId)).containsExactly(p);
			assertThat(repository.countByUser(userId)).isEqualTo(1);
			assertThat(repository.findByCredentialId(SecureTokens.newSecret())).isEmpty();
		}

		@Test
		void insertWhenCredentialIdTakenThenRefused() {
			PasskeyRepository.Passkey p = passkey(userId, T0);
			repository.insert(p);
			PasskeyRepository.Passkey copy = new PasskeyRepository.Passkey(SecureTokens.newId("pky"), newUser(),
					p.credentialId(), p.attestedData(), 0, List.of(), "Copy", T0, null);

			assertThat(repository.insert(copy)).isFalse();
		}

		@Test
		void renameAndDeleteWhenOwnerThenChangedAndWhenOtherUserThenUnchanged() {
			PasskeyRepository.Passkey p = passkey(userId, T0);
			repository.insert(p);
			String other = newUser();

			assertThat(repository.rename(other, p.id(), "Mine")).isFalse();
			assertThat(repository.delete(other, p.id())).isFalse();
			assertThat(repository.rename(userId, p.id(), "Phone")).isTrue();
			assertThat(repository.findByUser(userId).get(0).name()).isEqualTo("Phone");
			assertThat(repository.delete(userId, p.id())).isTrue();
			assertThat(repository.findByUser(userId)).isEmpty();
		}

		@Test
		void recordUseWhenCounterAsExpectedThenUpdatedOnceOnly() {
			PasskeyRepository.Passkey p = passkey(userId, T0);
			repository.insert(p);

			assertThat(repository.recordUse(p.id(), 7, 8, T0.plusSeconds(5))).isTrue();
			assertThat(repository.recordUse(p.id(), 7, 8, T0.plusSeconds(6))).isFalse();
			PasskeyRepository.Passkey used = repository.findByCredentialId(p.credentialId()).orElseThrow();
			assertThat(used.signCount()).isEqualTo(8);
			assertThat(used.lastUsedAt()).isEqualTo(T0.plusSeconds(5));
		}

		@Test
		void takeChallengeWhenLiveThenReturnedOnceAndWhenExpiredOrOtherPurposeThenEmpty() {
			PasskeyRepository.Challenge live = new PasskeyRepository.Challenge(SecureTokens.newSecret(),
					PasskeyRepository.Purpose.AUTHENTICATION, null, "sia_flow", T0, T0.plus(Duration.ofMinutes(5)));
			PasskeyRepository.Challenge registration = new PasskeyRepository.Challenge(SecureTokens.newSecret(),
					PasskeyRepository.Purpose.REGISTRATION, userId, null, T0, T0.plus(Duration.ofMinutes(5)));
			repository.insertChallenge(live);
			repository.insertChallenge(registration);
			Instant now = T0.plusSeconds(10);

			assertThat(repository.takeChallenge(registration.hash(), PasskeyRepository.Purpose.AUTHENTICATION, now))
				.isEmpty();
			assertThat(repository.takeChallenge(live.hash(), PasskeyRepository.Purpose.AUTHENTICATION, now))
				.contains(live);
			assertThat(repository.takeChallenge(live.hash(), PasskeyRepository.Purpose.AUTHENTICATION, now))
				.as("single use").isEmpty();
			assertThat(repository.takeChallenge(registration.hash(), PasskeyRepository.Purpose.REGISTRATION,
					T0.plus(Duration.ofMinutes(5)))).as("expired").isEmpty();
		}

		@Test
		void deleteExpiredChallengesWhenExpiredBeforeThenOnlyThoseDeleted() {
			Instant base = Instant.parse("2001-02-03T04:05:06.789012Z");
			PasskeyRepository.Challenge old = new PasskeyRepository.Challenge(SecureTokens.newSecret(),
					PasskeyRepository.Purpose.AUTHENTICATION, null, "f", base.minusSeconds(600), base.minusSeconds(1));
			PasskeyRepository.Challenge live = new PasskeyRepository.Challenge(SecureTokens.newSecret(),
					PasskeyRepository.Purpose.AUTHENTICATION, null, "f", base, base.plusSeconds(300));
			repository.insertChallenge(old);
			repository.insertChallenge(live);

			assertThat(repository.deleteExpiredChallenges(base)).isEqualTo(1);
			assertThat(repository.takeChallenge(live.hash(), PasskeyRepository.Purpose.AUTHENTICATION, base))
				.contains(live);
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
