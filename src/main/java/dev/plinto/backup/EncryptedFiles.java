package dev.plinto.backup;

import dev.plinto.config.PlintoSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Backup encryption for other files that hold secrets (the export with TOTP secrets, docs/migration.md): the same
 * container as a backup file ({@link BackupFile}: Tink's AES-256-GCM-HKDF streaming AEAD, gzip inside) and the
 * same keys ({@code PLINTO_BACKUP_KEY}, or a passphrase from a file or {@code PLINTO_BACKUP_PASSPHRASE}).
 */
public final class EncryptedFiles {

	private EncryptedFiles() {
	}

	/** Whether the file starts with the backup signature, i.e. was written by {@link #encrypt}. */
	public static boolean isEncrypted(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return Arrays.equals(in.readNBytes(BackupFile.MAGIC.length), BackupFile.MAGIC);
		}
	}

	/**
	 * Writes the header for the configured backup key (or the passphrase in {@code passphraseFile}) and returns
	 * the stream the clear text goes into; closing it finishes the file. Fails with one sentence when no key is set.
	 */
	public static OutputStream encrypt(OutputStream file, PlintoSettings settings, Path passphraseFile)
			throws IOException {
		return BackupFile.encrypt(file, BackupCommands.keyForWriting(settings, passphraseFile));
	}

	/** The clear text of a file written by {@link #encrypt}; a wrong key or an altered file fails. */
	public static InputStream decrypt(InputStream file, PlintoSettings settings, Path passphraseFile)
			throws IOException {
		BackupFile.Header header = BackupFile.readHeader(file);
		BackupKey key = BackupCommands.keyForReading(settings, passphraseFile, header);
		return new GZIPInputStream(BackupFile.decrypt(file, header, key), 64 * 1024);
	}
}
