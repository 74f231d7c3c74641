package dev.plinto.backup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Every row of every Plinto table, table by table, as text that compares equal across H2 and PostgreSQL: each row
 * is its columns' canonical values (type tag, value) joined, and each table's rows are sorted, since the two
 * databases return rows in different orders.
 */
final class DatabaseContents {

	private DatabaseContents() {
	}

	static Map<String, List<String>> of(DataSource dataSource) throws SQLException {
		Map<String, List<String>> tables = new LinkedHashMap<>();
		try (Connection c = dataSource.getConnection()) {
			for (BackupSchema.Table t : BackupSchema.tables(c)) {
				List<String> rows = new ArrayList<>();
				try (PreparedStatement ps = c.prepareStatement("select " + t.columnList() + " from " + t.name());
						ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						StringBuilder row = new StringBuilder();
						for (int i = 0; i < t.columns().size(); i++) {
							BackupColumnType type = t.columns().get(i).type();
							Object value = type.read(rs, i + 1);
							row.append(i == 0 ? "" : " | ")
								.append(t.columns().get(i).name())
								.append('=')
								.append(value == null ? "NULL" : type.wireName() + ":" + type.canonical(value));
						}
						rows.add(row.toString());
					}
				}
				Collections.sort(rows);
				tables.put(t.name(), rows);
			}
		}
		return tables;
	}

	/** Table names and row counts, plus the Flyway history: what "the target was not touched" compares. */
	static Map<String, Object> shape(DataSource dataSource) throws SQLException {
		Map<String, Object> shape = new LinkedHashMap<>();
		try (Connection c = dataSource.getConnection()) {
			for (String name : BackupSchema.allTableNames(c)) {
				String table = name.equals(BackupSchema.FLYWAY_TABLE) ? "\"" + name + "\"" : name;
				try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table);
						ResultSet rs = ps.executeQuery()) {
					rs.next();
					shape.put(name, rs.getLong(1));
				}
			}
			shape.put("schema_version", String.valueOf(BackupSchema.schemaVersion(c)));
		}
		return shape;
	}

	/** Row count of one table. */
	static long count(DataSource dataSource, String table) throws SQLException {
		try (Connection c = dataSource.getConnection();
				PreparedStatement ps = c.prepareStatement("select count(*) from " + table);
				ResultSet rs = ps.executeQuery()) {
			rs.next();
			return rs.getLong(1);
		}
	}
}
