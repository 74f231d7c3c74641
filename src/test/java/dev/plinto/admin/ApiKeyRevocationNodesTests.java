package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.PlintoApplication;
import dev.plinto.TestDatabases;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two servers on one PostgreSQL database, as behind a load balancer: a Backend API key revoked through one node, or
 * with {@code plinto api-keys revoke} from a shell, is refused by the other node at its very next request. No node
 * keeps a key alive in memory: each request checks the key's row.
 */
class ApiKeyRevocationNodesTests {

	@TempDir
	Path dir;

	private static ConfigurableApplicationContext start(String database, Path dataDir) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("PLINTO_DATABASE_URL", database);
		properties.put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		properties.put("PLINTO_DATA_DIR", dataDir.toString());
		properties.put("PLINTO_ARGON2_MEMORY_KIB", "1024");
		properties.put("PLINTO_ARGON2_ITERATIONS", "1");
		return new SpringApplicationBuilder(PlintoApplication.class).properties(properties).run();
	}

	private static ApiClient client(ConfigurableApplicationContext node) {
		return new ApiClient("http://localhost:" + ((WebServerApplicationContext) node).getWebServer().getPort());
	}

	@Test
	void keyWhenRevokedThroughOneNodeOrTheCommandLineThenTheOtherNodeRefusesItAtTheNextRequest() throws Exception {
		try (TestDatabases.Postgres postgres = TestDatabases.newPostgres("apikeys");
				ConfigurableApplicationContext a = start(postgres.url(), dir.resolve("a"));
				ConfigurableApplicationContext b = start(postgres.url(), dir.resolve("b"))) {
			ApiKeys keysOnA = a.getBean(ApiKeys.class);
			ApiClient onA = client(a);
			ApiClient onB = client(b);

			ApiKeys.WithSecret used = keysOnA.create("reporting job", List.of("users:read"), null, "test",
					ClientInfo.none());
			assertThat(onB.get("/v1/admin/users", used.secret()).status()).isEqualTo(200);
			assertThat(onB.get("/v1/admin/users", used.secret()).status()).as("accepted twice: known to node B")
				.isEqualTo(200);
			keysOnA.revoke(used.key().id(), ClientInfo.none());
			ApiClient.Response refused = onB.get("/v1/admin/users", used.secret());
			assertThat(refused.status()).as("node B's very next request").isEqualTo(401);
			assertThat(refused.code()).isEqualTo("invalid_api_key");

			ApiKeys.WithSecret other = keysOnA.create("billing backend", List.of("users:read"), null, "test",
					ClientInfo.none());
			assertThat(onB.get("/v1/admin/users", other.secret()).status()).isEqualTo(200);
			assertThat(onA.get("/v1/admin/users", other.secret()).status()).isEqualTo(200);
			String revoked = cli(postgres.url(), "api-keys", "revoke", other.key().id());
			assertThat(revoked).contains("Revoked " + other.key().id());
			assertThat(onB.get("/v1/admin/users", other.secret()).code()).isEqualTo("invalid_api_key");
			assertThat(onA.get("/v1/admin/users", other.secret()).code()).isEqualTo("invalid_api_key");
		}
	}

	/** Runs {@code plinto <args>} as its own process on the database, as an operator would; returns its output. */
	private String cli(String database, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"dev.plinto.PlintoApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
		builder.environment().put("HOME", dir.toString());
		builder.environment().put("PLINTO_DATABASE_URL", database);
		builder.environment().put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		builder.environment().put("PLINTO_DATA_DIR", dir.resolve("cli").toString());
		Path out = Files.createTempFile(dir, "cli", ".txt");
		Process process = builder.redirectOutput(out.toFile()).start();
		try {
			assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("plinto " + String.join(" ", args) + " finished")
				.isTrue();
			String output = Files.readString(out);
			assertThat(process.exitValue()).as(output).isZero();
			return output;
		}
		finally {
			process.destroyForcibly();
		}
	}
}
