package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The output file of a process a test started (a server, a command), read while the process runs. */
public final class ProcessOutput {

	private static final Duration POLL = Duration.ofMillis(100);

	private ProcessOutput() {
	}

	/**
	 * Waits until the output matches the pattern and returns the match; fails at once when the process ends
	 * without printing it, and after the timeout otherwise — both with the output so far.
	 */
	public static Matcher awaitLine(Process process, Path output, Pattern pattern, Duration timeout) {
		await("output matching " + pattern).atMost(timeout)
			.pollInterval(POLL)
			.failFast("the process exited before printing " + pattern,
					() -> assertThat(process.isAlive() || pattern.matcher(read(output)).find())
						.as(() -> "the process exited with " + process.exitValue() + ":\n" + read(output))
						.isTrue())
			.untilAsserted(() -> assertThat(read(output)).containsPattern(pattern));
		Matcher m = pattern.matcher(read(output));
		assertThat(m.find()).isTrue();
		return m;
	}

	/** The whole output so far. */
	public static String read(Path output) {
		try {
			return Files.readString(output, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
