package dev.plinto.scim;

import dev.plinto.TestDatabases;
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
 * {@link ScimOktaTests} through the real server on a fresh PostgreSQL database (named with "scim"): created before
 * the server starts, migrated by it, dropped when its context closes right after the class, as
 * {@code PostgresApiTestSupport} does. Skipped with a notice without {@code PLINTO_TEST_DATABASE_URL} (fails under
 * CI).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import(PostgresScimOktaTests.DropDatabaseOnShutdown.class)
class PostgresScimOktaTests extends ScimOktaTests {

	private static TestDatabases.Postgres postgres;

	private static volatile boolean serverStarted;

	private static synchronized TestDatabases.Postgres postgres() {
		if (postgres == null) {
			postgres = TestDatabases.newPostgres("scim");
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

	@AfterAll
	static void dropDatabaseUnlessServerWillDropIt() {
		if (!serverStarted) {
			dropDatabase();
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class DropDatabaseOnShutdown {

		@Bean
		DisposableBean dropScimTestDatabase() {
			serverStarted = true;
			return PostgresScimOktaTests::dropDatabase;
		}
	}
}
