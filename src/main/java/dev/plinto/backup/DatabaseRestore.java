package dev.plinto.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Restores a backup file into an empty database, H2 or PostgreSQL, whichever the backup came from.
 * <ol>
 * <li>The header is read and the key checked: a wrong key is refused before anything else.</li>
 * <li>The whole file is read once without touching the database: every segment is authenticated (a damaged,
 * altered or truncated file is refused), and the structure, row counts and checksums are checked.</li>
 * <li>The schema version is checked: a backup from a newer Plinto than this build is refused; so is a target
 * that is not empty (any row in any table, or tables that are not Plinto's) or already at a newer schema.</li>
 * <li>Flyway migrates the target up to the backup's schema version (the server migrates further at its next
 * start, so data migrations written after the backup apply to the restored rows like to any other).</li>
 * <li>The rows are loaded in one transaction, parents before children, then read back from the target and
 * checked against the backup's row counts and checksums; only then is the transaction committed.</li>
 * </ol>
 * Every refusal of steps 1–3 leaves the target exactly as it was. A failure in step 5 rolls the load back; the
 * target then holds the empty schema of step 4, a valid target for another attempt.
 */
final class DatabaseRestore {

	static final int BATCH_SIZE = 1000;

	/** What a finished restore loaded. */
	record Result(long rows, int tables, String schemaVersion, String source, String createdAt) {
	}

	private DatabaseRestore() {
	}

