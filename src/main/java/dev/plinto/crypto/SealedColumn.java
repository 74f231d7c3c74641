package dev.plinto.crypto;

import java.util.regex.Pattern;

/**
 * A column that holds values sealed by {@link SecretBox}, declared as a bean by the feature that owns the table so
 * that {@link MasterKeyRotation} re-seals it: the table, its primary-key column, the sealed column, and the prefix
 * of the associated data (the value is sealed with {@code associatedDataPrefix + primary key}). A null in the
 * sealed column (e.g. a sent mail's erased body) is skipped.
 */
public record SealedColumn(String table, String keyColumn, String valueColumn, String associatedDataPrefix) {

	private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

	public SealedColumn {
		// The names go into SQL text: only plain lower-case identifiers, never anything a request could supply.
		for (String name : new String[] { table, keyColumn, valueColumn }) {
			if (!IDENTIFIER.matcher(name).matches()) {
				throw new IllegalArgumentException("not a plain SQL identifier: " + name);
			}
		}
	}

	public String associatedData(String key) {
		return associatedDataPrefix + key;
	}

	@Override
	public String toString() {
		return table + "." + valueColumn;
	}
}
