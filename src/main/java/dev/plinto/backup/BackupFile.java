package dev.plinto.backup;

import com.google.crypto.tink.ConfigurationV0;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The container of a backup file (docs/backup.md, "File format"): a small clear-text header — magic, format
 * version, how the key is obtained (with the Argon2id parameters and salt of a passphrase), a key-check value —
 * followed by the gzip-compressed payload encrypted with Tink's streaming AEAD AES256_GCM_HKDF_1MB
 * (AES-256-GCM in 1 MiB segments, each authenticated, the last one marked so truncation is detected; the header
 * is its associated data, so changing any header byte fails authentication too). Memory stays at a few
 * segments whatever the file size.
 */
final class BackupFile {

	static final byte[] MAGIC = "PLINTOBK".getBytes(StandardCharsets.US_ASCII);

	static final int FORMAT_VERSION = 1;

	static final int SEGMENT_BYTES = 1 << 20;

	/** A parsed header: its exact bytes (the associated data), the key kind, Argon2id parameters, key check. */
	record Header(byte[] bytes, BackupKey.Kind kind, BackupKey.Argon2 argon2, byte[] keyCheck) {
	}

	private BackupFile() {
	}

	/** Writes the header for this key and returns the stream the payload goes into (close it to finish the file). */
	static OutputStream encrypt(OutputStream file, BackupKey key) throws IOException {
		byte[] header = header(key);
		file.write(header);
		try {
			OutputStream encrypted = streamingAead(key).newEncryptingStream(file, header);
			return new GZIPOutputStream(encrypted, 64 * 1024) {
				{
					def.setLevel(Deflater.BEST_SPEED);
				}
			};
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM-HKDF streaming is not available", e);
		}
	}

	private static byte[] header(BackupKey key) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.write(MAGIC);
		out.writeByte(FORMAT_VERSION);
		out.writeByte(key.kind().code);
		if (key.kind() == BackupKey.Kind.PASSPHRASE) {
			BackupKey.Argon2 a = key.argon2();
			out.writeInt(a.memoryKib());
			out.writeInt(a.iterations());
			out.writeInt(a.parallelism());
			out.write(a.salt());
		}
		out.write(key.check());
		out.flush();
		return bytes.toByteArray();
	}

	/** Reads and checks the header; the stream then stands at the start of the ciphertext. */
	static Header readHeader(InputStream file) {
		ByteArrayOutputStream copy = new ByteArrayOutputStream();
		DataInputStream in = new DataInputStream(new InputStream() {
			@Override
			public int read() throws IOException {
				int b = file.read();
				if (b >= 0) {
					copy.write(b);
				}
				return b;
			}
		});
		try {
			byte[] magic = new byte[MAGIC.length];
			in.readFully(magic);
			if (!Arrays.equals(magic, MAGIC)) {
				throw new BackupException("This is not a Plinto backup file (it does not start with the Plinto "
						+ "backup signature).");
			}
			int version = in.readUnsignedByte();
			if (version != FORMAT_VERSION) {
				throw new BackupException("This backup file has format version " + version + ", which this build "
						+ "of Plinto cannot read (it reads version " + FORMAT_VERSION + "); restore it with a newer "
						+ "Plinto.");
			}
			int kindCode = in.readUnsignedByte();
			BackupKey.Kind kind = Arrays.stream(BackupKey.Kind.values())
				.filter(k -> k.code == kindCode)
				.findFirst()
				.orElseThrow(() -> new BackupException("The backup file's header is damaged (unknown key kind "
						+ kindCode + "); the file cannot be restored."));
			BackupKey.Argon2 argon2 = null;
			if (kind == BackupKey.Kind.PASSPHRASE) {
				int memory = in.readInt();
				int iterations = in.readInt();
				int parallelism = in.readInt();
				byte[] salt = new byte[BackupKey.Argon2.SALT_BYTES];
				in.readFully(salt);
				argon2 = new BackupKey.Argon2(memory, iterations, parallelism, salt);
				if (!argon2.withinLimits()) {
					throw new BackupException("The backup file's header is damaged (Argon2id parameters out of "
							+ "range); the file cannot be restored.");
				}
			}
			byte[] check = new byte[BackupKey.CHECK_BYTES];
			in.readFully(check);
			return new Header(copy.toByteArray(), kind, argon2, check);
		}
		catch (EOFException e) {
			throw new BackupException("The backup file is truncated: it ends inside its header.");
		}
		catch (IOException e) {
			throw new BackupException("The backup file cannot be read: " + e.getMessage() + ".", e);
		}
	}

	/**
	 * The decrypted (still compressed) payload. Fails at once with a wrong key; a damaged, altered or truncated file
	 * fails while it is read, with an {@link IOException} from the stream, before any unauthenticated byte is
	 * returned.
	 */
	static InputStream decrypt(InputStream ciphertext, Header header, BackupKey key) throws IOException {
		if (!key.matches(header.keyCheck())) {
			throw new BackupException(key.kind() == BackupKey.Kind.KEY
					? "PLINTO_BACKUP_KEY is not the key this backup was made with; nothing was restored."
					: "The passphrase is not the one this backup was made with; nothing was restored.");
		}
		try {
			return streamingAead(key).newDecryptingStream(ciphertext, header.bytes());
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM-HKDF streaming is not available", e);
		}
	}

	/**
	 * Tink's AES256_GCM_HKDF_1MB: HKDF-SHA256, 32-byte input key, AES-256-GCM segment keys, 1 MiB segments — the
	 * key imported into a one-key Tink keyset and used through the keyset's {@link StreamingAead} primitive.
	 * Streaming AEAD keys carry no output prefix, so the ciphertext is exactly the streaming format Tink defines for
	 * this key and these parameters (a header with the per-file HKDF salt and nonce prefix, then the segments),
	 * whatever the keyset's key id; files written before keysets were used here read back unchanged.
	 * {@link ConfigurationV0} builds the primitive without touching Tink's global registry.
	 */
	private static StreamingAead streamingAead(BackupKey key) throws GeneralSecurityException {
		AesGcmHkdfStreamingParameters parameters = AesGcmHkdfStreamingParameters.builder()
			.setKeySizeBytes(32)
			.setDerivedAesGcmKeySizeBytes(32)
			.setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
			.setCiphertextSegmentSizeBytes(SEGMENT_BYTES)
			.build();
		AesGcmHkdfStreamingKey streamingKey = AesGcmHkdfStreamingKey.create(parameters,
				SecretBytes.copyFrom(key.material(), InsecureSecretKeyAccess.get()));
		return KeysetHandle.newBuilder()
			.addEntry(KeysetHandle.importKey(streamingKey).withRandomId().makePrimary())
			.build()
			.getPrimitive(ConfigurationV0.get(), StreamingAead.class);
	}
}
