package dev.plinto;

import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import dev.plinto.config.PlintoSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, migrated databases for tests: an in-memory H2 database, or a new PostgreSQL database created on the
 * server named by {@code PLINTO_TEST_DATABASE_URL} and dropped afterwards. Without that variable PostgreSQL tests
 * are skipped with a visible notice; when {@code CI} is set they fail instead, so CI can never pass by skipping.
 */
public final class TestDatabases {

	private TestDatabases() {
	}

	public static String newH2Url() {
		return "jdbc:h2:mem:plinto-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
	}

	/** A fresh, migrated in-memory H2 data source. */
	public static HikariDataSource h2() {
		HikariDataSource ds = new HikariDataSource();
		ds.setJdbcUrl(newH2Url());
		ds.setUsername("sa");
		ds.setPassword("");
		Flyway.configure().dataSource(ds).load().migrate();
		return ds;
	}

	/** A PostgreSQL database that exists until {@link #close()}; {@link #url()} is a PLINTO_DATABASE_URL value. */
	public record Postgres(PlintoSettings.Database admin, String name, String jdbcUrl) implements AutoCloseable {

		public String url() {
			return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "user=" + admin.username()
					+ (admin.password().isEmpty() ? "" : "&password=" + admin.password());
		}

		/** A fresh migrated pool on this database. */
		public HikariDataSource dataSource() {
			HikariDataSource ds = new HikariDataSource();
			ds.setJdbcUrl(jdbcUrl);
			ds.setUsername(admin.username());
			ds.setPassword(admin.password());
			ds.setMaximumPoolSize(20);
			Flyway.configure().dataSource(ds).load().migrate();
			return ds;
		}

		@Override
		public void close() {
			try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
					Statement s = c.createStatement()) {
				s.execute("drop database if exists " + name + " with (force)");
			}
			catch (SQLException e) {
				throw new IllegalStateException("could not drop test database " + name, e);
			}
		}
	}

	/** Creates a new empty PostgreSQL database, or skips (fails under CI) when none is configured. */
	public static Postgres newPostgres() {
		return newPostgres("test");
	}

	/** A fresh database whose name holds {@code tag} ({@code plinto_<tag>_…}), so a test suite can tell its own. */
	public static Postgres newPostgres(String tag) {
		String url = System.getenv("PLINTO_TEST_DATABASE_URL");
		if (url == null || url.isBlank()) {
			if (System.getenv("CI") != null) {
				fail("PLINTO_TEST_DATABASE_URL is not set, but CI requires the PostgreSQL tests to run");
			}
			System.err.println("NOTICE: PostgreSQL tests skipped; set PLINTO_TEST_DATABASE_URL "
					+ "(e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run them.");
			Assumptions.abort("PLINTO_TEST_DATABASE_URL not set");
		}
		PlintoSettings.Database admin = PlintoSettings
			.parse(Map.of("PLINTO_DATABASE_URL", url, "PLINTO_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")::get)
			.database();
		String name = "plinto_" + tag + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
			.toLowerCase(Locale.ROOT);
		try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.username(), admin.password());
				Statement s = c.createStatement()) {
			s.execute("create database " + name);
		}
		catch (SQLException e) {
			throw new IllegalStateException("PLINTO_TEST_DATABASE_URL is set but PostgreSQL cannot be reached or "
					+ "refuses to create a database: " + e.getMessage(), e);
		}
		String base = admin.jdbcUrl();
		int q = base.indexOf('?');
		String path = q < 0 ? base : base.substring(0, q);
		String query = q < 0 ? "" : base.substring(q);
		String jdbc = path.substring(0, path.lastIndexOf('/') + 1) + name + query;
		return new Postgres(admin, name, jdbc);
	}

	/** The Redis URL for tests, or skip (fail under CI) when none is configured. */
	public static String redisUrl() {
		String url = System.getenv("PLINTO_TEST_REDIS_URL");
		if (url == null || url.isBlank()) {
			if (System.getenv("CI") != null) {
				fail("PLINTO_TEST_REDIS_URL is not set, but CI requires the Redis tests to run");
			}
			System.err.println("NOTICE: Redis tests skipped; set PLINTO_TEST_REDIS_URL "
					+ "(e.g. redis://127.0.0.1:6379) to run them.");
			Assumptions.abort("PLINTO_TEST_REDIS_URL not set");
		}
		return url;
	}
}
