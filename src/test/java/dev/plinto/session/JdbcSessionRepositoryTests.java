package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JdbcSessionRepositoryTests {

	static final Instant NOW = Instant.parse("2024-05-06T07:08:09.123456Z");

	static final Duration IDLE = Duration.ofMinutes(30);

	abstract static class Contract extends DatabaseContract {

		SessionRepository sessions;

		String userId;

		Contract(Storage storage) {
			super(storage);
		}

		@BeforeEach
		void createRepositoryAndUser() {
			sessions = new JdbcSessionRepository(jdbc, true);
			userId = newUser();
		}

		String newUser() {
			String id = SecureTokens.newId("usr");
			OffsetDateTime at = OffsetDateTime.ofInstant(NOW.minus(Duration.ofDays(60)), ZoneOffset.UTC);
			jdbc.sql("""
					insert into users (id, email, email_verified, password_hash, created_at, updated_at)
					values (:id, :email, false, 'hash', :at, :at)""")
				.param("id", id)
				.param("email", "user-" + UUID.randomUUID() + "@example.com")
				.param("at", at)
				.update();
			return id;
		}

		/** A session of {@link #userId} created {@code age} before NOW, last active {@code idle} before NOW. */
		Session newSession(String user, Duration age, Duration idle, Duration expiresIn) {
			Session s = new Session(SecureTokens.newId("ses"), user, SecureTokens.newId("sif"), List.of("pwd", "mfa"),
					"203.0.113.7", "Test/1.0", NOW.minus(age), NOW.minus(idle), NOW.plus(expiresIn), null, null);
			sessions.insert(s);
			return s;
		}

		Session live(String user) {
			return newSession(user, Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofDays(1));
		}

		List<String> liveIds(String user) {
			return sessions.findLive(user, NOW, NOW.minus(IDLE)).stream().map(Session::id).toList();
		}

		@Test
		void insertWhenNewSessionThenFoundByIdWithAllFields() {
			Session s = live(userId);
			assertThat(sessions.findById(s.id())).contains(s);
			assertThat(sessions.findById(SecureTokens.newId("ses"))).isEmpty();
		}

		@Test
		void findLiveWhenRevokedExpiredOrIdleThenOnlyLiveSessionsNewestFirst() {
			Session older = newSession(userId, Duration.ofHours(2), Duration.ofMinutes(1), Duration.ofDays(1));
			Session newer = live(userId);
			Session revoked = live(userId);
			sessions.revoke(revoked.id(), NOW.minusSeconds(1), "sign_out");
			Session expired = newSession(userId, Duration.ofDays(30), Duration.ofMinutes(1), Duration.ofSeconds(-1));
			Session idle = newSession(userId, Duration.ofHours(1), IDLE.plusSeconds(1), Duration.ofDays(1));
			Session otherUsers = live(newUser());

			assertThat(liveIds(userId)).containsExactly(newer.id(), older.id())
				.doesNotContain(revoked.id(), expired.id(), idle.id(), otherUsers.id());
		}

		@Test
		void findLiveWhenExactlyAtExpiryOrIdleLimitThenNotLiveLikeSessionIsLive() {
			Session atExpiry = newSession(userId, Duration.ofDays(30), Duration.ofMinutes(1), Duration.ZERO);
			Session atIdleLimit = newSession(userId, Duration.ofHours(1), IDLE, Duration.ofDays(1));
			assertThat(atExpiry.isLive(NOW, IDLE)).isFalse();
			assertThat(atIdleLimit.isLive(NOW, IDLE)).isFalse();
			assertThat(liveIds(userId)).isEmpty();
		}

		@Test
		void touchWhenSessionWasIdleThenLastActiveUpdatedAndLiveAgain() {
			Session idle = newSession(userId, Duration.ofHours(1), IDLE.plusMinutes(1), Duration.ofDays(1));
			assertThat(liveIds(userId)).isEmpty();
			Instant at = NOW.minusSeconds(3).plusNanos(1_000);
			sessions.touch(idle.id(), at);
			assertThat(sessions.findById(idle.id()).orElseThrow().lastActiveAt()).isEqualTo(at);
			assertThat(liveIds(userId)).containsExactly(idle.id());
		}

		@Test
		void revokeWhenCalledTwiceThenOnlyTheFirstRevokesAndItsReasonStays() {
			Session s = live(userId);
			Instant first = NOW.minusSeconds(2);
			assertThat(sessions.revoke(s.id(), first, "sign_out")).isTrue();
			assertThat(sessions.revoke(s.id(), NOW, "revoked_by_user")).isFalse();
			Session read = sessions.findById(s.id()).orElseThrow();
			assertThat(read.revokedAt()).isEqualTo(first);
			assertThat(read.revokeReason()).isEqualTo("sign_out");
			assertThat(read.isLive(NOW, IDLE)).isFalse();
		}

		@Test
		void revokeAllForUserWhenKeepGivenThenOthersRevokedAndKeptSessionStaysLive() {
			Session current = live(userId);
			Session a = live(userId);
			Session b = live(userId);
			Session alreadyRevoked = live(userId);
			sessions.revoke(alreadyRevoked.id(), NOW.minusSeconds(60), "sign_out");
			Session otherUsers = live(newUser());

			List<String> revoked = sessions.revokeAllForUser(userId, current.id(), NOW, "password_changed");

			assertThat(revoked).containsExactlyInAnyOrder(a.id(), b.id());
			assertThat(liveIds(userId)).containsExactly(current.id());
			assertThat(sessions.findById(a.id()).orElseThrow().revokeReason()).isEqualTo("password_changed");
			assertThat(sessions.findById(alreadyRevoked.id()).orElseThrow().revokeReason()).isEqualTo("sign_out");
			assertThat(sessions.findById(otherUsers.id()).orElseThrow().revokedAt()).isNull();
		}

		@Test
		void revokeAllForUserWhenNoKeepThenEverySessionRevoked() {
			Session a = live(userId);
			Session b = live(userId);
			assertThat(sessions.revokeAllForUser(userId, null, NOW, "password_reset"))
				.containsExactlyInAnyOrder(a.id(), b.id());
			assertThat(liveIds(userId)).isEmpty();
		}

		@Test
		void findRevokedSinceWhenRevokedBeforeAndAfterThenOnlyThoseAtOrAfter() {
			Session early = live(userId);
			Session atBoundary = live(userId);
			Session late = live(userId);
			Session notRevoked = live(userId);
			Instant since = NOW.plus(Duration.ofDays(400));
			sessions.revoke(early.id(), since.minusNanos(1_000), "sign_out");
			sessions.revoke(atBoundary.id(), since, "sign_out");
			sessions.revoke(late.id(), since.plusSeconds(5), "sign_out");

			assertThat(sessions.findRevokedSince(since)).contains(atBoundary.id(), late.id())
				.doesNotContain(early.id(), notRevoked.id());
		}

		@Test
		void recordEndedWhenTheAccountIsThenDeletedThenItsSessionsStillReadAsRevokedUntilCleanedUp() {
			String deleted = newUser();
			Session one = live(deleted);
			Session two = live(deleted);
			Session other = live(userId);
			Instant at = NOW.plus(Duration.ofDays(500));

			sessions.recordEnded(deleted, at);
			jdbc.sql("delete from users where id = :id").param("id", deleted).update();

			assertThat(sessions.findRevokedSince(at)).contains(one.id(), two.id()).doesNotContain(other.id());
			sessions.deleteEndedBefore(at.plusSeconds(1), at.plusSeconds(1).minus(IDLE));
			assertThat(sessions.findRevokedSince(at)).doesNotContain(one.id(), two.id());
		}

		@Test
		void countLiveWhenSessionsAddedThenOnlyLiveOnesCounted() {
			long before = sessions.countLive(NOW, NOW.minus(IDLE));
			live(userId);
			live(newUser());
			Session revoked = live(userId);
			sessions.revoke(revoked.id(), NOW, "sign_out");
			newSession(userId, Duration.ofDays(30), Duration.ofMinutes(1), Duration.ofSeconds(-1));
			newSession(userId, Duration.ofHours(1), IDLE.plusSeconds(1), Duration.ofDays(1));
			assertThat(sessions.countLive(NOW, NOW.minus(IDLE))).isEqualTo(before + 2);
		}

		@Test
		void countActiveUsersSinceWhenSeveralSessionsPerUserThenEachActiveUserCountedOnce() {
			Instant since = NOW.minus(Duration.ofHours(24));
			long before = sessions.countActiveUsersSince(since);
			String twoSessions = newUser();
			live(twoSessions);
			live(twoSessions);
			Session revokedToday = live(newUser());
			sessions.revoke(revokedToday.id(), NOW, "sign_out");
			newSession(newUser(), Duration.ofDays(30), Duration.ofHours(24).plusSeconds(1), Duration.ofDays(1));
			assertThat(sessions.countActiveUsersSince(since)).isEqualTo(before + 2);
		}

		@Test
		void findRefreshTokenWhenInsertedThenFoundWithItsSessionAndUnused() {
			Session s = live(userId);
			String hash = SecureTokens.hash(SecureTokens.newSecret());
			Instant at = NOW.minusNanos(5_000);
			sessions.insertRefreshToken(hash, s.id(), at);

			SessionRepository.RefreshTokenRecord record = sessions.findRefreshToken(hash).orElseThrow();
			assertThat(record.tokenHash()).isEqualTo(hash);
			assertThat(record.session()).isEqualTo(s);
			assertThat(record.user().id()).isEqualTo(userId);
			assertThat(record.user().email()).endsWith("@example.com");
			assertThat(record.user().passwordHash()).isEqualTo("hash");
			assertThat(record.createdAt()).isEqualTo(at);
			assertThat(record.usedAt()).isNull();
			assertThat(sessions.findRefreshToken(SecureTokens.hash("unknown"))).isEmpty();
		}

		@Test
		void markRefreshTokenUsedWhenCalledTwiceThenTrueExactlyOnce() {
			Session s = live(userId);
			String hash = SecureTokens.hash(SecureTokens.newSecret());
			sessions.insertRefreshToken(hash, s.id(), NOW);
			assertThat(sessions.markRefreshTokenUsed(hash, NOW.plusSeconds(1))).isTrue();
			assertThat(sessions.markRefreshTokenUsed(hash, NOW.plusSeconds(2))).isFalse();
			assertThat(sessions.findRefreshToken(hash).orElseThrow().usedAt()).isEqualTo(NOW.plusSeconds(1));
			assertThat(sessions.markRefreshTokenUsed(SecureTokens.hash("unknown"), NOW)).isFalse();
		}

		@Test
		void markRefreshTokenUsedWhenCalledConcurrentlyThenTrueExactlyOnce() throws Exception {
			int threads = 8;
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				for (int round = 0; round < 10; round++) {
					Session s = live(userId);
					String hash = SecureTokens.hash(SecureTokens.newSecret());
					sessions.insertRefreshToken(hash, s.id(), NOW);
					CountDownLatch start = new CountDownLatch(1);
					List<Future<Boolean>> results = new ArrayList<>();
					for (int i = 0; i < threads; i++) {
						results.add(pool.submit(() -> {
							start.await();
							return sessions.markRefreshTokenUsed(hash, NOW);
						}));
					}
					start.countDown();
					int won = 0;
					for (Future<Boolean> r : results) {
						won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
					}
					assertThat(won).as("round %d", round).isEqualTo(1);
				}
			}
			finally {
				pool.shutdownNow();
			}
		}

		Session withRefreshSecret(String user) {
			Session s = new Session(SecureTokens.newId("ses"), user, null, List.of("pwd"), null, null,
					NOW.minus(Duration.ofMinutes(10)), NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofDays(1)),
					null, null);
			sessions.insert(s, "sealed-secret");
			return s;
		}

		@Test
		void rotateWhenGenerationCurrentThenAdvancedOnceAndRotatedAtAndLastActiveSet() {
			Session s = withRefreshSecret(userId);
			SessionRepository.RefreshState before = sessions.findRefreshState(s.id()).orElseThrow();
			assertThat(before.generation()).isEqualTo(1);
			assertThat(before.sealedSecret()).isEqualTo("sealed-secret");
			assertThat(before.rotatedAt()).isNull();
			assertThat(before.user().id()).isEqualTo(userId);
			assertThat(before.session()).isEqualTo(s);

			assertThat(sessions.rotate(s.id(), 1, NOW)).isTrue();
			assertThat(sessions.rotate(s.id(), 1, NOW.plusSeconds(1))).as("generation 1 is no longer current").isFalse();

			SessionRepository.RefreshState after = sessions.findRefreshState(s.id()).orElseThrow();
			assertThat(after.generation()).isEqualTo(2);
			assertThat(after.rotatedAt()).isEqualTo(NOW);
			assertThat(after.session().lastActiveAt()).isEqualTo(NOW);
			assertThat(sessions.findRefreshState(SecureTokens.newId("ses"))).isEmpty();
		}

		@Test
		void findRefreshStateWhenTheUserHasPublicMetadataThenItComesWithTheSameRow() {
			Session s = withRefreshSecret(userId);
			assertThat(sessions.findRefreshState(s.id()).orElseThrow().publicMetadata()).isEqualTo("{}");
			jdbc.sql("update users set public_metadata = :m where id = :id")
				.param("m", "{\"plan\":\"pro\"}")
				.param("id", userId)
				.update();
			assertThat(sessions.findRefreshState(s.id()).orElseThrow().publicMetadata()).isEqualTo("{\"plan\":\"pro\"}");
			assertThat(new JdbcSessionRepository(jdbc, false).findRefreshState(s.id()).orElseThrow().publicMetadata())
				.as("not read without PLINTO_TOKEN_PUBLIC_METADATA").isNull();
		}

		@Test
		void rotateWhenSessionRevokedThenFalseAndGenerationKept() {
			Session s = withRefreshSecret(userId);
			sessions.revoke(s.id(), NOW, "sign_out");
			assertThat(sessions.rotate(s.id(), 1, NOW)).isFalse();
			assertThat(sessions.findRefreshState(s.id()).orElseThrow().generation()).isEqualTo(1);
		}

		@Test
		void rotateWhenCalledConcurrentlyWithTheSameGenerationThenTrueExactlyOnce() throws Exception {
			int threads = 8;
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				for (int round = 0; round < 10; round++) {
					Session s = withRefreshSecret(userId);
					CountDownLatch start = new CountDownLatch(1);
					List<Future<Boolean>> results = new ArrayList<>();
					for (int i = 0; i < threads; i++) {
						results.add(pool.submit(() -> {
							start.await();
							return sessions.rotate(s.id(), 1, NOW);
						}));
					}
					start.countDown();
					int won = 0;
					for (Future<Boolean> r : results) {
						won += r.get(30, TimeUnit.SECONDS) ? 1 : 0;
					}
					assertThat(won).as("round %d", round).isEqualTo(1);
					assertThat(sessions.findRefreshState(s.id()).orElseThrow().generation()).isEqualTo(2);
				}
			}
			finally {
				pool.shutdownNow();
			}
		}

		@Test
		void upgradeRefreshWhenNoSecretThenSetOtherwiseKeptAndGenerationAdvancedEachTime() {
			Session s = live(userId);
			assertThat(sessions.findRefreshState(s.id()).orElseThrow().generation()).isZero();
			assertThat(sessions.findRefreshState(s.id()).orElseThrow().sealedSecret()).isNull();

			assertThat(sessions.upgradeRefresh(s.id(), "first", NOW)).isTrue();
			assertThat(sessions.upgradeRefresh(s.id(), "second", NOW.plusSeconds(1))).isTrue();

			SessionRepository.RefreshState state = sessions.findRefreshState(s.id()).orElseThrow();
			assertThat(state.sealedSecret()).isEqualTo("first");
			assertThat(state.generation()).isEqualTo(2);
			assertThat(state.rotatedAt()).isEqualTo(NOW.plusSeconds(1));
			sessions.revoke(s.id(), NOW, "sign_out");
			assertThat(sessions.upgradeRefresh(s.id(), "third", NOW)).isFalse();
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
