package dev.plinto.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.web.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What exists is documented, and what is documented exists: error codes and configuration variables. */
class DocumentationTests {

	private static final Pattern VARIABLE = Pattern.compile("PLINTO_[A-Z0-9_]+");

	/**
	 * A Spring property of Plinto's that code reads by name: a {@code ${plinto.…}} placeholder or a
	 * {@code @ConditionalOnProperty}. Spring Boot binds the environment variable of the same name to it.
	 */
	private static final Pattern PROPERTY = Pattern
		.compile("(?:\\$\\{|@ConditionalOnProperty\\(name = \")(plinto\\.[a-z0-9.-]+)");

	@Test
	void errorCodesWhenDefinedThenEachHasARowInTheApiGuide() throws IOException {
		String api = Files.readString(Path.of("docs/api.md"));
		for (ErrorCode code : ErrorCode.values()) {
			assertThat(api).as("docs/api.md documents " + code.code())
				.contains("| `" + code.code() + "` | " + code.status().value() + " |");
		}
	}

	@Test
	void variablesWhenReadByTheServerThenDocumentedInConfigurationReference() throws IOException {
		Set<String> inCode = variables(Path.of("src/main/java"));
		inCode.addAll(variables(Path.of("bin")));
		inCode.addAll(variables(Path.of("bench")));
		inCode.addAll(variables(Path.of("deploy")));
		Set<String> properties = propertiesAsVariables(Path.of("src/main/java"));
		assertThat(properties).as("the job settings are found").contains("PLINTO_JOBS_MAIL_POLL",
				"PLINTO_SCHEDULING_ENABLED");
		inCode.addAll(properties);
		Set<String> documented = new TreeSet<>();
		Matcher m = VARIABLE.matcher(Files.readString(Path.of("docs/configuration.md")));
		while (m.find()) {
			documented.add(m.group());
		}
		assertThat(inCode).isNotEmpty();
		inCode.remove("PLINTO_ARGON2_"); // the prefix, named in a comment of bench/RawLimits.java
		assertThat(documented).as("every variable the code and scripts read is documented").containsAll(inCode);
		Set<String> testOnly = variables(Path.of("src/test/java"));
		Set<String> known = new TreeSet<>(inCode);
		known.addAll(testOnly);
		assertThat(known).as("every documented variable exists").containsAll(documented);
	}

	/** Plinto's Spring properties read by name, as the environment variables Spring Boot binds to them. */
	private static Set<String> propertiesAsVariables(Path root) throws IOException {
		Set<String> found = new TreeSet<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Matcher m = PROPERTY.matcher(Files.readString(file));
				while (m.find()) {
					found.add(m.group(1).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
				}
			}
		}
		return found;
	}

	private static Set<String> variables(Path root) throws IOException {
		Set<String> found = new TreeSet<>();
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.filter(Files::isRegularFile)
				.filter(p -> !p.toString().contains("results"))
				.toList()) {
				Matcher m = VARIABLE.matcher(Files.readString(file));
				while (m.find()) {
					found.add(m.group());
				}
			}
		}
		return found;
	}
}
