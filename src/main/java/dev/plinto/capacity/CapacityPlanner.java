package dev.plinto.capacity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which installation a number of daily active users needs (docs/capacity.md): an activity model turns DAU into
 * peak requests per second per endpoint class; dividing by the throughput one vCPU sustains for each class (as
 * {@code bench/run.sh} measured it) gives busy vCPUs, and headroom up to the 70 % CPU scaling trigger gives the
 * vCPUs needed; processes of one vCPU each (with the high-availability rule) in a shape the deploy kit runs give
 * the recommendation. Memory, database size and connections, Redis, its cost, the guide's reference tier and the
 * hosted-service cost of the same users follow. Pure arithmetic: every input is in {@link Model}, {@link Throughput} and
 * {@link Prices}.
 */
final class CapacityPlanner {

	private static final double SECONDS_PER_DAY = 86_400;

	/**
	 * The activity model; every field has a documented default and a flag.
	 *
	 * @param signInsPerDau password sign-ins (and sign-ups) per daily user per day
	 * @param activeHours hours a day a daily user's client is open, refreshing its access token
	 * @param accessTokenTtl access-token lifetime; a client refreshes once per lifetime while active
	 * @param apiCallsPerDau requests per daily user per day that reach Plinto with an access token ({@code /v1/me}
	 * and the like; token checks in your own backend against the JWKS cost Plinto nothing)
	 * @param peakFactor busiest hour's rate over the day's average rate
	 * @param targetCpu CPU utilisation to plan for at the peak (0.7: the scaling trigger)
	 * @param mauPerDau monthly retained (active) users per daily active user, for hosted prices and users stored
	 * @param poolSize database connections per Plinto process ({@code PLINTO_DB_POOL_SIZE})
	 * @param auditDays days of audit events the database size counts (PLINTO_AUDIT_RETENTION, 365 days by default)
	 */
	record Model(double signInsPerDau, double activeHours, Duration accessTokenTtl, double apiCallsPerDau,
			double peakFactor, double targetCpu, double mauPerDau, int poolSize, int auditDays) {

		static final Model DEFAULTS = new Model(0.5, 2, Duration.ofMinutes(10), 50, 3, 0.7, 4, 10, 365);

		double refreshesPerActiveHour() {
			return 3600.0 / accessTokenTtl.toSeconds();
		}
	}

	/** Requests per second one fully busy vCPU serves, per endpoint class, and where the figures come from. */
	record Throughput(double signIn, double refresh, double api, String source) {

		/**
		 * docs/benchmarks.md, "Capacity planner defaults": medians of three runs on 2026-11-22, Temurin
		 * 25, RS256, one pinned vCPU, PostgreSQL — sign-in 19/s, refresh 596/s, {@code GET /v1/me} 5,088/s.
		 */
		static final Throughput DEFAULTS = new Throughput(19, 596, 5088,
				"defaults from docs/benchmarks.md (medians of 3 runs, 2026-11-22, Temurin 25, RS256, 1 vCPU)");

