package dev.plinto.capacity;

import dev.plinto.config.PlintoSettings;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code plinto capacity --dau N}: the server an installation needs, and what hosted services would charge. */
@Command(name = "capacity", mixinStandardHelpOptions = true, description = "Size an installation for a number of daily active users "
		+ "(docs/capacity.md).")
public final class CapacityCommand implements Callable<Integer> {

	@Option(names = "--dau", required = true, paramLabel = "N", description = "Daily active users.")
	long dau;

	@Option(names = "--sign-ins-per-dau", paramLabel = "X", description = "Password sign-ins per daily user per day "
			+ "(default ${DEFAULT-VALUE}).")
	double signInsPerDau = CapacityPlanner.Model.DEFAULTS.signInsPerDau();

	@Option(names = "--active-hours", paramLabel = "H", description = "Hours a day a daily user's client is open and "
			+ "refreshing (default ${DEFAULT-VALUE}).")
	double activeHours = CapacityPlanner.Model.DEFAULTS.activeHours();

	@Option(names = "--access-token-ttl", paramLabel = "DURATION", description = "Access-token lifetime, as "
			+ "PLINTO_ACCESS_TOKEN_TTL (default 10m); one refresh per lifetime while active.")
	String accessTokenTtl = "10m";

	@Option(names = "--api-calls-per-dau", paramLabel = "N", description = "Requests per daily user per day that "
			+ "reach Plinto with an access token, like GET /v1/me (default ${DEFAULT-VALUE}).")
	double apiCallsPerDau = CapacityPlanner.Model.DEFAULTS.apiCallsPerDau();

	@Option(names = "--peak-factor", paramLabel = "X", description = "Busiest hour over the daily average "
			+ "(default ${DEFAULT-VALUE}).")
	double peakFactor = CapacityPlanner.Model.DEFAULTS.peakFactor();

	@Option(names = "--target-cpu", paramLabel = "FRACTION", description = "CPU utilisation to plan for at the peak "
			+ "(default ${DEFAULT-VALUE}: the 70 %% scaling trigger).")
	double targetCpu = CapacityPlanner.Model.DEFAULTS.targetCpu();

	@Option(names = "--mau-per-dau", paramLabel = "X", description = "Monthly retained users per daily active user "
			+ "(default ${DEFAULT-VALUE}).")
	double mauPerDau = CapacityPlanner.Model.DEFAULTS.mauPerDau();

	@Option(names = "--pool-size", paramLabel = "N", description = "PLINTO_DB_POOL_SIZE per process "
			+ "(default ${DEFAULT-VALUE}).")
	int poolSize = CapacityPlanner.Model.DEFAULTS.poolSize();

	@Option(names = "--audit-days", paramLabel = "DAYS", description = "Days of audit events counted in the database "
			+ "size (default ${DEFAULT-VALUE}).")
	int auditDays = CapacityPlanner.Model.DEFAULTS.auditDays();

	@Option(names = "--bench-results", paramLabel = "PATH", description = "A bench/run.sh --json results file, or a "
			+ "directory whose newest .jsonl is used (default bench/results when it exists).")
	Path benchResults;

	@Option(names = "--json", description = "Print the plan as JSON.")
	boolean json;

