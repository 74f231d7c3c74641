package dev.plinto.config;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Which scheduled backups to keep ({@code PLINTO_BACKUP_KEEP}), in the manner of borg's and restic's
 * {@code --keep-*} rules: "N daily" keeps the newest backup of each of the N most recent days that have a backup,
 * likewise hourly, weekly (ISO weeks) and monthly, all in UTC; "N latest" keeps the N newest. A backup kept by
 * any rule stays; the newest is always kept. Written as a comma-separated list such as {@code 7 daily, 4 weekly}.
 */
public record BackupRetention(int latest, int hourly, int daily, int weekly, int monthly) {

	public static final String DEFAULT = "7 daily, 4 weekly";

	/** Parses the list form; null when it is not one (unknown unit, repeated unit, count below 1, or empty). */
	public static BackupRetention parse(String text) {
		int[] counts = new int[5];
		List<String> units = List.of("latest", "hourly", "daily", "weekly", "monthly");
		String[] parts = text.split("[,+]", -1);
		for (String part : parts) {
			String[] words = part.trim().split("\\s+");
			if (words.length != 2 || !words[0].matches("\\d{1,4}")) {
				return null;
			}
			int unit = units.indexOf(words[1].toLowerCase(Locale.ROOT));
			int n = Integer.parseInt(words[0]);
			if (unit < 0 || n < 1 || counts[unit] != 0) {
				return null;
			}
			counts[unit] = n;
		}
		return new BackupRetention(counts[0], counts[1], counts[2], counts[3], counts[4]);
	}

	/** The times (of backups) to keep among those given. */
	public Set<Instant> keep(List<Instant> backups) {
		List<Instant> newestFirst = new ArrayList<>(backups);
		newestFirst.sort(Comparator.reverseOrder());
		Set<Instant> keep = new LinkedHashSet<>();
		if (!newestFirst.isEmpty()) {
			keep.add(newestFirst.get(0));
		}
		newestFirst.stream().limit(latest).forEach(keep::add);
		keepOnePer(newestFirst, hourly, t -> t.truncatedTo(ChronoUnit.HOURS), keep);
		keepOnePer(newestFirst, daily, t -> t.truncatedTo(ChronoUnit.DAYS), keep);
		keepOnePer(newestFirst, weekly, t -> {
			ZonedDateTime d = t.atZone(ZoneOffset.UTC);
			return d.get(IsoFields.WEEK_BASED_YEAR) * 100 + d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
		}, keep);
		keepOnePer(newestFirst, monthly, t -> {
			ZonedDateTime d = t.atZone(ZoneOffset.UTC);
			return d.getYear() * 100 + d.getMonthValue();
		}, keep);
		return keep;
	}

	private static void keepOnePer(List<Instant> newestFirst, int periods, Function<Instant, Object> period,
			Set<Instant> keep) {
		Object last = null;
		int kept = 0;
		for (Instant t : newestFirst) {
			if (kept == periods) {
				return;
			}
			Object p = period.apply(t);
			if (!p.equals(last)) {
				keep.add(t);
				last = p;
				kept++;
			}
		}
	}

	@Override
	public String toString() {
		List<String> parts = new ArrayList<>();
		int[] counts = { latest, hourly, daily, weekly, monthly };
		String[] units = { "latest", "hourly", "daily", "weekly", "monthly" };
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0) {
				parts.add(counts[i] + " " + units[i]);
			}
		}
		return String.join(", ", parts);
	}
}
