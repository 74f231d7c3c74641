package dev.plinto;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.opentest4j.TestAbortedException;

/**
 * Prints, at the end of a test run, how many tests were skipped because PostgreSQL, Redis or nginx was not
 * available (the tests abort with a notice naming {@code PLINTO_TEST_DATABASE_URL}, {@code PLINTO_TEST_REDIS_URL}
 * or the missing program; see {@link TestDatabases}, {@code NginxTests}, {@code pages.Chromium} and the Node checks
 * {@code oidc.NodeClients} and {@code webhook.NodeVerifier}), so a green local build does not pass for
 * one that ran them. A test class aborted as a whole counts each of its tests. Registered with the JUnit Platform
 * launcher through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkippedServicesSummary implements TestExecutionListener {

	enum Service {
		POSTGRESQL("PostgreSQL"), REDIS("Redis"), NGINX("nginx"), CHROMIUM("Chromium"), NODE("Node.js");

		final String label;

		Service(String label) {
			this.label = label;
		}
	}

	private final Map<Service, Integer> skipped = new EnumMap<>(Service.class);

	private final Set<String> counted = new HashSet<>();

	private final PrintStream out;

	private TestPlan plan;

	public SkippedServicesSummary() {
		this(System.out);
	}

	SkippedServicesSummary(PrintStream out) {
		this.out = out;
	}

	@Override
	public void testPlanExecutionStarted(TestPlan testPlan) {
		plan = testPlan;
		skipped.clear();
		counted.clear();
	}

	@Override
	public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
		if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
			return;
		}
		Optional<Service> service = result.getThrowable().flatMap(SkippedServicesSummary::service);
		if (service.isEmpty()) {
			return;
		}
		int tests = 0;
		if (identifier.isTest()) {
			tests += count(identifier);
		}
		if (plan != null) {
			for (TestIdentifier descendant : plan.getDescendants(identifier)) {
				if (descendant.isTest()) {
					tests += count(descendant);
				}
			}
		}
		skipped.merge(service.get(), tests, Integer::sum);
	}

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		summary().ifPresent(out::println);
	}

	/** The line printed at the end, or empty when nothing was skipped for want of a service. */
	Optional<String> summary() {
		if (skipped.values().stream().allMatch(n -> n == 0)) {
			return Optional.empty();
		}
		StringJoiner counts = new StringJoiner(", ");
		for (Service s : Service.values()) {
			counts.add(skipped.getOrDefault(s, 0) + " " + s.label);
		}
		return Optional.of("Skipped for want of a service: " + counts + " — set PLINTO_TEST_DATABASE_URL and "
				+ "PLINTO_TEST_REDIS_URL and install nginx, chromium, chromium-driver, nodejs and npm to run them "
				+ "(README, \"Tests "
				+ "against PostgreSQL and Redis\").");
	}

	/** Counts a test once, whether it aborted itself or with its class. */
	private int count(TestIdentifier test) {
		return counted.add(test.getUniqueId()) ? 1 : 0;
	}

	/** The service an abort names, through the cause chain (Spring may wrap it while loading a context). */
	static Optional<Service> service(Throwable thrown) {
		for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof TestAbortedException && t.getMessage() != null) {
				String message = t.getMessage().toLowerCase(Locale.ROOT);
				if (message.contains("plinto_test_database_url")) {
					return Optional.of(Service.POSTGRESQL);
				}
				if (message.contains("plinto_test_redis_url") || message.contains("redis-server")) {
					return Optional.of(Service.REDIS);
				}
				if (message.contains("nginx") || message.contains("openssl")) {
					return Optional.of(Service.NGINX);
				}
				if (message.contains("chromium")) {
					return Optional.of(Service.CHROMIUM);
				}
				if (message.contains("node or npm")) {
					return Optional.of(Service.NODE);
				}
			}
		}
		return Optional.empty();
	}
}
