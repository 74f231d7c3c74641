package dev.plinto.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plinto.cli.PlintoCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CapacityPlannerTests {

	private static final CapacityPlanner.Prices PRICES = CapacityPlanner.Prices.load();

	private static final CapacityPlanner.Model MODEL = CapacityPlanner.Model.DEFAULTS;

	private static final CapacityPlanner.Throughput BENCH = CapacityPlanner.Throughput.DEFAULTS;

	private static CapacityPlanner.Plan plan(long dau) {
		return CapacityPlanner.plan(dau, MODEL, BENCH, PRICES);
	}

	/**
	 * The default model by hand: per DAU and day 0.5 sign-ins, 2 h × 6 = 12 refreshes, 50 API calls; peak = daily
	 * count / 86,400 s × 3; busy vCPUs = Σ peak / per-vCPU rate (19, 596, 5,088); vCPUs = ceil(busy / 0.7);
	 * one process per vCPU, at least 2 above 10,000 DAU (high availability) and at least 3 beyond 2 (Kubernetes);
	 * 512 MB and 10 connections each; 4 monthly users per DAU; one refresh-token row per session, however often it
	 * refreshes.
	 */
	@ParameterizedTest
	@CsvSource({
			// dau,     tier, vcpus, processes, redis
			"999,        1K,   1,     1,         false",
			"1000,       1K,   1,     1,         false",
			"1001,       10K,  1,     1,         false",
			"10000,      10K,  1,     1,         false",
			"10001,      100K, 1,     2,         true",
			"100000,     100K, 1,     2,         true",
			"100001,     1M,   1,     2,         true",
			"1000000,    1M,   3,     3,         true",
			"1000001,    10M,  3,     3,         true",
			"10000000,   10M,  28,    28,        true",
			"10000001,   10M,  28,    28,        true" })
	void planWhenOnOrNextToATierBoundaryThenTierAndArithmeticAsComputedByHand(long dau, String tier, int vcpus,
			int processes, boolean redis) {
		CapacityPlanner.Plan p = plan(dau);
		double peakSignIns = dau * 0.5 / 86_400 * 3;
		double peakRefreshes = dau * 12.0 / 86_400 * 3;
		double peakApi = dau * 50.0 / 86_400 * 3;
		assertThat(p.peakSignInsPerS()).isCloseTo(peakSignIns, within(1e-9));
		assertThat(p.peakRefreshesPerS()).isCloseTo(peakRefreshes, within(1e-9));
		assertThat(p.peakApiPerS()).isCloseTo(peakApi, within(1e-9));
		double busy = peakSignIns / 19 + peakRefreshes / 596 + peakApi / 5088;
		assertThat(p.busyVcpus()).isCloseTo(busy, within(1e-9));
		assertThat(p.vcpus()).isEqualTo(vcpus).isEqualTo(Math.max(1, (int) Math.ceil(busy / 0.7)));
		assertThat(p.tier().name()).isEqualTo(tier);
		assertThat(p.processes()).isEqualTo(processes);
		assertThat(p.memoryMb()).isEqualTo(processes * 512L);
		assertThat(p.database().connections()).isEqualTo(processes * 10);
		assertThat(p.redis()).isEqualTo(redis);
		assertConsistent(p);
		assertThat(p.monthlyRetainedUsers()).isEqualTo(dau * 4);
		long sessions = Math.round(dau * 0.5 * 60);
		long audit = Math.round(dau * 0.5 * 365);
		assertThat(p.database().sessions()).isEqualTo(sessions);
		assertThat(p.database().auditEvents()).isEqualTo(audit);
		assertThat(p.database().bytes()).isEqualTo(dau * 4 * 360 + sessions * 615
				+ Math.round(dau * 0.5 * 2) * 400 + audit * 500);
	}

	/**
	 * What the plan recommends holds together and the deploy kit supports it: processes × vCPUs per process is the
	 * total, Redis exactly when there are several processes, one process, Compose's two nodes or Kubernetes' 3 or
	 * more replicas, never a Redis Cluster, and the self-hosted cost is the recommendation's servers priced per vCPU.
	 */
	private static void assertConsistent(CapacityPlanner.Plan p) {
		assertThat(p.totalVcpus()).isEqualTo(p.processes() * CapacityPlanner.VCPUS_PER_PROCESS)
			.isGreaterThanOrEqualTo(p.vcpus());
		assertThat(p.redis()).isEqualTo(p.processes() > 1);
		assertThat(p.deployment().kit()).isEqualTo(p.processes() == 1 ? "single"
				: p.processes() == 2 ? "compose" : "kubernetes");
		if (p.processes() > 2) {
			assertThat(p.processes()).isGreaterThanOrEqualTo(3);
		}
		assertThat(p.deployment().description().replace("(Redis Cluster is not supported)", ""))
			.doesNotContainIgnoringCase("cluster");
		int serverVcpus = Math.max(2, p.totalVcpus() + (p.processes() > 1 ? 2 : 0));
		assertThat(p.serverVcpus()).isEqualTo(serverVcpus);
		assertThat(p.selfHostedUsdMin()).isEqualTo(serverVcpus * 10L);
		assertThat(p.selfHostedUsdMax()).isEqualTo(serverVcpus * 20L);
	}

	@Test
	void planWhenTenThousandDauThenOneSmallProcessPricedAsSuchWithTheGuidesTierAsReference() {
		CapacityPlanner.Plan p = plan(10_000);
		assertThat(p.processes()).isEqualTo(1);
		assertThat(p.memoryMb()).isEqualTo(512);
		assertThat(p.selfHostedUsdMin()).isEqualTo(20);
		assertThat(p.selfHostedUsdMax()).isEqualTo(40);
		assertThat(p.tier().name()).isEqualTo("10K");
		String[] r = runCli("capacity", "--dau", "10000");
		assertThat(r[1]).contains("Recommended       1 Plinto process x 1 vCPU / 512 MB = 1 vCPU, 512 MB")
			.contains("Reference tier    10K: one 4 vCPU / 8 GB server, $80–160/month")
			.contains("Self-hosted     $20–40/month");
	}

	@Test
	void planWhenMillionDauThenKubernetesWithOneRedisAndAsManyProcessesAsVcpus() {
		CapacityPlanner.Plan p = plan(1_000_000);
		assertThat(p.vcpus()).isEqualTo(3);
		assertThat(p.processes()).isEqualTo(3);
		assertThat(p.totalVcpus()).isEqualTo(3);
		assertThat(p.deployment().description()).contains("one Redis primary endpoint");
		assertThat(p.tier().shape()).doesNotContainIgnoringCase("cluster");
		assertThat(CapacityPlanner.deployment(28).description()).contains("raise the HPA's maxReplicas");
	}

	@Test
	void planWhenTiersFromThePriceFileThenExactlyTheIssuesTable() {
		assertThat(PRICES.tiers()).extracting(CapacityPlanner.Tier::name, CapacityPlanner.Tier::shape,
				CapacityPlanner.Tier::monthlyUsdMin, CapacityPlanner.Tier::monthlyUsdMax)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("1K", "one 2 vCPU / 4 GB server", 20L, 40L),
					org.assertj.core.groups.Tuple.tuple("10K", "one 4 vCPU / 8 GB server", 80L, 160L),
					org.assertj.core.groups.Tuple.tuple("100K", "2-3 app servers + managed database + cache", 500L,
							1000L),
					org.assertj.core.groups.Tuple.tuple("1M",
							"autoscaling group of 5-10 nodes, multi-AZ database, managed Redis (one primary endpoint)", 3000L, 5000L),
					org.assertj.core.groups.Tuple.tuple("10M", "Kubernetes, multi-region", 50000L, null));
		assertThat(PRICES.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
	}

	@Test
	void planWhenPeakNeedsMoreVcpusThanTheTierByDauThenNextTierWithTheReason() {
		CapacityPlanner.Model heavy = new CapacityPlanner.Model(50, 2, Duration.ofMinutes(10), 50, 3, 0.7, 4, 10, 365);
		CapacityPlanner.Plan p = CapacityPlanner.plan(1000, heavy, BENCH, PRICES);
		// 50 sign-ins per user: 50,000 a day, peak 1.736/s, 0.0914 vCPU … still fits 2 vCPUs; 100x that does not.
		assertThat(p.tier().name()).isEqualTo("1K");
		CapacityPlanner.Plan burst = CapacityPlanner.plan(1000,
				new CapacityPlanner.Model(2000, 2, Duration.ofMinutes(10), 50, 3, 0.7, 4, 10, 365), BENCH, PRICES);
		assertThat(burst.vcpus()).isEqualTo((int) Math.ceil((1000 * 2000.0 / 86_400 * 3 / 19
				+ 1000 * 12.0 / 86_400 * 3 / 596 + 1000 * 50.0 / 86_400 * 3 / 5088) / 0.7));
		assertThat(burst.vcpus()).isEqualTo(6);
		assertThat(burst.tier().name()).isEqualTo("100K");
		assertThat(burst.tierReason()).contains("point to 1K").contains("needs 6 vCPUs");
		assertThat(burst.processes()).isEqualTo(6);
		assertConsistent(burst);
	}

	@ParameterizedTest
	@CsvSource({ "1, 0.00", "50000, 0.00", "50001, 25.02", "100000, 1025.00", "100001, 1025.02",
			"1000000, 17225.00", "1000001, 17225.02", "10000000, 152225.00", "10000001, 152225.01",
			"20000000, 272225.00" })
	void clerkMonthlyUsdWhenOnABandBoundaryThenFreeThenBaseFeePlusGraduatedPerUserPrices(long users, String usd) {
		// 25 + 50,000 × 0.02 = 1,025; + 900,000 × 0.018 = 17,225; + 9,000,000 × 0.015 = 152,225; then 0.012 each.
		assertThat(PRICES.clerkMonthlyUsd(users)).isEqualTo(new BigDecimal(usd));
	}

	@Test
	void auth0MonthlyUsdWhenWithinTheFreePlanThenZeroOtherwiseNotPublic() {
		assertThat(PRICES.auth0MonthlyUsd(25_000)).isEqualByComparingTo("0");
		assertThat(PRICES.auth0MonthlyUsd(25_001)).isNull();
		assertThat(PRICES.auth0Paid()).startsWith("not public");
	}

	@Test
	void throughputFromResultsWhenDirectoryThenNewestFileMedianPerScenarioScaledToAFullCpu(@TempDir Path dir)
			throws Exception {
		Files.writeString(dir.resolve("20260101T000000Z.jsonl"), "{\"scenario\":\"me\",\"rps\":1,\"server_cpu_pct\":100}\n");
		Files.writeString(dir.resolve("20260202T000000Z.jsonl"), String.join("\n",
				"{\"scenario\":\"raw\",\"argon2id_verify_per_s\":30}",
				"{\"scenario\":\"sign-in\",\"rps\":20,\"server_cpu_pct\":100}",
				"{\"scenario\":\"sign-in\",\"rps\":10,\"server_cpu_pct\":50}",
				"{\"scenario\":\"sign-in\",\"rps\":40,\"server_cpu_pct\":100}",
				"{\"scenario\":\"refresh\",\"rps\":450,\"server_cpu_pct\":90}",
				"{\"scenario\":\"me\",\"rps\":4000,\"server_cpu_pct\":80}", ""));
		CapacityPlanner.Throughput t = CapacityPlanner.Throughput.fromResults(dir);
		assertThat(t.signIn()).isEqualTo(20);
		assertThat(t.refresh()).isEqualTo(500);
		assertThat(t.api()).isEqualTo(5000);
		assertThat(t.source()).contains("20260202T000000Z.jsonl");
	}

	private static String[] runCli(String... args) {
		PrintStream out = System.out;
		PrintStream err = System.err;
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		int code;
		try {
			System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
			System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
			code = new CommandLine(new PlintoCommand()).execute(args);
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
		return new String[] { String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8) };
	}

	@Test
	void capacityWhenJsonThenEveryDocumentedFieldInSnakeCase(@TempDir Path dir) throws Exception {
		String[] r = runCli("capacity", "--dau", "100000", "--json", "--bench-results", dir.toString());
		assertThat(r[0]).as(r[2]).isEqualTo("0");
		JsonNode json = JsonMapper.builder().build().readTree(r[1]);
		assertThat(json.propertyNames()).containsExactly("dau", "model", "throughput_per_vcpu",
				"peak_requests_per_s", "busy_vcpus", "vcpus", "processes", "vcpus_per_process", "total_vcpus",
				"memory_mb", "deployment", "database", "redis", "self_hosted", "tier", "hosted");
		assertThat(json.get("deployment").get("kit").asString()).isEqualTo("compose");
		assertThat(json.get("self_hosted").propertyNames()).containsExactly("server_vcpus", "monthly_usd_min",
				"monthly_usd_max");
		assertThat(json.get("self_hosted").get("monthly_usd_min").asLong()).isEqualTo(40);
		assertThat(json.get("model").propertyNames()).containsExactly("sign_ins_per_dau", "active_hours",
				"access_token_ttl_seconds", "refreshes_per_active_hour", "api_calls_per_dau", "peak_factor",
				"target_cpu", "mau_per_dau", "pool_size", "audit_days");
		assertThat(json.get("throughput_per_vcpu").get("source").asString()).startsWith("defaults from docs/benchmarks.md");
		assertThat(json.get("peak_requests_per_s").propertyNames()).containsExactly("sign_in", "refresh", "api",
				"total");
		assertThat(json.get("database").propertyNames()).containsExactly("size_bytes", "users", "sessions",
				"sign_in_flows", "audit_events", "connections");
		assertThat(json.get("tier").get("name").asString()).isEqualTo("100K");
		assertThat(json.get("tier").propertyNames()).containsExactly("name", "shape", "monthly_usd_min",
				"monthly_usd_max", "reason");
		assertThat(json.get("hosted").propertyNames()).containsExactly("prices_as_of", "monthly_retained_users",
				"clerk_monthly_usd", "auth0_monthly_usd", "auth0_note");
		assertThat(json.get("hosted").get("clerk_monthly_usd").decimalValue()).isEqualByComparingTo("6425");
		assertThat(json.get("hosted").get("auth0_monthly_usd").isNull()).isTrue();
		assertThat(json.get("dau").asLong()).isEqualTo(100000);
		assertThat(json.get("vcpus").asInt()).isEqualTo(1);
		assertThat(json.get("redis").asBoolean()).isTrue();
	}

	@Test
	void capacityWhenTextThenTierHostedPricesAndTheirDate() {
		String[] r = runCli("capacity", "--dau", "1000");
		assertThat(r[0]).isEqualTo("0");
		assertThat(r[1]).contains("Reference tier    1K: one 2 vCPU / 4 GB server, $20–40/month")
			.contains("list prices as of " + PRICES.asOf())
			.contains("Clerk           $0.00/month")
			.contains("Self-hosted     $20–40/month");
	}

	@Test
	void capacityWhenFlagsBadThenExit2WithOneSentence() {
		for (List<String> args : List.of(List.of("capacity", "--dau", "0"),
				List.of("capacity", "--dau", "10", "--access-token-ttl", "soon"),
				List.of("capacity", "--dau", "10", "--target-cpu", "1.5"),
				List.of("capacity", "--dau", "10", "--peak-factor", "0.5"))) {
			String[] r = runCli(args.toArray(String[]::new));
			assertThat(r[0]).as(args.toString()).isEqualTo("2");
			assertThat(r[2].strip()).as(args.toString()).startsWith("--").endsWith(".").doesNotContain("\n");
		}
	}
}
