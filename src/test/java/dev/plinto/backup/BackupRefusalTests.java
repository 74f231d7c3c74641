package dev.plinto.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a restore must refuse — wrong key or passphrase, a truncated file, a changed byte, a backup from a
 * newer schema, a target that is not empty — refuses with a clear sentence and leaves the target exactly as it
 * was. The source is an H2 database with rows in the core tables.
 */
class BackupRefusalTests {

	@TempDir
	Path dir;

	private HikariDataSource source;

	private HikariDataSource target;

	private final BackupKey key = BackupKey.fromKey(BackupRestoreTests.randomKey());

	private Path file;

	@BeforeEach
	void backUpAPopulatedDatabase() {
		source = TestDatabases.h2();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		var jdbc = org.springframework.jdbc.core.simple.JdbcClient.create(source);
		for (int i = 0; i < 50; i++) {
			jdbc.sql("insert into users (id, email, email_verified, name, password_hash, created_at, updated_at) "
					+ "values (?, ?, ?, ?, ?, ?, ?)")
				.params("usr_" + i, "user" + i + "@example.com", i % 2 == 0, i % 3 == 0 ? null : "Ünïcødé " + i,
						"$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA", now.minusSeconds(i), now)
				.update();
			jdbc.sql("insert into sessions (id, user_id, amr, created_at, last_active_at, expires_at) "
					+ "values (?, ?, 'pwd', ?, ?, ?)")
				.params("ses_" + i, "usr_" + i, now, now, now.plusSeconds(3600))
				.update();
			jdbc.sql("insert into sign_in_failures (subject, failures, last_failure_at) values (?, ?, ?)")
				.params("subject-" + i, i, now)
				.update();
		}
		file = dir.resolve("source.backup");
		DatabaseBackup.write(source, file, key, now, BackupProgress.silent());
		target = BackupRestoreTests.pool(TestDatabases.newH2Url(), "sa", "");
	}

	@AfterEach
	void close() {
		target.close();
		source.close();
	}

	private void assertRefusedAndTargetUntouched(Path backup, BackupKey withKey, String message) throws Exception {
		Map<String, Object> before = DatabaseContents.shape(target);
		assertThatThrownBy(() -> DatabaseRestore.restore(backup, h -> withKey, target, BackupProgress.silent(),
				BackupProgress.silent()))
			.isInstanceOf(BackupException.class)
			.hasMessageContaining(message);
		assertThat(DatabaseContents.shape(target)).as("the target is unchanged").isEqualTo(before);
	}

	@Test
	void restoreWhenIntactThenEveryRowEqual() throws Exception {
		DatabaseRestore.restore(file, h -> key, target, BackupProgress.silent(), BackupProgress.silent());
		assertThat(DatabaseContents.of(target)).isEqualTo(DatabaseContents.of(source));
		assertThat(DatabaseContents.of(target).get("users")).hasSize(50);
	}

	@Test
	void restoreWhenWrongKeyThenRefusedNamingTheKey() throws Exception {
		assertRefusedAndTargetUntouched(file, BackupKey.fromKey(BackupRestoreTests.randomKey()),
				"PLINTO_BACKUP_KEY is not the key this backup was made with");
	}

	@Test
	void restoreWhenPassphraseBackupThenRightPassphraseRestoresAndWrongOneIsRefused() throws Exception {
		Path passphraseFile = dir.resolve("passphrase.backup");
		DatabaseBackup.write(source, passphraseFile,
				BackupKey.fromPassphrase("correct horse battery staple".toCharArray(), BackupKey.Argon2.withNewSalt()),
				Instant.now(), BackupProgress.silent());
		assertThatThrownBy(() -> DatabaseRestore.restore(passphraseFile,
				h -> BackupKey.fromPassphrase("correct horse battery stapler".toCharArray(), h.argon2()), target,
				BackupProgress.silent(), BackupProgress.silent()))
			.isInstanceOf(BackupException.class)
			.hasMessageContaining("The passphrase is not the one");
		assertThat(DatabaseContents.shape(target)).containsEntry("schema_version", "null");

		DatabaseRestore.restore(passphraseFile,
				h -> BackupKey.fromPassphrase("correct horse battery staple".toCharArray(), h.argon2()), target,
				BackupProgress.silent(), BackupProgress.silent());
		assertThat(DatabaseContents.of(target)).isEqualTo(DatabaseContents.of(source));
	}

