package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plinto.audit.AuditRepository;
import dev.plinto.audit.AuditRetention;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.support.ScheduledMethodRunnable;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Jobs that must run on one node at a time do so across servers: two Plinto servers on one PostgreSQL database,
 * each running its jobs through the runnables its own scheduler would run. The job is audit retention; each
 * server's audit repository counts the purges it is asked for, and the first server's purge is held open until
 * the test lets it finish, so the second server's run falls inside it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SingleNodeJobsTests {

	/** Every job that carries {@code @SchedulerLock}, by lock name. */
	private static final List<String> LOCKED_JOBS = List.of("audit-retention", "email-link-cleanup", "email-requests",
			"federation-flow-cleanup", "invitation-cleanup", "key-rotation", "mail-outbox", "mail-outbox-cleanup", "oidc-authorization-cleanup",
			"session-cleanup",
			"sign-in-failures-cleanup", "webauthn-challenges-cleanup", "webhook-log-retention");

	/** Wraps a server's audit repository: counts purges, and can hold the first one open. */
	static final class PurgeCounter implements BeanPostProcessor {

		final AtomicInteger purges = new AtomicInteger();

		final CountDownLatch release;

		PurgeCounter(boolean holdFirstPurge) {
			this.release = new CountDownLatch(holdFirstPurge ? 1 : 0);
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (!(bean instanceof AuditRepository repository)) {
				return bean;
			}
			return Proxy.newProxyInstance(AuditRepository.class.getClassLoader(),
					new Class<?>[] { AuditRepository.class }, (proxy, method, args) -> {
						if (method.getName().equals("deleteOlderThan")) {
							purges.incrementAndGet();
							release.await(30, TimeUnit.SECONDS);
						}
						try {
							return method.invoke(repository, args);
						}
						catch (InvocationTargetException e) {
							throw e.getCause();
						}
					});
		}
	}

	private TestDatabases.Postgres postgres;

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	private final PurgeCounter first = new PurgeCounter(true);

	private final PurgeCounter second = new PurgeCounter(false);

	@BeforeAll
	void startTwoServersOnOneDatabase(@TempDir Path dataDir) {
		postgres = TestDatabases.newPostgres();
		nodes.add(start(dataDir.resolve("a"), first));
		nodes.add(start(dataDir.resolve("b"), second));
	}

	@AfterAll
	void stop() {
		first.release.countDown();
		for (ConfigurableApplicationContext node : nodes) {
			node.close();
		}
		if (postgres != null) {
			postgres.close();
		}
	}

	private ConfigurableApplicationContext start(Path dataDir, PurgeCounter counter) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("PLINTO_DATABASE_URL", postgres.url());
		properties.put("PLINTO_MASTER_KEY", ApiTestSupport.MASTER_KEY);
		properties.put("PLINTO_DATA_DIR", dataDir.toString());
		properties.put("PLINTO_ARGON2_MEMORY_KIB", "1024");
		properties.put("PLINTO_ARGON2_ITERATIONS", "1");
		return new SpringApplicationBuilder(PlintoApplication.class).properties(properties)
			.initializers(context -> context.getBeanFactory().addBeanPostProcessor(counter))
			.run();
	}

	@Test
	void lockedJobWhenBothServersRunItAtOnceThenOnlyOneRunsIt() throws Exception {
		Runnable onFirst = scheduledRun(nodes.get(0), AuditRetention.class);
		Runnable onSecond = scheduledRun(nodes.get(1), AuditRetention.class);

		CompletableFuture<Void> running = CompletableFuture.runAsync(onFirst);
		await().atMost(Duration.ofSeconds(10)).until(() -> first.purges.get() == 1);
		onSecond.run();

		assertThat(second.purges).as("the second server skips the run while the first holds the lock").hasValue(0);
		first.release.countDown();
		running.get(10, TimeUnit.SECONDS);
		assertThat(first.purges).hasValue(1);

		onSecond.run();
		assertThat(second.purges).as("the lock is released when the run ends").hasValue(1);
	}

	@Test
	void scheduledTasksWhenJobCarriesSchedulerLockThenSchedulerRunsItThroughTheLock() {
		for (ConfigurableApplicationContext node : nodes) {
			List<String> locked = new ArrayList<>();
			for (Job job : scheduledJobs(node)) {
				ScheduledMethodRunnable run = job.method();
				SchedulerLock lock = AnnotatedElementUtils.findMergedAnnotation(run.getMethod(), SchedulerLock.class);
				if (lock == null) {
					continue;
				}
				Object target = run.getTarget();
				assertThat(AopUtils.isAopProxy(target)).as(run + " runs on a proxy").isTrue();
				Advisor[] advisors = ((Advised) target).getAdvisors();
				assertThat(Arrays.stream(advisors)
					.filter(a -> a.getClass().getName().startsWith("net.javacrumbs.shedlock."))
					.anyMatch(a -> ((PointcutAdvisor) a).getPointcut()
						.getMethodMatcher()
						.matches(run.getMethod(), AopUtils.getTargetClass(target))))
					.as(run + " is advised by ShedLock")
					.isTrue();
				locked.add(lock.name());
			}
			assertThat(locked).containsExactlyInAnyOrderElementsOf(LOCKED_JOBS);
		}
	}

	/** A task as the server's scheduler runs it, and the bean method it calls. */
	private record Job(Runnable scheduled, ScheduledMethodRunnable method) {
	}

	private static List<Job> scheduledJobs(ConfigurableApplicationContext node) {
		List<Job> jobs = new ArrayList<>();
		for (ScheduledTaskHolder holder : node.getBeansOfType(ScheduledTaskHolder.class).values()) {
			for (ScheduledTask task : holder.getScheduledTasks()) {
				Runnable scheduled = task.getTask().getRunnable();
				// Spring wraps the method's runnable to record each run's outcome, and exposes only the wrapper.
				Object inner = scheduled instanceof ScheduledMethodRunnable ? scheduled
						: ReflectionTestUtils.getField(scheduled, "runnable");
				if (inner instanceof ScheduledMethodRunnable method) {
					jobs.add(new Job(scheduled, method));
				}
			}
		}
		return jobs;
	}

	/** What the server's scheduler runs for the locked job of the given class. */
	private static Runnable scheduledRun(ConfigurableApplicationContext node, Class<?> job) {
		return scheduledJobs(node).stream()
			.filter(j -> AopUtils.getTargetClass(j.method().getTarget()) == job)
			.filter(j -> j.method().getMethod().isAnnotationPresent(SchedulerLock.class))
			.map(Job::scheduled)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no locked scheduled job on " + job.getSimpleName()));
	}
}
