package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The end-of-run line counting tests skipped for want of PostgreSQL, Redis or nginx, on a real JUnit run. */
class SkippedServicesSummaryTests {

	@Test
	void summaryWhenTestsAbortForMissingServicesThenCountsEachServiceAndNamesTheVariables() {
		String printed = run(AbortingPerTest.class, AbortingWholeClass.class);

		assertThat(printed.strip()).isEqualTo("Skipped for want of a service: 2 PostgreSQL, 1 Redis, 3 nginx, 0 Chromium, "
				+ "1 Node.js — set PLINTO_TEST_DATABASE_URL and PLINTO_TEST_REDIS_URL and install nginx, chromium, "
				+ "chromium-driver, nodejs and npm to "
				+ "run them (README, \"Tests "
				+ "against PostgreSQL and Redis\").");
	}

	@Test
	void summaryWhenNothingSkippedForAServiceThenPrintsNothing() {
		assertThat(run(Passing.class)).isEmpty();
	}

	private static String run(Class<?>... classes) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		SkippedServicesSummary listener = new SkippedServicesSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8));
		Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
			.enableTestExecutionListenerAutoRegistration(false)
			.addTestExecutionListeners(listener)
			.build());
		LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
		for (Class<?> c : classes) {
			request.selectors(selectClass(c));
		}
		launcher.execute(request.build());
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** Fixture: each test aborts on its own, as a test that asks {@link TestDatabases} does. */
	static class AbortingPerTest {

		@Test
		void postgres() {
			Assumptions.abort("PLINTO_TEST_DATABASE_URL not set");
		}

		@Test
		void postgresAgain() {
			Assumptions.abort("PLINTO_TEST_DATABASE_URL not set");
		}

		@Test
		void redis() {
			Assumptions.abort("PLINTO_TEST_REDIS_URL not set");
		}

		@Test
		void node() {
			Assumptions.abort("node or npm not installed");
		}

		@Test
		void otherReason() {
			Assumptions.assumeTrue(false, "needs two CPUs");
		}

		@Test
		void runs() {
		}
	}

	/** Fixture: the whole class aborts before its tests, as NginxTests does without nginx. */
	static class AbortingWholeClass {

		@BeforeAll
		static void nginx() {
			Assumptions.abort("nginx not installed");
		}

		@Test
		void one() {
		}

		@Test
		void two() {
		}

		@Test
		void three() {
		}
	}

	/** Fixture: nothing skipped. */
	static class Passing {

		@Test
		void runs() {
		}
	}
}
