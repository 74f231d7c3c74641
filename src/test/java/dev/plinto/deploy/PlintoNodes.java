package dev.plinto.deploy;

import dev.plinto.PlintoApplication;
import dev.plinto.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Several Plinto servers in this JVM on loopback, sharing one database: a fresh PostgreSQL database when
 * {@code PLINTO_TEST_DATABASE_URL} is set, otherwise one named in-memory H2 database (H2 shares a named in-memory
 * database between all connections of a JVM, so two servers see the same rows as they would on PostgreSQL).
 */
final class PlintoNodes implements AutoCloseable {

	static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final TestDatabases.Postgres postgres;

	private final String databaseUrl;

	private final String description;

	private PlintoNodes(TestDatabases.Postgres postgres, String databaseUrl, String description) {
		this.postgres = postgres;
		this.databaseUrl = databaseUrl;
		this.description = description;
	}

	/** Servers on PostgreSQL when the tests have one, otherwise on a shared in-memory H2 database. */
	static PlintoNodes onSharedDatabase() {
		String pg = System.getenv("PLINTO_TEST_DATABASE_URL");
		if (pg != null && !pg.isBlank()) {
			TestDatabases.Postgres postgres = TestDatabases.newPostgres();
			return new PlintoNodes(postgres, postgres.url(), "PostgreSQL " + postgres.name());
		}
		System.err.println("NOTICE: the servers share an in-memory H2 database; set PLINTO_TEST_DATABASE_URL to run "
				+ "them on PostgreSQL.");
		return new PlintoNodes(null, TestDatabases.newH2Url(), "shared in-memory H2");
	}

	String description() {
		return description;
	}

	/** Starts one more server with the given {@code PLINTO_*} settings (on top of test defaults); returns its port. */
	int start(Path dataDir, Map<String, String> settings) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("PLINTO_DATABASE_URL", databaseUrl);
		properties.put("PLINTO_MASTER_KEY", MASTER_KEY);
		properties.put("PLINTO_DATA_DIR", dataDir.toString());
		properties.put("PLINTO_ARGON2_MEMORY_KIB", "1024");
		properties.put("PLINTO_ARGON2_ITERATIONS", "1");
		properties.putAll(settings);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(PlintoApplication.class)
			.properties(properties)
			.run();
		contexts.add(context);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** HTTP requests the server with this index has served (Micrometer's {@code http.server.requests} timer). */
	long requestsServed(int index) {
		MeterRegistry meters = contexts.get(index).getBean(MeterRegistry.class);
		return Search.in(meters).name("http.server.requests").timers().stream().mapToLong(t -> t.count()).sum();
	}

	@Override
	public void close() {
		for (int i = contexts.size() - 1; i >= 0; i--) {
			contexts.get(i).close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}
}
