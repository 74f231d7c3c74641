package dev.plinto.backup;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * A one-line progress bar on standard error while a backup, restore or import runs — only when the command runs
 * on a terminal, so logs and scripts never get control characters. Redrawn at most five times a second, with the
 * rate so far and the time left at that rate.
 */
public final class BackupProgress {

	private static final BackupProgress SILENT = new BackupProgress(null, "", "");

	private final PrintStream out;

	private final String verb;

	private final String unit;

	private long started;

	private long total;

	private long done;

	private long lastDraw;

	private BackupProgress(PrintStream out, String verb, String unit) {
		this.out = out;
		this.verb = verb;
		this.unit = unit;
	}

	static BackupProgress silent() {
		return SILENT;
	}

	/** A bar on standard error when this process runs on an interactive terminal, otherwise silent. */
	static BackupProgress onTerminal(String verb) {
		return onTerminal(verb, "rows");
	}

	/** A bar counting {@code unit} (say, "bytes"), on a terminal only. */
	public static BackupProgress onTerminal(String verb, String unit) {
		return isTerminal() ? new BackupProgress(System.err, verb, unit) : SILENT;
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

	public void start(long totalRows) {
		this.total = Math.max(totalRows, 0);
		this.done = 0;
		this.started = System.nanoTime();
		draw("", true);
	}

	/** Sets how much is done (when the work is counted in something other than rows, e.g. bytes read). */
	public void advanceTo(long doneSoFar, String label) {
		done = doneSoFar;
		draw(label, false);
	}

	void row(String table) {
		done++;
		if (out != null && (done & 1023) == 0) {
			draw(table, false);
		}
	}

	public void finish() {
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
		double seconds = Math.max((now - started) / 1e9, 0.001);
		double rate = done / seconds;
		long left = rate <= 0 || total <= done ? 0 : (long) ((total - done) / rate);
		out.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d %% %,d / %,d %s, %,.0f/s, ETA %d:%02d %-24s", verb,
				"#".repeat(filled), ".".repeat(width - filled), percent, done, total, unit, rate, left / 60,
				left % 60, table));
		out.flush();
	}
}
