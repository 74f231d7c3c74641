package dev.plinto.backup;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.web.ClientInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Scheduled backups, when {@code PLINTO_BACKUP_DIR} is set: at every time of {@code PLINTO_BACKUP_SCHEDULE} (UTC)
 * exactly one node — the one that takes the ShedLock lock {@code backup} — writes
 * {@code plinto-<UTC time>.backup} into the directory with {@code PLINTO_BACKUP_KEY}, records the run in
 * {@code backup_runs}, and then deletes the directory's older backups that {@code PLINTO_BACKUP_KEEP} does not
 * keep. Every node with the directory set exports the time of the last successful backup
 * ({@code plinto_backup_last_success_timestamp_seconds}) and answers {@code /health/backup} from the shared
 * record, so any node tells when backups stopped.
 */
@Component
public final class ScheduledBackups implements SchedulingConfigurer {

	private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);

	static final Pattern FILE_NAME = Pattern.compile("plinto-(\\d{8}T\\d{6}Z)\\.backup");

	static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

	/** A run that takes longer loses its lock (another node may then start one). */
	static final Duration LOCK_AT_MOST = Duration.ofHours(6);

	/**
	 * Held at least this long, so a node whose clock is a little behind does not run the same scheduled time once
	 * more after a quick backup released the lock.
	 */
	static final Duration LOCK_AT_LEAST = Duration.ofSeconds(30);

	/** How long the record of runs is kept. */
	static final Duration KEEP_RUNS = Duration.ofDays(90);

	private final PlintoSettings.Backup settings;

	private final DataSource dataSource;

	private final BackupRunRepository runs;

	private final AuditLog audit;

	private final LockingTaskExecutor locks;

	private final Clock clock;

	private final Instant startedAt;

	private final String node;

	private final Counter successes;

	private final Counter failures;

	private volatile Optional<Instant> lastSuccess = Optional.empty();

	ScheduledBackups(PlintoSettings settings, DataSource dataSource, BackupRunRepository runs, LockProvider lockProvider,
			Clock clock, MeterRegistry meters, AuditLog audit) {
		this.audit = audit;
		this.settings = settings.backup();
		this.dataSource = dataSource;
		this.runs = runs;
		this.locks = new DefaultLockingTaskExecutor(lockProvider);
		this.clock = clock;
		this.startedAt = clock.instant();
		this.node = hostName();
		this.successes = Counter.builder("plinto.backups").description("Scheduled backups run on this node, by outcome")
			.tag("outcome", "success").register(meters);
		this.failures = Counter.builder("plinto.backups").description("Scheduled backups run on this node, by outcome")
			.tag("outcome", "failure").register(meters);
		if (enabled()) {
			Gauge.builder("plinto.backup.last.success.timestamp",
					() -> lastSuccess.map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
				.description("When the last successful scheduled backup finished (any node), in Unix seconds")
				.baseUnit("seconds")
				.register(meters);
		}
	}

	boolean enabled() {
		return settings.dir().isPresent();
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		if (!enabled()) {
			return;
		}
		CronExpression schedule = settings.schedule();
		registrar.addTriggerTask(this::runOnOneNode, context -> {
			Instant last = context.lastCompletion();
			ZonedDateTime from = (last != null ? last : context.getClock().instant()).atZone(ZoneOffset.UTC);
			ZonedDateTime next = schedule.next(from);
			return next == null ? null : next.toInstant();
		});
		registrar.addFixedDelayTask(this::refresh, Duration.ofSeconds(60));
		log.info("Scheduled backups: '{}' (UTC) into {}, keeping {}", settings.scheduleText(),
				settings.dir().get(), settings.keep());
	}

	/** Reads the time of the last successful backup from the shared record. */
	void refresh() {
		try {
			lastSuccess = runs.lastSuccess();
		}
		catch (RuntimeException e) {
			log.warn("Cannot read the backup record: {}", e.getMessage());
		}
	}

	void runOnOneNode() {
		try {
			locks.executeWithLock((Runnable) this::backUp,
					new LockConfiguration(clock.instant(), "backup", LOCK_AT_MOST, LOCK_AT_LEAST));
		}
		catch (RuntimeException e) {
			log.error("Scheduled backup could not run: {}", e.getMessage());
		}
	}

	/** Writes one backup now, records it and applies retention; never throws. */
	BackupRun backUp() {
		Path dir = settings.dir().orElseThrow();
		Instant started = clock.instant();
		String name = "plinto-" + STAMP.format(started) + ".backup";
		long t0 = System.nanoTime();
		BackupRun run;
		try {
			Files.createDirectories(dir);
			DatabaseBackup.Result result = DatabaseBackup.write(dataSource, dir.resolve(name),
					BackupKey.fromKey(settings.key().orElseThrow()), started, BackupProgress.silent());
			run = new BackupRun(SecureTokens.newId("bkp"), node, started, clock.instant(), BackupRun.Outcome.SUCCESS,
					name, result.bytes(), result.rows(), null);
			successes.increment();
			log.info("Backup written: {} ({} rows, {} bytes, {} ms)", dir.resolve(name), result.rows(),
					result.bytes(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
		}
		catch (RuntimeException | IOException e) {
			String error = oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
			run = new BackupRun(SecureTokens.newId("bkp"), node, started, clock.instant(), BackupRun.Outcome.FAILURE,
					null, null, null, error.length() > 500 ? error.substring(0, 500) : error);
			failures.increment();
			log.error("Backup into {} failed: {}", dir, error);
		}
		try {
			runs.insert(run);
			runs.deleteFinishedBefore(clock.instant().minus(KEEP_RUNS));
			if (run.outcome() == BackupRun.Outcome.SUCCESS) {
				audit.record(AuditEvent.Type.BACKUP_CREATED, null, null, ClientInfo.none(), "scheduled backup "
						+ dir.resolve(name) + " on " + node + ": " + run.rowCount() + " rows, " + run.sizeBytes()
						+ " bytes");
			}
			else {
				audit.record(AuditEvent.Type.BACKUP_FAILED, null, null, ClientInfo.none(), "scheduled backup into "
						+ dir + " on " + node + ": " + run.error());
			}
		}
		catch (RuntimeException e) {
			log.error("Cannot record the backup run: {}", e.getMessage());
		}
		if (run.outcome() == BackupRun.Outcome.SUCCESS) {
			applyRetention(dir);
		}
		refresh();
		return run;
	}

	/** Deletes the backups in {@code dir} (files named like scheduled backups) that the retention does not keep. */
	List<Path> applyRetention(Path dir) {
		Map<Instant, Path> backups = new LinkedHashMap<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			for (Path file : files) {
				Matcher m = FILE_NAME.matcher(file.getFileName().toString());
				if (m.matches() && Files.isRegularFile(file)) {
					try {
						backups.put(Instant.from(STAMP.parse(m.group(1))), file);
					}
					catch (DateTimeParseException e) {
						// not one of ours
					}
				}
			}
		}
		catch (IOException e) {
			log.error("Cannot list {} to apply the backup retention: {}", dir, e.getMessage());
			return List.of();
		}
		Set<Instant> keep = settings.keep().keep(new ArrayList<>(backups.keySet()));
		List<Path> deleted = new ArrayList<>();
		for (Map.Entry<Instant, Path> e : backups.entrySet()) {
			if (!keep.contains(e.getKey())) {
				try {
					Files.delete(e.getValue());
					deleted.add(e.getValue());
					log.info("Backup retention ({}): deleted {}", settings.keep(), e.getValue());
				}
				catch (IOException | UncheckedIOException ex) {
					log.error("Backup retention: cannot delete {}: {}", e.getValue(), ex.getMessage());
				}
			}
		}
		return deleted;
	}

	/** The health of scheduled backups, for {@code /health/backup} and the dashboard's system page. */
	public record Status(boolean configured, boolean tooOld, Instant lastSuccess, Duration age, Duration maxAge) {
	}

	public Status status() {
		if (!enabled()) {
			return new Status(false, false, null, null, null);
		}
		refresh();
		Instant now = clock.instant();
		Instant last = lastSuccess.orElse(null);
		Duration age = Duration.between(last != null ? last : startedAt, now);
		return new Status(true, age.compareTo(settings.maxAge()) > 0, last, last == null ? null : age,
				settings.maxAge());
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException e) {
			return "unknown";
		}
	}

	private static String oneLine(String s) {
		return s.replaceAll("\\s+", " ").trim();
	}
}
