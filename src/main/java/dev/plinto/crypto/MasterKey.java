package dev.plinto.crypto;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the master keys: {@code PLINTO_MASTER_KEY} (the key that seals) and {@code PLINTO_MASTER_KEY_PREVIOUS}
 * (keys still accepted for opening) when set; on embedded storage only, without {@code PLINTO_MASTER_KEY}, the key
 * file {@code <data dir>/master.key}, generated once (owner-only permissions) with a warning so a first start needs
 * no setup, and never beside a database that already holds sealed data ({@link MasterKeyCheck}). With PostgreSQL the key is required (checked by {@link PlintoSettings}) because every node must share
 * it (OWASP Key Management Cheat Sheet, "Key storage": keep keys apart from the data they protect).
 *
 * <p>The key file holds one base64 key per line: the first is the current key, any further lines are previous
 * keys; blank lines and lines starting with {@code #} are ignored. A file with a single key (as written before keys
 * could be rotated) is a file with a current key and no previous one.
 */
public final class MasterKey {

	private static final Logger log = LoggerFactory.getLogger(MasterKey.class);

	public static final String FILE_NAME = "master.key";

	private MasterKey() {
	}

	/**
	 * The keys in force, generating the key file of embedded storage on a first start only: never while the
	 * database already holds sealed data or a key check ({@link MasterKeyCheck}), since a new key could open none of
	 * it and would only hide that the key of the installation the data came from is missing.
	 *
	 * @throws SettingsException when no key is configured but the database needs one, naming the key id it needs
	 */
	public static MasterKeys resolve(PlintoSettings settings, MasterKeyCheck check) {
		Optional<MasterKeys> found = find(settings);
		if (found.isPresent()) {
			return found.get();
		}
		Path file = keyFile(settings);
		if (check.holdsSealedData()) {
			Set<String> ids = check.keyIdsOfData();
			throw new SettingsException(List.of("PLINTO_MASTER_KEY is not set and there is no master key file " + file
					+ ", but the data in " + settings.database().description() + " is sealed under "
					+ (ids.isEmpty() ? "a master key" : "master key " + String.join(" or ", ids))
					+ ": use the key of the installation you restored (copy its master.key into "
					+ settings.dataDir() + " or set PLINTO_MASTER_KEY). No new key was written."));
		}
		try {
			Files.createDirectories(settings.dataDir());
			byte[] key = SecureTokens.randomBytes(32);
			write(file, List.of(key));
			log.warn("PLINTO_MASTER_KEY is not set: generated a master key into {}. Back it up with the data "
					+ "directory, or set PLINTO_MASTER_KEY to its content; without it encrypted data is lost.", file);
			return new MasterKeys(key, settings.previousMasterKeys());
		}
		catch (IOException e) {
			throw new SettingsException(List.of("PLINTO_MASTER_KEY is not set and the master key file " + file
					+ " cannot be created (" + e.getClass().getSimpleName() + ")."));
		}
	}

	/**
	 * The keys configured, without generating any: {@code PLINTO_MASTER_KEY} (and its previous keys), else the key
	 * file of embedded storage when it exists; empty when neither is there.
	 */
	public static Optional<MasterKeys> find(PlintoSettings settings) {
		if (settings.masterKey().isPresent()) {
			return Optional.of(new MasterKeys(settings.masterKey().get(), settings.previousMasterKeys()));
		}
		Path file = keyFile(settings);
		try {
			if (!Files.exists(file)) {
				return Optional.empty();
			}
			List<byte[]> keys = read(file);
			List<byte[]> previous = new ArrayList<>(keys.subList(1, keys.size()));
			previous.addAll(settings.previousMasterKeys());
			return Optional.of(new MasterKeys(keys.get(0), previous));
		}
		catch (IOException e) {
			throw new SettingsException(List.of("PLINTO_MASTER_KEY is not set and the master key file " + file
					+ " cannot be read (" + e.getClass().getSimpleName() + ")."));
		}
	}

	public static Path keyFile(PlintoSettings settings) {
		return settings.dataDir().resolve(FILE_NAME);
	}

	/**
	 * Rotates the key file of embedded storage: a new random key becomes the current one (first line) and the keys
	 * the file held stay as previous keys, so values sealed under them still open until they are re-sealed. The file
	 * is replaced atomically (written beside it, then moved over it), so a crash leaves the old or the new file,
	 * never half of one.
	 *
	 * @throws SettingsException when {@code PLINTO_MASTER_KEY} is set (the key then lives outside Plinto and the
	 * operator rotates it there) or the file cannot be read or written
	 */
	public static MasterKeys rotateFile(PlintoSettings settings) {
		if (settings.masterKey().isPresent()) {
			throw new SettingsException(List.of("PLINTO_MASTER_KEY is set, so the master key file is not used: put "
					+ "a new key (plinto master-key generate) in PLINTO_MASTER_KEY and the old one in "
					+ "PLINTO_MASTER_KEY_PREVIOUS instead of --new-key."));
		}
		Path file = keyFile(settings);
		try {
			List<byte[]> keys = Files.exists(file) ? read(file) : List.of();
			List<byte[]> next = new ArrayList<>();
			next.add(SecureTokens.randomBytes(32));
			next.addAll(keys);
			Files.createDirectories(settings.dataDir());
			write(file, next);
			List<byte[]> previous = new ArrayList<>(next.subList(1, next.size()));
			previous.addAll(settings.previousMasterKeys());
			return new MasterKeys(next.get(0), previous);
		}
		catch (IOException e) {
			throw new SettingsException(List.of("The master key file " + file + " cannot be read or written ("
					+ e.getClass().getSimpleName() + ")."));
		}
	}

	private static List<byte[]> read(Path file) throws IOException {
		List<byte[]> keys = new ArrayList<>();
		List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).trim();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			byte[] key;
			try {
				key = Base64.getDecoder().decode(line);
			}
			catch (IllegalArgumentException e) {
				key = null;
			}
			if (key == null || key.length != 32) {
				throw new SettingsException(List.of("The master key file " + file + " does not hold 32 bytes in "
						+ "base64 on line " + (i + 1) + "; restore it or set PLINTO_MASTER_KEY."));
			}
			keys.add(key);
		}
		if (keys.isEmpty()) {
			throw new SettingsException(List.of("The master key file " + file + " holds no key; restore it or set "
					+ "PLINTO_MASTER_KEY."));
		}
		return keys;
	}

	private static void write(Path file, List<byte[]> keys) throws IOException {
		StringBuilder text = new StringBuilder();
		for (byte[] key : keys) {
			text.append(Base64.getEncoder().encodeToString(key)).append('\n');
		}
		Path temporary = file.resolveSibling(file.getFileName() + ".new");
		Files.deleteIfExists(temporary);
		Files.createFile(temporary);
		try {
			Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException e) {
			// not a POSIX file system; the file keeps the platform's default permissions
		}
		Files.writeString(temporary, text, StandardCharsets.US_ASCII);
		Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}
}
