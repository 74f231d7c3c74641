package dev.plinto.backup;

import dev.plinto.platform.BuildInfo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a consistent logical backup of every Plinto table into one encrypted file ({@link BackupFile}).
 * <p>
 * Consistency: everything is read in one read-only transaction. On PostgreSQL it runs at REPEATABLE READ, where
 * every statement sees the snapshot taken at the transaction's first statement — the isolation {@code pg_dump}
 * uses — so rows committed meanwhile are not seen and no foreign key points at a missing row. On H2 it runs at
 * SERIALIZABLE, which H2's MVStore engine serves from a snapshot as well (no dirty, non-repeatable or phantom
 * reads). Writers are never blocked.
 * <p>
 * Streaming: rows are read through a cursor (fetch size 1,000; on PostgreSQL that needs autocommit off, which the
 * transaction gives) and written as they come, so memory stays flat whatever the size of the database.
 */
final class DatabaseBackup {

	/** What a finished backup holds. */
	record Result(Path file, long bytes, long rows, int tables, String schemaVersion) {
	}

	static final int FETCH_SIZE = 1000;

	private DatabaseBackup() {
	}

	/**
	 * Backs the database up into {@code file}, which must not exist; it is written as {@code <file>.partial} with
	 * owner-only permissions and given its final name when complete, so a file with the final name is always whole.
	 * Two backups to the same file at once cannot spoil each other: the partial file is created exclusively, so the
	 * second is refused at once and leaves the first one's file alone, and the final name is taken without ever
	 * replacing a file ({@link #publish}).
	 */
	static Result write(DataSource dataSource, Path file, BackupKey key, Instant now, BackupProgress progress) {
		if (Files.exists(file)) {
			throw alreadyExists(file, null);
		}
		Path partial = file.resolveSibling(file.getFileName() + ".partial");
		try {
			createOwnerOnly(partial);
		}
		catch (FileAlreadyExistsException e) {
			throw new BackupException(partial + " already exists (another backup to the same file is running, or "
					+ "one was interrupted); remove it or choose a new file name.", e);
		}
		catch (IOException e) {
			throw new BackupException("The backup failed writing " + file + ": " + e.getMessage(), e);
		}
		try (Connection c = dataSource.getConnection()) {
			boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
			boolean autoCommit = c.getAutoCommit();
			int isolation = c.getTransactionIsolation();
			boolean readOnly = c.isReadOnly();
			c.setAutoCommit(false);
			c.setReadOnly(true);
			c.setTransactionIsolation(postgres ? Connection.TRANSACTION_REPEATABLE_READ
					: Connection.TRANSACTION_SERIALIZABLE);
			try {
				Result result = write(c, postgres, partial, file, key, now, progress);
				publish(partial, file);
				return result;
			}
			finally {
				c.rollback();
				c.setTransactionIsolation(isolation);
				c.setReadOnly(readOnly);
				c.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException e) {
			throw new BackupException("The backup failed reading the database: " + e.getMessage(), e);
		}
		catch (IOException e) {
			throw new BackupException("The backup failed writing " + file + ": " + e.getMessage(), e);
		}
		finally {
			try {
				Files.deleteIfExists(partial);
			}
			catch (IOException e) {
				// Nothing more to do: the name says it is incomplete, and the next backup to this file reports it.
			}
		}
	}

	/**
	 * Gives the finished backup its final name, never replacing a file that appeared there meanwhile: a hard link
	 * fails when the name exists (POSIX {@code link()}, EEXIST), whereas a rename would silently replace it. Where
	 * the file system has no hard links, the name is checked and the file moved, which leaves only a short window.
	 */
	static void publish(Path partial, Path file) throws IOException {
		try {
			Files.createLink(file, partial);
		}
		catch (FileAlreadyExistsException e) {
			throw alreadyExists(file, e);
		}
		catch (UnsupportedOperationException | FileSystemException e) {
			if (Files.exists(file)) {
				throw alreadyExists(file, e);
			}
			Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
		}
	}

	private static BackupException alreadyExists(Path file, Exception cause) {
		return new BackupException(file + " already exists; choose a new file name (a backup never overwrites a "
				+ "file).", cause);
	}

	private static Result write(Connection c, boolean postgres, Path partial, Path file, BackupKey key, Instant now,
			BackupProgress progress) throws SQLException, IOException {
		List<BackupSchema.Table> tables = BackupSchema.tables(c);
		MigrationVersion version = BackupSchema.schemaVersion(c);
		if (version == null) {
			throw new BackupException("The database has no Plinto schema (no Flyway history); there is nothing to "
					+ "back up.");
		}
		Map<String, Long> counts = new LinkedHashMap<>();
		long total = 0;
		for (BackupSchema.Table t : tables) {
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + t.name())) {
				rs.next();
				counts.put(t.name(), rs.getLong(1));
				total += rs.getLong(1);
			}
		}
		long rows = 0;
		try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(partial,
				StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 64 * 1024);
				OutputStream payload = BackupFile.encrypt(raw, key);
				JsonGenerator g = BackupPayload.JSON.createGenerator(payload)) {
			BackupPayload.JSON.writeValue(g, preamble(tables, counts, version, postgres, now));
			progress.start(total);
			for (BackupSchema.Table t : tables) {
				BackupPayload.JSON.writeValue(g, Map.of("table", t.name()));
				BackupChecksum checksum = new BackupChecksum();
				try (PreparedStatement ps = c.prepareStatement("select " + t.columnList() + " from " + t.name())) {
					ps.setFetchSize(FETCH_SIZE);
					try (ResultSet rs = ps.executeQuery()) {
						List<BackupSchema.Column> columns = t.columns();
						int n = columns.size();
						while (rs.next()) {
							g.writeStartArray();
							for (int i = 0; i < n; i++) {
								BackupColumnType type = columns.get(i).type();
								Object value = type.read(rs, i + 1);
								type.write(g, value);
								checksum.add(type, value);
							}
							g.writeEndArray();
							checksum.endRow();
							progress.row(t.name());
						}
					}
				}
				if (checksum.rows() != counts.get(t.name())) {
					throw new BackupException("Table " + t.name() + " changed during the backup although it was read "
							+ "from one snapshot (" + counts.get(t.name()) + " rows counted, " + checksum.rows()
							+ " read); the backup was not written.");
				}
				rows += checksum.rows();
				Map<String, Object> end = new LinkedHashMap<>();
				end.put("end", t.name());
				end.put("rows", checksum.rows());
				end.put("sha256", checksum.hex());
				BackupPayload.JSON.writeValue(g, end);
			}
			Map<String, Object> end = new LinkedHashMap<>();
			end.put("end_of_backup", true);
			end.put("tables", tables.size());
			end.put("rows", rows);
			BackupPayload.JSON.writeValue(g, end);
		}
		catch (UncheckedIOException e) {
			throw e.getCause();
		}
		catch (JacksonException e) {
			throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
		}
		progress.finish();
		return new Result(file, Files.size(partial), rows, tables.size(), version.getVersion());
	}

	private static Map<String, Object> preamble(List<BackupSchema.Table> tables, Map<String, Long> counts,
			MigrationVersion version, boolean postgres, Instant now) {
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("format", BackupPayload.FORMAT);
		p.put("version", BackupPayload.VERSION);
		p.put("created_at", now.toString());
		p.put("plinto_version", BuildInfo.version());
		p.put("source", postgres ? "postgresql" : "h2");
		p.put("schema_version", version.getVersion());
		List<Map<String, Object>> list = new ArrayList<>();
		for (BackupSchema.Table t : tables) {
			Map<String, Object> table = new LinkedHashMap<>();
			table.put("name", t.name());
			table.put("rows", counts.get(t.name()));
			List<Map<String, Object>> columns = new ArrayList<>();
			for (BackupSchema.Column col : t.columns()) {
				Map<String, Object> column = new LinkedHashMap<>();
				column.put("name", col.name());
				column.put("type", col.type().wireName());
				columns.add(column);
			}
			table.put("columns", columns);
			list.add(table);
		}
		p.put("tables", list);
		return p;
	}

	private static void createOwnerOnly(Path file) throws IOException {
		try {
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException e) {
			Files.createFile(file); // not a POSIX file system: the platform's default permissions
		}
	}
}
