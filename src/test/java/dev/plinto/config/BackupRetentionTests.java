package dev.plinto.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupRetentionTests {

	/** A backup every day at 03:00 UTC for 60 days, the newest on Sunday 2026-03-01. */
	private static List<Instant> daily() {
		List<Instant> times = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			times.add(Instant.parse("2026-03-01T03:00:00Z").minus(Duration.ofDays(i)));
		}
		return times;
	}

	@Test
	void keepWhenSevenDailyFourWeeklyThenLastSevenDaysAndTheNewestOfFourIsoWeeks() {
		Set<Instant> keep = BackupRetention.parse("7 daily, 4 weekly").keep(daily());
		// 7 daily: Mar 1 back to Feb 23. 4 weekly (newest of each ISO week): Sun Mar 1 (week 9), Sun Feb 22,
		// Sun Feb 15, Sun Feb 8.
		assertThat(keep).containsExactlyInAnyOrder(Instant.parse("2026-03-01T03:00:00Z"),
				Instant.parse("2026-02-28T03:00:00Z"), Instant.parse("2026-02-27T03:00:00Z"),
				Instant.parse("2026-02-26T03:00:00Z"), Instant.parse("2026-02-25T03:00:00Z"),
				Instant.parse("2026-02-24T03:00:00Z"), Instant.parse("2026-02-23T03:00:00Z"),
				Instant.parse("2026-02-22T03:00:00Z"), Instant.parse("2026-02-15T03:00:00Z"),
				Instant.parse("2026-02-08T03:00:00Z"));
	}

	@Test
	void keepWhenSeveralBackupsADayThenDailyKeepsTheNewestOfEachDay() {
		List<Instant> times = List.of(Instant.parse("2026-03-01T23:00:00Z"), Instant.parse("2026-03-01T01:00:00Z"),
				Instant.parse("2026-02-28T22:00:00Z"), Instant.parse("2026-02-28T02:00:00Z"));
		assertThat(BackupRetention.parse("2 daily").keep(times))
			.containsExactlyInAnyOrder(Instant.parse("2026-03-01T23:00:00Z"), Instant.parse("2026-02-28T22:00:00Z"));
	}

	@Test
	void keepWhenLatestAndMonthlyThenUnion() {
		Set<Instant> keep = BackupRetention.parse("2 latest, 3 monthly").keep(daily());
		assertThat(keep).containsExactlyInAnyOrder(Instant.parse("2026-03-01T03:00:00Z"),
				Instant.parse("2026-02-28T03:00:00Z"), Instant.parse("2026-01-31T03:00:00Z"));
	}

	@Test
	void keepWhenNoRuleMatchesOldBackupsThenTheNewestIsStillKept() {
		assertThat(BackupRetention.parse("1 hourly").keep(daily())).containsExactly(
				Instant.parse("2026-03-01T03:00:00Z"));
		assertThat(BackupRetention.parse("1 daily").keep(List.of())).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "7", "daily", "7 days", "0 daily", "7 daily, 2 daily", "7 daily,", "-1 weekly",
			"7 daily 4 weekly" })
	void parseWhenNotAListOfCountsAndUnitsThenNull(String text) {
		assertThat(BackupRetention.parse(text)).isNull();
	}

	@Test
	void toStringWhenParsedThenTheCanonicalForm() {
		assertThat(BackupRetention.parse(" 4 WEEKLY +7 daily ")).hasToString("7 daily, 4 weekly");
	}
}
