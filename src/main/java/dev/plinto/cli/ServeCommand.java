package dev.plinto.cli;

import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.BuildInfo;
import java.util.concurrent.Callable;
import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.core.SpringProperties;
import picocli.CommandLine.Command;

/** Starts the HTTP server; returns once it is ready, the server's threads keep the JVM alive. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server (the default command).")
final class ServeCommand implements Callable<Integer> {

	@Override
	public Integer call() {
		PlintoSettings settings = PlintoSettings.fromEnvironment();
		checkAotMode();
		SpringApplication app = new SpringApplication(PlintoCommand.application());
		// The build generates the AOT initializer (used with -Dspring.aot.enabled=true) under this name.
		app.setMainApplicationClass(PlintoCommand.application());
		app.setDefaultProperties(PlintoCommand.springProperties(settings));
		app.run();
		PlintoCommand.serving();
		return 0;
	}

	/**
	 * Spring AOT mode ({@code -Dspring.aot.enabled=true}, set by bin/plinto with the JDK 25 AOT cache) replays the
	 * bean definitions the build generated, with the conditions decided on the build's JDK. Virtual threads are one
	 * of them (JDK 21+), so the mode is switched off, with a note, when this JVM and the build's differ there.
	 */
	private static void checkAotMode() {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		int built = BuildInfo.javaVersion();
		boolean builtWithVirtualThreads = built >= 21;
		boolean hasVirtualThreads = Runtime.version().feature() >= 21;
		if (built == 0 || builtWithVirtualThreads != hasVirtualThreads) {
			SpringProperties.setProperty("spring.aot.enabled", "false");
			System.err.println("Spring AOT mode is off: this jar was built on Java " + (built == 0 ? "?" : built)
					+ " and runs on Java " + Runtime.version().feature()
					+ "; build it with the JDK that runs it to use the mode.");
		}
	}
}
