package dev.plinto.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn on the server as SVG (the dashboard needs no script and loads nothing from another site): the
 * geometry is computed here, the template only writes the elements. Each column stacks one bar per series; every
 * bar carries its value as an SVG {@code <title>}, the chart a {@code <title>} and {@code <desc>} referenced by
 * {@code aria-labelledby} (WAI-ARIA Graphics module, {@code role="img"}), and the page shows the same numbers in a
 * table beside it, so nothing is only in the picture (WCAG 2.2 §1.1.1).
 *
 * @param id the element id prefix (unique on the page)
 * @param title the chart's name
 * @param description one sentence with the chart's totals
 * @param series the series' names, in stacking order (their bars have the CSS class {@code series-<index>})
 * @param max the value of the top of the scale
 * @param bars the bars
 * @param labels the labels under the columns (some may be empty)
 */
public record DashboardChart(String id, String title, String description, List<String> series, long max,
		List<Bar> bars, List<Label> labels) {

	public static final int WIDTH = 640;

	public static final int HEIGHT = 200;

	/** Space under the bars for the labels. */
	static final int BOTTOM = 24;

	/** Space left of the bars for the scale. */
	static final int LEFT = 40;

	/** One rectangle, with its series and its text ({@code <title>}). */
	public record Bar(int x, int y, int width, int height, int series, String text) {
	}

	/** A text under a column. */
	public record Label(int x, String text) {
	}

	/** One column: its label (shown when not empty), its values per series, and the text of each bar. */
	public record Column(String label, long[] values, String[] texts) {
	}

	public int width() {
		return WIDTH;
	}

	public int height() {
		return HEIGHT;
	}

	/** The y of the baseline. */
	public int baseline() {
		return HEIGHT - BOTTOM;
	}

	public int left() {
		return LEFT;
	}

	public String viewBox() {
		return "0 0 " + WIDTH + " " + HEIGHT;
	}

	/** A stacked bar chart of the columns, scaled so the tallest column reaches the top. */
	public static DashboardChart of(String id, String title, String description, List<String> series,
			List<Column> columns) {
		long tallest = 0;
		for (Column c : columns) {
			long sum = 0;
			for (long v : c.values()) {
				sum += v;
			}
			tallest = Math.max(tallest, sum);
		}
		long max = niceMax(tallest);
		int plot = WIDTH - LEFT - 8;
		int slot = columns.isEmpty() ? plot : plot / columns.size();
		int barWidth = Math.max(2, slot * 7 / 10);
		int usable = HEIGHT - BOTTOM - 10;
		List<Bar> bars = new ArrayList<>();
		List<Label> labels = new ArrayList<>();
		for (int i = 0; i < columns.size(); i++) {
			Column c = columns.get(i);
			int x = LEFT + i * slot + (slot - barWidth) / 2;
			int top = HEIGHT - BOTTOM;
			for (int s = 0; s < c.values().length; s++) {
				long v = c.values()[s];
				int h = (int) Math.round((double) v * usable / max);
				if (v > 0) {
					bars.add(new Bar(x, top - h, barWidth, Math.max(h, 1), s, c.texts()[s]));
				}
				top -= h;
			}
			if (!c.label().isEmpty()) {
				labels.add(new Label(x + barWidth / 2, c.label()));
			}
		}
		return new DashboardChart(id, title, description, List.copyOf(series), max, List.copyOf(bars),
				List.copyOf(labels));
	}

	/** A round top of the scale: 1, 2 or 5 times a power of ten, at least the tallest value (and at least 1). */
	static long niceMax(long value) {
		long v = Math.max(1, value);
		long power = 1;
		while (power * 10 <= v) {
			power *= 10;
		}
		for (long step : new long[] { 1, 2, 5, 10 }) {
			if (step * power >= v) {
				return step * power;
			}
		}
		return 10 * power;
	}
}
