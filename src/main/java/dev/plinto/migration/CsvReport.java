package dev.plinto.migration;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The per-row report of an import ({@code --report FILE}), CSV with a header: each refused record and each part of
 * an imported user that could not come along, with the record number, line, the source's id, the email and why.
 * It never holds a password hash or a secret. Rows are appended, so a resumed import adds to the same report.
 */
public final class CsvReport implements Importer.Report, Closeable {

	private static final CsvSchema SCHEMA = CsvSchema.builder()
		.addColumn("record")
		.addColumn("line")
		.addColumn("external_id")
		.addColumn("email")
		.addColumn("outcome")
		.addColumn("reason")
		.build();

	private final SequenceWriter writer;

	private long rows;

	public CsvReport(Path file) throws IOException {
		boolean fresh = !Files.exists(file) || Files.size(file) == 0;
		OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		this.writer = CsvMapper.builder().build().writer(fresh ? SCHEMA.withHeader() : SCHEMA).writeValues(out);
	}

	@Override
	public void refused(SourceRecord.Refused row) {
		write(row.record(), row.line(), row.externalId(), row.email(), "refused", row.reason());
	}

	@Override
	public void partial(ImportedUser user, String what) {
		write(user.record(), user.line(), user.externalId(), user.email(), "imported_without", what);
	}

	private void write(long record, long line, String id, String email, String outcome, String reason) {
		writer.write(Arrays.asList(Long.toString(record), Long.toString(line), id == null ? "" : id,
				email == null ? "" : email, outcome, reason));
		rows++;
	}

	/** How many rows this run wrote. */
	public long rows() {
		return rows;
	}

	@Override
	public void close() {
		writer.close();
	}
}
