package dev.plinto.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.webhook.WebhookRepository.Claimed;
import dev.plinto.webhook.WebhookRepository.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class JdbcWebhookRepositoryTests {

	abstract static class Contract extends DatabaseContract {

		JdbcWebhookRepository repository;

		TransactionTemplate tx;

		final Instant now = Instant.parse("2026-12-07T09:00:00.123456Z");

		Contract(Storage storage) {
			super(storage);
		}

		/**
		 * Whether a concurrent claim gets the rows another claim has not locked. PostgreSQL does; H2 skips more (it
		 * answers nothing while another claim is open), which is safe and costs nothing there: embedded storage
		 * is one process, whose single scheduler thread never runs two polls at once.
		 */
		abstract boolean claimsTheUnlockedRest();

		@BeforeEach
		void createRepository() {
			repository = new JdbcWebhookRepository(jdbc);
			tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
			jdbc.sql("delete from webhook_endpoints").update();
			jdbc.sql("delete from webhook_events").update();
		}

		/** Claims in a transaction of its own, as the dispatcher does. */
		private List<Claimed> claim(Instant at, Instant lease, int limit) {
			List<Claimed> claimed = tx.execute(s -> repository.claimDue(at, lease, limit));
			return claimed == null ? List.of() : claimed;
		}

		private String endpoint(boolean enabled, String... types) {
			String id = SecureTokens.newId("wh");
			repository.insertEndpoint(new Endpoint(id, "https://hooks.example.com/" + id, null, List.of(types),
					enabled, null, "sealed", null, null, null, now, now));
			return id;
		}

		private String event(String endpointId) {
			String id = SecureTokens.newId("msg");
			repository.insertEvent(id, "user.created", "{\"id\":\"" + id + "\"}", now);
			repository.insertMessages(id, List.of(endpointId), now);
			return id;
		}

		@Test
		void findEnabledEndpointsWhenSomeDisabledThenOnlyEnabledWithTheirTypes() {
			String on = endpoint(true, "user.created", "session.revoked");
			String off = endpoint(true);
			repository.setEnabled(off, false, "manual", now);

			assertThat(repository.findEnabledEndpoints()).extracting(Endpoint::id).containsExactly(on);
			Endpoint found = repository.findEndpoint(on).orElseThrow();
			assertThat(found.eventTypes()).containsExactly("user.created", "session.revoked");
			assertThat(found.wants("user.created")).isTrue();
			assertThat(found.wants("user.updated")).isFalse();
			assertThat(repository.findEndpoint(off).orElseThrow().disabledReason()).isEqualTo("manual");
		}

		@Test
		void claimDueWhenClaimedThenLeasedAndNotClaimedAgainUntilTheLeaseEnds() {
			String endpoint = endpoint(true);
			String event = event(endpoint);
			Instant lease = now.plus(Duration.ofMinutes(1));

			List<Claimed> first = claim(now, lease, 10);
			assertThat(first).singleElement().satisfies(c -> {
				assertThat(c.eventId()).isEqualTo(event);
				assertThat(c.payload()).contains(event);
				assertThat(c.endpoint().id()).isEqualTo(endpoint);
			});
			assertThat(claim(now.plusSeconds(30), lease, 10)).isEmpty();
			List<Claimed> again = claim(lease, lease.plusSeconds(60), 10);
			assertThat(again).singleElement().satisfies(c -> assertThat(c.claim()).isGreaterThan(first.get(0).claim()));
			assertThat(repository.finish(first.get(0).messageId(), first.get(0).claim(), "delivered", 1, now, null, now))
				.as("the first claim expired").isFalse();
			assertThat(repository.finish(again.get(0).messageId(), again.get(0).claim(), "delivered", 1, now, null, now))
				.isTrue();
			assertThat(claim(lease.plus(Duration.ofDays(1)), lease, 10)).isEmpty();
		}

		/**
		 * Two nodes claim at the same time: the second skips the rows the first has locked instead of waiting for
		 * them, and no delivery is claimed by both.
		 */
		@Test
		void claimDueWhenTwoNodesClaimAtOnceThenEachDeliveryGoesToOneOfThem() throws Exception {
			String endpoint = endpoint(true);
			for (int i = 0; i < 10; i++) {
				event(endpoint);
			}
			Instant lease = now.plus(Duration.ofMinutes(1));
			CountDownLatch firstClaimed = new CountDownLatch(1);
			CountDownLatch secondDone = new CountDownLatch(1);
			CompletableFuture<List<Claimed>> first = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
				List<Claimed> claimed = repository.claimDue(now, lease, 4);
				firstClaimed.countDown();
				try {
					secondDone.await(20, TimeUnit.SECONDS); // hold the row locks while the other node claims
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return claimed;
			}));
			assertThat(firstClaimed.await(20, TimeUnit.SECONDS)).isTrue();
			List<Claimed> second = CompletableFuture.supplyAsync(() -> claim(now, lease, 10)).get(20, TimeUnit.SECONDS);
			secondDone.countDown();

			List<String> ids = new ArrayList<>();
			first.get(20, TimeUnit.SECONDS).forEach(c -> ids.add(c.messageId()));
			second.forEach(c -> ids.add(c.messageId()));
			Set<String> distinct = new HashSet<>(ids);
			assertThat(first.get()).hasSize(4);
			assertThat(distinct).as("no delivery claimed twice").hasSize(ids.size());
			if (claimsTheUnlockedRest()) {
				assertThat(second).hasSize(6);
			}
		}

		@Test
		void failPendingAndReplayFailedWhenAnEndpointIsDisabledThenFailedAndReplayable() {
			String endpoint = endpoint(true);
			String event = event(endpoint);
			repository.setEnabled(endpoint, false, "failing", now);

			assertThat(repository.failPending(endpoint, "endpoint disabled", now)).isEqualTo(1);
			assertThat(claim(now, now.plusSeconds(60), 10)).isEmpty();
			assertThat(repository.replayFailed(endpoint, now.minusSeconds(1), now)).isEqualTo(1);
			assertThat(repository.replay(event, endpoint, now)).isTrue();
			assertThat(repository.replay("msg_gone", endpoint, now)).isFalse();
			assertThat(repository.countPending()).isEqualTo(1);
			assertThat(repository.oldestPending()).contains(now);
		}

		@Test
		void endpointFailedWhenCalledAgainThenTheStreakKeepsItsStartUntilASuccess() {
			String endpoint = endpoint(true);
			assertThat(repository.endpointFailed(endpoint, now)).isEqualTo(now);
			assertThat(repository.endpointFailed(endpoint, now.plusSeconds(60))).isEqualTo(now);
			repository.endpointSucceeded(endpoint);
			assertThat(repository.endpointFailed(endpoint, now.plusSeconds(120))).isEqualTo(now.plusSeconds(120));
		}

		@Test
		void deleteBeforeWhenOldFinishedDeliveriesThenTheyTheirLogAndEventsGo() {
			String endpoint = endpoint(true);
			String old = event(endpoint);
			List<Claimed> claimed = claim(now, now.plusSeconds(60), 10);
			repository.insertAttempt(new WebhookRepository.Attempt(SecureTokens.newId("wha"),
					claimed.get(0).messageId(), endpoint, now, "success", 204, 12, null, null));
			repository.finish(claimed.get(0).messageId(), claimed.get(0).claim(), "delivered", 1, now, null, now);
			String pending = event(endpoint);

			assertThat(repository.findAttempts(endpoint, 10)).singleElement()
				.satisfies(a -> assertThat(a.eventId()).isEqualTo(old));
			assertThat(repository.deleteBefore(now.plus(Duration.ofDays(31)))).isEqualTo(1);
			assertThat(jdbc.sql("select id from webhook_events").query(String.class).list()).containsExactly(pending);
		}
	}

	@Nested
	class OnH2 extends Contract {

		OnH2() {
			super(Storage.H2);
		}

		@Override
		boolean claimsTheUnlockedRest() {
			return false;
		}
	}

	@Nested
	class OnPostgres extends Contract {

		OnPostgres() {
			super(Storage.POSTGRES);
		}

		@Override
		boolean claimsTheUnlockedRest() {
			return true;
		}
	}
}
