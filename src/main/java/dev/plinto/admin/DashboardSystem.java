package dev.plinto.admin;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.plinto.backup.ScheduledBackups;
import dev.plinto.capacity.CapacityEstimates;
import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.SharedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dashboard's system page: the health of what Plinto depends on (database, Redis, the mail outbox, scheduled
 * backups), the four scaling triggers of the provisioning guide (docs/capacity.md) each with its current value on
 * this node, and the capacity plan for the measured daily active users with the hosted services' price for the
 * measured monthly active users ({@link CapacityEstimates}, from the dated price file).
 */
@Component
public final class DashboardSystem {

	/** The triggers' thresholds: CPU 70 %, memory 80 %, p95 latency 500 ms, all database connections in use. */
	static final double CPU_TRIGGER = 0.70;

	static final double MEMORY_TRIGGER = 0.80;

	static final Duration P95_TRIGGER = Duration.ofMillis(500);

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final SharedRedis redis;

	private final ObjectProvider<ScheduledBackups> backups;

	private final MeterRegistry meters;

	private final DashboardStats stats;

	private final PlintoSettings settings;

	private final Clock clock;

	DashboardSystem(DataSource dataSource, SharedRedis redis, ObjectProvider<ScheduledBackups> backups,
			MeterRegistry meters, DashboardStats stats, PlintoSettings settings, Clock clock) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.redis = redis;
		this.backups = backups;
		this.meters = meters;
		this.stats = stats;
		this.settings = settings;
		this.clock = clock;
	}

	/** The state of one dependency: {@code ok} (green), {@code warn} or {@code down}, and what was measured. */
	public record Check(String name, String state, String detail) {
	}

	/**
	 * A scaling trigger: its name, the current value as text, the threshold as text, whether it is reached, and
	 * the value as a share of the threshold's scale (0..1, for the meter), or -1 when it could not be measured.
	 */
	public record Trigger(String name, String value, String threshold, boolean reached, double ratio) {
	}

	/** The system page. */
	public record Report(Instant at, List<Check> checks, List<Trigger> triggers, DashboardStats.ActiveUsers active,
			CapacityEstimates.Estimate plan) {
	}

	public Report report() {
		Capacity capacity = capacity();
		Instant now = capacity.at();
		return new Report(now, List.of(database(), redis(), mailOutbox(now), backup()),
				List.of(cpu(), memory(), p95(), connections()), capacity.measured(), capacity.plan());
	}

	/**
	 * The capacity plan and what it was made from: the active users measured now, and the plan for the measured
	 * daily active users (at least one) priced for the measured monthly active users.
	 */
	public record Capacity(Instant at, DashboardStats.ActiveUsers measured, CapacityEstimates.Estimate plan) {
	}

	/** The system page's capacity plan, and the Backend API's {@code GET /v1/admin/capacity}. */
	public Capacity capacity() {
		Instant now = clock.instant();
		DashboardStats.ActiveUsers active = stats.activeUsers(now);
		return new Capacity(now, active, CapacityEstimates.forMeasured(active.daily(), active.monthly()));
	}

	private Check database() {
		try (Connection c = dataSource.getConnection()) {
			return c.isValid(2) ? new Check("database", "ok", c.getMetaData().getDatabaseProductName())
					: new Check("database", "down", "");
		}
		catch (Exception e) {
			return new Check("database", "down", "");
		}
	}

	private Check redis() {
		if (!redis.configured()) {
			return new Check("redis", "ok", "not_configured");
		}
		if (redis.ping()) {
			return new Check("redis", "ok", "up");
		}
		return new Check("redis", redis.failureMode() == PlintoSettings.RedisFailure.LOCAL ? "warn" : "down",
				redis.failureMode() == PlintoSettings.RedisFailure.LOCAL ? "degraded" : "down");
	}

	/** Mails not yet sent, and how long the oldest has waited; more than 15 minutes is a warning. */
	private Check mailOutbox(Instant now) {
		long pending = jdbc.sql("select count(*) from mail_outbox where sent_at is null").query(Long.class).single();
		Optional<Instant> oldest = jdbc.sql("select min(created_at) from mail_outbox where sent_at is null")
			.query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)).map(java.sql.Timestamp::toInstant))
			.single();
		Duration waiting = oldest.map(o -> Duration.between(o, now)).orElse(Duration.ZERO);
		return new Check("mail", waiting.compareTo(Duration.ofMinutes(15)) > 0 ? "warn" : "ok",
				pending + "/" + waiting.toMinutes());
	}

	private Check backup() {
		ScheduledBackups b = backups.getIfAvailable();
		if (b == null) {
			return new Check("backup", "warn", "not_configured");
		}
		ScheduledBackups.Status s = b.status();
		if (!s.configured()) {
			return new Check("backup", "warn", "not_configured");
		}
		return new Check("backup", s.tooOld() ? "down" : "ok",
				s.lastSuccess() == null ? "none_yet" : AdminPageFrame.minute(s.lastSuccess()));
	}

	/** The process's share of the machine's CPU, as Micrometer's {@code process.cpu.usage} reports it. */
	private Trigger cpu() {
		double load = Optional.ofNullable(meters.find("process.cpu.usage").gauge())
			.map(g -> g.value())
			.orElseGet(() -> ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
					? os.getProcessCpuLoad() : -1.0);
		if (Double.isNaN(load) || load < 0) {
			return new Trigger("cpu", "", percent(CPU_TRIGGER), false, -1);
		}
		return new Trigger("cpu", percent(load), percent(CPU_TRIGGER), load > CPU_TRIGGER, load);
	}

	/**
	 * Resident memory of the process over its limit: the container's ({@code memory.max} of cgroup v2) when one is
	 * set, otherwise the machine's memory.
	 */
	private Trigger memory() {
		long rss = residentBytes();
		long limit = memoryLimit();
		if (rss <= 0 || limit <= 0) {
			Runtime rt = Runtime.getRuntime();
			rss = rt.totalMemory() - rt.freeMemory();
			limit = rt.maxMemory();
		}
		double share = (double) rss / limit;
		return new Trigger("memory", percent(share) + " (" + rss / (1024 * 1024) + " / " + limit / (1024 * 1024)
				+ " MB)", percent(MEMORY_TRIGGER), share > MEMORY_TRIGGER, share);
	}

	private static long residentBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException e) {
			// not Linux: the heap stands in
		}
		return -1;
	}

	private static long memoryLimit() {
		try {
			String max = Files.readString(Path.of("/sys/fs/cgroup/memory.max")).trim();
			if (!max.equals("max")) {
				return Long.parseLong(max);
			}
		}
		catch (IOException | RuntimeException e) {
			// no cgroup v2 limit
		}
		return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
				? os.getTotalMemorySize() : -1;
	}

	/**
	 * The 95th percentile of the HTTP server's request durations since the process started, from the histogram
	 * buckets Micrometer keeps for {@code http.server.requests} (all routes together): the upper bound of the bucket
	 * where 95 % of the requests are reached.
	 */
	private Trigger p95() {
		Map<Double, Double> buckets = new TreeMap<>();
		long total = 0;
		for (Timer timer : meters.find("http.server.requests").timers()) {
			HistogramSnapshot snapshot = timer.takeSnapshot();
			total += snapshot.count();
			for (CountAtBucket b : snapshot.histogramCounts()) {
				buckets.merge(b.bucket(java.util.concurrent.TimeUnit.MILLISECONDS), b.count(), Double::sum);
			}
		}
		if (total == 0 || buckets.isEmpty()) {
			return new Trigger("p95", "", P95_TRIGGER.toMillis() + " ms", false, -1);
		}
		double wanted = total * 0.95;
		double p95 = Double.NaN;
		for (Map.Entry<Double, Double> b : buckets.entrySet()) {
			if (b.getValue() >= wanted) {
				p95 = b.getKey();
				break;
			}
		}
		if (Double.isNaN(p95)) {
			return new Trigger("p95", "> " + Math.round(buckets.keySet().stream().reduce((a, b) -> b).orElse(0.0))
					+ " ms", P95_TRIGGER.toMillis() + " ms", true, 1);
		}
		double ratio = p95 / P95_TRIGGER.toMillis();
		return new Trigger("p95", "≤ " + Math.round(p95) + " ms", P95_TRIGGER.toMillis() + " ms",
				p95 > P95_TRIGGER.toMillis(), Math.min(1, ratio));
	}

	/** Connections of this node's pool in use over its size; saturated when all are in use or requests wait. */
	private Trigger connections() {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
				HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
				if (pool != null) {
					int active = pool.getActiveConnections();
					int max = hikari.getMaximumPoolSize();
					int waiting = pool.getThreadsAwaitingConnection();
					return new Trigger("connections", active + " / " + max + (waiting > 0 ? " (+" + waiting + ")" : ""),
							max + " / " + max, active >= max || waiting > 0, (double) active / max);
				}
			}
		}
		catch (java.sql.SQLException e) {
			// not a Hikari pool: not measured
		}
		return new Trigger("connections", "", "", false, -1);
	}

	private static String percent(double share) {
		return Math.round(share * 1000) / 10.0 + " %";
	}
}