	/**
	 * Restores {@code file} into {@code target}. {@code keys} gives the key for the file's header (it decides how:
	 * {@code PLINTO_BACKUP_KEY} or a passphrase) and may throw {@link BackupException} when none is available.
	 */
	static Result restore(Path file, Function<BackupFile.Header, BackupKey> keys, DataSource target,
			BackupProgress verifying, BackupProgress loading) {
		BackupFile.Header header;
		try (InputStream in = open(file)) {
			header = BackupFile.readHeader(in);
		}
		catch (IOException e) {
			throw new BackupException("Cannot read " + file + ": " + e.getMessage() + ".", e);
		}
		BackupKey key = keys.apply(header);
		BackupPayload.Preamble preamble = pass(file, header, key, null, verifying);

		Flyway flyway = Flyway.configure().dataSource(target).load();
		MigrationVersion known = latestKnown(flyway);
		MigrationVersion version = preamble.schemaVersion();
		if (version.isNewerThan(known)) {
			throw new BackupException("The backup has schema version " + version + ", newer than the newest this "
					+ "build of Plinto knows (" + known + "); restore it with the Plinto version that made it ("
					+ preamble.plintoVersion() + ") or a newer one. Nothing was changed.");
		}
		checkEmpty(target, version);
		Flyway.configure().dataSource(target).target(version).load().migrate();

		try (Connection c = target.getConnection()) {
			boolean autoCommit = c.getAutoCommit();
			c.setAutoCommit(false);
			try {
				Loader loader = new Loader(c);
				pass(file, header, key, loader, loading);
				verify(c, preamble, loader.checksums);
				c.commit();
			}
			catch (RuntimeException | SQLException e) {
				c.rollback();
				throw e;
			}
			finally {
				c.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException e) {
			throw new BackupException("The restore failed and was rolled back: " + e.getMessage(), e);
		}
		return new Result(preamble.totalRows(), preamble.tables().size(), version.getVersion(), preamble.source(),
				preamble.createdAt().toString());
	}

	/** Reads the whole file, handing rows to {@code sink} (none when null). */
	private static BackupPayload.Preamble pass(Path file, BackupFile.Header header, BackupKey key,
			BackupPayload.RowSink sink, BackupProgress progress) {
		BackupPayload.RowSink rows = sink != null ? sink : new BackupPayload.RowSink() {
			@Override
			public void startTable(BackupPayload.Table table) {
			}

			@Override
			public void row(BackupPayload.Table table, Object[] values) {
			}

			@Override
			public void endTable(BackupPayload.Table table) {
			}
		};
		try (InputStream in = open(file)) {
			BackupFile.readHeader(in);
			return BackupPayload.read(BackupFile.decrypt(in, header, key), rows, progress);
		}
		catch (BackupException e) {
			throw e;
		}
		catch (SQLException e) {
			throw new BackupException("The restore failed and was rolled back: " + e.getMessage(), e);
		}
		catch (IOException e) {
			throw new BackupException("The backup file is damaged, truncated or was altered after it was written "
					+ "(it fails authentication); it cannot be restored. Nothing was changed.", e);
		}
		catch (Exception e) {
			throw new BackupException("The restore failed: " + e.getMessage(), e);
		}
	}

	private static InputStream open(Path file) throws IOException {
		try {
			return new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
		}
		catch (NoSuchFileException e) {
			throw new BackupException(file + " does not exist.");
		}
	}

	/** The newest migration this build ships (applied or pending; not those only the database knows). */
	static MigrationVersion latestKnown(Flyway flyway) {
		MigrationVersion latest = MigrationVersion.EMPTY;
		for (MigrationInfo info : flyway.info().all()) {
			MigrationState state = info.getState();
			if (info.getVersion() != null && state != MigrationState.FUTURE_SUCCESS
					&& state != MigrationState.FUTURE_FAILED && info.getVersion().isNewerThan(latest)) {
				latest = info.getVersion();
			}
		}
		return latest;
	}

	/** Refuses a target that holds any row, tables that are not Plinto's, or a schema newer than the backup's. */
	private static void checkEmpty(DataSource target, MigrationVersion version) {
		try (Connection c = target.getConnection()) {
			Set<String> names = BackupSchema.allTableNames(c);
			if (names.isEmpty()) {
				return;
			}
			if (!names.contains(BackupSchema.FLYWAY_TABLE)) {
				throw new BackupException("The target database is not empty: it has tables (" + String.join(", ",
						names) + ") but no Plinto schema history. Restore into a new, empty database. Nothing was "
						+ "changed.");
			}
			MigrationVersion current = BackupSchema.schemaVersion(c);
			if (current != null && current.isNewerThan(version)) {
				throw new BackupException("The target database already has schema version " + current + ", newer "
						+ "than the backup's " + version + ". Restore into a new, empty database. Nothing was "
						+ "changed.");
			}
			for (String name : names) {
				if (BackupSchema.NOT_DATA.contains(name)) {
					continue;
				}
				BackupSchema.requireIdentifier(name, "table " + name);
				try (Statement s = c.createStatement();
						ResultSet rs = s.executeQuery("select 1 from " + name + " fetch first 1 rows only")) {
					if (rs.next()) {
						throw new BackupException("The target database is not empty: table " + name + " has rows. "
								+ "Restore into a new, empty database. Nothing was changed.");
					}
				}
			}
		}
		catch (SQLException e) {
			throw new BackupException("Cannot inspect the target database: " + e.getMessage(), e);
		}
	}

	/** Reads every restored table back and compares its row count and checksum with the backup's. */
	private static void verify(Connection c, BackupPayload.Preamble preamble, Map<String, BackupChecksum> loaded)
			throws SQLException {
		for (BackupPayload.Table table : preamble.tables()) {
			BackupChecksum checksum = new BackupChecksum();
			String columns = String.join(", ", table.columns().stream().map(BackupSchema.Column::name).toList());
			try (PreparedStatement ps = c.prepareStatement("select " + columns + " from " + table.name())) {
				ps.setFetchSize(DatabaseBackup.FETCH_SIZE);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						for (int i = 0; i < table.columns().size(); i++) {
							BackupColumnType type = table.columns().get(i).type();
							checksum.add(type, type.read(rs, i + 1));
						}
						checksum.endRow();
					}
				}
			}
			if (checksum.rows() != table.rows()) {
				throw new BackupException("After loading, table " + table.name() + " holds " + checksum.rows()
						+ " rows instead of " + table.rows() + "; the restore was rolled back.");
			}
			BackupChecksum expected = loaded.get(table.name());
			if (expected == null || !expected.hex().equals(checksum.hex())) {
				throw new BackupException("After loading, table " + table.name() + " does not read back as it was "
						+ "backed up (checksum differs); the restore was rolled back.");
			}
		}
	}

	/** Inserts rows in batches, after checking that each backed-up table exists in the target with its columns. */
	private static final class Loader implements BackupPayload.RowSink {

		private final Connection c;

		private final Map<String, Map<String, BackupColumnType>> targetTables;

		private PreparedStatement insert;

		private int pending;

		private BackupChecksum checksum;

		/** The checksum of the rows as read from the file, per table. */
		final Map<String, BackupChecksum> checksums = new HashMap<>();

		Loader(Connection c) throws SQLException {
			this.c = c;
			this.targetTables = BackupSchema.tables(c)
				.stream()
				.collect(Collectors.toMap(BackupSchema.Table::name, t -> t.columns()
					.stream()
					.collect(Collectors.toMap(BackupSchema.Column::name, BackupSchema.Column::type))));
		}

		@Override
		public void startTable(BackupPayload.Table table) throws SQLException {
			Map<String, BackupColumnType> target = targetTables.get(table.name());
			Map<String, BackupColumnType> backup = table.columns()
				.stream()
				.collect(Collectors.toMap(BackupSchema.Column::name, BackupSchema.Column::type));
			if (target == null || !target.equals(backup)) {
				throw new BackupException("Table " + table.name() + " in the target database does not have the "
						+ "columns the backup has (" + (target == null ? "it is missing" : "they differ")
						+ ") although both are at the same schema version; the restore was rolled back.");
			}
			List<BackupSchema.Column> columns = table.columns();
			insert = c.prepareStatement("insert into " + table.name() + " (" + String.join(", ",
					columns.stream().map(BackupSchema.Column::name).toList()) + ") values ("
					+ String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")");
			pending = 0;
			checksum = new BackupChecksum();
		}

		@Override
		public void row(BackupPayload.Table table, Object[] values) throws SQLException {
			List<BackupSchema.Column> columns = table.columns();
			for (int i = 0; i < values.length; i++) {
				BackupColumnType type = columns.get(i).type();
				type.bind(insert, i + 1, values[i]);
				checksum.add(type, values[i]);
			}
			checksum.endRow();
			insert.addBatch();
			if (++pending == BATCH_SIZE) {
				insert.executeBatch();
				pending = 0;
			}
		}

		@Override
		public void endTable(BackupPayload.Table table) throws SQLException {
			if (pending > 0) {
				insert.executeBatch();
			}
			insert.close();
			checksums.put(table.name(), checksum);
		}
	}
}