		/**
		 * The newest {@code bench/results/*.jsonl} in a directory, or the given file: per scenario the median of
		 * requests/s scaled to 100 % of the server's CPU ({@code rps × 100 / server_cpu_pct}). Scenarios missing
		 * from the file keep the defaults.
		 */
		static Throughput fromResults(Path path) {
			Path file = path;
			if (Files.isDirectory(path)) {
				try (Stream<Path> files = Files.list(path)) {
					file = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().reduce((a, b) -> b)
						.orElse(null);
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
				if (file == null) {
					return null;
				}
			}
			Map<String, List<Double>> rates = new LinkedHashMap<>();
			try {
				for (String line : Files.readAllLines(file)) {
					if (line.isBlank()) {
						continue;
					}
					JsonNode r = JSON.readTree(line);
					double rps = r.path("rps").asDouble(0);
					double cpu = r.path("server_cpu_pct").asDouble(100);
					if (rps > 0) {
						rates.computeIfAbsent(r.path("scenario").asString(""), k -> new ArrayList<>())
							.add(rps * 100 / Math.max(cpu, 1));
					}
				}
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			catch (RuntimeException e) {
				throw new IllegalArgumentException(file + " is not a bench/run.sh --json results file", e);
			}
			if (rates.isEmpty()) {
				return null;
			}
			return new Throughput(median(rates.get("sign-in"), DEFAULTS.signIn),
					median(rates.get("refresh"), DEFAULTS.refresh), median(rates.get("me"), DEFAULTS.api),
					"measured: " + file + " (requests/s per fully busy vCPU, median per scenario"
							+ (rates.keySet().containsAll(List.of("sign-in", "refresh", "me")) ? ")"
									: "; scenarios missing from it use the defaults)"));
		}

		private static double median(List<Double> values, double fallback) {
			if (values == null || values.isEmpty()) {
				return fallback;
			}
			List<Double> sorted = values.stream().sorted().toList();
			int n = sorted.size();
			return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}
	}

	/** A server tier of the sizing table in {@code capacity/prices.json}. */
	record Tier(String name, Long maxDau, String shape, Integer vcpus, Integer minNodes, long monthlyUsdMin,
			Long monthlyUsdMax) {
	}

	/** A per-user price band: users up to {@code upTo} (null: no limit) cost {@code usdPerUser} each. */
	record Band(Long upTo, BigDecimal usdPerUser) {
	}

	/** The dated price file {@code capacity/prices.json}. */
	record Prices(String asOf, List<Tier> tiers, long clerkFreeUpTo, BigDecimal clerkBaseUsd, List<Band> clerkBands,
			String clerkSource, long auth0FreeUpTo, String auth0Paid, String auth0Source) {

		static Prices load() {
			try (InputStream in = CapacityPlanner.class.getResourceAsStream("/capacity/prices.json")) {
				JsonNode p = JSON.readTree(in);
				List<Tier> tiers = new ArrayList<>();
				for (JsonNode t : p.path("tiers")) {
					tiers.add(new Tier(t.path("name").asString(), t.path("max_dau").isNull() ? null
							: t.path("max_dau").asLong(), t.path("shape").asString(), t.path("vcpus").isNull() ? null
									: t.path("vcpus").asInt(), t.path("min_nodes").isNull() ? null
											: t.path("min_nodes").asInt(), t.path("monthly_usd_min").asLong(),
							t.path("monthly_usd_max").isNull() ? null : t.path("monthly_usd_max").asLong()));
				}
				JsonNode clerk = p.path("clerk");
				List<Band> bands = new ArrayList<>();
				for (JsonNode b : clerk.path("bands")) {
					bands.add(new Band(b.path("up_to").isNull() ? null : b.path("up_to").asLong(),
							new BigDecimal(b.path("usd_per_user").asString())));
				}
				JsonNode auth0 = p.path("auth0");
				return new Prices(p.path("as_of").asString(), List.copyOf(tiers), clerk.path("free_up_to").asLong(),
						new BigDecimal(clerk.path("base_usd").asString()), List.copyOf(bands),
						clerk.path("source").asString(), auth0.path("free_up_to").asLong(),
						auth0.path("paid").asString(), auth0.path("source").asString());
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}

		/**
		 * Clerk's monthly price for this many monthly retained users: nothing up to the free limit; above it the
		 * base fee plus, for each band, its per-user price times the users that fall into it (graduated, like a
		 * tax bracket: the first 50,000 stay free, users 50,001–100,000 cost $0.02 each, and so on).
		 */
		BigDecimal clerkMonthlyUsd(long users) {
			if (users <= clerkFreeUpTo) {
				return BigDecimal.ZERO.setScale(2);
			}
			BigDecimal total = clerkBaseUsd;
			long lower = clerkFreeUpTo;
			for (Band band : clerkBands) {
				long upper = band.upTo() == null ? users : Math.min(users, band.upTo());
				if (upper > lower) {
					total = total.add(band.usdPerUser().multiply(BigDecimal.valueOf(upper - lower)));
				}
				if (band.upTo() == null || users <= band.upTo()) {
					break;
				}
				lower = band.upTo();
			}
			return total.setScale(2, RoundingMode.HALF_UP);
		}

		/** Auth0's list price when public: $0 within the free plan, otherwise null (not public). */
		BigDecimal auth0MonthlyUsd(long users) {
			return users <= auth0FreeUpTo ? BigDecimal.ZERO.setScale(2) : null;
		}

		/** The tier for this many daily users: the first whose DAU limit is at least that. */
		Tier tierFor(long dau) {
			return tiers.stream().filter(t -> t.maxDau() == null || dau <= t.maxDau()).findFirst().orElseThrow();
		}
	}

	/** Rows and bytes the database holds for this activity (see docs/capacity.md for the per-row estimates). */
	record Database(long users, long sessions, long signInFlows, long auditEvents, long bytes,
			int connections) {
	}

	/** How the deploy kit runs the recommended processes ({@code kit}: {@code single}, {@code compose}, {@code kubernetes}). */
	record Deployment(String kit, String description) {
	}

	/** A plan. */
	record Plan(long dau, Model model, Throughput throughput, double peakSignInsPerS, double peakRefreshesPerS,
			double peakApiPerS, double busyVcpus, int vcpus, int processes, long memoryMb, Database database,
			boolean redis, Deployment deployment, int serverVcpus, long selfHostedUsdMin, long selfHostedUsdMax,
			Tier tier, String tierReason, long monthlyRetainedUsers, BigDecimal clerkMonthlyUsd,
			BigDecimal auth0MonthlyUsd, Prices prices) {

		/** Every process gets the same vCPUs, so this is processes × {@link #VCPUS_PER_PROCESS}. */
		int totalVcpus() {
			return processes * VCPUS_PER_PROCESS;
		}

		double peakTotalPerS() {
			return peakSignInsPerS + peakRefreshesPerS + peakApiPerS;
		}
	}

	/**
	 * Estimated bytes per row on PostgreSQL, indexes included: the columns at typical filled widths (ids 30 bytes,
	 * emails 25, user agents 110, IPs 14, hashes 64 or 97, timestamps 8), the 28-byte tuple header and line
	 * pointer, one B-tree entry (key + 16 bytes) per index, and 20 % for free space in pages.
	 */
	static final int USER_BYTES = 360;

	/**
	 * A session row includes its refresh state: the sealed refresh secret (105 bytes: base64 of 77), the generation
	 * and the time of the last rotation (8 each).
	 */
	static final int SESSION_BYTES = 615;

	static final int SIGN_IN_FLOW_BYTES = 400;

	static final int AUDIT_EVENT_BYTES = 500;

	/** Sessions stay in the database for up to their maximum lifetime (30 days) plus 30 days after they end. */
	static final int SESSION_RETENTION_DAYS = 60;

	/** Sign-in flows are deleted a day after they expire. */
	static final int SIGN_IN_FLOW_RETENTION_DAYS = 2;

	/**
	 * Plinto processes: one per vCPU (the benchmarked shape, and the deploy kit's: one {@code bin/plinto} process per
	 * vCPU, each Compose container limited to 1 CPU).
	 */
	static final int VCPUS_PER_PROCESS = 1;

	/**
	 * High availability: above this many daily users (beyond the provisioning guide's single-server tiers) a second
	 * process runs, so that a restart, a deployment or a failed node does not stop sign-ins.
	 */
	static final long HA_ABOVE_DAU = 10_000;

	/** The Kubernetes manifests' replica bounds (deploy/kubernetes: 3 replicas, the HPA scales 3–20). */
	static final int KUBERNETES_MIN_REPLICAS = 3;

	static final int KUBERNETES_MAX_REPLICAS = 20;

	/**
	 * vCPUs beside Plinto when it runs several processes, as the Compose file limits them: PostgreSQL 1, Redis 0.5,
	 * nginx 0.5.
	 */
	static final int SUPPORTING_VCPUS = 2;

	/**
	 * Resident memory to provision per Plinto process: the benchmark's peak under load was 328–347 MB with
	 * {@code bin/plinto}'s settings; 512 MB keeps that under the 80 % memory trigger (and is the kit's limit).
	 */
	static final long MEMORY_MB_PER_PROCESS = 512;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CapacityPlanner() {
	}

	static Plan plan(long dau, Model m, Throughput t, Prices prices) {
		if (dau < 1) {
			throw new IllegalArgumentException("DAU must be at least 1");
		}
		double signInsPerDay = dau * m.signInsPerDau();
		double refreshesPerDay = dau * m.activeHours() * m.refreshesPerActiveHour();
		double apiPerDay = dau * m.apiCallsPerDau();
		double peakSignIns = signInsPerDay / SECONDS_PER_DAY * m.peakFactor();
		double peakRefreshes = refreshesPerDay / SECONDS_PER_DAY * m.peakFactor();
		double peakApi = apiPerDay / SECONDS_PER_DAY * m.peakFactor();
		double busy = peakSignIns / t.signIn() + peakRefreshes / t.refresh() + peakApi / t.api();
		int vcpus = Math.max(1, (int) Math.ceil(busy / m.targetCpu() - 1e-9));
		Tier byDau = prices.tierFor(dau);
		Tier tier = byDau;
		String reason = "by daily active users";
		while (tier.vcpus() != null && vcpus > tier.vcpus()) {
			reason = "daily active users point to " + byDau.name() + ", but the peak needs " + vcpus
					+ " vCPUs, more than its " + byDau.vcpus();
			tier = prices.tiers().get(prices.tiers().indexOf(tier) + 1);
		}
		int processes = Math.max(vcpus, dau > HA_ABOVE_DAU ? 2 : 1);
		if (processes > 2) {
			processes = Math.max(processes, KUBERNETES_MIN_REPLICAS);
		}
		Deployment deployment = deployment(processes);
		int serverVcpus = Math.max(2, processes * VCPUS_PER_PROCESS + (processes > 1 ? SUPPORTING_VCPUS : 0));
		Tier smallest = prices.tiers().get(0);
		long mau = Math.round(dau * m.mauPerDau());
		long sessions = Math.round(signInsPerDay * SESSION_RETENTION_DAYS);
		// One row per session, however often it refreshes: reuse detection uses the session's generation, and
		// nothing is stored per refresh token.
		long flows = Math.round(signInsPerDay * SIGN_IN_FLOW_RETENTION_DAYS);
		long audit = Math.round(signInsPerDay * m.auditDays());
		long bytes = mau * USER_BYTES + sessions * SESSION_BYTES + flows * SIGN_IN_FLOW_BYTES
				+ audit * AUDIT_EVENT_BYTES;
		Database db = new Database(mau, sessions, flows, audit, bytes, processes * m.poolSize());
		return new Plan(dau, m, t, peakSignIns, peakRefreshes, peakApi, busy, vcpus, processes,
				processes * MEMORY_MB_PER_PROCESS, db, processes > 1, deployment, serverVcpus,
				serverVcpus * smallest.monthlyUsdMin() / smallest.vcpus(),
				serverVcpus * smallest.monthlyUsdMax() / smallest.vcpus(), tier, reason, mau,
				prices.clerkMonthlyUsd(mau), prices.auth0MonthlyUsd(mau), prices);
	}

	/** The deploy kit's shape for this many processes (docs/deployment.md). */
	static Deployment deployment(int processes) {
		if (processes == 1) {
			return new Deployment("single", "one process on one server: bin/plinto or the container image "
					+ "(deploy/Dockerfile), embedded storage or PostgreSQL, no Redis");
		}
		if (processes == 2) {
			return new Deployment("compose", "Docker Compose (deploy/compose): two Plinto nodes behind nginx, "
					+ "PostgreSQL and one Redis");
		}
		return new Deployment("kubernetes", "Kubernetes (deploy/kubernetes): " + processes + " replicas"
				+ (processes > KUBERNETES_MAX_REPLICAS ? " (raise the HPA's maxReplicas from 20 to at least "
						+ processes + ")" : " (the HPA scales 3-20 at 70 % CPU)")
				+ ", managed PostgreSQL and one Redis primary endpoint (Redis Cluster is not supported)");
	}
}
