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

		static final int PER_ENDPOINT = 10;

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
			List<Claimed> claimed = tx.execute(s -> repository.claimDue(at, n -> lease, limit, PER_ENDPOINT));
			return claimed == null ? List.of() : claimed;
		}

		private String endpoint(boolean enabled, String... types) {
			String id = SecureTokens.newId("wh");
			repository.insertEndpoint(new Endpoint(id, "https://hooks.example.com/" + id, null, List.of(types),
					enabled, null, "sealed", null, null, null, now, now));
			return id;
		}

		private String event(String endpointId) {
			return event(endpointId, now);
		}

		private String event(String endpointId, Instant at) {
			String id = SecureTokens.newId("msg");
			repository.insertEvent(id, "user.created", "{\"id\":\"" + id + "\"}", at);
			repository.insertMessages(id, List.of(endpointId), at);
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
		 * Two nodes claim at the same time: the second skips the endpoint the first is claiming for instead of
		 * waiting for it and takes another endpoint's deliveries (PostgreSQL; H2 skips more), and once the first
		 * claim has committed nobody gets anything of that endpoint while its deliveries are leased.
		 */
		@Test
		void claimDueWhenTwoNodesClaimAtOnceThenNoEndpointIsServedByBoth() throws Exception {
			String busy = endpoint(true);
			String other = endpoint(true);
			List<String> busyEvents = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				busyEvents.add(event(busy)); // waiting longest: the first claim takes this endpoint
			}
			Instant later = now.plusMillis(1);
			List<String> otherEvents = List.of(event(other, later), event(other, later));
			Instant lease = now.plus(Duration.ofMinutes(1));
			CountDownLatch firstClaimed = new CountDownLatch(1);
			CountDownLatch secondDone = new CountDownLatch(1);
			CompletableFuture<List<Claimed>> first = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
				List<Claimed> claimed = repository.claimDue(now, n -> lease, 1, PER_ENDPOINT);
				firstClaimed.countDown();
				try {
					secondDone.await(20, TimeUnit.SECONDS); // hold the lock while the other node claims
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return claimed;
			}));
			assertThat(firstClaimed.await(20, TimeUnit.SECONDS)).isTrue();
			List<Claimed> second = CompletableFuture.supplyAsync(() -> claim(later, lease, 10)).get(20, TimeUnit.SECONDS);
			secondDone.countDown();

			assertThat(first.get(20, TimeUnit.SECONDS)).extracting(Claimed::eventId)
				.containsExactly(busyEvents.get(0));
			assertThat(second).extracting(c -> c.endpoint().id()).doesNotContain(busy);
			if (claimsTheUnlockedRest()) {
				assertThat(second).extracting(Claimed::eventId).containsExactlyElementsOf(otherEvents);
			}
			assertThat(claim(now.plusSeconds(1), lease, 10)).as("the busy endpoint has a delivery leased")
				.extracting(c -> c.endpoint().id())
				.doesNotContain(busy);
		}

		/**
		 * First attempts to one endpoint go out in queue order: a claim takes an endpoint's oldest deliveries first,
		 * at most {@code perEndpoint} of them, and takes nothing more of it while they are leased — not even the
		 * ones queued after them — until their results are recorded.
		 */
		@Test
		void claimDueWhenAnEndpointHasDeliveriesLeasedThenItsLaterOnesWaitAndComeInQueueOrder() {
			String endpoint = endpoint(true);
			List<String> events = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				events.add(event(endpoint)); // one transaction's events share their creation time: seq orders them
			}
			Instant lease = now.plus(Duration.ofMinutes(1));

			List<Claimed> first = tx.execute(s -> repository.claimDue(now, n -> lease, 10, 3));
			assertThat(first).extracting(Claimed::eventId).containsExactlyElementsOf(events.subList(0, 3));
			assertThat(claim(now.plusSeconds(1), lease, 10)).as("an endpoint with a leased delivery waits").isEmpty();

			repository.finish(first.get(0).messageId(), first.get(0).claim(), "delivered", 1, now, null, now);
			repository.finish(first.get(1).messageId(), first.get(1).claim(), "pending", 1, now.plusSeconds(5),
					"HTTP 500", now);
			assertThat(claim(now.plusSeconds(1), lease, 10)).as("one delivery still leased").isEmpty();
			repository.finish(first.get(2).messageId(), first.get(2).claim(), "delivered", 1, now, null, now);

			assertThat(claim(now.plusSeconds(2), lease, 10)).as("the later first attempts, the retry not due yet")
				.extracting(Claimed::eventId)
				.containsExactlyElementsOf(events.subList(3, 5));
		}

		@Test
		void claimDueWhenTheLeaseEndsThenTheEndpointsDeliveriesAreClaimedAgainInQueueOrder() {
			String endpoint = endpoint(true);
			List<String> events = List.of(event(endpoint), event(endpoint), event(endpoint));
			Instant lease = now.plus(Duration.ofMinutes(1));
			List<Integer> sizes = new ArrayList<>();

			List<Claimed> first = tx.execute(s -> repository.claimDue(now, n -> {
				sizes.add(n);
				return lease;
			}, 10, PER_ENDPOINT));
			assertThat(sizes).as("one lease for the endpoint's three deliveries").containsExactly(3);
			String later = event(endpoint);
			assertThat(claim(lease.minusMillis(1), lease.plusSeconds(60), 10)).isEmpty();
			List<Claimed> again = claim(lease, lease.plusSeconds(60), 10);

			List<String> expected = new ArrayList<>(events);
			expected.add(later);
			assertThat(again).extracting(Claimed::eventId).containsExactlyElementsOf(expected);
			assertThat(first).hasSize(3);
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
