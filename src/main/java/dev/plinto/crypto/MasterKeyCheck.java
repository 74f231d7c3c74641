package dev.plinto.crypto;

import dev.plinto.config.SettingsException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The key check of a database: the table {@code master_key_check} holds, per master key that sealed data in it, a
 * known text sealed under that key. It lets a start tell "this database was sealed under another master key" (a
 * restore onto a new machine without the old key) from anything else before a secret is opened or sealed, and keeps
 * {@link MasterKey} from generating a key file beside a database that already holds sealed data (OWASP Key
 * Management Cheat Sheet, "Key storage" and "Key backup and recovery": the data is only as recoverable as its key,
 * so a mismatch is refused, never papered over by a new key). The check value is an AEAD ciphertext like any other
 * sealed value, so it reveals nothing about the key beyond its public 4-byte id.
 *
 * <p>A database written before the table existed has no check rows: then one sealed value of each
 * {@link SealedColumn} is opened instead, and the check row of the current key is written once it passed.
 */
public final class MasterKeyCheck {

	static final String CHECK_TEXT = "plinto master key check";

	private final JdbcClient jdbc;

	private final List<SealedColumn> columns;

	private final Clock clock;

	private final String database;

	public MasterKeyCheck(JdbcClient jdbc, List<SealedColumn> columns, Clock clock, String database) {
		this.jdbc = jdbc;
		this.columns = List.copyOf(columns);
		this.clock = clock;
		this.database = database;
	}

	/** A key id as operators see it ({@code plinto master-key status}): 8 hex digits. */
	public static String hex(int keyId) {
		return String.format(Locale.ROOT, "%08x", keyId);
	}

	/**
	 * The ids of the master keys the data was sealed under, as far as the database tells: the check rows, else the
	 * ids named by one sealed value per column. Empty when the database holds no sealed data at all (or only values
	 * of the legacy form, which carry no id).
	 */
	public Set<String> keyIdsOfData() {
		Set<String> ids = new LinkedHashSet<>(checkRows().stream().map(CheckRow::keyId).toList());
		if (ids.isEmpty()) {
			for (SampleValue v : samples()) {
				SecretBox.keyIdOf(v.sealed()).ifPresent(id -> ids.add(hex(id)));
			}
		}
		return ids;
	}

	/** Whether the database holds sealed data or a check row, i.e. a key that must not be replaced by a new one. */
	public boolean holdsSealedData() {
		return !checkRows().isEmpty() || !samples().isEmpty();
	}

	/**
	 * Verifies that the keys in force open this database's data, then records the current key's check row.
	 *
	 * @throws SettingsException naming the key ids the data needs when none of the keys in force opens it
	 */
	public void verify(SecretBox box) {
		List<CheckRow> rows = checkRows();
		boolean matches;
		if (!rows.isEmpty()) {
			matches = rows.stream().anyMatch(r -> opens(box, r.checkValue(), associatedData(r.keyId())));
		}
		else {
			matches = samples().stream().allMatch(v -> opens(box, v.sealed(), v.associatedData()));
		}
		if (!matches) {
			throw mismatch(box);
		}
		record(box);
	}

	/** Writes the check row of the box's current key if it has none (after a start or a key rotation). */
	public void record(SecretBox box) {
		String id = hex(box.currentKeyId());
		if (checkRows().stream().noneMatch(r -> r.keyId().equals(id))) {
			jdbc.sql("insert into master_key_check (key_id, check_value, created_at) values (:id, :value, :at)")
				.param("id", id)
				.param("value", box.seal(CHECK_TEXT, associatedData(id)))
				.param("at", Timestamp.from(clock.instant()))
				.update();
		}
	}

	/**
	 * Drops the check rows of every key but the box's current one, once everything is re-sealed under it: the old
	 * keys then open nothing here, so a start with one of them alone is refused like any other wrong key.
	 */
	public void forgetOtherKeys(SecretBox box) {
		record(box);
		jdbc.sql("delete from master_key_check where key_id <> :id").param("id", hex(box.currentKeyId())).update();
	}

	private SettingsException mismatch(SecretBox box) {
		Set<String> needed = keyIdsOfData();
		return new SettingsException(List.of("The master key does not match the data in " + database + "; use the "
				+ "key of the installation you restored (" + (needed.isEmpty() ? "" : "the data needs master key "
						+ String.join(" or ", needed) + ", ")
				+ "this start has " + hex(box.currentKeyId()) + "), in its master.key file or PLINTO_MASTER_KEY, "
				+ "or add it to PLINTO_MASTER_KEY_PREVIOUS."));
	}

	private static boolean opens(SecretBox box, String sealed, String associatedData) {
		try {
			box.open(sealed, associatedData);
			return true;
		}
		catch (IllegalStateException e) {
			return false;
		}
	}

	private static String associatedData(String keyId) {
		return "master_key_check:" + keyId;
	}

	private record CheckRow(String keyId, String checkValue) {
	}

	private record SampleValue(String sealed, String associatedData) {
	}

	private List<CheckRow> checkRows() {
		return jdbc.sql("select key_id, check_value from master_key_check order by created_at")
			.query((rs, n) -> new CheckRow(rs.getString("key_id"), rs.getString("check_value")))
			.list();
	}

	/** One sealed value per column (the first by primary key), with the associated data it was sealed with. */
	private List<SampleValue> samples() {
		List<SampleValue> samples = new ArrayList<>();
		for (SealedColumn c : columns) {
			jdbc.sql("select " + c.keyColumn() + " as k, " + c.valueColumn() + " as v from " + c.table() + " where "
					+ c.valueColumn() + " is not null order by " + c.keyColumn() + " limit 1")
				.query((rs, n) -> new SampleValue(rs.getString("v"), c.associatedData(rs.getString("k"))))
				.optional()
				.ifPresent(samples::add);
		}
		return samples;
	}
}
