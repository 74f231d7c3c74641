package dev.plinto.backup;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * A one-line progress bar on standard error while a backup or restore runs — only when the command runs on a
 * terminal, so logs and scripts never get control characters. Redrawn at most five times a second.
 */
final class BackupProgress {

	private static final BackupProgress SILENT = new BackupProgress(null, "");

	private final PrintStream out;

	private final String verb;

	private long total;

	private long done;

	private long lastDraw;

	private BackupProgress(PrintStream out, String verb) {
		this.out = out;
		this.verb = verb;
	}

	static BackupProgress silent() {
		return SILENT;
	}

	/** A bar on standard error when this process runs on an interactive terminal, otherwise silent. */
	static BackupProgress onTerminal(String verb) {
		return isTerminal() ? new BackupProgress(System.err, verb) : SILENT;
	}

	/**
	 * Up to JDK 21 {@link System#console()} is null unless both standard streams are a terminal; from JDK 22 it is
	 * never null and {@code Console.isTerminal()} (called reflectively, Plinto compiles for 17) tells.
	 */
	private static boolean isTerminal() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			Method m = Console.class.getMethod("isTerminal");
			return (Boolean) m.invoke(console);
		}
		catch (ReflectiveOperationException e) {
			return true;
		}
	}

	void start(long totalRows) {
		this.total = Math.max(totalRows, 0);
		this.done = 0;
		draw("", true);
	}

	void row(String table) {
		done++;
		if (out != null && (done & 1023) == 0) {
			draw(table, false);
		}
	}

	void finish() {
		if (out != null) {
			draw("", true);
			out.println();
			out.flush();
		}
	}

	private void draw(String table, boolean force) {
		if (out == null) {
			return;
		}
		long now = System.nanoTime();
		if (!force && now - lastDraw < 200_000_000L) {
			return;
		}
		lastDraw = now;
		int width = 30;
		int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
		long percent = total == 0 ? 100 : Math.min(100, done * 100 / total);
		out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d %% %,d / %,d rows %-24s", verb, "#".repeat(filled),
				".".repeat(width - filled), percent, done, total, table));
		out.flush();
	}
}