	@Test
	void restoreWhenTruncatedThenRefused() throws Exception {
		byte[] bytes = Files.readAllBytes(file);
		for (int cut : new int[] { 1, 16, bytes.length / 2 }) {
			Path truncated = dir.resolve("truncated-" + cut);
			Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - cut));
			assertRefusedAndTargetUntouched(truncated, key, "truncated");
		}
		Path onlyHeader = dir.resolve("header-only");
		Files.write(onlyHeader, java.util.Arrays.copyOf(bytes, 20));
		assertRefusedAndTargetUntouched(onlyHeader, key, "truncated");
	}

	@Test
	void restoreWhenOneByteChangedThenRefused() throws Exception {
		byte[] bytes = Files.readAllBytes(file);
		int headerLength = BackupFile.MAGIC.length + 2 + BackupKey.CHECK_BYTES;
		for (int position : new int[] { headerLength + 40, bytes.length / 2, bytes.length - 1 }) {
			byte[] tampered = bytes.clone();
			tampered[position] ^= 0x01;
			Path changed = dir.resolve("tampered-" + position);
			Files.write(changed, tampered);
			assertRefusedAndTargetUntouched(changed, key, "altered");
		}
		byte[] badCheck = bytes.clone();
		badCheck[headerLength - 1] ^= 0x01;
		Path changedHeader = dir.resolve("tampered-header");
		Files.write(changedHeader, badCheck);
		assertRefusedAndTargetUntouched(changedHeader, key, "not the key");
	}

	@Test
	void restoreWhenBackupHasNewerSchemaVersionThenRefusedNamingBothVersions() throws Exception {
		Path newer = dir.resolve("newer.backup");
		rewritePayload(file, newer, payload -> payload.replaceFirst("\"schema_version\":\"[0-9.]+\"",
				"\"schema_version\":\"999\""));
		assertRefusedAndTargetUntouched(newer, key, "schema version 999, newer than the newest this build");
	}

	@Test
	void restoreWhenTargetHasRowsThenRefused() throws Exception {
		DatabaseRestore.restore(file, h -> key, target, BackupProgress.silent(), BackupProgress.silent());
		assertRefusedAndTargetUntouched(file, key, "is not empty");
	}

	@Test
	void restoreWhenTargetHoldsOtherTablesThenRefused() throws Exception {
		org.springframework.jdbc.core.simple.JdbcClient.create(target)
			.sql("create table invoices (id integer primary key)")
			.update();
		assertRefusedAndTargetUntouched(file, key, "is not empty");
	}

	@Test
	void backupWhenFileExistsThenRefusedAndFileKept() throws Exception {
		byte[] before = Files.readAllBytes(file);
		assertThatThrownBy(() -> DatabaseBackup.write(source, file, key, Instant.now(), BackupProgress.silent()))
			.isInstanceOf(BackupException.class)
			.hasMessageContaining("already exists");
		assertThat(Files.readAllBytes(file)).isEqualTo(before);
	}

	/**
	 * Two backups to the same new file at once: exactly one succeeds, the other is refused with a sentence, and the
	 * file that remains is whole (it restores every row). The loser must not remove the winner's partial file.
	 */
	@Test
	void backupWhenTwoAtOnceToTheSameFileThenOneSucceedsAndItsFileIsWhole() throws Exception {
		Path same = dir.resolve("same.backup");
		java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
		java.util.concurrent.Callable<Object> backup = () -> {
			start.await();
			try {
				return DatabaseBackup.write(source, same, key, Instant.now(), BackupProgress.silent());
			}
			catch (BackupException e) {
				return e;
			}
		};
		var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			var first = pool.submit(backup);
			var second = pool.submit(backup);
			java.util.List<Object> outcomes = java.util.List.of(first.get(), second.get());
			assertThat(outcomes).filteredOn(o -> o instanceof DatabaseBackup.Result).hasSize(1);
			assertThat(outcomes).filteredOn(o -> o instanceof BackupException)
				.singleElement()
				.extracting(o -> ((BackupException) o).getMessage())
				.asString()
				.contains("already exists");
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(dir.resolve("same.backup.partial")).doesNotExist();
		DatabaseRestore.restore(same, h -> key, target, BackupProgress.silent(), BackupProgress.silent());
		assertThat(DatabaseContents.of(target)).isEqualTo(DatabaseContents.of(source));
	}

	@Test
	void backupWhenFileAppearsBeforeItsFinalNameThenNotReplaced() throws Exception {
		Path partial = dir.resolve("late.backup.partial");
		Path late = dir.resolve("late.backup");
		Files.writeString(partial, "finished backup");
		Files.writeString(late, "someone else's file");
		assertThatThrownBy(() -> DatabaseBackup.publish(partial, late)).isInstanceOf(BackupException.class)
			.hasMessageContaining("already exists");
		assertThat(Files.readString(late)).isEqualTo("someone else's file");
	}

	/** Decrypts a backup, changes its payload text and encrypts it again with the same key: a valid file. */
	private void rewritePayload(Path from, Path to, java.util.function.UnaryOperator<String> change)
			throws Exception {
		String payload;
		try (InputStream in = Files.newInputStream(from)) {
			BackupFile.Header header = BackupFile.readHeader(in);
			ByteArrayOutputStream text = new ByteArrayOutputStream();
			new GZIPInputStream(BackupFile.decrypt(in, header, key)).transferTo(text);
			payload = text.toString(StandardCharsets.UTF_8);
		}
		String changed = change.apply(payload);
		assertThat(changed).isNotEqualTo(payload);
		try (OutputStream out = BackupFile.encrypt(Files.newOutputStream(to), key)) {
			out.write(changed.getBytes(StandardCharsets.UTF_8));
		}
	}
}
