package dev.plinto.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.TestDatabases;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The start-up check of the master key against a database's data ({@link MasterKeyCheck} with
 * {@link MasterKey#resolve}), as a restore onto a new machine meets it: without the key no new key file is written
 * beside sealed data, a wrong key is refused with the sentence naming the key the data needs, the right key (or
 * the right key as a previous one) starts.
 */
class MasterKeyCheckTests {

	private static final SealedColumn MAIL = MasterKeyRotationTests.MAIL;

	private static final byte[] RIGHT = MasterKeyRotationTests.key(21);

	private static final byte[] WRONG = MasterKeyRotationTests.key(22);

	@TempDir
	Path dataDir;

	private HikariDataSource ds;

	private JdbcClient jdbc;

	private MasterKeyCheck check;

	@BeforeEach
	void database() {
		ds = TestDatabases.h2();
		jdbc = JdbcClient.create(ds);
		check = new MasterKeyCheck(jdbc, List.of(MAIL), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
				ZoneOffset.UTC), "embedded H2 at " + dataDir);
	}

	@AfterEach
	void close() {
		ds.close();
	}

	private PlintoSettings settings(String... nameValues) {
		Map<String, String> env = new HashMap<>();
		env.put("PLINTO_DATA_DIR", dataDir.toString());
		for (int i = 0; i < nameValues.length; i += 2) {
			env.put(nameValues[i], nameValues[i + 1]);
		}
		return PlintoSettings.parse(env::get);
	}

	private static String base64(byte[] key) {
		return Base64.getEncoder().encodeToString(key);
	}

	/** The first start of the installation that is later backed up: its key check and one sealed mail. */
	private void startedOnceUnder(byte[] key) {
		SecretBox box = new SecretBox(key);
		check.verify(box);
		jdbc.sql("insert into mail_outbox (id, recipient, subject, body, created_at, next_attempt_at) "
				+ "values ('m1', 'a@example.com', 'Hi', :body, :now, :now)")
			.param("body", box.seal("hello", MAIL.associatedData("m1")))
			.param("now", Timestamp.from(Instant.now()))
			.update();
	}

	@Test
	void resolveWhenFreshDatabaseAndNoKeyThenGeneratesTheKeyFileAndRecordsItsCheck() {
		MasterKeys keys = MasterKey.resolve(settings(), check);

		assertThat(dataDir.resolve(MasterKey.FILE_NAME)).exists();
		check.verify(new SecretBox(keys));
		assertThat(check.keyIdsOfData()).containsExactly(MasterKeyCheck.hex(SecretBox.keyId(keys.current())));
	}

	@Test
	void resolveWhenRestoredDataAndNoKeyThenRefusedNamingTheKeyAndNoKeyFileWritten() {
		startedOnceUnder(RIGHT);

		assertThatThrownBy(() -> MasterKey.resolve(settings(), check)).isInstanceOf(SettingsException.class)
			.hasMessageContaining("master key " + MasterKeyCheck.hex(SecretBox.keyId(RIGHT)))
			.hasMessageContaining("use the key of the installation you restored")
			.hasMessageContaining("No new key was written");
		assertThat(dataDir.resolve(MasterKey.FILE_NAME)).doesNotExist();
	}

	@Test
	void resolveWhenRestoredDataWithoutCheckRowsAndNoKeyThenRefusedAndNoKeyFileWritten() {
		startedOnceUnder(RIGHT);
		jdbc.sql("delete from master_key_check").update();

		assertThatThrownBy(() -> MasterKey.resolve(settings(), check)).isInstanceOf(SettingsException.class)
			.hasMessageContaining("master key " + MasterKeyCheck.hex(SecretBox.keyId(RIGHT)));
		assertThat(dataDir.resolve(MasterKey.FILE_NAME)).doesNotExist();
	}

	@Test
	void verifyWhenWrongKeyThenTheSentenceNamingTheDataAndTheKeyItNeeds() {
		startedOnceUnder(RIGHT);
		SecretBox wrong = new SecretBox(MasterKey.resolve(settings("PLINTO_MASTER_KEY", base64(WRONG)), check));

		assertThatThrownBy(() -> check.verify(wrong)).isInstanceOf(SettingsException.class)
			.hasMessageStartingWith("The master key does not match the data in embedded H2 at " + dataDir
					+ "; use the key of the installation you restored")
			.hasMessageContaining("the data needs master key " + MasterKeyCheck.hex(SecretBox.keyId(RIGHT)))
			.hasMessageNotContaining(base64(WRONG))
			.hasMessageNotContaining(base64(RIGHT));
		assertThat(check.keyIdsOfData()).as("nothing recorded for the wrong key")
			.containsExactly(MasterKeyCheck.hex(SecretBox.keyId(RIGHT)));
	}

	@Test
	void verifyWhenWrongKeyAndNoCheckRowsYetThenRefused() {
		startedOnceUnder(RIGHT);
		jdbc.sql("delete from master_key_check").update();

		assertThatThrownBy(() -> check.verify(new SecretBox(WRONG))).isInstanceOf(SettingsException.class)
			.hasMessageStartingWith("The master key does not match the data in ");
	}

	@Test
	void verifyWhenRightKeyFileThenStarts() throws Exception {
		startedOnceUnder(RIGHT);
		Files.writeString(dataDir.resolve(MasterKey.FILE_NAME), base64(RIGHT) + "\n");

		SecretBox box = new SecretBox(MasterKey.resolve(settings(), check));
		check.verify(box);

		assertThat(box.currentKeyId()).isEqualTo(SecretBox.keyId(RIGHT));
	}

	@Test
	void verifyWhenRightKeyIsPreviousThenStartsAndRecordsTheNewKeyUntilOthersAreForgotten() {
		startedOnceUnder(RIGHT);
		SecretBox rotating = new SecretBox(new MasterKeys(WRONG, List.of(RIGHT)));

		check.verify(rotating);
		assertThat(check.keyIdsOfData()).containsExactlyInAnyOrder(MasterKeyCheck.hex(SecretBox.keyId(RIGHT)),
				MasterKeyCheck.hex(SecretBox.keyId(WRONG)));

		check.forgetOtherKeys(rotating);
		assertThatThrownBy(() -> check.verify(new SecretBox(RIGHT))).as("the retired key alone")
			.isInstanceOf(SettingsException.class);
	}
}
