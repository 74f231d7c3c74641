package dev.plinto.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfile and the Compose file, read as text and YAML (no Docker engine here to run them): the properties
 * docs/deployment.md promises, and consistency between the files — the nginx config names the Compose services, the
 * trusted proxy is nginx's address, every variable the Compose file needs has a line in {@code .env.example}.
 */
class ContainerFilesTests {

	private static final Path COMPOSE = Path.of("deploy/compose/docker-compose.yml");

	@Test
	void dockerfileWhenReadThenMultiStageNonRootHealthCheckedAndRunThroughBinPlinto() throws IOException {
		String dockerfile = Files.readString(Path.of("deploy/Dockerfile"));
		List<String> from = lines(dockerfile, "^FROM (.+)$");
		assertThat(from).hasSize(2);
		assertThat(from.get(0)).contains("-jdk").endsWith(" AS build");
		assertThat(from.get(1)).contains("-jre");
		assertThat(dockerfile).contains("./mvnw ")
			.containsPattern("(?m)^COPY --from=build .*target/plinto.jar")
			.contains("PLINTO_AOT=prepare bin/plinto")
			.contains("PLINTO_JVM_HEAP=50%")
			.containsPattern("(?m)^VOLUME \\[\"/data\"\\]$")
			.containsPattern("(?m)^ENTRYPOINT \\[\"/app/bin/plinto\"\\]$")
			.containsPattern("(?m)^STOPSIGNAL SIGTERM$");
		List<String> users = lines(dockerfile, "^USER (.+)$");
		assertThat(users).hasSize(1);
		assertThat(users.get(0)).doesNotStartWith("root").doesNotStartWith("0");
		assertThat(dockerfile.indexOf("PLINTO_AOT=prepare")).as("the cache is trained in the final stage")
			.isGreaterThan(dockerfile.indexOf(from.get(1)));
		assertThat(dockerfile).containsPattern("(?s)HEALTHCHECK .*?/health\"");
		assertThat(Files.readString(Path.of("deploy/Dockerfile.dockerignore"))).contains("!src/main/", "!bin/plinto");
	}

	@Test
	void composeWhenParsedThenDatabaseRedisNodesAndNginxWithHealthChecksLimitsAndOrder() throws IOException {
		Map<String, Object> services = map(compose().get("services"));
		assertThat(services).containsKeys("postgres", "redis", "plinto-a", "plinto-b", "nginx");
		assertThat(map(services.get("postgres")).get("image")).isEqualTo("postgres:16");
		assertThat(list(map(services.get("postgres")).get("volumes"))).anySatisfy(v -> assertThat((String) v)
			.endsWith(":/var/lib/postgresql/data"));
		Map<String, Object> redis = map(services.get("redis"));
		assertThat(redis.get("image")).isEqualTo("redis:7");
		assertThat(String.join(" ", list(redis.get("command")).stream().map(String::valueOf).toList()))
			.contains("--requirepass").contains("--appendonly yes");

		for (String name : List.of("postgres", "redis", "plinto-a", "plinto-b")) {
			Map<String, Object> service = map(services.get(name));
			if (name.startsWith("plinto")) {
				assertThat(service.get("healthcheck")).as(name + " uses the image's HEALTHCHECK").isNull();
				assertThat(service.get("read_only")).isEqualTo(true);
				assertThat(service.get("stop_grace_period")).isEqualTo("30s");
			}
			else {
				assertThat(service).as(name).containsKey("healthcheck");
			}
			Map<String, Object> limits = map(path(service, "deploy", "resources", "limits"));
			assertThat(limits).as(name).containsKeys("cpus", "memory");
		}
		assertThat(map(path(map(services.get("nginx")), "deploy", "resources", "limits"))).containsKey("memory");
		for (String name : List.of("plinto-a", "plinto-b", "nginx")) {
			Map<String, Object> dependsOn = map(map(services.get(name)).get("depends_on"));
			assertThat(dependsOn).as(name).isNotEmpty();
			dependsOn.values().forEach(d -> assertThat(map(d)).containsEntry("condition", "service_healthy"));
		}
		assertThat(map(map(services.get("plinto-b")).get("depends_on"))).containsKey("plinto-a");
		assertThat(map(map(services.get("nginx")).get("depends_on"))).containsKeys("plinto-a", "plinto-b");
		assertThat(map(path(compose(), "networks", "backend"))).containsEntry("internal", true);
		assertThat(list(map(services.get("postgres")).get("networks"))).containsExactly("backend");
		assertThat(list(map(services.get("redis")).get("networks"))).containsExactly("backend");
	}

