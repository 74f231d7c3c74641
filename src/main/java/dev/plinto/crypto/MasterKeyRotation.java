package dev.plinto.crypto;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Re-seals every sealed value that is not yet under the current master key ({@code plinto master-key rotate}),
 * so the previous keys can be retired (NIST SP 800-57 Part 1 Rev. 5 §5.3.4: a key past its originator-usage
 * period only processes, here opens, data it protected; re-encrypting that data ends its recipient-usage period).
 *
 * <ul>
 * <li><b>Online.</b> Each value is replaced only if the row still holds what was read
 * ({@link SealedValueRepository#replace}), so a value a running server changed in the meantime is left as the
 * server wrote it; servers open both the old and the new form while the rotation runs.</li>
 * <li><b>In batches.</b> Each batch of at most {@code batchSize} rows of one column commits in its own
 * transaction, so locks are short and a crash loses at most one batch of work.</li>
 * <li><b>Resumable and idempotent.</b> What needs re-sealing is found from the data itself (the current key id at
 * the start of each value, see {@link SecretBox#currentKeyPrefix()}), not from a progress record: running it again
 * after an interruption continues where it stopped, and running it once more re-seals nothing.</li>
 * </ul>
 * A value no key in force opens is counted and skipped, never replaced, so nothing is lost.
 */
@Service
public final class MasterKeyRotation {

	/** Told after each committed batch; an exception it throws stops the rotation (committed batches stay). */
	@FunctionalInterface
	public interface Progress {

		void batchDone(SealedColumn column, int resealed, int unreadable);
	}

	/** The outcome per column and in total. */
	public record Result(List<ColumnResult> columns) {

		public long resealed() {
			return columns.stream().mapToLong(ColumnResult::resealed).sum();
		}

		public long unreadable() {
			return columns.stream().mapToLong(ColumnResult::unreadable).sum();
		}
	}

	/**
	 * One column's outcome: values re-sealed now, values no key in force opens, and values left because a server
	 * changed them during the run (already under a key in force).
	 */
	public record ColumnResult(SealedColumn column, long resealed, long unreadable, long changedMeanwhile) {
	}

	private final List<SealedColumn> columns;

	private final SealedValueRepository repository;

	private final TransactionOperations tx;

	MasterKeyRotation(List<SealedColumn> columns, SealedValueRepository repository, TransactionOperations tx) {
		this.columns = List.copyOf(columns);
		this.repository = repository;
		this.tx = tx;
	}

	/** The columns that hold sealed values, as the features declared them. */
	public List<SealedColumn> columns() {
		return columns;
	}

	/** How many values are not yet sealed under the box's current key, over all columns. */
	public long remaining(SecretBox box) {
		return columns.stream().mapToLong(c -> repository.countNotSealedUnder(c, box.currentKeyPrefix())).sum();
	}

	/** Re-seals every value not under {@code box}'s current key, in batches of {@code batchSize} rows. */
	public Result reseal(SecretBox box, int batchSize, Progress progress) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("the batch size must be at least 1");
		}
		List<ColumnResult> results = new ArrayList<>();
		for (SealedColumn column : columns) {
			results.add(reseal(column, box, batchSize, progress));
		}
		return new Result(results);
	}

	/** One committed batch: rows read, re-sealed, unreadable, changed by a server meanwhile, and the last key. */
	private record Batch(int read, int resealed, int unreadable, int changed, String lastKey) {
	}

	private ColumnResult reseal(SealedColumn column, SecretBox box, int batchSize, Progress progress) {
		long resealed = 0;
		long unreadable = 0;
		long changed = 0;
		String after = null;
		while (true) {
			String cursor = after;
			Batch batch = tx.execute(status -> resealBatch(column, box, cursor, batchSize));
			if (batch == null || batch.read() == 0) {
				break;
			}
			resealed += batch.resealed();
			unreadable += batch.unreadable();
			changed += batch.changed();
			// The cursor moves past the batch, so a value that cannot be opened is not read again in this run.
			after = batch.lastKey();
			progress.batchDone(column, batch.resealed(), batch.unreadable());
			if (batch.read() < batchSize) {
				break;
			}
		}
		return new ColumnResult(column, resealed, unreadable, changed);
	}

	private Batch resealBatch(SealedColumn column, SecretBox box, String after, int batchSize) {
		List<SealedValueRepository.SealedValue> rows = repository.notSealedUnder(column, box.currentKeyPrefix(),
				after, batchSize);
		int done = 0;
		int failed = 0;
		int changed = 0;
		for (SealedValueRepository.SealedValue row : rows) {
			String value;
			try {
				value = box.reseal(row.sealed(), column.associatedData(row.key()));
			}
			catch (IllegalStateException e) {
				failed++;
				continue;
			}
			if (repository.replace(column, row.key(), row.sealed(), value)) {
				done++;
			}
			else {
				changed++;
			}
		}
		return new Batch(rows.size(), done, failed, changed, rows.isEmpty() ? after : rows.get(rows.size() - 1).key());
	}
}
