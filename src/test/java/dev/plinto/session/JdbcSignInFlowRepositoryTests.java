package dev.plinto.session;

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

class JdbcSignInFlowRepositoryTests {

	static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123456Z");

	abstract static class Contract extends DatabaseContract {

		SignInFlowRepository flows;

		String userId;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			flows = new JdbcSignInFlowRepository(jdbc);
			userId = SecureTokens.newId("usr");
			OffsetDateTime at = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
			jdbc.sql("""
					insert into users (id, email, email_verified, password_hash, created_at, updated_at)
					values (:id, :email, false, 'hash', :at, :at)""")
				.param("id", userId)
				.param("email", "user-" + UUID.randomUUID() + "@example.com")
				.param("at", at)
				.update();
		}

		static SignInFlow started(Instant createdAt, Duration ttl) {
			return new SignInFlow(SecureTokens.newId("sif"), SignInFlow.Type.API, SignInFlow.Strategy.PASSWORD,
					SignInFlow.State.STARTED, null, List.of(), "198.51.100.4", "Test/1.0", createdAt,
					createdAt.plus(ttl), null);
		}

		@Test
		void insertWhenStartedFlowThenFoundByIdWithAllFields() {
			SignInFlow flow = started(T0, Duration.ofMinutes(10));
			flows.insert(flow);
			assertThat(flows.findById(flow.id())).contains(flow);
			assertThat(flows.findById(SecureTokens.newId("sif"))).isEmpty();
		}

		@Test
		void insertWhenCompletedBrowserFlowThenUserAmrAndCompletionReadBack() {
			SignInFlow flow = new SignInFlow(SecureTokens.newId("sif"), SignInFlow.Type.BROWSER,
					SignInFlow.Strategy.PASSWORD, SignInFlow.State.COMPLETED, userId, List.of("pwd"), null, null, T0,
					T0.plus(Duration.ofMinutes(10)), T0.plusNanos(3_000));
			flows.insert(flow);
			assertThat(flows.findById(flow.id())).contains(flow);
		}

		@Test
		void transitionWhenInExpectedStateThenMovedWithUserAndAmr() {
			SignInFlow flow = started(T0, Duration.ofMinutes(10));
			flows.insert(flow);
			SignInFlow completed = flow.complete(userId, List.of("pwd", "otp"), T0.plusSeconds(2));

			assertThat(flows.transition(completed, SignInFlow.State.STARTED)).isTrue();
			assertThat(flows.findById(flow.id())).contains(completed);
		}

		@Test
		void transitionWhenNotInExpectedStateThenRefusedAndUnchanged() {
			SignInFlow flow = started(T0, Duration.ofMinutes(10));
			flows.insert(flow);
			SignInFlow completed = flow.complete(userId, List.of("pwd"), T0.plusSeconds(2));
			assertThat(flows.transition(completed, SignInFlow.State.STARTED)).isTrue();

			SignInFlow again = flow.complete(userId, List.of("pwd", "hwk"), T0.plusSeconds(9));
			assertThat(flows.transition(again, SignInFlow.State.STARTED)).isFalse();
			assertThat(flows.findById(flow.id())).contains(completed);
		}

		@Test
		void transitionWhenFlowUnknownThenFalse() {
			SignInFlow ghost = started(T0, Duration.ofMinutes(10)).complete(userId, List.of("pwd"), T0);
			assertThat(flows.transition(ghost, SignInFlow.State.STARTED)).isFalse();
			assertThat(flows.findById(ghost.id())).isEmpty();
		}

		@Test
		void transitionWithTokenWhenInExpectedStateThenFoundByTokenHashUntilCleared() {
			SignInFlow flow = started(T0, Duration.ofMinutes(5));
			flows.insert(flow);
			String hash = SecureTokens.hash(SecureTokens.newSecret());
			SignInFlow waiting = flow.moveTo(SignInFlow.State.MFA_REQUIRED, userId, List.of("pwd"),
					T0.plus(Duration.ofMinutes(15)));

			assertThat(flows.transition(waiting, SignInFlow.State.STARTED, hash)).isTrue();
			assertThat(flows.findByTokenHash(hash)).contains(waiting);
			assertThat(flows.transition(waiting, SignInFlow.State.STARTED, hash)).as("not in STARTED").isFalse();

			SignInFlow done = waiting.complete(userId, List.of("pwd", "otp", "mfa"), T0.plusSeconds(9));
			assertThat(flows.transition(done, SignInFlow.State.MFA_REQUIRED, null)).isTrue();
			assertThat(flows.findByTokenHash(hash)).isEmpty();
			assertThat(flows.findById(flow.id())).contains(done);
		}

		@Test
		void deleteExpiredWhenFlowsExpiredBeforeThenOnlyThoseDeleted() {
			// A time far from every other test's flows, so the count is this test's alone.
			Instant base = Instant.parse("2001-02-03T04:05:06.789012Z");
			SignInFlow expired = started(base.minus(Duration.ofHours(1)), Duration.ofMinutes(10));
			SignInFlow expiringExactlyNow = started(base.minus(Duration.ofMinutes(10)), Duration.ofMinutes(10));
			SignInFlow live = started(base.minus(Duration.ofMinutes(1)), Duration.ofMinutes(10));
			flows.insert(expired);
			flows.insert(expiringExactlyNow);
			flows.insert(live);

			assertThat(flows.deleteExpired(base)).isEqualTo(1);
			assertThat(flows.findById(expired.id())).isEmpty();
			assertThat(flows.findById(expiringExactlyNow.id())).isPresent();
			assertThat(flows.findById(live.id())).isPresent();
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
