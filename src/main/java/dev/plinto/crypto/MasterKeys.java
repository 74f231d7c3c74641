package dev.plinto.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The master keys in force: the current one, which seals, and the previous ones, still accepted for opening
 * until {@code plinto master-key rotate} has re-sealed every value under the current key (NIST SP 800-57 Part 1
 * Rev. 5 §5.3: a key's originator-usage period ends before its recipient-usage period). Each key is 32 bytes.
 */
public record MasterKeys(byte[] current, List<byte[]> previous) {

	public MasterKeys {
		if (current == null || current.length != 32) {
			throw new IllegalArgumentException("the master key must be 32 bytes");
		}
		List<byte[]> distinct = new ArrayList<>();
		for (byte[] key : previous) {
			if (key.length != 32) {
				throw new IllegalArgumentException("a previous master key must be 32 bytes");
			}
			// A previous key equal to the current one, or listed twice, adds nothing.
			if (!Arrays.equals(key, current) && distinct.stream().noneMatch(k -> Arrays.equals(k, key))) {
				distinct.add(key.clone());
			}
		}
		current = current.clone();
		previous = List.copyOf(distinct);
	}

	public static MasterKeys of(byte[] current) {
		return new MasterKeys(current, List.of());
	}

	/** Never the key material: a record's default {@code toString} would print the arrays' identities only. */
	@Override
	public String toString() {
		return "MasterKeys[current=" + Integer.toHexString(SecretBox.keyId(current)) + ", previous="
				+ previous.stream().map(k -> Integer.toHexString(SecretBox.keyId(k))).toList() + "]";
	}
}