	@Test
	void composeWhenNginxForwardsThenItsAddressIsTheOnlyTrustedProxyAndItsUpstreamsAreTheNodes() throws IOException {
		Map<String, Object> services = map(compose().get("services"));
		Map<String, Object> nginx = map(services.get("nginx"));
		String nginxAddress = (String) map(path(nginx, "networks", "frontend")).get("ipv4_address");
		assertThat(list(nginx.get("volumes"))).contains("../nginx/plinto.conf:/etc/nginx/conf.d/default.conf:ro");
		String config = Files.readString(Path.of("deploy/nginx/plinto.conf"));
		for (String node : List.of("plinto-a", "plinto-b")) {
			Map<String, Object> environment = map(map(services.get(node)).get("environment"));
			assertThat(environment).as(node).containsEntry("PLINTO_TRUSTED_PROXIES", nginxAddress);
			assertThat(config).contains("server " + node + ":8080 ");
			assertThat(list(map(services.get(node)).get("networks"))).contains("frontend", "backend");
		}
	}

	@Test
	void composeWhenEnvFileSetsAPlintoVariableThenEveryNodeReceivesItUnlessTheFileFixesIt() throws IOException {
		Map<String, Object> services = map(compose().get("services"));
		List<String> listed = lines(Files.readString(Path.of("deploy/compose/.env.example")), "^([A-Z0-9_]+)=");
		for (String node : List.of("plinto-a", "plinto-b")) {
			Map<String, Object> service = map(services.get(node));
			assertThat(service.get("env_file")).as(node).isEqualTo(".env");
			Map<String, Object> environment = map(service.get("environment"));
			for (String name : listed) {
				if (environment.containsKey(name)) {
					assertThat(String.valueOf(environment.get(name)))
						.as(node + ": " + name + " in .env must not be overridden by a fixed value")
						.contains("${" + name);
				}
			}
		}
	}

	@Test
	void nginxConfigWhenReadThenNoOcspStaplingForCertificatesWithoutAnOcspUrl() throws IOException {
		// Let's Encrypt certificates carry no OCSP URL since May 2025 and its responders are shut down, so
		// ssl_stapling would do nothing but log a warning; revocation is published in CRLs instead.
		String config = Files.readString(Path.of("deploy/nginx/plinto.conf"));
		assertThat(config).doesNotContainPattern("(?m)^\\s*ssl_stapling");
		assertThat(Files.readString(Path.of("docs/deployment.md"))).doesNotContain("OCSP stapling,")
			.doesNotContain("staples");
	}

	@Test
	void envExampleWhenComposeNeedsAVariableThenItIsListedAndEachSecretSaysHowToGenerateIt() throws IOException {
		String compose = Files.readString(COMPOSE);
		Set<String> needed = new TreeSet<>();
		Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)(:[?-][^}]*)?}").matcher(compose);
		while (m.find()) {
			needed.add(m.group(1));
		}
		assertThat(needed).contains("POSTGRES_PASSWORD", "REDIS_PASSWORD", "PLINTO_MASTER_KEY", "DOMAIN");
		String example = Files.readString(Path.of("deploy/compose/.env.example"));
		List<String> listed = lines(example, "^([A-Z0-9_]+)=");
		assertThat(listed).doesNotHaveDuplicates().containsAll(needed);
		assertThat(listed.stream().filter(name -> !needed.contains(name)))
			.as("optional lines are Plinto settings, passed through env_file")
			.allMatch(name -> name.startsWith("PLINTO_"));
		assertThat(example).doesNotContain("written to the log").doesNotContain("only go to the log");
		assertThat(lines(example, "^[A-Z0-9_]+=(.+)$")).as("no sample values: every line is left to fill in").isEmpty();
		for (String secret : List.of("POSTGRES_PASSWORD", "REDIS_PASSWORD", "PLINTO_MASTER_KEY")) {
			String before = example.substring(0, example.indexOf("\n" + secret + "="));
			String comment = before.substring(before.lastIndexOf("\n\n"));
			assertThat(comment).as(secret).contains("openssl rand ");
		}
		assertThat(Files.readString(Path.of("deploy/compose/.gitignore")).lines()).contains(".env");
	}

	private static Map<String, Object> compose() throws IOException {
		try (Reader reader = Files.newBufferedReader(COMPOSE)) {
			return map(new Yaml().load(reader));
		}
	}

	private static List<String> lines(String text, String regex) {
		List<String> found = new ArrayList<>();
		Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
		while (m.find()) {
			found.add(m.group(1));
		}
		return found;
	}

	private static Object path(Map<String, Object> root, String... keys) {
		Object node = root;
		for (String key : keys) {
			node = map(node).get(key);
			assertThat(node).as(String.join(".", keys)).isNotNull();
		}
		return node;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object node) {
		assertThat(node).isInstanceOf(Map.class);
		return (Map<String, Object>) node;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object node) {
		assertThat(node).isInstanceOf(List.class);
		return (List<Object>) node;
	}
}
