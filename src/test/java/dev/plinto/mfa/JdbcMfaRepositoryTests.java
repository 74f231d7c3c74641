package dev.plinto.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcMfaRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		MfaRepository repository;

		String userId;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			repository = new JdbcMfaRepository(jdbc);
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

		@Test
		void savePendingTotpWhenNoneThenStoredUnconfirmedWithAllFields() {
			assertThat(repository.savePendingTotp(userId, "sealed-1", T0)).isTrue();

			assertThat(repository.findTotp(userId))
				.contains(new MfaRepository.TotpFactor(userId, "sealed-1", T0, null, -1));
			assertThat(repository.findTotp(newUser())).isEmpty();
		}

		@Test
		void savePendingTotpWhenPendingThenReplacedAndWhenConfirmedThenRefused() {
			repository.savePendingTotp(userId, "sealed-1", T0);
			assertThat(repository.savePendingTotp(userId, "sealed-2", T0.plusSeconds(1))).isTrue();
			assertThat(repository.findTotp(userId).orElseThrow().sealedSecret()).isEqualTo("sealed-2");

			assertThat(repository.confirmTotp(userId, "sealed-1", T0.plusSeconds(2), 100))
				.as("enrolment was restarted with another secret since the code was checked")
				.isFalse();
			assertThat(repository.confirmTotp(userId, "sealed-2", T0.plusSeconds(2), 100)).isTrue();
			assertThat(repository.savePendingTotp(userId, "sealed-3", T0.plusSeconds(3))).isFalse();
			MfaRepository.TotpFactor active = repository.findTotp(userId).orElseThrow();
			assertThat(active.sealedSecret()).isEqualTo("sealed-2");
			assertThat(active.confirmedAt()).isEqualTo(T0.plusSeconds(2));
			assertThat(active.lastUsedStep()).isEqualTo(100);
			assertThat(repository.confirmTotp(userId, "sealed-2", T0.plusSeconds(4), 101)).as("already confirmed").isFalse();
		}

		@Test
		void useTotpStepWhenNewerThenAcceptedOnceAndOlderOrSameRefused() {
			repository.savePendingTotp(userId, "sealed", T0);
			repository.confirmTotp(userId, "sealed", T0, 100);

			assertThat(repository.useTotpStep(userId, 100)).isFalse();
			assertThat(repository.useTotpStep(userId, 101)).isTrue();
			assertThat(repository.useTotpStep(userId, 101)).isFalse();
			assertThat(repository.useTotpStep(userId, 99)).isFalse();
			assertThat(repository.findTotp(userId).orElseThrow().lastUsedStep()).isEqualTo(101);
		}

		@Test
		void deleteTotpWhenPresentThenGone() {
			repository.savePendingTotp(userId, "sealed", T0);
			assertThat(repository.deleteTotp(userId)).isTrue();
			assertThat(repository.deleteTotp(userId)).isFalse();
			assertThat(repository.findTotp(userId)).isEmpty();
		}

		@Test
		void recoveryCodesWhenReplacedThenOldSetGoneAndEachUsableOnce() {
			repository.replaceRecoveryCodes(userId, List.of("h1", "h2", "h3").stream().map(h -> h + userId).toList(),
					T0);
			repository.replaceRecoveryCodes(userId, List.of("n1", "n2").stream().map(h -> h + userId).toList(), T0);
			String other = newUser();
			repository.replaceRecoveryCodes(other, List.of("x1" + other), T0);

			assertThat(repository.countUnusedRecoveryCodes(userId)).isEqualTo(2);
			assertThat(repository.useRecoveryCode(userId, "h1" + userId, T0)).as("old set").isFalse();
			assertThat(repository.useRecoveryCode(userId, "x1" + other, T0)).as("another user's").isFalse();
			assertThat(repository.useRecoveryCode(userId, "n1" + userId, T0)).isTrue();
			assertThat(repository.useRecoveryCode(userId, "n1" + userId, T0)).as("second use").isFalse();
			assertThat(repository.countUnusedRecoveryCodes(userId)).isEqualTo(1);
			repository.deleteRecoveryCodes(userId);
			assertThat(repository.countUnusedRecoveryCodes(userId)).isZero();
			assertThat(repository.countUnusedRecoveryCodes(other)).isEqualTo(1);
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
