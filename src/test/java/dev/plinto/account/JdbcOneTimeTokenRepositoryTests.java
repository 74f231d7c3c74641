package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.account.OneTimeTokenRepository.OneTimeToken;
import dev.plinto.account.OneTimeTokenRepository.Purpose;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcOneTimeTokenRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		OneTimeTokenRepository tokens;

		User user;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			tokens = new JdbcOneTimeTokenRepository(jdbc);
			user = JdbcUserRepositoryTests.newUser(T0);
			new JdbcUserRepository(jdbc).insert(user);
		}

		OneTimeToken newToken(Purpose purpose) {
			return new OneTimeToken(SecureTokens.hash(SecureTokens.newSecret()), purpose, user.id(), user.email(), T0,
					T0.plus(Duration.ofMinutes(30)), null);
		}

		@Test
		void insertWhenNewTokenThenFoundByHashAndPurposeUnused() {
			OneTimeToken token = newToken(Purpose.PASSWORD_RESET);
			tokens.insert(token);
			assertThat(tokens.find(token.tokenHash(), Purpose.PASSWORD_RESET)).contains(token);
		}

		@Test
		void findWhenOtherPurposeOrUnknownHashThenEmpty() {
			OneTimeToken token = newToken(Purpose.EMAIL_VERIFICATION);
			tokens.insert(token);
			assertThat(tokens.find(token.tokenHash(), Purpose.PASSWORD_RESET)).isEmpty();
			assertThat(tokens.find(SecureTokens.hash("unknown"), Purpose.EMAIL_VERIFICATION)).isEmpty();
		}

		@Test
		void markUsedWhenCalledTwiceThenOnlyTheFirstSucceeds() {
			OneTimeToken token = newToken(Purpose.EMAIL_VERIFICATION);
			tokens.insert(token);
			Instant used = T0.plus(Duration.ofMinutes(1));
			assertThat(tokens.markUsed(token.tokenHash(), used)).isTrue();
			assertThat(tokens.markUsed(token.tokenHash(), used.plusSeconds(1))).isFalse();
			assertThat(tokens.find(token.tokenHash(), Purpose.EMAIL_VERIFICATION).orElseThrow().usedAt())
				.isEqualTo(used);
		}

		@Test
		void markUsedWhenUnknownHashThenFalse() {
			assertThat(tokens.markUsed(SecureTokens.hash("unknown"), T0)).isFalse();
		}

		@Test
		void invalidateAllWhenUnusedTokensThenAllOfThatPurposeUsedAndOthersKept() {
			OneTimeToken first = newToken(Purpose.PASSWORD_RESET);
			OneTimeToken second = newToken(Purpose.PASSWORD_RESET);
			OneTimeToken verification = newToken(Purpose.EMAIL_VERIFICATION);
			tokens.insert(first);
			tokens.insert(second);
			tokens.insert(verification);
			Instant at = T0.plus(Duration.ofMinutes(2));
			tokens.invalidateAll(user.id(), Purpose.PASSWORD_RESET, at);
			assertThat(tokens.find(first.tokenHash(), Purpose.PASSWORD_RESET).orElseThrow().usedAt()).isEqualTo(at);
			assertThat(tokens.find(second.tokenHash(), Purpose.PASSWORD_RESET).orElseThrow().usedAt()).isEqualTo(at);
			assertThat(tokens.markUsed(first.tokenHash(), at)).isFalse();
			assertThat(tokens.find(verification.tokenHash(), Purpose.EMAIL_VERIFICATION).orElseThrow().usedAt())
				.isNull();
		}

		@Test
		void invalidateAllWhenTokenAlreadyUsedThenItsUseTimeIsKept() {
			OneTimeToken token = newToken(Purpose.PASSWORD_RESET);
			tokens.insert(token);
			Instant used = T0.plus(Duration.ofMinutes(1));
			tokens.markUsed(token.tokenHash(), used);
			tokens.invalidateAll(user.id(), Purpose.PASSWORD_RESET, used.plus(Duration.ofMinutes(5)));
			assertThat(tokens.find(token.tokenHash(), Purpose.PASSWORD_RESET).orElseThrow().usedAt()).isEqualTo(used);
		}

		@Test
		void invalidateAllWhenOtherUserThenTheirTokensKept() {
			OneTimeToken mine = newToken(Purpose.PASSWORD_RESET);
			tokens.insert(mine);
			User other = JdbcUserRepositoryTests.newUser(T0);
			new JdbcUserRepository(jdbc).insert(other);
			tokens.invalidateAll(other.id(), Purpose.PASSWORD_RESET, T0.plusSeconds(1));
			assertThat(tokens.find(mine.tokenHash(), Purpose.PASSWORD_RESET).orElseThrow().usedAt()).isNull();
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
