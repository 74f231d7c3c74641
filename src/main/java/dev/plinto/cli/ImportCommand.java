package dev.plinto.cli;

import dev.plinto.backup.BackupProgress;
import dev.plinto.backup.EncryptedFiles;
import dev.plinto.config.PlintoSettings;
import dev.plinto.migration.CsvReport;
import dev.plinto.migration.ImportException;
import dev.plinto.migration.Importer;
import dev.plinto.migration.Source;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plinto import SOURCE FILE}: users with their password hashes from another service (docs/migration.md). */
@Command(name = "import", mixinStandardHelpOptions = true,
		description = "Import users (password hashes, TOTP secrets, organizations) from a Clerk, Auth0, Firebase, "
				+ "Keycloak or Supabase export, or from Plinto's JSON Lines format.")
final class ImportCommand implements Callable<Integer> {

	@Parameters(index = "0", paramLabel = "SOURCE", description = "clerk, auth0, firebase, keycloak, supabase or jsonl.")
	String source;

	@Parameters(index = "1", paramLabel = "FILE", description = "The export file (a plinto export encrypted with "
			+ "--include-secrets is decrypted with the backup key).")
	Path file;

	@Option(names = "--dry-run", description = "Read and check everything, report what would happen, write nothing.")
	boolean dryRun;

	@Option(names = "--on-conflict", paramLabel = "skip|update|fail", defaultValue = "skip",
			description = "A user that exists with other values: leave it (skip, the default), overwrite it (update), "
					+ "or stop the import (fail).")
	String onConflict;

	@Option(names = "--resume", description = "Continue an interrupted import of the same file after its last "
			+ "committed batch.")
	boolean resume;

	@Option(names = "--report", paramLabel = "FILE", description = "Write each refused row, and what could not "
			+ "come along per user, to this CSV file.")
	Path report;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000", description = "Users per transaction "
			+ "(default 1000).")
	int batchSize;

	@Option(names = "--hashes", paramLabel = "FILE", description = "auth0: the password-hash export from Auth0 "
			+ "support (NDJSON), imported after FILE.")
	Path hashes;

	@Option(names = "--hash-config", paramLabel = "FILE", description = "firebase: a file with the project's "
			+ "password hash parameters as the Firebase console shows them (base64_signer_key, "
			+ "base64_salt_separator, rounds, mem_cost).")
	Path hashConfig;

	@Option(names = "--groups-as-organizations", description = "keycloak: each top-level group becomes an "
			+ "organization; a subgroup named owner, admin or a role key gives its members that role.")
	boolean groupsAsOrganizations;

	@Option(names = "--passphrase-file", paramLabel = "FILE", description = "The passphrase of an encrypted "
			+ "export, in this file (first line), instead of PLINTO_BACKUP_KEY.")
	Path passphraseFile;

	@Override
	public Integer call() throws IOException {
		Source src;
		Importer.OnConflict conflict;
		try {
			src = Source.valueOf(source.toUpperCase(Locale.ROOT));
			conflict = Importer.OnConflict.valueOf(onConflict.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			System.err.println("Unknown source or --on-conflict value: the sources are clerk, auth0, firebase, "
					+ "keycloak, supabase and jsonl; --on-conflict is skip, update or fail.");
			return 2;
		}
		if (!Files.isReadable(file) || hashes != null && !Files.isReadable(hashes)) {
			System.err.println("Cannot read " + (Files.isReadable(file) ? hashes : file) + ".");
			return 1;
		}
		if (batchSize < 1 || batchSize > 100_000) {
			System.err.println("--batch-size must be between 1 and 100000.");
			return 2;
		}
		PlintoSettings settings = PlintoSettings.fromEnvironment();
		try {
			Source.Options sourceOptions = sourceOptions(src);
			Importer.Options options = new Importer.Options(src, sourceOptions, dryRun, conflict, resume, batchSize);
			long start = System.nanoTime();
			try (ConfigurableApplicationContext context = PlintoCommand.context();
					CsvReport csv = report == null ? null : new CsvReport(report)) {
				Importer importer = context.getBean(Importer.class);
				Importer.Report sink = csv == null ? Importer.Report.NONE : csv;
				Importer.Summary total = run(importer, settings, file, options, sink);
				if (hashes != null) {
					Importer.Summary h = run(importer, settings, hashes, options, sink);
					System.out.println(String.format(Locale.ROOT, "Password hashes: %,d users got their password, "
							+ "%,d unchanged, %,d refused.", h.imported() + h.updated(), h.unchanged(), h.refused()));
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.println(String.format(Locale.ROOT, "%s%,d records: %,d imported, %,d updated, %,d unchanged, "
						+ "%,d refused; %,d users came without some of their data%s, in %.1f s (%,.0f records/s)%s.",
						dryRun ? "Dry run, nothing written: " : "", total.records(), total.imported(), total.updated(),
						total.unchanged(), total.refused(), total.partial(),
						report == null ? "" : " (see " + report + ")", seconds, total.records() / Math.max(seconds, 0.001),
						total.resumedAfter() > 0 ? ", resumed after record " + total.resumedAfter() : ""));
				if (report == null && (total.refused() > 0 || total.partial() > 0)) {
					System.out.println("Run again with --report FILE to see each refused row and why.");
				}
			}
			return 0;
		}
		catch (ImportException | dev.plinto.backup.BackupException e) {
			System.err.println(e.getMessage());
			return 1;
		}
	}

	private Importer.Summary run(Importer importer, PlintoSettings settings, Path path, Importer.Options options,
			Importer.Report sink) throws IOException {
		String fingerprint = Importer.fingerprint(path);
		BackupProgress progress = BackupProgress.onTerminal("Importing", "bytes");
		progress.start(Files.size(path));
		try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
				InputStream in = EncryptedFiles.isEncrypted(path) ? EncryptedFiles.decrypt(raw, settings, passphraseFile)
						: raw) {
			Importer.Summary summary = importer.run(path, in, fingerprint, options, sink,
					(records, bytes) -> progress.advanceTo(bytes, String.format(Locale.ROOT, "%,d records", records)));
			progress.finish();
			return summary;
		}
	}

	private static final Pattern HASH_CONFIG = Pattern.compile("(base64_signer_key|base64_salt_separator|rounds|"
			+ "mem_cost)\\s*[:=]\\s*\"?([A-Za-z0-9+/=]+)\"?");

	private Source.Options sourceOptions(Source src) throws IOException {
		if (src != Source.FIREBASE || hashConfig == null) {
			return new Source.Options(null, null, 0, 0, groupsAsOrganizations);
		}
		Map<String, String> values = new HashMap<>();
		Matcher m = HASH_CONFIG.matcher(Files.readString(hashConfig, StandardCharsets.UTF_8));
		while (m.find()) {
			values.put(m.group(1), m.group(2));
		}
		if (!values.keySet().containsAll(java.util.List.of("base64_signer_key", "rounds", "mem_cost"))) {
			throw new ImportException("The hash config " + hashConfig + " needs base64_signer_key, "
					+ "base64_salt_separator, rounds and mem_cost, as the Firebase console shows them.");
		}
		return new Source.Options(values.get("base64_signer_key"), values.getOrDefault("base64_salt_separator", ""),
				Integer.parseInt(values.get("rounds")), Integer.parseInt(values.get("mem_cost")), groupsAsOrganizations);
	}
}