	@Override
	public Integer call() {
		String problem = validate();
		if (problem != null) {
			System.err.println(problem);
			return 2;
		}
		CapacityPlanner.Throughput throughput = CapacityPlanner.Throughput.DEFAULTS;
		Path results = benchResults != null ? benchResults : Path.of("bench", "results");
		if (benchResults != null && !Files.exists(benchResults)) {
			System.err.println("--bench-results: " + benchResults + " does not exist.");
			return 2;
		}
		if (Files.exists(results)) {
			try {
				CapacityPlanner.Throughput measured = CapacityPlanner.Throughput.fromResults(results);
				if (measured != null) {
					throughput = measured;
				}
			}
			catch (IllegalArgumentException e) {
				System.err.println("--bench-results: " + e.getMessage() + ".");
				return 2;
			}
		}
		CapacityPlanner.Model model = new CapacityPlanner.Model(signInsPerDau, activeHours,
				PlintoSettings.DurationFormat.parse(accessTokenTtl), apiCallsPerDau, peakFactor, targetCpu, mauPerDau,
				poolSize, auditDays);
		CapacityPlanner.Plan plan = CapacityPlanner.plan(dau, model, throughput, CapacityPlanner.Prices.load());
		if (json) {
			System.out.println(JsonMapper.builder()
				.enable(SerializationFeature.INDENT_OUTPUT)
				.build()
				.writeValueAsString(toJson(plan)));
		}
		else {
			print(plan, System.out);
		}
		return 0;
	}

	private String validate() {
		if (dau < 1) {
			return "--dau must be a whole number of at least 1, not " + dau + ".";
		}
		var ttl = PlintoSettings.DurationFormat.parse(accessTokenTtl);
		if (ttl == null || ttl.toSeconds() < 30) {
			return "--access-token-ttl must be a duration of at least 30s such as 10m, not '" + accessTokenTtl + "'.";
		}
		if (signInsPerDau < 0 || activeHours < 0 || activeHours > 24 || apiCallsPerDau < 0) {
			return "--sign-ins-per-dau and --api-calls-per-dau must not be negative, and --active-hours must be from "
					+ "0 to 24.";
		}
		if (peakFactor < 1 || peakFactor > 24) {
			return "--peak-factor must be from 1 to 24 (the busiest hour over the day's average), not " + peakFactor
					+ ".";
		}
		if (targetCpu <= 0 || targetCpu > 1) {
			return "--target-cpu must be a fraction above 0 and at most 1, such as 0.7, not " + targetCpu + ".";
		}
		if (mauPerDau < 1) {
			return "--mau-per-dau must be at least 1 (every daily user is a monthly user), not " + mauPerDau + ".";
		}
		if (poolSize < 1 || auditDays < 0) {
			return "--pool-size must be at least 1 and --audit-days not negative.";
		}
		return null;
	}

