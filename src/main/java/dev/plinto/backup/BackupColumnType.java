package dev.plinto.backup;

import dev.plinto.platform.SqlRows;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The column types a backup carries, each with a portable encoding that reads back to the same value on H2 and
 * PostgreSQL: how it is read from a result set, written into the backup (JSON), read back, bound into an insert,
 * and turned into the canonical text its checksum is computed over. A column of any other type stops the backup
 * with a message naming it, so a migration that introduces one cannot produce a backup that restores wrongly.
 */
enum BackupColumnType {

	/** CHAR, VARCHAR, CLOB: the string as is (JSON string, any Unicode). */
	VARCHAR("varchar", Types.VARCHAR),
	/** BOOLEAN: JSON true/false. */
	BOOLEAN("boolean", Types.BOOLEAN),
	/** SMALLINT, INTEGER: a JSON number. */
	INTEGER("integer", Types.INTEGER),
	/** BIGINT: a JSON number (64-bit, written exactly). */
	BIGINT("bigint", Types.BIGINT),
	/** NUMERIC/DECIMAL: the exact decimal as a JSON string (no binary floating point on the way). */
	DECIMAL("decimal", Types.DECIMAL),
	/** DOUBLE PRECISION, REAL: a JSON number, Java's shortest round-trip representation. */
	DOUBLE("double", Types.DOUBLE),
	/** TIMESTAMP WITH TIME ZONE: the instant in ISO-8601 UTC with up to nanoseconds, e.g. 2026-11-22T02:24:12.123456Z. */
	TIMESTAMPTZ("timestamptz", Types.TIMESTAMP_WITH_TIMEZONE),
	/** TIMESTAMP (without time zone): the local date-time in ISO-8601, e.g. 2026-11-22T02:24:12.123456. */
	TIMESTAMP("timestamp", Types.TIMESTAMP),
	/** DATE: ISO-8601, e.g. 2026-11-22. */
	DATE("date", Types.DATE),
	/** BINARY, VARBINARY, BYTEA, BLOB: standard base64 (RFC 4648 §4). */
	BYTES("bytes", Types.VARBINARY);

	private final String wireName;

	private final int sqlType;

	BackupColumnType(String wireName, int sqlType) {
		this.wireName = wireName;
		this.sqlType = sqlType;
	}

	String wireName() {
		return wireName;
	}

	static BackupColumnType fromWireName(String name) {
		for (BackupColumnType t : values()) {
			if (t.wireName.equals(name)) {
				return t;
			}
		}
		return null;
	}

	/**
	 * The type of a column as the JDBC driver reports it, or null when the backup cannot carry it. PostgreSQL's
	 * driver reports {@code timestamptz} as {@link Types#TIMESTAMP}, so the type name decides between the two
	 * timestamp kinds.
	 */
	static BackupColumnType of(int jdbcType, String typeName) {
		String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
		return switch (jdbcType) {
			case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
					Types.CLOB, Types.NCLOB -> VARCHAR;
			case Types.BOOLEAN, Types.BIT -> BOOLEAN;
			case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> INTEGER;
			case Types.BIGINT -> BIGINT;
			case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
			case Types.DOUBLE, Types.FLOAT, Types.REAL -> DOUBLE;
			case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMPTZ;
			case Types.TIMESTAMP -> name.contains("tz") || name.contains("time zone") ? TIMESTAMPTZ : TIMESTAMP;
			case Types.DATE -> DATE;
			case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BYTES;
			default -> null;
		};
	}

	/** Reads column {@code i} as this type's Java value (null for SQL NULL). */
	Object read(ResultSet rs, int i) throws SQLException {
		Object value = switch (this) {
			case VARCHAR -> rs.getString(i);
			case BOOLEAN -> rs.getBoolean(i);
			case INTEGER -> rs.getInt(i);
			case BIGINT -> rs.getLong(i);
			case DECIMAL -> rs.getBigDecimal(i);
			case DOUBLE -> rs.getDouble(i);
			case TIMESTAMPTZ -> SqlRows.instant(rs, i);
			case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
			case DATE -> rs.getObject(i, LocalDate.class);
			case BYTES -> rs.getBytes(i);
		};
		return rs.wasNull() ? null : value;
	}

