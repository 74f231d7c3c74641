package dev.plinto.backup;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Plinto's tables as the database describes them (JDBC metadata), so that a backup covers every table any
 * migration created without a list to maintain: each table's columns with their {@link BackupColumnType}, and
 * the order in which tables can be loaded so that every foreign key points at rows already there. Two tables are
 * not data and are left out: Flyway's {@code flyway_schema_history} (the backup records the schema version it
 * holds instead, and restore recreates it by migrating) and ShedLock's {@code shedlock} (which node runs a job at
 * this moment; a restored lock row would only hold jobs back).
 */
final class BackupSchema {

	static final String FLYWAY_TABLE = "flyway_schema_history";

	static final Set<String> NOT_DATA = Set.of(FLYWAY_TABLE, "shedlock");

	record Column(String name, BackupColumnType type) {
	}

	/** A table: lower-case name, columns in their order, and the tables its foreign keys reference. */
	record Table(String name, List<Column> columns, Set<String> references) {

		String columnList() {
			return String.join(", ", columns.stream().map(Column::name).toList());
		}
	}

	private BackupSchema() {
	}

	/** The names of every table in the connection's schema, lower-case, including those that are not data. */
	static Set<String> allTableNames(Connection c) throws SQLException {
		Set<String> names = new TreeSet<>();
		try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", null)) {
			while (rs.next()) {
				String type = rs.getString("TABLE_TYPE");
				if ("TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type)) {
					names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
				}
			}
		}
		return names;
	}

	/** Plinto's data tables in load order (parents before the tables referencing them). */
	static List<Table> tables(Connection c) throws SQLException {
		DatabaseMetaData md = c.getMetaData();
		Map<String, String> stored = new TreeMap<>();
		try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", null)) {
			while (rs.next()) {
				String type = rs.getString("TABLE_TYPE");
				String name = rs.getString("TABLE_NAME");
				String lower = name.toLowerCase(Locale.ROOT);
				if (("TABLE".equalsIgnoreCase(type) || "BASE TABLE".equalsIgnoreCase(type))
						&& !NOT_DATA.contains(lower)) {
					stored.put(lower, name);
				}
			}
		}
		Map<String, Table> tables = new LinkedHashMap<>();
		for (Map.Entry<String, String> e : stored.entrySet()) {
			String name = e.getKey();
			requireIdentifier(name, "table " + name);
			List<Column> columns = new ArrayList<>();
			try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), e.getValue(), "%")) {
				while (rs.next()) {
					String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
					requireIdentifier(column, "column " + name + "." + column);
					BackupColumnType type = BackupColumnType.of(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"));
					if (type == null) {
						throw new BackupException("Column " + name + "." + column + " has type "
								+ rs.getString("TYPE_NAME") + ", which the backup format cannot carry yet.");
					}
					columns.add(new Column(column, type));
				}
			}
			Set<String> references = new TreeSet<>();
			try (ResultSet rs = md.getImportedKeys(c.getCatalog(), c.getSchema(), e.getValue())) {
				while (rs.next()) {
					String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
					if (parent.equals(name)) {
						throw new BackupException("Table " + name + " references itself, which the backup format "
								+ "cannot order yet.");
					}
					references.add(parent);
				}
			}
			tables.put(name, new Table(name, List.copyOf(columns), references));
		}
		return loadOrder(tables);
	}

	/** Kahn's topological sort, alphabetical among tables that are ready at the same time. */
	private static List<Table> loadOrder(Map<String, Table> tables) {
		List<Table> ordered = new ArrayList<>();
		Set<String> placed = new TreeSet<>();
		while (ordered.size() < tables.size()) {
			Table next = tables.values()
				.stream()
				.filter(t -> !placed.contains(t.name()))
				.filter(t -> t.references().stream().allMatch(r -> placed.contains(r) || !tables.containsKey(r)))
				.findFirst()
				.orElseThrow(() -> new BackupException("The tables' foreign keys form a cycle, which the backup "
						+ "format cannot order yet."));
			ordered.add(next);
			placed.add(next.name());
		}
		return ordered;
	}

	/** The highest schema version Flyway applied successfully, or null when the database has no Plinto schema. */
	static MigrationVersion schemaVersion(Connection c) throws SQLException {
		if (!allTableNames(c).contains(FLYWAY_TABLE)) {
			return null;
		}
		MigrationVersion highest = null;
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("select \"version\" from \"" + FLYWAY_TABLE
						+ "\" where \"success\" = true and \"version\" is not null")) {
			while (rs.next()) {
				MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
				if (highest == null || v.isNewerThan(highest)) {
					highest = v;
				}
			}
		}
		return highest;
	}

	/**
	 * Identifiers go into SQL unquoted (so each database applies its own case rules), hence only plain lower-case
	 * names are accepted — also from a backup file.
	 */
	static void requireIdentifier(String name, String what) {
		if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
			throw new BackupException("The " + what + " has a name the backup format cannot carry (only a-z, 0-9 "
					+ "and _ are).");
		}
	}
}