	static Map<String, Object> toJson(CapacityPlanner.Plan p) {
		CapacityPlanner.Model m = p.model();
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("dau", p.dau());
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("sign_ins_per_dau", m.signInsPerDau());
		model.put("active_hours", m.activeHours());
		model.put("access_token_ttl_seconds", m.accessTokenTtl().toSeconds());
		model.put("refreshes_per_active_hour", round(m.refreshesPerActiveHour(), 3));
		model.put("api_calls_per_dau", m.apiCallsPerDau());
		model.put("peak_factor", m.peakFactor());
		model.put("target_cpu", m.targetCpu());
		model.put("mau_per_dau", m.mauPerDau());
		model.put("pool_size", m.poolSize());
		model.put("audit_days", m.auditDays());
		out.put("model", model);
		Map<String, Object> throughput = new LinkedHashMap<>();
		throughput.put("source", p.throughput().source());
		throughput.put("sign_in_per_s", round(p.throughput().signIn(), 1));
		throughput.put("refresh_per_s", round(p.throughput().refresh(), 1));
		throughput.put("api_per_s", round(p.throughput().api(), 1));
		out.put("throughput_per_vcpu", throughput);
		Map<String, Object> peak = new LinkedHashMap<>();
		peak.put("sign_in", round(p.peakSignInsPerS(), 3));
		peak.put("refresh", round(p.peakRefreshesPerS(), 3));
		peak.put("api", round(p.peakApiPerS(), 3));
		peak.put("total", round(p.peakTotalPerS(), 3));
		out.put("peak_requests_per_s", peak);
		out.put("busy_vcpus", round(p.busyVcpus(), 4));
		out.put("vcpus", p.vcpus());
		out.put("processes", p.processes());
		out.put("vcpus_per_process", CapacityPlanner.VCPUS_PER_PROCESS);
		out.put("total_vcpus", p.totalVcpus());
		out.put("memory_mb", p.memoryMb());
		Map<String, Object> deployment = new LinkedHashMap<>();
		deployment.put("kit", p.deployment().kit());
		deployment.put("description", p.deployment().description());
		out.put("deployment", deployment);
		Map<String, Object> db = new LinkedHashMap<>();
		db.put("size_bytes", p.database().bytes());
		db.put("users", p.database().users());
		db.put("sessions", p.database().sessions());
		db.put("sign_in_flows", p.database().signInFlows());
		db.put("audit_events", p.database().auditEvents());
		db.put("connections", p.database().connections());
		out.put("database", db);
		out.put("redis", p.redis());
		Map<String, Object> selfHosted = new LinkedHashMap<>();
		selfHosted.put("server_vcpus", p.serverVcpus());
		selfHosted.put("monthly_usd_min", p.selfHostedUsdMin());
		selfHosted.put("monthly_usd_max", p.selfHostedUsdMax());
		out.put("self_hosted", selfHosted);
		Map<String, Object> tier = new LinkedHashMap<>();
		tier.put("name", p.tier().name());
		tier.put("shape", p.tier().shape());
		tier.put("monthly_usd_min", p.tier().monthlyUsdMin());
		tier.put("monthly_usd_max", p.tier().monthlyUsdMax());
		tier.put("reason", p.tierReason());
		out.put("tier", tier);
		Map<String, Object> hosted = new LinkedHashMap<>();
		hosted.put("prices_as_of", p.prices().asOf());
		hosted.put("monthly_retained_users", p.monthlyRetainedUsers());
		hosted.put("clerk_monthly_usd", p.clerkMonthlyUsd());
		hosted.put("auth0_monthly_usd", p.auth0MonthlyUsd());
		hosted.put("auth0_note", p.auth0MonthlyUsd() != null ? "free plan, up to "
				+ p.prices().auth0FreeUpTo() + " monthly active users" : p.prices().auth0Paid());
		out.put("hosted", hosted);
		return out;
	}

