package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.DatabaseContract;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Every column type the backup carries, on H2 and PostgreSQL: detected from the catalog, read, written into the
 * backup's JSON, parsed back, inserted into a second table and read again — each value equal, edge cases included
 * (NULL in every column, empty and non-ASCII text, extreme integers, instants before 1970 and with microseconds,
 * bytes with zeros).
 */
class BackupColumnTypeTests {

	private static final String COLUMNS = "id integer primary key, t varchar(100), b boolean, i integer, l bigint, "
			+ "d decimal(20,4), f double precision, tz timestamp with time zone, ts timestamp, dt date, "
			+ "bin varbinary_or_bytea";

	abstract static class Contract extends DatabaseContract {

		Contract(Storage storage) {
			super(storage);
		}

		private String binaryType() {
			return getClass().getSimpleName().contains("Postgres") ? "bytea" : "varbinary(100)";
		}

		@Test
		void roundTripWhenEveryTypeAndEdgeValueThenReadBackEqualAndTypesDetected() throws Exception {
			String columns = COLUMNS.replace("varbinary_or_bytea", binaryType());
			jdbc.sql("create table type_probe (" + columns + ")").update();
			jdbc.sql("create table type_copy (" + columns + ")").update();
			jdbc.sql("insert into type_probe values (1, 'plain', true, 2147483647, 9223372036854775807, "
					+ "1234567890123456.1234, 0.1, timestamp with time zone '2026-11-22 02:24:12.123456+00', "
					+ "timestamp '1999-12-31 23:59:59.999999', date '2026-02-28', ?)")
				.param(new byte[] { 0, (byte) 0xff, 0x7f, (byte) 0x80 })
				.update();
			jdbc.sql("insert into type_probe values (2, 'Ünïcødé — 日本語 😀', false, -2147483648, -9223372036854775808, "
					+ "-0.0001, -1.5e300, timestamp with time zone '1969-07-20 20:17:40+00', "
					+ "timestamp '1900-01-01 00:00:00', date '1900-01-01', ?)")
				.param(new byte[0])
				.update();
			jdbc.sql("insert into type_probe (id, t) values (3, '')").update();
			jdbc.sql("insert into type_probe (id) values (4)").update();

			try (Connection c = dataSource.getConnection()) {
				BackupSchema.Table probe = BackupSchema.tables(c).stream()
					.filter(t -> t.name().equals("type_probe"))
					.findFirst()
					.orElseThrow();
				Map<String, BackupColumnType> types = probe.columns().stream()
					.collect(Collectors.toMap(BackupSchema.Column::name, BackupSchema.Column::type));
				assertThat(types).containsEntry("t", BackupColumnType.VARCHAR)
					.containsEntry("b", BackupColumnType.BOOLEAN)
					.containsEntry("i", BackupColumnType.INTEGER)
					.containsEntry("l", BackupColumnType.BIGINT)
					.containsEntry("d", BackupColumnType.DECIMAL)
					.containsEntry("f", BackupColumnType.DOUBLE)
					.containsEntry("tz", BackupColumnType.TIMESTAMPTZ)
					.containsEntry("ts", BackupColumnType.TIMESTAMP)
					.containsEntry("dt", BackupColumnType.DATE)
					.containsEntry("bin", BackupColumnType.BYTES);

				List<String> original = canonicalRows(c, "type_probe", probe);
				ByteArrayOutputStream json = new ByteArrayOutputStream();
				try (JsonGenerator g = BackupPayload.JSON.createGenerator(json);
						PreparedStatement ps = c.prepareStatement("select " + probe.columnList() + " from type_probe");
						ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						g.writeStartArray();
						for (int i = 0; i < probe.columns().size(); i++) {
							BackupColumnType type = probe.columns().get(i).type();
							type.write(g, type.read(rs, i + 1));
						}
						g.writeEndArray();
					}
				}
				try (JsonParser p = BackupPayload.JSON.createParser(json.toByteArray());
						PreparedStatement insert = c.prepareStatement("insert into type_copy (" + probe.columnList()
								+ ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
					while (p.nextToken() == JsonToken.START_ARRAY) {
						for (int i = 0; i < probe.columns().size(); i++) {
							p.nextToken();
							BackupColumnType type = probe.columns().get(i).type();
							type.bind(insert, i + 1, type.parse(p));
						}
						p.nextToken();
						insert.executeUpdate();
					}
				}
				assertThat(canonicalRows(c, "type_copy", probe)).hasSize(4).isEqualTo(original);
				assertThat(original.get(0)).contains("2026-11-22T02:24:12.123456Z").contains("AP9/gA==")
					.contains("1234567890123456.1234").contains("9223372036854775807");
				assertThat(original.get(1)).contains("1969-07-20T20:17:40Z").contains("Ünïcødé — 日本語 😀");
			}
		}

		private static List<String> canonicalRows(Connection c, String table, BackupSchema.Table shape)
				throws Exception {
			List<String> rows = new ArrayList<>();
			try (PreparedStatement ps = c.prepareStatement("select " + shape.columnList() + " from " + table
					+ " order by id"); ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					StringBuilder row = new StringBuilder();
					for (int i = 0; i < shape.columns().size(); i++) {
						BackupColumnType type = shape.columns().get(i).type();
						Object v = type.read(rs, i + 1);
						row.append(v == null ? "NULL" : type.canonical(v)).append(" | ");
					}
					rows.add(row.toString());
				}
			}
			return rows;
		}
	}

	@Nested
	class OnH2 extends Contract {

		OnH2() {
			super(Storage.H2);
		}
	}

	@Nested
	class OnPostgres extends Contract {

		OnPostgres() {
			super(Storage.POSTGRES);
		}
	}
}
