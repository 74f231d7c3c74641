package dev.plinto.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The schema a command-line tool works on: the server's migrations are applied first when the database lacks
 * any of them (a fresh data directory, or a database an older release migrated), exactly as a starting server
 * would. When the database already holds the newest migration this jar carries, Flyway itself is not loaded: its
 * start (hundreds of classes, its JSON configuration support among them) would be most of a tool's run.
 */
final class ToolSchema {

	private static final Pattern MIGRATION = Pattern.compile("V([0-9][0-9_.]*)__.+\\.sql");

	private ToolSchema() {
	}

	/** Applies pending migrations unless every migration of this jar has been applied successfully. */
	static void migrateIfBehind(DataSource dataSource) {
		Optional<MigrationVersion> newest = newestMigration();
		if (newest.isPresent() && newest.equals(appliedVersion(dataSource))) {
			return;
		}
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	/** The newest versioned migration under {@code db/migration} in this jar. */
	static Optional<MigrationVersion> newestMigration() {
		try {
			Resource[] resources = new PathMatchingResourcePatternResolver(ToolSchema.class.getClassLoader())
				.getResources("classpath*:db/migration/V*__*.sql");
			return Stream.of(resources)
				.map(r -> MIGRATION.matcher(String.valueOf(r.getFilename())))
				.filter(Matcher::matches)
				.map(m -> MigrationVersion.fromVersion(m.group(1).replace('_', '.')))
				.max(Comparator.naturalOrder());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list the database migrations", e);
		}
	}

	/**
	 * The newest version recorded in Flyway's history when every recorded migration succeeded; empty when the
	 * history is missing or holds a failed migration (Flyway then reports it).
	 */
	static Optional<MigrationVersion> appliedVersion(DataSource dataSource) {
		try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" "
						+ "WHERE \"version\" IS NOT NULL")) {
			MigrationVersion newest = null;
			while (rs.next()) {
				if (!rs.getBoolean(2)) {
					return Optional.empty();
				}
				MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
				newest = newest == null || v.compareTo(newest) > 0 ? v : newest;
			}
			return Optional.ofNullable(newest);
		}
		catch (SQLException e) {
			// No history table yet: a new database.
			return Optional.empty();
		}
	}
}