	static void print(CapacityPlanner.Plan p, PrintStream out) {
		CapacityPlanner.Model m = p.model();
		out.printf(Locale.ROOT, "Capacity for %,d daily active users%n%n", p.dau());
		out.printf(Locale.ROOT, "Activity model: %s sign-ins per user per day, %s active hours refreshing every %s "
				+ "(%s refreshes/hour), %s API calls per user per day, peak hour %s x the average.%n",
				num(m.signInsPerDau()), num(m.activeHours()), PlintoSettings.DurationFormat.format(m.accessTokenTtl()),
				num(round(m.refreshesPerActiveHour(), 2)), num(m.apiCallsPerDau()), num(m.peakFactor()));
		out.printf(Locale.ROOT, "Throughput per vCPU: sign-in %s/s, refresh %s/s, API %s/s — %s.%n%n",
				num(round(p.throughput().signIn(), 1)), num(round(p.throughput().refresh(), 1)),
				num(round(p.throughput().api(), 1)), p.throughput().source());
		out.printf(Locale.ROOT, "Peak requests/s   sign-in %s, refresh %s, API %s (total %s)%n",
				num(round(p.peakSignInsPerS(), 2)), num(round(p.peakRefreshesPerS(), 2)),
				num(round(p.peakApiPerS(), 2)), num(round(p.peakTotalPerS(), 2)));
		out.printf(Locale.ROOT, "vCPUs needed      %d (%s busy at the peak, planned at %s %% CPU)%n", p.vcpus(),
				num(round(p.busyVcpus(), 3)), num(round(m.targetCpu() * 100, 1)));
		out.printf(Locale.ROOT, "Recommended       %d Plinto process%s x %d vCPU / %d MB = %d vCPU%s, %,d MB%s%n",
				p.processes(), p.processes() == 1 ? "" : "es", CapacityPlanner.VCPUS_PER_PROCESS,
				CapacityPlanner.MEMORY_MB_PER_PROCESS, p.totalVcpus(), p.totalVcpus() == 1 ? "" : "s", p.memoryMb(),
				p.processes() > p.vcpus() ? " (more than the vCPUs needed: "
						+ (p.dau() > CapacityPlanner.HA_ABOVE_DAU && p.processes() == 2
								? "a second process for high availability above "
										+ String.format(Locale.ROOT, "%,d", CapacityPlanner.HA_ABOVE_DAU)
										+ " daily users)"
								: "Kubernetes runs at least " + CapacityPlanner.KUBERNETES_MIN_REPLICAS + " replicas)")
						: "");
		out.printf(Locale.ROOT, "Deployment        %s%n", p.deployment().description());
		CapacityPlanner.Database db = p.database();
		out.printf(Locale.ROOT, "Database          %s: %,d users, %,d sessions, %,d audit "
				+ "events (%d days)%n", bytes(db.bytes()), db.users(), db.sessions(),
				db.auditEvents(), m.auditDays());
		out.printf(Locale.ROOT, "DB connections    %,d (%d per process; keep PostgreSQL's max_connections above)%n",
				db.connections(), m.poolSize());
		out.printf(Locale.ROOT, "Redis             %s%n", p.redis()
				? "yes (several Plinto processes share rate limits and revocations through it)"
				: "no (one Plinto process)");
		out.printf(Locale.ROOT, "Reference tier    %s: %s, %s/month (%s; the provisioning guide's sizing, with room "
				+ "for monitoring and growth)%n%n", p.tier().name(), p.tier().shape(), usdRange(p.tier()),
				p.tierReason());
		out.printf(Locale.ROOT, "Hosted services for %,d monthly retained users (%s x DAU), list prices as of %s:%n",
				p.monthlyRetainedUsers(), num(m.mauPerDau()), p.prices().asOf());
		out.printf(Locale.ROOT, "  Clerk           %s/month%n", usd(p.clerkMonthlyUsd()));
		out.printf(Locale.ROOT, "  Auth0           %s%n", p.auth0MonthlyUsd() != null
				? usd(p.auth0MonthlyUsd()) + "/month (free plan, up to " + String.format(Locale.ROOT, "%,d",
						p.prices().auth0FreeUpTo()) + " monthly active users)"
				: p.prices().auth0Paid());
		out.printf(Locale.ROOT, "  Self-hosted     $%,d–%,d/month (%d vCPUs of servers for the recommendation%s, at the "
				+ "%s tier's $%,d–%,d per vCPU)%n", p.selfHostedUsdMin(), p.selfHostedUsdMax(), p.serverVcpus(),
				p.processes() > 1 ? " with PostgreSQL, Redis and nginx" : "", p.prices().tiers().get(0).name(),
				p.prices().tiers().get(0).monthlyUsdMin() / p.prices().tiers().get(0).vcpus(),
				p.prices().tiers().get(0).monthlyUsdMax() / p.prices().tiers().get(0).vcpus());
	}

	private static String usdRange(CapacityPlanner.Tier t) {
		return t.monthlyUsdMax() == null ? String.format(Locale.ROOT, "$%,d+", t.monthlyUsdMin())
				: String.format(Locale.ROOT, "$%,d–%,d", t.monthlyUsdMin(), t.monthlyUsdMax());
	}

	private static String usd(BigDecimal amount) {
		return String.format(Locale.ROOT, "$%,.2f", amount);
	}

	private static String bytes(long b) {
		double gb = b / 1e9;
		return gb >= 1 ? String.format(Locale.ROOT, "%,.1f GB", gb) : String.format(Locale.ROOT, "%,.1f MB", b / 1e6);
	}

	private static double round(double v, int digits) {
		return BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_UP).doubleValue();
	}

	private static String num(double v) {
		return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
	}
}
