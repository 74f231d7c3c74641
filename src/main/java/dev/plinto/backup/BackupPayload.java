package dev.plinto.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.flywaydb.core.api.MigrationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The decrypted content of a backup (docs/backup.md, "Payload"): JSON values one per line — a preamble naming the
 * schema version and every table with its columns, types and row count; then per table a start marker, one JSON
 * array per row and an end marker with the row count and checksum; then an end-of-backup marker. This class
 * reads it back, checking the structure, the types, the counts and the checksums as it goes, and hands each
 * row to a {@link RowSink}.
 */
final class BackupPayload {

	static final String FORMAT = "plinto-backup";

	static final int VERSION = 1;

	/** One value per line; no limit on the whole stream's length or token count (it is a stream of values). */
	static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
		.rootValueSeparator("\n")
		.disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
		.streamReadConstraints(StreamReadConstraints.builder().maxDocumentLength(-1).maxTokenCount(-1).build())
		.build()).disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

	/** A table as the preamble describes it. */
	record Table(String name, long rows, List<BackupSchema.Column> columns) {
	}

	/** What the preamble says. */
	record Preamble(Instant createdAt, String plintoVersion, String source, MigrationVersion schemaVersion,
			List<Table> tables) {

		long totalRows() {
			return tables.stream().mapToLong(Table::rows).sum();
		}
	}

	/** Receives the rows as they are read. */
	interface RowSink {

		void startTable(Table table) throws Exception;

		void row(Table table, Object[] values) throws Exception;

		void endTable(Table table) throws Exception;
	}

	private BackupPayload() {
	}

	/** Reads the whole payload from a decrypted stream; returns the preamble once everything checked out. */
	static Preamble read(InputStream decrypted, RowSink sink, BackupProgress progress) throws Exception {
		InputStream payload = new GZIPInputStream(decrypted, 64 * 1024);
		Preamble preamble;
		try (JsonParser p = JSON.createParser(payload)) {
			preamble = preamble(next(p, "the preamble"));
			progress.start(preamble.totalRows());
			for (Table table : preamble.tables()) {
				JsonNode start = next(p, "the start of table " + table.name());
				if (!table.name().equals(start.path("table").asString(""))) {
					throw malformed("table " + table.name() + " does not start where expected");
				}
				sink.startTable(table);
				BackupChecksum checksum = new BackupChecksum();
				List<BackupSchema.Column> columns = table.columns();
				int n = columns.size();
				while (p.nextToken() == JsonToken.START_ARRAY) {
					Object[] values = new Object[n];
					for (int i = 0; i < n; i++) {
						if (p.nextToken() == JsonToken.END_ARRAY) {
							throw malformed("a row of " + table.name() + " has too few values");
						}
						BackupColumnType type = columns.get(i).type();
						values[i] = type.parse(p);
						checksum.add(type, values[i]);
					}
					if (p.nextToken() != JsonToken.END_ARRAY) {
						throw malformed("a row of " + table.name() + " has too many values");
					}
					checksum.endRow();
					sink.row(table, values);
					progress.row(table.name());
				}
				if (p.currentToken() != JsonToken.START_OBJECT) {
					throw malformed("table " + table.name() + " has no end marker");
				}
				JsonNode end = JSON.readTree(p);
				if (!table.name().equals(end.path("end").asString(""))) {
					throw malformed("table " + table.name() + " has no end marker");
				}
				if (end.path("rows").asLong(-1) != checksum.rows() || checksum.rows() != table.rows()) {
					throw new BackupException("The backup's table " + table.name() + " holds " + checksum.rows()
							+ " rows but its header says " + table.rows() + "; the file cannot be restored.");
				}
				if (!checksum.hex().equals(end.path("sha256").asString(""))) {
					throw new BackupException("The checksum of table " + table.name() + " in the backup does not "
							+ "match its rows; the file cannot be restored.");
				}
				sink.endTable(table);
			}
			JsonNode end = next(p, "the end-of-backup marker");
			if (!end.path("end_of_backup").asBoolean(false) || end.path("tables").asInt(-1) != preamble.tables().size()
					|| end.path("rows").asLong(-1) != preamble.totalRows()) {
				throw malformed("the end-of-backup marker does not match the preamble");
			}
			if (p.nextToken() != null) {
				throw malformed("there is content after the end-of-backup marker");
			}
			// Read to the very end, so the streaming AEAD checks the final segment: a file cut after the
			// compressed data is still refused.
			payload.transferTo(OutputStream.nullOutputStream());
			decrypted.transferTo(OutputStream.nullOutputStream());
		}
		catch (JacksonException | IllegalArgumentException e) {
			if (e.getCause() instanceof IOException io) {
				throw io;
			}
			throw malformed(e.getMessage());
		}
		progress.finish();
		return preamble;
	}

	private static JsonNode next(JsonParser p, String what) {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			throw malformed(what + " is missing");
		}
		return JSON.readTree(p);
	}

	private static Preamble preamble(JsonNode node) {
		if (!FORMAT.equals(node.path("format").asString("")) || node.path("version").asInt(-1) != VERSION) {
			throw malformed("the preamble does not name format " + FORMAT + " version " + VERSION);
		}
		List<Table> tables = new ArrayList<>();
		for (JsonNode t : node.path("tables")) {
			String name = t.path("name").asString("");
			BackupSchema.requireIdentifier(name, "table " + name);
			List<BackupSchema.Column> columns = new ArrayList<>();
			for (JsonNode c : t.path("columns")) {
				String column = c.path("name").asString("");
				BackupSchema.requireIdentifier(column, "column " + name + "." + column);
				BackupColumnType type = BackupColumnType.fromWireName(c.path("type").asString(""));
				if (type == null) {
					throw malformed("column " + name + "." + column + " has an unknown type");
				}
				columns.add(new BackupSchema.Column(column, type));
			}
			if (columns.isEmpty()) {
				throw malformed("table " + name + " has no columns");
			}
			tables.add(new Table(name, t.path("rows").asLong(-1), List.copyOf(columns)));
		}
		String version = node.path("schema_version").asString("");
		try {
			return new Preamble(Instant.parse(node.path("created_at").asString("")),
					node.path("plinto_version").asString(""), node.path("source").asString(""),
					MigrationVersion.fromVersion(version), List.copyOf(tables));
		}
		catch (RuntimeException e) {
			throw malformed("the preamble's creation time or schema version is invalid");
		}
	}

	private static BackupException malformed(String what) {
		return new BackupException("The backup's content is malformed (" + what + "); the file cannot be "
				+ "restored.");
	}
}
