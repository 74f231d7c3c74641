package dev.plinto.migration;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * The three shapes source files come in, each read in constant memory with Jackson's streaming parsers: JSON
 * Lines (one object per line), one JSON document with an array of users (the whole document, or the array under
 * a named top-level field), and CSV with a header row. Each hands one record at a time to a source's mapping.
 */
final class Readers {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** Reads one element of an array at a time: what follows the element is the rest of the array. */
	private static final JsonMapper ELEMENTS = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private Readers() {
	}

	/** Maps one parsed JSON record to a user or a refusal. */
	@FunctionalInterface
	interface JsonMapping {

		SourceRecord map(JsonNode node, long record, long line);
	}

	/** Maps one CSV row (column name to value) to a user or a refusal. */
	@FunctionalInterface
	interface CsvMapping {

		SourceRecord map(Map<String, String> row, long record, long line);
	}

	/** Counts the bytes read, for the progress bar. */
	static final class CountingStream extends FilterInputStream {

		private long count;

		CountingStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				count++;
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0) {
				count += n;
			}
			return n;
		}

		long count() {
			return count;
		}
	}

	/** JSON Lines: blank lines are skipped; a line that is not a JSON object is refused with its line number. */
	static SourceReader jsonLines(InputStream in, JsonMapping mapping) {
		CountingStream counted = new CountingStream(in);
		BufferedReader lines = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
		return new SourceReader() {

			private long line;

			private long record;

			@Override
			public SourceRecord next() throws IOException {
				String text;
				do {
					text = lines.readLine();
					if (text == null) {
						return null;
					}
					line++;
				}
				while (text.isBlank());
				record++;
				JsonNode node;
				try {
					node = JSON.readTree(text);
				}
				catch (JacksonException e) {
					return new SourceRecord.Refused(record, line, null, null, "not valid JSON: "
							+ e.getOriginalMessage());
				}
				if (node == null || !node.isObject()) {
					return new SourceRecord.Refused(record, line, null, null, "not a JSON object");
				}
				return mapping.map(node, record, line);
			}

			@Override
			public long position() {
				return counted.count();
			}

			@Override
			public void close() throws IOException {
				lines.close();
			}
		};
	}

	/**
	 * The elements of a JSON array, one tree at a time: the document itself when it is an array, otherwise the
	 * array under the top-level field {@code field} (other top-level fields are skipped without being built).
	 */
	static SourceReader jsonArray(InputStream in, String field, JsonMapping mapping) {
		CountingStream counted = new CountingStream(in);
		JsonParser parser = ELEMENTS.createParser(counted);
		return new SourceReader() {

			private boolean inArray;

			private boolean done;

			private long record;

			@Override
			public SourceRecord next() {
				if (done) {
					return null;
				}
				try {
					if (!inArray) {
						if (!findArray()) {
							done = true;
							return null;
						}
						inArray = true;
					}
					JsonToken token = parser.nextToken();
					if (token == JsonToken.END_ARRAY || token == null) {
						done = true;
						return null;
					}
					long line = parser.currentLocation().getLineNr();
					record++;
					JsonNode node = ELEMENTS.readTree(parser);
					if (node == null || !node.isObject()) {
						return new SourceRecord.Refused(record, line, null, null, "not a JSON object");
					}
					return mapping.map(node, record, line);
				}
				catch (JacksonException e) {
					// The document is broken here: nothing after this point can be read reliably.
					done = true;
					return new SourceRecord.Refused(record + 1, e.getLocation() == null ? 0
							: e.getLocation().getLineNr(), null, null, "the file is not valid JSON from here on: "
									+ e.getOriginalMessage());
				}
			}

			private boolean findArray() {
				JsonToken first = parser.nextToken();
				if (first == JsonToken.START_ARRAY) {
					return true;
				}
				if (first != JsonToken.START_OBJECT) {
					throw new ImportException("The file is not a JSON object or array.");
				}
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					JsonToken value = parser.nextToken();
					if (name.equals(field) && value == JsonToken.START_ARRAY) {
						return true;
					}
					parser.skipChildren();
				}
				return false;
			}

			@Override
			public long position() {
				return counted.count();
			}

			@Override
			public void close() {
				parser.close();
			}
		};
	}

	/** CSV with a header row naming the columns (RFC 4180 quoting), one row at a time. */
	static SourceReader csv(InputStream in, CsvMapping mapping) {
		CountingStream counted = new CountingStream(in);
		CsvMapper csv = CsvMapper.builder().build();
		CsvSchema schema = CsvSchema.emptySchema().withHeader();
		MappingIterator<Map<String, String>> rows = csv.readerForMapOf(String.class).with(schema).readValues(counted);
		return new SourceReader() {

			private long record;

			@Override
			public SourceRecord next() {
				try {
					if (!rows.hasNextValue()) {
						return null;
					}
					record++;
					Map<String, String> row = rows.nextValue();
					long line = rows.currentLocation() == null ? record + 1 : rows.currentLocation().getLineNr();
					return mapping.map(row, record, line);
				}
				catch (JacksonException e) {
					record++;
					return new SourceRecord.Refused(record, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
							null, null, "not a valid CSV row: " + e.getOriginalMessage());
				}
			}

			@Override
			public long position() {
				return counted.count();
			}

			@Override
			public void close() {
				rows.close();
			}
		};
	}
}
