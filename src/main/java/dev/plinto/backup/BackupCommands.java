package dev.plinto.backup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.MasterKey;
import dev.plinto.crypto.MasterKeyCheck;
import dev.plinto.crypto.MasterKeys;
import dev.plinto.crypto.SecretBox;
import dev.plinto.platform.InfrastructureConfiguration;
import dev.plinto.platform.ToolSupport;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code plinto backup} and {@code plinto restore} (docs/backup.md). Both read the database from
 * {@code PLINTO_DATABASE_URL} like the server; the key comes from {@code PLINTO_BACKUP_KEY} or a passphrase —
 * from a file ({@code --passphrase-file}) or {@code PLINTO_BACKUP_PASSPHRASE}, never from a command-line value,
 * which other users of the machine could read in the process list (OWASP Secrets Management Cheat Sheet).
 * A refusal prints one sentence and exits with status 1.
 */
public final class BackupCommands {

	private BackupCommands() {
	}

	@Command(name = "backup", mixinStandardHelpOptions = true, description = "Write an encrypted backup of all of Plinto's data to one file.")
	public static final class Backup implements Callable<Integer> {

		@Option(names = "--out", required = true, paramLabel = "FILE", description = "The backup file to write "
				+ "(must not exist).")
		Path out;

		@Option(names = "--passphrase-file", paramLabel = "FILE", description = "Encrypt with the passphrase in this "
				+ "file (first line) instead of PLINTO_BACKUP_KEY.")
		Path passphraseFile;

		@Override
		public Integer call() {
			PlintoSettings settings = PlintoSettings.fromEnvironment();
			try {
				BackupKey key = keyForWriting(settings, passphraseFile);
				long start = System.nanoTime();
				DatabaseBackup.Result r;
				try (HikariDataSource ds = dataSource(settings)) {
					r = DatabaseBackup.write(ds, out.toAbsolutePath(), key, Clock.systemUTC().instant(),
							BackupProgress.onTerminal("Backing up"));
					audit(ds, AuditEvent.Type.BACKUP_CREATED, "plinto backup " + r.file() + ": " + r.rows() + " rows, "
							+ r.bytes() + " bytes");
				}
				System.out.println(String.format(Locale.ROOT, "Backed up %d tables, %,d rows (schema version %s) "
						+ "from %s to %s (%s) in %s.", r.tables(), r.rows(), r.schemaVersion(),
						settings.database().description(), r.file(), size(r.bytes()), elapsed(start)));
				return 0;
			}
			catch (BackupException e) {
				System.err.println(e.getMessage());
				return 1;
			}
		}
	}

	@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a backup file into an empty database (H2 or PostgreSQL).")
	public static final class Restore implements Callable<Integer> {

		@Option(names = "--in", required = true, paramLabel = "FILE", description = "The backup file to restore.")
		Path in;

		@Option(names = "--passphrase-file", paramLabel = "FILE", description = "The passphrase of a "
				+ "passphrase-encrypted backup, in this file (first line).")
		Path passphraseFile;

		@Override
		public Integer call() {
			PlintoSettings settings = PlintoSettings.fromEnvironment();
			try {
				long start = System.nanoTime();
				DatabaseRestore.Result r;
				try (HikariDataSource ds = dataSource(settings)) {
					r = DatabaseRestore.restore(in.toAbsolutePath(), header -> keyForReading(settings,
							passphraseFile, header), ds, BackupProgress.onTerminal("Checking  "),
							BackupProgress.onTerminal("Restoring "));
					audit(ds, AuditEvent.Type.BACKUP_RESTORED, "plinto restore " + in.toAbsolutePath() + ": "
							+ r.rows() + " rows, backed up from " + r.source() + " at " + r.createdAt());
					System.out.println(String.format(Locale.ROOT, "Restored %d tables, %,d rows (schema version %s, "
							+ "backed up from %s at %s) into %s in %s. The server applies newer migrations at its next "
							+ "start.", r.tables(), r.rows(), r.schemaVersion(), r.source(), r.createdAt(),
							settings.database().description(), elapsed(start)));
					System.out.println(masterKeyNeeded(settings, ds));
				}
				return 0;
			}
			catch (BackupException e) {
				System.err.println(e.getMessage());
				return 1;
			}
		}
	}

	/**
	 * Which master key the restored data needs and whether this installation has it, read from the restored key
	 * check ({@link MasterKeyCheck}); the server refuses to start under another key and never writes a new key
	 * beside restored data, so this says what to bring before the first start (OWASP Key Management Cheat Sheet,
	 * "Key backup and recovery").
	 */
	static String masterKeyNeeded(PlintoSettings settings, DataSource ds) {
		Set<String> needed = Set.of();
		try (Connection c = ds.getConnection()) {
			if (BackupSchema.allTableNames(c).contains("master_key_check")) {
				needed = new MasterKeyCheck(JdbcClient.create(ds), List.of(), Clock.systemUTC(),
						settings.database().description()).keyIdsOfData();
			}
		}
		catch (SQLException e) {
			// Not knowing which key is needed does not undo the restore: the general sentence below applies.
		}
		String generic = "The server needs the master key the backed-up installation used, in its master.key, "
				+ "PLINTO_MASTER_KEY or PLINTO_MASTER_KEY_PREVIOUS.";
		if (needed.isEmpty()) {
			return generic;
		}
		String ids = String.join(" or ", needed);
		Optional<MasterKeys> keys = MasterKey.find(settings);
		if (keys.isEmpty()) {
			return "The restored data needs master key " + ids + ", the key of the installation it was backed up "
					+ "from: copy that installation's master.key into " + settings.dataDir() + " or set "
					+ "PLINTO_MASTER_KEY to it. Until then the server refuses to start (and writes no new key).";
		}
		List<byte[]> inForce = new ArrayList<>();
		inForce.add(keys.get().current());
		keys.get().previous().forEach(inForce::add);
		List<String> idsInForce = inForce.stream().map(k -> MasterKeyCheck.hex(SecretBox.keyId(k))).toList();
		if (idsInForce.stream().anyMatch(needed::contains)) {
			return "The restored data needs master key " + ids + ", which is in force here.";
		}
		return "The restored data needs master key " + ids + ", but the keys in force here are "
				+ String.join(", ", idsInForce) + ": use the key of the installation you restored (its master.key "
				+ "or PLINTO_MASTER_KEY). Until then the server refuses to start.";
	}

