package dev.plinto.cli;

import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.MasterKey;
import dev.plinto.crypto.MasterKeyCheck;
import dev.plinto.crypto.MasterKeyRotation;
import dev.plinto.crypto.MasterKeys;
import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.crypto.SecureTokens;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;

/**
 * {@code plinto master-key generate | status | rotate}: the master key that seals secrets at rest, and its rotation
 * (docs/operations.md, "Rotating the master key"). Key ids are printed as 8 hex digits; a key itself only by
 * {@code generate}, which exists to print one.
 */
@Command(name = "master-key", description = "Generate, inspect and rotate the master key that seals secrets at rest.",
		mixinStandardHelpOptions = true,
		subcommands = { MasterKeyCommand.Generate.class, MasterKeyCommand.Status.class, MasterKeyCommand.Rotate.class,
				HelpCommand.class })
final class MasterKeyCommand {

	static String id(int keyId) {
		return String.format(Locale.ROOT, "%08x", keyId);
	}

	@Command(name = "generate", mixinStandardHelpOptions = true,
			description = "Print a new random master key (32 bytes, base64) for PLINTO_MASTER_KEY. Nothing is stored.")
	static final class Generate implements Callable<Integer> {

		@Override
		public Integer call() {
			byte[] key = SecureTokens.randomBytes(32);
			System.out.println(Base64.getEncoder().encodeToString(key));
			System.err.println("Key id " + id(SecretBox.keyId(key)) + ". Keep the key in your secret store; it is "
					+ "shown only this once.");
			return 0;
		}
	}

	@Command(name = "status", mixinStandardHelpOptions = true,
			description = "Show the ids of the master keys in force and how many sealed values are not yet under the "
					+ "current key.")
	static final class Status implements Callable<Integer> {

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				PlintoSettings settings = context.getBean(PlintoSettings.class);
				MasterKeys keys = MasterKey.find(settings).orElseThrow();
				SecretBox box = context.getBean(SecretBox.class);
				MasterKeyRotation rotation = context.getBean(MasterKeyRotation.class);
				System.out.println("Current master key: " + id(box.currentKeyId()) + " (seals).");
				System.out.println("Previous master keys (open only): " + (keys.previous().isEmpty() ? "none"
						: String.join(", ", keys.previous().stream().map(k -> id(SecretBox.keyId(k))).toList()))
						+ ".");
				long remaining = rotation.remaining(box);
				System.out.println(remaining == 0 ? "Every sealed value is under the current key."
						: remaining + " sealed value(s) are not under the current key yet: run plinto master-key "
								+ "rotate.");
			}
			return 0;
		}
	}

	@Command(name = "rotate", mixinStandardHelpOptions = true,
			description = { "Re-seal every sealed value (signing keys, TOTP secrets, queued mail, webhook secrets) "
					+ "that is not under the current master key yet, in batches, each in its own transaction. Safe to interrupt and run "
					+ "again; it continues where it stopped.",
					"PostgreSQL: runs while the servers run, once every node accepts both keys (docs/operations.md). "
							+ "Embedded storage: stop the server first." })
	static final class Rotate implements Callable<Integer> {

		@Option(names = "--new-key", description = "Embedded storage without PLINTO_MASTER_KEY only: first write a new "
				+ "random key into <PLINTO_DATA_DIR>/master.key as the current key, keeping the old one as a previous key.")
		boolean newKey;

		@Option(names = "--batch-size", paramLabel = "ROWS", defaultValue = "500",
				description = "Rows re-sealed per transaction (default ${DEFAULT-VALUE}).")
		int batchSize;

		@Override
		public Integer call() {
			if (batchSize < 1 || batchSize > 100_000) {
				System.err.println("--batch-size must be between 1 and 100000, not " + batchSize + ".");
				return PlintoCommand.CONFIG_ERROR;
			}
			PlintoSettings settings = PlintoSettings.fromEnvironment();
			if (newKey && settings.masterKey().isPresent()) {
				// The same sentence MasterKey.rotateFile gives, before any database is opened.
				MasterKey.rotateFile(settings);
			}
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				SecretBox box = context.getBean(SecretBox.class);
				if (newKey) {
					// Only now that the database is open (the embedded one admits one process): a running server
					// has been refused above, and would otherwise go on sealing under the old key.
					box = new SecretBox(MasterKey.rotateFile(settings));
					context.getBean(MasterKeyCheck.class).record(box);
					System.out.println("Wrote a new master key " + id(box.currentKeyId()) + " into "
							+ MasterKey.keyFile(settings) + "; the keys it held stay there as previous keys.");
				}
				MasterKeyRotation rotation = context.getBean(MasterKeyRotation.class);
				System.out.println("Re-sealing under master key " + id(box.currentKeyId()) + ": "
						+ rotation.remaining(box) + " value(s) to do.");
				Map<SealedColumn, Long> done = new HashMap<>();
				MasterKeyRotation.Result result = rotation.reseal(box, batchSize, (column, resealed, unreadable) -> {
					long total = done.merge(column, (long) resealed, Long::sum);
					System.out.println("  " + column + ": " + total + " re-sealed"
							+ (unreadable > 0 ? ", " + unreadable + " unreadable in this batch" : "") + ".");
				});
				for (MasterKeyRotation.ColumnResult c : result.columns()) {
					if (c.unreadable() > 0) {
						System.err.println(c.column() + ": " + c.unreadable() + " value(s) open under none of the "
								+ "master keys in force and were left as they are; add the key they were sealed "
								+ "with to PLINTO_MASTER_KEY_PREVIOUS and run this again.");
					}
				}
				long left = rotation.remaining(box);
				if (left == 0) {
					context.getBean(MasterKeyCheck.class).forgetOtherKeys(box);
				}
				System.out.println("Re-sealed " + result.resealed() + " value(s); " + (left == 0
						? "every sealed value is now under master key " + id(box.currentKeyId())
								+ ", so the previous keys are needed only to restore older backups."
						: left + " value(s) are still not under it."));
				return result.unreadable() > 0 ? 1 : 0;
			}
		}
	}
}
