package dev.plinto.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.PostgresApiTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An import of many batches into PostgreSQL: each batch looks its users up by email and by id with the same
 * statement, which the driver prepares on the server after five executions; the lookups must still find what earlier
 * batches wrote, so that a second run of the same file changes nothing and an update run changes every user.
 */
class PostgresImportTests extends PostgresApiTestSupport {

	private static final int USERS = 600;

	private static final int BATCH = 25;

	@Autowired
	Importer importer;

	@Autowired
	JdbcClient jdbc;

	@TempDir
	Path dir;

	@Test
	void importWhenManyBatchesAndRunAgainThenNothingChangesAndUpdateChangesEveryUser() throws IOException {
		Path file = users("first");
		Importer.Summary first = run(file, Importer.OnConflict.SKIP);
		assertThat(first.imported()).isEqualTo(USERS);
		assertThat(jdbc.sql("select count(*) from users where external_id like 'pgimport-%'").query(Long.class)
			.single()).isEqualTo(USERS);

		Path again = users("first");
		Importer.Summary second = run(again, Importer.OnConflict.SKIP);
		assertThat(second.imported()).as("every user is found again, batch after batch").isZero();
		assertThat(second.unchanged()).isEqualTo(USERS);

		Importer.Summary renamed = run(users("second"), Importer.OnConflict.UPDATE);
		assertThat(renamed.updated()).isEqualTo(USERS);
		assertThat(jdbc.sql("select count(*) from users where name like 'second %'").query(Long.class).single())
			.isEqualTo(USERS);
	}

	private Path users(String name) throws IOException {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			lines.add("{\"id\": \"pgimport-" + i + "\", \"email\": \"pgimport-" + i + "@import.example\", "
					+ "\"email_verified\": true, \"name\": \"" + name + " " + i + "\", "
					+ "\"created_at\": \"2024-01-01T00:00:00Z\"}");
		}
		Path file = Files.createTempFile(dir, name, ".jsonl");
		Files.write(file, lines);
		return file;
	}

	private Importer.Summary run(Path file, Importer.OnConflict onConflict) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return importer.run(file, in, Importer.fingerprint(file), new Importer.Options(Source.JSONL,
					Source.Options.none(), false, onConflict, false, BATCH), Importer.Report.NONE, (records, bytes) -> {
					});
		}
	}
}
