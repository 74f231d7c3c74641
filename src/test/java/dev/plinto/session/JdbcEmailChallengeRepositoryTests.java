package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.session.EmailChallengeRepository.EmailChallenge;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The emailed part of sign-in flows, the same cases on H2 and PostgreSQL. */
class JdbcEmailChallengeRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		EmailChallengeRepository challenges;

		SignInFlowRepository flows;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositories() {
			challenges = new JdbcEmailChallengeRepository(jdbc);
			flows = new JdbcSignInFlowRepository(jdbc);
		}

		private String flow(SignInFlow.Strategy strategy, Instant createdAt) {
			SignInFlow flow = JdbcSignInFlowRepositoryTests.Contract.started(createdAt, Duration.ofMinutes(10));
			flow = new SignInFlow(flow.id(), flow.type(), strategy, flow.state(), null, flow.amr(), flow.ip(),
					flow.userAgent(), flow.createdAt(), flow.expiresAt(), null);
			flows.insert(flow);
			return flow.id();
		}

		@Test
		void insertWhenCodeOrLinkThenReadBackWithAllFields() {
			EmailChallenge code = new EmailChallenge(flow(SignInFlow.Strategy.EMAIL_CODE, T0), "a@example.com",
					SecureTokens.hash("123456"), 0, null);
			EmailChallenge link = new EmailChallenge(flow(SignInFlow.Strategy.EMAIL_LINK, T0), "b@example.com", null,
					0, SecureTokens.hash("browser"));
			challenges.insert(code);
			challenges.insert(link);
			assertThat(challenges.find(code.flowId())).contains(code);
			assertThat(challenges.find(link.flowId())).contains(link);
			assertThat(challenges.find(SecureTokens.newId("sif"))).isEmpty();
			assertThat(flows.findById(code.flowId()).orElseThrow().strategy()).isEqualTo(SignInFlow.Strategy.EMAIL_CODE);
		}

		@Test
		void countAttemptWhenBelowTheMaximumThenCountedElseRefused() {
			String flowId = flow(SignInFlow.Strategy.EMAIL_CODE, T0);
			challenges.insert(new EmailChallenge(flowId, "c@example.com", SecureTokens.hash("1"), 0, null));
			assertThat(challenges.countAttempt(flowId, 2)).isTrue();
			assertThat(challenges.countAttempt(flowId, 2)).isTrue();
			assertThat(challenges.countAttempt(flowId, 2)).isFalse();
			assertThat(challenges.find(flowId).orElseThrow().attempts()).isEqualTo(2);
		}

		@Test
		void deleteExpiredFlowsWhenPastThenTheirChallengesGoWithThem() {
			String flowId = flow(SignInFlow.Strategy.EMAIL_LINK, T0.minus(Duration.ofDays(400)));
			challenges.insert(new EmailChallenge(flowId, "d@example.com", null, 0, null));
			flows.deleteExpired(T0.minus(Duration.ofDays(300)));
			assertThat(challenges.find(flowId)).isEmpty();
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
