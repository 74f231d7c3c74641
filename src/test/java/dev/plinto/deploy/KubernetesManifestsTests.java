package dev.plinto.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.config.PlintoSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * Every document of {@code deploy/kubernetes/*.yaml}, parsed, with the properties docs/deployment.md promises checked
 * one by one, so that an edit cannot silently drop one (no cluster here: what Kubernetes itself would say about the
 * files is not tested).
 */
class KubernetesManifestsTests {

	private static final Path DIR = Path.of("deploy/kubernetes");

	private static final List<Map<String, Object>> DOCUMENTS = new ArrayList<>();

	@BeforeAll
	static void parseEveryDocument() throws IOException {
		try (Stream<Path> files = Files.list(DIR)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					for (Object document : new Yaml().loadAll(reader)) {
						if (document != null) {
							assertThat(document).as(file + " holds mappings").isInstanceOf(Map.class);
							DOCUMENTS.add(map(document));
						}
					}
				}
			}
		}
	}

	@Test
	void manifestsWhenParsedThenEveryObjectIsInThePlintoNamespaceWithKindAndName() {
		List<Map<String, Object>> objects = DOCUMENTS.stream().filter(d -> !"Kustomization".equals(d.get("kind")))
			.toList();
		assertThat(objects).hasSizeGreaterThanOrEqualTo(11);
		for (Map<String, Object> object : objects) {
			assertThat(object).containsKeys("apiVersion", "kind", "metadata");
			Map<String, Object> metadata = map(object.get("metadata"));
			assertThat(metadata.get("name")).as("name of a " + object.get("kind")).isNotNull();
			if (!"Namespace".equals(object.get("kind"))) {
				assertThat(metadata.get("namespace")).as(object.get("kind") + " " + metadata.get("name"))
					.isEqualTo("plinto");
			}
		}
		assertThat(one("Namespace", "plinto")).isNotNull();
	}

	@Test
	void deploymentWhenParsedThenThreeReplicasZeroUnavailableProbesResourcesAndLockedDownContainer() {
		Map<String, Object> deployment = one("Deployment", "plinto");
		Map<String, Object> spec = map(deployment.get("spec"));
		assertThat(spec.get("replicas")).isEqualTo(3);
		Map<String, Object> strategy = map(spec.get("strategy"));
		assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
		assertThat(map(strategy.get("rollingUpdate")).get("maxUnavailable")).isEqualTo(0);

		Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
		Map<String, Object> podSecurity = map(pod.get("securityContext"));
		assertThat(podSecurity.get("runAsNonRoot")).isEqualTo(true);
		assertThat((Integer) podSecurity.get("runAsUser")).isPositive();
		assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);

		Map<String, Object> container = map(list(pod.get("containers")).get(0));
		assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
		assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
		for (String kind : List.of("requests", "limits")) {
			Map<String, Object> resources = map(path(container, "resources", kind));
			assertThat(resources).as(kind).containsKeys("cpu", "memory");
		}
		Map<String, Object> security = map(container.get("securityContext"));
		assertThat(security.get("readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(security.get("allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(security.get("runAsNonRoot")).isEqualTo(true);
		assertThat(list(path(container, "securityContext", "capabilities", "drop"))).containsExactly("ALL");
		List<String> mounts = list(container.get("volumeMounts")).stream().map(m -> (String) map(m).get("mountPath"))
			.toList();
		assertThat(mounts).as("a writable /tmp on the read-only root file system").contains("/tmp");
	}

	@Test
	void deploymentWhenTerminatedThenGracePeriodCoversPreStopAndPlintosDrain() throws IOException {
		Map<String, Object> pod = map(path(one("Deployment", "plinto"), "spec", "template", "spec"));
		Map<String, Object> container = map(list(pod.get("containers")).get(0));
		List<Object> preStop = list(path(container, "lifecycle", "preStop", "exec", "command"));
		assertThat(preStop.get(0)).isEqualTo("sleep");
		long preStopSeconds = Long.parseLong((String) preStop.get(1));
		Properties application = new Properties();
		try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
			application.load(reader);
		}
		assertThat(application.getProperty("server.shutdown")).isEqualTo("graceful");
		Duration drain = DurationStyle.detectAndParse(application.getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
		assertThat(((Integer) pod.get("terminationGracePeriodSeconds")).longValue())
			.isGreaterThan(preStopSeconds + drain.toSeconds());
	}

	@Test
	void deploymentWhenItsSettingsAreReadThenConfigMapAndSecretExistAndTheValuesAreValid() {
		Map<String, Object> container = map(list(path(one("Deployment", "plinto"), "spec", "template", "spec",
				"containers")).get(0));
		List<String> sources = new ArrayList<>();
		for (Object source : list(container.get("envFrom"))) {
			Map<String, Object> s = map(source);
			if (s.containsKey("configMapRef")) {
				sources.add("ConfigMap/" + map(s.get("configMapRef")).get("name"));
			}
			if (s.containsKey("secretRef")) {
				sources.add("Secret/" + map(s.get("secretRef")).get("name"));
			}
		}
		assertThat(sources).containsExactlyInAnyOrder("ConfigMap/plinto-config", "Secret/plinto-secrets");
		Map<String, Object> config = map(one("ConfigMap", "plinto-config").get("data"));
		Map<String, Object> secret = map(one("Secret", "plinto-secrets").get("stringData"));
		assertThat(secret).containsKeys("PLINTO_MASTER_KEY", "PLINTO_DATABASE_URL", "PLINTO_REDIS_URL");
		assertThat(config).doesNotContainKeys("PLINTO_MASTER_KEY", "PLINTO_DATABASE_URL", "PLINTO_REDIS_URL",
				"PLINTO_SMTP_URL");

		// The ConfigMap's values, with the Secret filled in as an operator would, are accepted by Plinto.
		Map<String, String> environment = new HashMap<>();
		config.forEach((name, value) -> environment.put(name, (String) value));
		environment.put("PLINTO_MASTER_KEY", PlintoNodes.MASTER_KEY);
		environment.put("PLINTO_DATABASE_URL", "postgresql://plinto:secret@postgresql:5432/plinto");
		environment.put("PLINTO_REDIS_URL", "redis://:secret@redis:6379");
		PlintoSettings settings = PlintoSettings.parse(environment::get);
		assertThat(settings.trustedProxies()).isNotEmpty();
		assertThat(settings.issuer().getScheme()).isEqualTo("https");
	}

	@Test
	void serviceAndIngressWhenParsedThenTheyRouteToThePodsPortWithCertManagerTls() {
		Map<String, Object> podLabels = map(path(one("Deployment", "plinto"), "spec", "template", "metadata", "labels"));
		Map<String, Object> service = one("Service", "plinto");
		assertThat(podLabels).containsAllEntriesOf(map(path(service, "spec", "selector")));
		Map<String, Object> servicePort = map(list(path(service, "spec", "ports")).get(0));
		Map<String, Object> container = map(list(path(one("Deployment", "plinto"), "spec", "template", "spec",
				"containers")).get(0));
		Map<String, Object> containerPort = map(list(container.get("ports")).get(0));
		assertThat(servicePort.get("targetPort")).isEqualTo(containerPort.get("name"));

		Map<String, Object> ingress = one("Ingress", "plinto");
		assertThat(map(path(ingress, "metadata", "annotations"))).containsKey("cert-manager.io/cluster-issuer");
		assertThat(list(path(ingress, "spec", "tls"))).isNotEmpty();
		Map<String, Object> backend = map(path(map(list(path(map(list(path(ingress, "spec", "rules")).get(0)), "http",
				"paths")).get(0)), "backend", "service"));
		assertThat(backend.get("name")).isEqualTo("plinto");
		assertThat(map(backend.get("port")).get("name")).isEqualTo(servicePort.get("name"));

		Map<String, Object> hidden = one("Ingress", "plinto-private");
		List<String> hiddenPaths = list(path(map(list(path(hidden, "spec", "rules")).get(0)), "http", "paths")).stream()
			.map(p -> (String) map(p).get("path"))
			.toList();
		assertThat(hiddenPaths).contains("/metrics");
		assertThat(map(path(hidden, "metadata", "annotations")))
			.containsEntry("nginx.ingress.kubernetes.io/whitelist-source-range", "127.0.0.1/32");
	}

	@Test
	void autoscalerWhenParsedThenThreeToTwentyReplicasOnCpu70AndMemory80() {
		Map<String, Object> spec = map(one("HorizontalPodAutoscaler", "plinto").get("spec"));
		assertThat(map(spec.get("scaleTargetRef"))).containsEntry("kind", "Deployment").containsEntry("name", "plinto");
		assertThat(spec.get("minReplicas")).isEqualTo(3);
		assertThat(spec.get("maxReplicas")).isEqualTo(20);
		Map<String, Object> targets = new HashMap<>();
		for (Object metric : list(spec.get("metrics"))) {
			Map<String, Object> resource = map(map(metric).get("resource"));
			Map<String, Object> target = map(resource.get("target"));
			assertThat(target.get("type")).isEqualTo("Utilization");
			targets.put((String) resource.get("name"), target.get("averageUtilization"));
		}
		assertThat(targets).containsExactlyInAnyOrderEntriesOf(Map.of("cpu", 70, "memory", 80));
	}

	@Test
	void disruptionBudgetWhenParsedThenItKeepsPodsOfThisDeploymentAvailable() {
		Map<String, Object> spec = map(one("PodDisruptionBudget", "plinto").get("spec"));
		assertThat((Integer) spec.get("minAvailable")).isBetween(1, 2);
		Map<String, Object> podLabels = map(path(one("Deployment", "plinto"), "spec", "template", "metadata", "labels"));
		assertThat(podLabels).containsAllEntriesOf(map(path(spec, "selector", "matchLabels")));
	}

	@Test
	void networkPoliciesWhenParsedThenDatabaseAndRedisAcceptOnlyPlintoPods() {
		Map<String, Object> podLabels = map(path(one("Deployment", "plinto"), "spec", "template", "metadata", "labels"));
		assertOnlyFromPlinto(one("NetworkPolicy", "postgresql-from-plinto-only"), 5432, podLabels);
		assertOnlyFromPlinto(one("NetworkPolicy", "redis-from-plinto-only"), 6379, podLabels);
	}

	private static void assertOnlyFromPlinto(Map<String, Object> policy, int port, Map<String, Object> podLabels) {
		Map<String, Object> spec = map(policy.get("spec"));
		assertThat(list(spec.get("policyTypes"))).contains("Ingress");
		List<Object> rules = list(spec.get("ingress"));
		assertThat(rules).hasSize(1);
		Map<String, Object> rule = map(rules.get(0));
		List<Object> from = list(rule.get("from"));
		assertThat(from).hasSize(1);
		Map<String, Object> peer = map(from.get(0));
		assertThat(peer).containsOnlyKeys("podSelector");
		assertThat(podLabels).containsAllEntriesOf(map(path(peer, "podSelector", "matchLabels")));
		assertThat(list(rule.get("ports")).stream().map(p -> map(p).get("port")).toList()).containsExactly(port);
	}

	@Test
	void kustomizationWhenParsedThenItAppliesEveryManifestButTheSecretTemplate() throws IOException {
		Map<String, Object> kustomization = DOCUMENTS.stream()
			.filter(d -> "Kustomization".equals(d.get("kind")))
			.findFirst()
			.orElseThrow();
		List<String> files;
		try (Stream<Path> all = Files.list(DIR)) {
			files = all.map(f -> f.getFileName().toString())
				.filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml") && !f.contains(".example."))
				.toList();
		}
		assertThat(list(kustomization.get("resources"))).containsExactlyInAnyOrderElementsOf(files);
	}

	/** The one object of this kind and name. */
	private static Map<String, Object> one(String kind, String name) {
		List<Map<String, Object>> found = DOCUMENTS.stream()
			.filter(d -> kind.equals(d.get("kind")) && name.equals(map(d.get("metadata")).get("name")))
			.toList();
		assertThat(found).as(kind + " " + name).hasSize(1);
		return found.get(0);
	}

	private static Object path(Map<String, Object> root, String... keys) {
		Object node = root;
		for (String key : keys) {
			assertThat(node).as("'" + key + "' under a mapping").isInstanceOf(Map.class);
			node = map(node).get(key);
			assertThat(node).as(String.join(".", keys) + " is set").isNotNull();
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
