package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.org.OrgFixture.Person;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Checks that depend on a count hold under real concurrency (run on H2 and PostgreSQL with
 * {@code PLINTO_ORG_MAX_MEMBERS=3}): requests released together by a latch, over several rounds.
 */
final class ConcurrencyScenario {

	static final int MAX_MEMBERS = 3;

	private final ApiClient api;

	private final OrgFixture fx;

	ConcurrencyScenario(ApiClient api, OrgFixture fx) {
		this.api = api;
		this.fx = fx;
	}

	/** Concurrent invitations to an organization with two free places: exactly two succeed. */
	void memberLimitUnderConcurrentInvitations() throws Exception {
		Person owner = fx.person();
		for (int round = 0; round < 3; round++) {
			String org = fx.organization(owner);
			List<Callable<ApiClient.Response>> calls = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				calls.add(() -> fx.invite(owner, org, OrgFixture.newEmail(), "member"));
			}
			List<ApiClient.Response> responses = together(calls);
			String described = "round " + round + ": " + responses;
			assertThat(responses.stream().filter(r -> r.status() == 201)).as(described).hasSize(MAX_MEMBERS - 1);
			assertThat(responses).as(described)
				.filteredOn(r -> r.status() != 201)
				.allSatisfy(r -> assertThat(r.code()).isEqualTo("member_limit_reached"));
			assertThat(api.get("/v1/organizations/" + org + "/invitations", owner.token()).json().get("data").size())
				.isEqualTo(MAX_MEMBERS - 1);
			api.delete("/v1/organizations/" + org, owner.token());
		}
	}

	/** Two owners demoting each other at the same moment: exactly one succeeds, one owner always remains. */
	void lastOwnerUnderConcurrentDemotions() throws Exception {
		for (int round = 0; round < 5; round++) {
			Person first = fx.person();
			Person second = fx.person();
			String org = fx.organization(first);
			fx.addMember(first, org, second, "owner");
			List<ApiClient.Response> responses = together(List.of(
					() -> api.patch("/v1/organizations/" + org + "/members/" + second.id(), Map.of("role", "member"),
							first.token()),
					() -> api.patch("/v1/organizations/" + org + "/members/" + first.id(), Map.of("role", "member"),
							second.token())));
			String described = "round " + round + ": " + responses;
			assertThat(responses.stream().filter(r -> r.status() == 200)).as(described).hasSize(1);
			ApiClient.Response loser = responses.stream().filter(r -> r.status() != 200).findFirst().orElseThrow();
			assertThat(loser.code()).as(described).isIn("last_owner", "forbidden");
			Person winner = responses.get(0).status() == 200 ? first : second;
			ApiClient.Response members = api.get("/v1/organizations/" + org + "/members", winner.token());
			assertThat(members.raw()).as(described).contains("\"role\":\"owner\"");
		}
	}

	private static List<ApiClient.Response> together(List<Callable<ApiClient.Response>> calls) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(calls.size());
		try {
			CountDownLatch ready = new CountDownLatch(calls.size());
			CountDownLatch go = new CountDownLatch(1);
			List<Future<ApiClient.Response>> futures = new ArrayList<>();
			for (Callable<ApiClient.Response> call : calls) {
				futures.add(pool.submit(() -> {
					ready.countDown();
					go.await();
					return call.call();
				}));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			List<ApiClient.Response> responses = new ArrayList<>();
			for (Future<ApiClient.Response> f : futures) {
				responses.add(f.get(60, TimeUnit.SECONDS));
			}
			return responses;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
