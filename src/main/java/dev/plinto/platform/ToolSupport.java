package dev.plinto.platform;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * What the command-line tools share below the command line itself, so that features with their own commands
 * (backup, restore) speak like the others: the one sentence for an embedded database another process holds, and
 * quiet connection-pool and migration logs in a tool's output.
 */
public final class ToolSupport {

	/** H2's message when another process holds the database file (MVStore's file lock). */
	private static final Pattern H2_LOCKED = Pattern.compile("The file is locked: (\\S+)");

	private ToolSupport() {
	}

	/**
	 * The sentence for a failure caused by H2's file lock, naming the database file, or empty when the failure has
	 * another cause.
	 */
	public static Optional<String> databaseInUse(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
			Matcher locked = t.getMessage() == null ? null : H2_LOCKED.matcher(t.getMessage());
			if (locked != null && locked.find()) {
				return Optional.of("The embedded database " + locked.group(1) + " is in use by another process, most "
						+ "likely a running Plinto server: stop it first (on embedded storage one process at a time "
						+ "may open the database), or use PostgreSQL.");
			}
		}
		return Optional.empty();
	}

	/**
	 * Logs only warnings and errors, as in the tools' Spring contexts ({@code logging.level.root=warn}), for a tool
	 * that runs without one: it prints its own result, and the connection pool's start and shutdown lines (and the
	 * audit log's line, which the database keeps) would land between its progress bar and that result.
	 */
	public static void quietLogs() {
		LoggingSystem.get(ToolSupport.class.getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
	}
}