	/** Binds a value of this type (null for SQL NULL) as parameter {@code i}. */
	void bind(PreparedStatement ps, int i, Object value) throws SQLException {
		if (value == null) {
			ps.setNull(i, sqlType);
			return;
		}
		switch (this) {
			case VARCHAR -> ps.setString(i, (String) value);
			case BOOLEAN -> ps.setBoolean(i, (Boolean) value);
			case INTEGER -> ps.setInt(i, (Integer) value);
			case BIGINT -> ps.setLong(i, (Long) value);
			case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) value);
			case DOUBLE -> ps.setDouble(i, (Double) value);
			case TIMESTAMPTZ -> ps.setObject(i, SqlRows.timestamp((Instant) value));
			case TIMESTAMP -> ps.setObject(i, value);
			case DATE -> ps.setObject(i, value);
			case BYTES -> ps.setBytes(i, (byte[]) value);
		}
	}

	/** Writes a value of this type into the backup. */
	void write(JsonGenerator g, Object value) {
		if (value == null) {
			g.writeNull();
			return;
		}
		switch (this) {
			case BOOLEAN -> g.writeBoolean((Boolean) value);
			case INTEGER -> g.writeNumber((Integer) value);
			case BIGINT -> g.writeNumber((Long) value);
			case DOUBLE -> g.writeNumber((Double) value);
			case DECIMAL -> g.writeString(((BigDecimal) value).toPlainString());
			default -> g.writeString(canonical(value));
		}
	}

	/**
	 * Reads a value of this type from the backup; the parser stands on the value's token. Fails with
	 * {@link IllegalArgumentException} when the token does not fit the type.
	 */
	Object parse(JsonParser p) {
		JsonToken token = p.currentToken();
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		try {
			return switch (this) {
				case BOOLEAN -> switch (token) {
					case VALUE_TRUE -> Boolean.TRUE;
					case VALUE_FALSE -> Boolean.FALSE;
					default -> throw new IllegalArgumentException("not a boolean");
				};
				case INTEGER -> {
					expect(token, JsonToken.VALUE_NUMBER_INT);
					yield p.getIntValue();
				}
				case BIGINT -> {
					expect(token, JsonToken.VALUE_NUMBER_INT);
					yield p.getLongValue();
				}
				case DOUBLE -> {
					if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
						throw new IllegalArgumentException("not a number");
					}
					yield p.getDoubleValue();
				}
				default -> {
					expect(token, JsonToken.VALUE_STRING);
					String text = p.getString();
					yield switch (this) {
						case VARCHAR -> text;
						case DECIMAL -> new BigDecimal(text);
						case TIMESTAMPTZ -> Instant.parse(text);
						case TIMESTAMP -> LocalDateTime.parse(text);
						case DATE -> LocalDate.parse(text);
						case BYTES -> Base64.getDecoder().decode(text);
						default -> throw new IllegalStateException();
					};
				}
			};
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("a " + wireName + " column holds " + token, e);
		}
	}

	private static void expect(JsonToken actual, JsonToken expected) {
		if (actual != expected) {
			throw new IllegalArgumentException("expected " + expected);
		}
	}

	/**
	 * The canonical text of a non-null value, the input of the row checksums: the same value gives the same text
	 * whichever database it was read from.
	 */
	String canonical(Object value) {
		return switch (this) {
			case VARCHAR -> (String) value;
			case DECIMAL -> ((BigDecimal) value).stripTrailingZeros().toPlainString();
			case TIMESTAMPTZ, TIMESTAMP, DATE, BOOLEAN, INTEGER, BIGINT, DOUBLE -> value.toString();
			case BYTES -> Base64.getEncoder().encodeToString((byte[]) value);
		};
	}
}
