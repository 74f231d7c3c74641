package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the master key: {@code PLINTO_MASTER_KEY} when set; on embedded storage only, a key generated once
 * into {@code <data dir>/master.key} (owner-only permissions) with a warning, so a first start needs no setup.
 * With PostgreSQL the key is required (checked by {@link PlintoSettings}) because every node must share it
 * (OWASP Key Management Cheat Sheet, "Key storage": keep keys apart from the data they protect).
 */
public final class MasterKey {

	private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

	private MasterKey() {
	}

	public static byte[] resolve(PlintoSettings settings) {
		if (settings.masterKey().isPresent()) {
			return settings.masterKey().get();
		}
		Path file = settings.dataDir().resolve("master.key");
		try {
			if (Files.exists(file)) {
				byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
				if (key.length != 32) {
					throw new SettingsException(List.of("The generated master key file " + file
							+ " does not hold 32 bytes in base64; restore it or set PLINTO_MASTER_KEY."));
				}
				return key;
			}
			Files.createDirectories(settings.dataDir());
			byte[] key = SecureTokens.randomBytes(32);
			Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException e) {
				// not a POSIX file system; the file keeps the platform's default permissions
			}
			log.warn("PLINTO_MASTER_KEY is not set: generated a master key into {}. Back it up with the data "
					+ "directory, or set PLINTO_MASTER_KEY to its content; without it encrypted data is lost.", file);
			return key;
		}
		catch (IOException | IllegalArgumentException e) {
			throw new SettingsException(List.of("PLINTO_MASTER_KEY is not set and the master key file " + file
					+ " cannot be read or created (" + e.getClass().getSimpleName() + ")."));
		}
	}
}
