package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.PlintoApplication;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.web.ClientInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Two servers on one database: a setting changed on one reaches the other through the database poll within
 * seconds, without a restart, and the other server's requests follow it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeSettingsNodesTests {

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	@BeforeAll
	void startTwoServersOnOneDatabase(@TempDir Path dataDir) {
		String database = "jdbc:h2:mem:plinto_runtime_settings_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		nodes.add(start(database, dataDir.resolve("a")));
		nodes.add(start(database, dataDir.resolve("b")));
	}

	@AfterAll
	void stop() {
		nodes.forEach(ConfigurableApplicationContext::close);
	}

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
		return new ApiClient("http://localhost:" + node.getBean(Environment.class).getProperty("local.server.port"));
	}

	private static PlintoSettings.MfaPolicy mfa(ConfigurableApplicationContext node) {
		return node.getBean(LiveSettings.class).current().mfa().policy();
	}

	@Test
	void changeWhenMadeOnOneNodeThenTheOtherFollowsWithinSeconds() {
		ConfigurableApplicationContext a = nodes.get(0);
		ConfigurableApplicationContext b = nodes.get(1);
		ApiClient onB = client(b);
		String email = "user-" + UUID.randomUUID() + "@example.com";
		ApiClient.Response signedUp = onB.post("/v1/sign-up", ApiClient.map("email", email, "password",
				ApiTestSupport.PASSWORD));
		assertThat(signedUp.status()).as(signedUp.toString()).isEqualTo(201);
		assertThat(mfa(b)).isEqualTo(PlintoSettings.MfaPolicy.OPTIONAL);

		Map<String, String> change = new HashMap<>();
		change.put("PLINTO_MFA", "required");
		a.getBean(AdminSettings.class).change(change, "test", ClientInfo.none());
		assertThat(mfa(a)).as("the node that stored the change applies it at once")
			.isEqualTo(PlintoSettings.MfaPolicy.REQUIRED);

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> mfa(b) == PlintoSettings.MfaPolicy.REQUIRED);
		ApiClient.Response signIn = onB.post("/v1/sign-in", ApiClient.map("email", email, "password",
				ApiTestSupport.PASSWORD));
		assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
		assertThat(signIn.text("status")).isEqualTo("mfa_enrollment_required");

		change.put("PLINTO_MFA", null);
		b.getBean(AdminSettings.class).change(change, "test", ClientInfo.none());
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> mfa(a) == PlintoSettings.MfaPolicy.OPTIONAL);
		assertThat(client(a).post("/v1/sign-in", ApiClient.map("email", email, "password", ApiTestSupport.PASSWORD))
			.json()
			.has("access_token")).as("back to the environment's policy on the first node too").isTrue();
	}
}
