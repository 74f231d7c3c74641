package dev.plinto.cli;

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

	/** The CPUs this test may run on, from {@code Cpus_allowed_list} in {@code /proc/self/status} ("0-3,6"). */
	private static List<Integer> allowedCpus() throws IOException {
		String list = java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))
			.stream()
			.filter(line -> line.startsWith("Cpus_allowed_list:"))
			.findFirst()
			.orElseThrow()
			.substring("Cpus_allowed_list:".length())
			.strip();
		List<Integer> cpus = new java.util.ArrayList<>();
		for (String range : list.split(",")) {
			String[] ends = range.split("-");
			for (int cpu = Integer.parseInt(ends[0]); cpu <= Integer.parseInt(ends[ends.length - 1]); cpu++) {
				cpus.add(cpu);
			}
		}
		return cpus;
	}

	/** {@code taskset -c CPUS}, or a skipped test where util-linux's taskset is missing. */
	private static String[] onCpus(List<Integer> cpus) {
		assumeTrue(java.util.stream.Stream.of(System.getenv("PATH").split(":"))
			.anyMatch(dir -> java.nio.file.Files.isExecutable(Path.of(dir, "taskset"))), "needs taskset");
		return new String[] { "taskset", "-c",
				String.join(",", cpus.stream().map(String::valueOf).toList()) };
	}

	@Test
	void printJvmOptionsWhenHeapNotSetAndOneCpuThen128Megabytes() throws Exception {
		Run run = printJvmOptions(Map.of("OMP_NUM_THREADS", "7", "OMP_THREAD_LIMIT", "7"),
				onCpus(allowedCpus().subList(0, 1)));
		assertThat(run.exitCode()).as(run.stderr()).isZero();
		List<String> options = run.stdout().lines().toList();
		assertThat(options).as("OMP_NUM_THREADS is not the CPU count")
			.contains("-Xmx128m", "-Xmn64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
			.noneMatch(o -> o.startsWith("-XX:MaxRAMPercentage"));
	}

	@Test
	void printJvmOptionsWhenHeapNotSetAndTwoCpusThen192Megabytes() throws Exception {
		List<Integer> cpus = allowedCpus();
		assumeTrue(cpus.size() >= 2, "needs two CPUs");
		Run run = printJvmOptions(Map.of(), onCpus(cpus.subList(0, 2)));
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
