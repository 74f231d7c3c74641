package dev.plinto.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The checksum of a table's rows: SHA-256 of each row's canonical encoding, added up modulo 2^256. The sum does
 * not depend on row order, because PostgreSQL and H2 order text differently and a restore must be checkable
 * whichever database it reads back from. A row's encoding is, per column in order, {@code 0x00} for NULL or
 * {@code 0x01}, the length of the value's canonical text ({@link BackupColumnType#canonical}) in UTF-8 as four
 * bytes big-endian, and that text.
 */
final class BackupChecksum {

	private final MessageDigest sha256;

	/** The running sum, four 64-bit words, least significant first. */
	private final long[] sum = new long[4];

	private long rows;

	BackupChecksum() {
		try {
			sha256 = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is not available", e);
		}
	}

	void add(BackupColumnType type, Object value) {
		if (value == null) {
			sha256.update((byte) 0);
			return;
		}
		byte[] text = type.canonical(value).getBytes(StandardCharsets.UTF_8);
		sha256.update((byte) 1);
		sha256.update((byte) (text.length >>> 24));
		sha256.update((byte) (text.length >>> 16));
		sha256.update((byte) (text.length >>> 8));
		sha256.update((byte) text.length);
		sha256.update(text);
	}

	void endRow() {
		byte[] digest = sha256.digest();
		long carry = 0;
		for (int word = 0; word < 4; word++) {
			long v = 0;
			for (int b = 0; b < 8; b++) {
				v |= (digest[31 - word * 8 - b] & 0xFFL) << (8 * b);
			}
			long s = sum[word] + v;
			long c1 = Long.compareUnsigned(s, sum[word]) < 0 ? 1 : 0;
			long s2 = s + carry;
			long c2 = Long.compareUnsigned(s2, s) < 0 ? 1 : 0;
			sum[word] = s2;
			carry = c1 | c2;
		}
		rows++;
	}

	long rows() {
		return rows;
	}

	/** The sum as 64 hex digits, most significant first. */
	String hex() {
		StringBuilder sb = new StringBuilder(64);
		for (int word = 3; word >= 0; word--) {
			sb.append(HexFormat.of().toHexDigits(sum[word]));
		}
		return sb.toString();
	}
}
