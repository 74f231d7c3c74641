package dev.plinto.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the connection pool back as soon as PostgreSQL accepts connections again after an outage or a restart.
 * <p>
 * HikariCP's connection creator retries a failed connection after a back-off that doubles up to 5 s, and a request
 * waits for that creator; so after an outage of a few seconds, requests went on failing (503) for up to 5 s after
 * the database was back. This watcher makes the pool's threads (it is the pool's thread factory, so it knows them)
 * and looks at the pool every {@link #PERIOD_MS} ms: while the pool holds fewer connections than its minimum, it
 * opens one connection of its own straight through the driver (1 s connect timeout); once that succeeds, it
 * interrupts the creator threads that are sleeping in their back-off, which ends them, and asks the pool for a
 * connection, which starts a creator with a fresh back-off. Requests are then served again within about
 * {@link #PERIOD_MS} ms of the database accepting connections (docs/operations.md, "What happens when a component
 * fails"). A healthy pool costs one read of its counters per period and nothing else.
 */
public final class PoolRecovery implements ThreadFactory, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PoolRecovery.class);

	/** How often the pool is looked at. */
	static final long PERIOD_MS = 250;

	private static final String CREATOR = "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator";

	private final Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();

	private final AtomicInteger threadNumber = new AtomicInteger();

	private final AtomicLong recoveries = new AtomicLong();

	private final String jdbcUrl;

	private final Properties credentials = new Properties();

	private final int minimumIdle;

	private ScheduledExecutorService watcher;

	private volatile boolean down;

	/** Makes the pool of {@code config} use this recovery's threads; call {@link #watch} once the pool exists. */
	public PoolRecovery(HikariConfig config) {
		this.jdbcUrl = config.getJdbcUrl();
		if (config.getUsername() != null) {
			credentials.setProperty("user", config.getUsername());
		}
		if (config.getPassword() != null) {
			credentials.setProperty("password", config.getPassword());
		}
		// pgjdbc: seconds to open the socket and to log in; a probe must not hang on an unreachable host.
		credentials.setProperty("connectTimeout", "1");
		credentials.setProperty("loginTimeout", "2");
		this.minimumIdle = Math.max(1, config.getMinimumIdle());
		config.setThreadFactory(this);
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new Thread(() -> {
			try {
				task.run();
			}
			finally {
				poolThreads.remove(Thread.currentThread());
			}
		}, "plinto-db-pool-" + threadNumber.incrementAndGet());
		thread.setDaemon(true);
		poolThreads.add(thread);
		return thread;
	}

	/** Starts looking at {@code dataSource}'s pool on a daemon thread of its own. */
	public void watch(HikariDataSource dataSource) {
		watcher = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "plinto-db-pool-recovery");
			thread.setDaemon(true);
			return thread;
		});
		watcher.scheduleWithFixedDelay(() -> check(dataSource), PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
	}

	/** How many outages this watcher saw end (the database unreachable, then accepting connections again). */
	public long recoveries() {
		return recoveries.get();
	}

	/** How many of the pool's connection creators are sleeping in their back-off now. */
	int sleepingCreators() {
		int sleeping = 0;
		for (Thread thread : poolThreads) {
			if (sleepingCreator(thread.getStackTrace())) {
				sleeping++;
			}
		}
		return sleeping;
	}

	private void check(HikariDataSource dataSource) {
		try {
			HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
			if (pool == null || dataSource.isClosed() || pool.getTotalConnections() >= minimumIdle) {
				down = false;
				return;
			}
			if (!reachable()) {
				if (!down) {
					log.warn("PostgreSQL does not accept connections; requests that need it are answered 503 until "
							+ "it does.");
				}
				down = true;
				return;
			}
			int woken = wakeCreators();
			if (down) {
				recoveries.incrementAndGet();
				log.info("PostgreSQL accepts connections again; the connection pool reconnects now.");
			}
			down = false;
			if (woken > 0) {
				// A request for a connection starts a new creator with a fresh back-off.
				try (Connection ignored = dataSource.getConnection()) {
					// only opened, to fill the pool
				}
			}
		}
		catch (SQLException | RuntimeException e) {
			log.debug("Connection pool check failed: {}", e.toString());
		}
	}

	/** Whether the database accepts a new connection now (opened and closed at once, outside the pool). */
	private boolean reachable() {
		try (Connection probe = DriverManager.getConnection(jdbcUrl, credentials)) {
			return probe.isValid(1);
		}
		catch (SQLException e) {
			return false;
		}
	}

	/** Interrupts the pool's connection creators that sleep in their back-off; returns how many. */
	private int wakeCreators() {
		int woken = 0;
		for (Thread thread : poolThreads) {
			StackTraceElement[] stack = thread.getStackTrace();
			if (sleepingCreator(stack)) {
				thread.interrupt();
				woken++;
			}
		}
		return woken;
	}

	/** A creator in {@code quietlySleep}: {@code Thread.sleep} near the top, under {@code PoolEntryCreator.call}. */
	private static boolean sleepingCreator(StackTraceElement[] stack) {
		boolean sleeping = false;
		for (int i = 0; i < Math.min(stack.length, 8); i++) {
			StackTraceElement frame = stack[i];
			if (frame.getClassName().equals(Thread.class.getName()) && frame.getMethodName().startsWith("sleep")) {
				sleeping = true;
			}
			if (sleeping && frame.getClassName().equals(CREATOR)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void close() {
		if (watcher != null) {
			watcher.shutdownNow();
		}
	}
}