	/**
	 * Records a backup or restore in the audit log of the database it read or wrote: a backup exports every user's
	 * data, so it is a security event (OWASP Logging Cheat Sheet, "Which events to log": data import and export).
	 * The backup or restore itself has succeeded by then, so a failure here is reported without failing it.
	 */
	private static void audit(DataSource ds, AuditEvent.Type type, String detail) {
		try {
			AuditLog.of(ds).record(type, null, null, ClientInfo.none(), detail);
		}
		catch (RuntimeException e) {
			System.err.println("Done, but it could not be recorded in the audit log: " + e.getMessage());
		}
	}

	/**
	 * The key a new backup is encrypted with: the passphrase file when given, otherwise
	 * {@code PLINTO_BACKUP_PASSPHRASE} or {@code PLINTO_BACKUP_KEY} — not both, to avoid guessing which one the
	 * operator meant.
	 */
	static BackupKey keyForWriting(PlintoSettings settings, Path passphraseFile) {
		PlintoSettings.Backup b = settings.backup();
		Optional<String> passphrase = passphraseFile != null ? Optional.of(readPassphrase(passphraseFile))
				: b.passphrase();
		if (passphraseFile == null && b.passphrase().isPresent() && b.key().isPresent()) {
			throw new BackupException("Both PLINTO_BACKUP_KEY and PLINTO_BACKUP_PASSPHRASE are set; unset one so it "
					+ "is clear which one encrypts the backup.");
		}
		if (passphrase.isPresent()) {
			if (passphrase.get().length() < BackupKey.MIN_PASSPHRASE_LENGTH) {
				throw new BackupException("The passphrase must be at least " + BackupKey.MIN_PASSPHRASE_LENGTH
						+ " characters long.");
			}
			return BackupKey.fromPassphrase(passphrase.get().toCharArray(), BackupKey.Argon2.withNewSalt());
		}
		return b.key()
			.map(BackupKey::fromKey)
			.orElseThrow(() -> new BackupException("No backup key: set PLINTO_BACKUP_KEY (openssl rand -base64 32), "
					+ "or give a passphrase with --passphrase-file or PLINTO_BACKUP_PASSPHRASE."));
	}

	/** The key for a file's header: the kind of key it was written with decides where it comes from. */
	static BackupKey keyForReading(PlintoSettings settings, Path passphraseFile, BackupFile.Header header) {
		if (header.kind() == BackupKey.Kind.KEY) {
			return settings.backup()
				.key()
				.map(BackupKey::fromKey)
				.orElseThrow(() -> new BackupException("This backup was encrypted with PLINTO_BACKUP_KEY; set it to "
						+ "the key used when the backup was made."));
		}
		String passphrase = passphraseFile != null ? readPassphrase(passphraseFile)
				: settings.backup()
					.passphrase()
					.orElseThrow(() -> new BackupException("This backup was encrypted with a passphrase; give it with "
							+ "--passphrase-file or PLINTO_BACKUP_PASSPHRASE."));
		return BackupKey.fromPassphrase(passphrase.toCharArray(), header.argon2());
	}

	/** The first line of the file, without its line break. */
	static String readPassphrase(Path file) {
		try {
			String text = Files.readString(file, StandardCharsets.UTF_8);
			String line = text.lines().findFirst().orElse("");
			if (line.isEmpty()) {
				throw new BackupException("The passphrase file " + file + " is empty.");
			}
			return line;
		}
		catch (IOException e) {
			throw new BackupException("Cannot read the passphrase file " + file + ": " + e.getMessage() + ".");
		}
	}

	/** A small pool on the configured database; PostgreSQL inserts batched into multi-row statements. */
	static HikariDataSource dataSource(PlintoSettings settings) {
		ToolSupport.quietLogs();
		HikariConfig config = InfrastructureConfiguration.hikari(settings);
		config.setPoolName("plinto-backup");
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(0);
		if (settings.database().kind() == PlintoSettings.DatabaseKind.POSTGRESQL) {
			config.addDataSourceProperty("reWriteBatchedInserts", "true");
		}
		if (settings.database().jdbcUrl().startsWith("jdbc:h2:file:")) {
			try {
				Files.createDirectories(settings.dataDir());
			}
			catch (IOException e) {
				throw new BackupException("Cannot create PLINTO_DATA_DIR " + settings.dataDir() + ": "
						+ e.getMessage() + ".");
			}
		}
		try {
			return new HikariDataSource(config);
		}
		catch (RuntimeException e) {
			throw new BackupException(ToolSupport.databaseInUse(e).orElseGet(() -> "Cannot connect to "
					+ settings.database().description() + ": " + NestedExceptionUtils.getMostSpecificCause(e)
						.getMessage()), e);
		}
	}

	static String size(long bytes) {
		if (bytes < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
		}
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
	}

	private static String elapsed(long startNanos) {
		Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
		return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
	}
}
