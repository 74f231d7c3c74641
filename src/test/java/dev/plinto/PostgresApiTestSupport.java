package dev.plinto;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of tests that drive the real server on a fresh PostgreSQL database: created before the server starts
 * (so an unconfigured PostgreSQL skips the class, and fails it under CI), migrated by the server itself, and
 * dropped when the server has shut down — its context is closed right after the class — so no scheduled job
 * runs against a database that is gone.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import(PostgresApiTestSupport.DropDatabaseOnShutdown.class)
public abstract class PostgresApiTestSupport extends ApiTestSupport {

	private static TestDatabases.Postgres postgres;

	private static volatile boolean serverStarted;

	/** The database the server of the current test class runs on. */
	protected static synchronized TestDatabases.Postgres postgres() {
		if (postgres == null) {
			postgres = TestDatabases.newPostgres();
		}
		return postgres;
	}

	private static synchronized void dropDatabase() {
		if (postgres != null) {
			postgres.close();
			postgres = null;
		}
		serverStarted = false;
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_DATABASE_URL", () -> postgres().url());
	}

	@BeforeAll
	static void createDatabase() {
		postgres();
	}

	/** Drops the database when the server's context closes. */
	@TestConfiguration(proxyBeanMethods = false)
	static class DropDatabaseOnShutdown {

		@Bean
		DisposableBean dropTestDatabase() {
			serverStarted = true;
			return PostgresApiTestSupport::dropDatabase;
		}
	}

	/** When the server never started, nothing else drops the database. */
	@AfterAll
	static void dropDatabaseUnlessServerWillDropIt() {
		if (!serverStarted) {
			dropDatabase();
		}
	}
}
