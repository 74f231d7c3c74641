package dev.plinto.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/plinto}'s heap bound: a size that grows with the CPUs by default, a share of the memory limit in the
 * container image.
 */
class RunScriptTests {

	record Run(int exitCode, String stdout, String stderr) {
	}

	private static Run printJvmOptions(Map<String, String> env, String... launcher)
			throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of(launcher));
		command.addAll(List.of("bash", Path.of("bin/plinto").toString()));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf(name -> name.startsWith("PLINTO_"));
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("PLINTO_PRINT_JVM_OPTIONS", "1");
		builder.environment().putAll(env);
		Process p = builder.start();
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
				new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
	}

	@Test
	void printJvmOptionsWhenHeapNotSetAndOneCpuThen128Megabytes() throws Exception {
		Run run = printJvmOptions(Map.of("OMP_NUM_THREADS", "7"), "taskset", "-c", "0");
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		List<String> options = run.stdout().lines().toList();
		assertThat(options).as("OMP_NUM_THREADS is not the CPU count")
			.contains("-Xmx128m", "-Xmn64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
			.noneMatch(o -> o.startsWith("-XX:MaxRAMPercentage"));
	}

	@Test
	void printJvmOptionsWhenHeapNotSetAndTwoCpusThen192Megabytes() throws Exception {
		assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs a machine with two CPUs");
		Run run = printJvmOptions(Map.of(), "taskset", "-c", "0,1");
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		assertThat(run.stdout().lines()).contains("-Xmx192m", "-Xmn64m");
	}

	@ParameterizedTest
	@CsvSource({ "50%, -XX:MaxRAMPercentage=50", "62.5%, -XX:MaxRAMPercentage=62.5", "1g, -Xmx1g", "256m, -Xmx256m" })
	void printJvmOptionsWhenHeapSetThenThatBoundOnly(String heap, String option) throws Exception {
		Run run = printJvmOptions(Map.of("PLINTO_JVM_HEAP", heap));
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		List<String> options = run.stdout().lines().toList();
		assertThat(options).contains(option)
			.filteredOn(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxRAMPercentage"))
			.containsExactly(option);
	}

	@Test
	void printJvmOptionsWhenHeapNotASizeOrPercentageThenExit2NamingIt() throws Exception {
		Run run = printJvmOptions(Map.of("PLINTO_JVM_HEAP", "lots"));
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.stderr().strip()).isEqualTo("bin/plinto: PLINTO_JVM_HEAP must be a size such as 128m or 1g, "
				+ "or a percentage such as 50%, not 'lots'.");
		assertThat(run.stdout()).isEmpty();
	}
}
