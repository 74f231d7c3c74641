package dev.plinto.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alert rules and the Grafana dashboard of {@code deploy/monitoring} query only metrics that a running server's
 * {@code /metrics} really exposes, and there is an alert for every scaling trigger and sign of trouble that
 * docs/deployment.md lists. (Whether Prometheus and Grafana accept the files is not tested here: neither runs on
 * this machine.)
 */
@TestPropertySource(properties = { "PLINTO_BACKUP_DIR=target/test-backups-monitoring",
		"PLINTO_BACKUP_KEY=" + ApiTestSupport.MASTER_KEY })
class MonitoringTests extends ApiTestSupport {

	private static final Path DIR = Path.of("deploy/monitoring");

	/** Series Prometheus makes itself rather than scraping them. */
	private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	@Test
	void alertsAndDashboardWhenQueriesReadThenEveryMetricIsExposedByTheServer() throws Exception {
		// Traffic, so that the request and sign-in series exist, and one collection, so that the GC pause timer does.
		String email = newEmail();
		signUp(email);
		ApiClient.Response signIn = signIn(email, PASSWORD);
		api.post("/v1/token/refresh", ApiClient.map("refresh_token", signIn.text("refresh_token")));
		// The GC pause timer is registered from the JVM's garbage-collection notification, which arrives on
		// another thread some time after the collection: scrape until it is there (for at most 10 s).
		System.gc();
		Set<String> exposed = await("the GC pause timer exposed").atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> {
				ApiClient.Response metrics = api.get("/metrics");
				assertThat(metrics.status()).isEqualTo(200);
				return exposedNames(metrics.raw());
			}, names -> names.contains("jvm_gc_pause_seconds_count"));

		Map<String, String> queries = new LinkedHashMap<>(alertExpressions());
		queries.putAll(dashboardExpressions());
		assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
		for (Map.Entry<String, String> query : queries.entrySet()) {
			Set<String> names = metricNames(query.getValue());
			assertThat(names).as("metrics of " + query.getKey()).isNotEmpty();
			names.removeAll(PROMETHEUS_SERIES);
			assertThat(exposed).as(query.getKey() + ": " + query.getValue()).containsAll(names);
		}
	}

	@Test
	void alertsWhenReadThenEveryScalingTriggerAndTroubleSignHasARule() throws IOException {
		Map<String, String> alerts = alertExpressions();
		assertThat(alerts.get("PlintoCpuHigh")).contains("process_cpu_usage").contains("> 0.70");
		assertThat(alerts.get("PlintoMemoryHigh")).contains("> 0.80");
		assertThat(alerts.get("PlintoLatencyP95High")).contains("histogram_quantile(0.95").contains("> 0.5");
		assertThat(alerts.get("PlintoDatabasePoolSaturated")).contains("hikaricp_connections_pending");
		assertThat(alerts.get("PlintoErrorRateHigh")).contains("status=~\"5..\"");
		assertThat(alerts.get("PlintoRefreshTokenReuseSpike")).contains("outcome=\"reused\"");
		assertThat(alerts.get("PlintoNotReady")).contains("plinto_health_ready");
		assertThat(alerts.get("PlintoDown")).contains("up{");
		assertThat(alerts.get("PlintoWebhookBacklogGrowing")).contains("plinto_webhooks_queue_depth")
			.contains("plinto_webhooks_queue_oldest_age_seconds");
		assertThat(alerts.get("PlintoWebhookEndpointDisabled")).contains("plinto_webhooks_endpoints_disabled_total");
		assertThat(alerts.get("PlintoBackupTooOld")).contains("plinto_backup_last_success_timestamp_seconds")
			.contains("outcome=\"failure\"");
		assertThat(Files.readString(DIR.resolve("prometheus.yml"))).contains("- alerts.yml");
	}

	@Test
	void metricNamesWhenQueryHasFunctionsLabelsAndGroupingThenOnlyMetricsAreNamed() {
		assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket"
				+ "{uri!~\"/health.*|/metrics\"}[5m]))) > 0.5 and on (instance) up == 1"))
			.containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "up");
	}

	/** Alert name to expression, from every rule group. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> alertExpressions() throws IOException {
		Map<String, String> alerts = new LinkedHashMap<>();
		try (Reader reader = Files.newBufferedReader(DIR.resolve("alerts.yml"))) {
			Map<String, Object> file = new Yaml().load(reader);
			for (Object group : (List<Object>) file.get("groups")) {
				for (Object rule : (List<Object>) ((Map<String, Object>) group).get("rules")) {
					Map<String, Object> r = (Map<String, Object>) rule;
					alerts.put((String) r.get("alert"), ((String) r.get("expr")).trim());
				}
			}
		}
		return alerts;
	}

	/** Panel title and target to expression. */
	private static Map<String, String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DIR.resolve("grafana-dashboard.json")));
		Map<String, String> queries = new LinkedHashMap<>();
		for (JsonNode panel : dashboard.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				queries.put("panel '" + panel.get("title").asString() + "' " + target.get("refId").asString(),
						target.get("expr").asString());
			}
		}
		assertThat(queries.keySet()).anySatisfy(k -> assertThat(k).contains("Daily active users"))
			.anySatisfy(k -> assertThat(k).contains("Sign-ins by outcome"))
			.anySatisfy(k -> assertThat(k).contains("Database pool"));
		return queries;
	}

	/** The metric names a PromQL expression reads: identifiers that are not functions, keywords or labels. */
	static Set<String> metricNames(String promql) {
		String text = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
			.replaceAll("\\{[^}]*\\}", " ")
			.replaceAll("\\[[^]]*\\]", " ");
		text = GROUPING.matcher(text).replaceAll(" ");
		Set<String> names = new TreeSet<>();
		Matcher m = IDENTIFIER.matcher(text);
		while (m.find()) {
			String name = m.group(1);
			boolean call = m.group(2) != null;
			if (!call && !KEYWORDS.contains(name.toLowerCase())) {
				names.add(name);
			}
		}
		return names;
	}

	/** Every sample name in Prometheus text (histogram _bucket/_count/_sum included). */
	private static Set<String> exposedNames(String text) {
		Set<String> names = new TreeSet<>();
		List<String> lines = new ArrayList<>(text.lines().toList());
		for (String line : lines) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int end = 0;
			while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
				end++;
			}
			names.add(line.substring(0, end));
		}
		return names;
	}
}
