package dev.plinto.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * How every repository writes and reads the values whose SQL form is not obvious, so that H2 and PostgreSQL store
 * them alike and a value reads back exactly as it was written.
 * <ul>
 * <li>Instants go to {@code timestamp with time zone} columns as an {@link OffsetDateTime} in UTC: both databases
 * accept that type through JDBC 4.2 without a driver-specific conversion, and neither the JVM's nor the
 * database session's time zone can shift the stored value. Both keep microseconds, which is why the application's
 * {@link java.time.Clock} (see {@link InfrastructureConfiguration}) ticks in whole microseconds: an instant taken
 * from it is stored without rounding, so comparing it with what was read back (for example in an
 * {@code update … where used_at is null} claim or a keyset cursor) behaves the same on both databases.</li>
 * <li>Short lists of words (authentication methods, passkey transports, permissions) are stored in one
 * {@code varchar} column, separated by single spaces, the way OAuth 2 joins scopes (RFC 6749, section 3.3).</li>
 * </ul>
 */
public final class SqlRows {

	private SqlRows() {
	}

	/** The SQL parameter for an instant: the same instant at offset UTC, or null for null. */
	public static OffsetDateTime timestamp(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** The instant in a {@code timestamp with time zone} column, or null for SQL NULL. */
	public static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
		return t == null ? null : t.toInstant();
	}

	/** The instant in the {@code timestamp with time zone} column at (1-based) {@code index}, or null for SQL NULL. */
	public static Instant instant(ResultSet rs, int index) throws SQLException {
		OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
		return t == null ? null : t.toInstant();
	}

	/** The SQL parameter for a list of words: the words separated by single spaces (empty for an empty list). */
	public static String words(List<String> words) {
		return String.join(" ", words);
	}

	/** The words in a space-separated column; empty for SQL NULL or a blank value. */
	public static List<String> words(ResultSet rs, String column) throws SQLException {
		String value = rs.getString(column);
		return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
	}
}
