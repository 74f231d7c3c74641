package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plinto.config.BackupRetention;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backup variables: defaults, accepted forms, and one sentence per bad value. */
class BackupSettingsTests {

	private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private static PlintoSettings.Backup parse(String... nameValues) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; i < nameValues.length; i += 2) {
			env.put(nameValues[i], nameValues[i + 1]);
		}
		return PlintoSettings.parse(env::get).backup();
	}

	private static List<String> problems(String... nameValues) {
		SettingsException e = catchThrowableOfType(SettingsException.class, () -> parse(nameValues));
		assertThat(e).as("settings should have been refused").isNotNull();
		return e.problems();
	}

	@Test
	void parseWhenNothingSetThenNoScheduledBackupsAndDocumentedDefaults() {
		PlintoSettings.Backup b = parse();
		assertThat(b.dir()).isEmpty();
		assertThat(b.key()).isEmpty();
		assertThat(b.passphrase()).isEmpty();
		assertThat(b.scheduleText()).isEqualTo("0 0 3 * * *");
		assertThat(b.keep()).isEqualTo(new BackupRetention(0, 0, 7, 4, 0));
		assertThat(b.maxAge()).isEqualTo(Duration.ofDays(2));
	}

	@Test
	void parseWhenDirKeyAndFiveFieldCronThenScheduleRunsAtSecondZeroAndMaxAgeIsTwiceTheInterval() {
		PlintoSettings.Backup b = parse("PLINTO_BACKUP_DIR", "backups", "PLINTO_BACKUP_KEY", KEY,
				"PLINTO_BACKUP_SCHEDULE", "30 */6 * * *", "PLINTO_BACKUP_KEEP", "24 hourly + 3 monthly");
		assertThat(b.dir()).contains(Path.of("backups").toAbsolutePath().normalize());
		assertThat(b.schedule().next(ZonedDateTime.of(2026, 1, 1, 7, 0, 0, 0, ZoneOffset.UTC)))
			.isEqualTo(ZonedDateTime.of(2026, 1, 1, 12, 30, 0, 0, ZoneOffset.UTC));
		assertThat(b.maxAge()).isEqualTo(Duration.ofHours(12));
		assertThat(b.keep()).isEqualTo(new BackupRetention(0, 24, 0, 0, 3));
		assertThat(b.toString()).doesNotContain(KEY);
	}

	@Test
	void parseWhenMaxAgeGivenThenItWins() {
		assertThat(parse("PLINTO_BACKUP_DIR", "b", "PLINTO_BACKUP_KEY", KEY, "PLINTO_BACKUP_MAX_AGE", "36h").maxAge())
			.isEqualTo(Duration.ofHours(36));
	}

	@Test
	void parseWhenDirWithoutKeyThenOneSentenceNamingTheKey() {
		assertThat(problems("PLINTO_BACKUP_DIR", "b")).singleElement()
			.asString()
			.startsWith("PLINTO_BACKUP_KEY is required with PLINTO_BACKUP_DIR");
	}

	@Test
	void parseWhenScheduleKeepOrMaxAgeWithoutDirThenEachNamed() {
		assertThat(problems("PLINTO_BACKUP_SCHEDULE", "@daily", "PLINTO_BACKUP_KEEP", "3 latest",
				"PLINTO_BACKUP_MAX_AGE", "2d"))
			.hasSize(3)
			.allSatisfy(p -> assertThat(p).contains("has no effect without PLINTO_BACKUP_DIR").endsWith("."));
	}

	@Test
	void parseWhenValuesBadThenOneSentenceEach() {
		List<String> problems = problems("PLINTO_BACKUP_DIR", "b", "PLINTO_BACKUP_KEY", "c2hvcnQ=",
				"PLINTO_BACKUP_SCHEDULE", "every night", "PLINTO_BACKUP_KEEP", "7 days",
				"PLINTO_BACKUP_MAX_AGE", "soon", "PLINTO_BACKUP_PASSPHRASE", "short");
		assertThat(problems).hasSize(5)
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_BACKUP_KEY must be 32 random bytes"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_BACKUP_SCHEDULE must be a cron expression")
				.contains("'every night'"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_BACKUP_KEEP must be a list").contains("'7 days'"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_BACKUP_MAX_AGE must be a duration"))
			.anySatisfy(p -> assertThat(p).startsWith("PLINTO_BACKUP_PASSPHRASE must be at least 12")
				.doesNotContain("short"));
	}
}
