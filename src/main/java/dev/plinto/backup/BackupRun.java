package dev.plinto.backup;

import java.time.Instant;

/**
 * One scheduled backup run: where and when it ran, and either the file it wrote (name, size, rows) or the error
 * that stopped it.
 */
public record BackupRun(String id, String node, Instant startedAt, Instant finishedAt, Outcome outcome,
		String fileName, Long sizeBytes, Long rowCount, String error) {

	public enum Outcome { SUCCESS, FAILURE }
}
