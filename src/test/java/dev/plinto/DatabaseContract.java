package dev.plinto;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Base of a repository contract test (ENGINEERING.md: "every repository runs one shared contract test against H2
 * and against PostgreSQL"). A test class holds an abstract contract extending this class and two {@code @Nested}
 * subclasses, one per {@link Storage}; each gets its own fresh, migrated database for all its tests, dropped
 * afterwards. Without {@code PLINTO_TEST_DATABASE_URL} the PostgreSQL half is skipped with a notice (fails under
 * CI), see {@link TestDatabases#newPostgres()}. Tests share the database within a class, so each creates its own
 * rows and never assumes a table is empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseContract {

	/** The database a contract runs on. */
	public enum Storage { H2, POSTGRES }

	private final Storage storage;

	private HikariDataSource pool;

	private TestDatabases.Postgres postgres;

	protected DataSource dataSource;

	protected JdbcClient jdbc;

	private final String label;

	protected DatabaseContract(Storage storage) {
		this(storage, "");
	}

	/** {@code label}: lower-case letters in the name of the PostgreSQL database ({@link TestDatabases#newPostgres(String)}). */
	protected DatabaseContract(Storage storage, String label) {
		this.storage = storage;
		this.label = label;
	}

	@BeforeAll
	final void openDatabase() {
		if (storage == Storage.H2) {
			pool = TestDatabases.h2();
		}
		else {
			postgres = TestDatabases.newPostgres(label);
			pool = postgres.dataSource();
		}
		dataSource = pool;
		jdbc = JdbcClient.create(pool);
	}

	@AfterAll
	final void closeDatabase() {
		if (pool != null) {
			if (storage == Storage.H2) {
				jdbc.sql("shutdown").update(); // an in-memory H2 database otherwise lives until the JVM exits
			}
			pool.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}
}
