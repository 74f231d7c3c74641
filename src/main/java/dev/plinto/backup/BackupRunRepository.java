package dev.plinto.backup;

import java.time.Instant;
import java.util.Optional;

/** The record of scheduled backup runs. */
interface BackupRunRepository {

	void insert(BackupRun run);

	/** When the newest successful run finished. */
	Optional<Instant> lastSuccess();

	/** Deletes runs that finished before {@code before}; returns how many. */
	int deleteFinishedBefore(Instant before);
}
