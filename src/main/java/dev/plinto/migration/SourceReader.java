package dev.plinto.migration;

import java.io.Closeable;
import java.io.IOException;

/**
 * Reads a source file one record at a time, holding only the current record in memory, whatever the file's size.
 * Records are numbered from 1 in file order, the same way on every run, so an import can resume after the last
 * committed one.
 */
interface SourceReader extends Closeable {

	/** The next record, or null at the end of the file. A malformed record is a {@link SourceRecord.Refused}. */
	SourceRecord next() throws IOException;

	/** How many bytes of the file have been consumed, for the progress bar. */
	long position();
}
