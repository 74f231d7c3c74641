package dev.plinto.cli;

import dev.plinto.backup.BackupException;
import dev.plinto.backup.EncryptedFiles;
import dev.plinto.config.PlintoSettings;
import dev.plinto.migration.Exporter;
import dev.plinto.migration.ImportException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plinto export --format jsonl FILE}: every user in the format {@code plinto import jsonl} reads
 * (docs/migration.md). With {@code --include-secrets} the file holds TOTP secrets and is encrypted like a backup.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
		description = "Export every user (profile, password hash, organizations and roles) as JSON Lines, the "
				+ "format plinto import jsonl reads.")
final class ExportCommand implements Callable<Integer> {

	@Option(names = "--format", paramLabel = "FORMAT", defaultValue = "jsonl", description = "jsonl (the only "
			+ "format).")
	String format;

	@Parameters(index = "0", paramLabel = "FILE", description = "The file to write (must not exist).")
	Path file;

	@Option(names = "--include-secrets", description = "Include TOTP secrets; the file is then encrypted with "
			+ "PLINTO_BACKUP_KEY or a passphrase, like a backup.")
	boolean includeSecrets;

	@Option(names = "--passphrase-file", paramLabel = "FILE", description = "With --include-secrets, encrypt with "
			+ "the passphrase in this file (first line) instead of PLINTO_BACKUP_KEY.")
	Path passphraseFile;

	@Override
	public Integer call() throws IOException {
		if (!"jsonl".equals(format)) {
			System.err.println("Unknown --format " + format + "; the export format is jsonl.");
			return 2;
		}
		if (Files.exists(file)) {
			System.err.println(file + " exists; choose a new file name.");
			return 1;
		}
		PlintoSettings settings = PlintoSettings.fromEnvironment();
		long start = System.nanoTime();
		boolean written = false;
		try (ConfigurableApplicationContext context = PlintoCommand.context();
				OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW),
						1 << 16)) {
			long users;
			if (includeSecrets) {
				try (OutputStream out = EncryptedFiles.encrypt(raw, settings, passphraseFile)) {
					users = context.getBean(Exporter.class).write(out, true, file.toAbsolutePath().toString());
				}
			}
			else {
				users = context.getBean(Exporter.class).write(raw, false, file.toAbsolutePath().toString());
			}
			written = true;
			System.out.println(String.format(Locale.ROOT, "Exported %,d users to %s%s in %.1f s.", users, file,
					includeSecrets ? " (with TOTP secrets, encrypted like a backup)" : "",
					(System.nanoTime() - start) / 1e9));
			return 0;
		}
		catch (ImportException | BackupException e) {
			System.err.println(e.getMessage());
			return 1;
		}
		finally {
			if (!written) {
				Files.deleteIfExists(file);
			}
		}
	}
}
