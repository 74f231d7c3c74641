package dev.plinto.crypto;

import java.util.List;

/** Reads and replaces sealed values for {@link MasterKeyRotation}, one {@link SealedColumn} at a time. */
interface SealedValueRepository {

	/** A row's primary key and its sealed value. */
	record SealedValue(String key, String sealed) {
	}

	/**
	 * The next rows, in primary-key order after {@code after} (from the start when null), whose value is not null
	 * and does not start with {@code currentPrefix}: the values not yet sealed under the current key.
	 */
	List<SealedValue> notSealedUnder(SealedColumn column, String currentPrefix, String after, int limit);

	/** How many values are not yet sealed under the current key. */
	long countNotSealedUnder(SealedColumn column, String currentPrefix);

	/**
	 * Replaces a sealed value if the row still holds {@code expected}; false when it changed or was deleted in the
	 * meantime (the newer value was then written by a server, under a key in force).
	 */
	boolean replace(SealedColumn column, String key, String expected, String resealed);
}
