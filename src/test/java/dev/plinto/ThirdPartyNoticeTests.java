package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The licence and the third-party notice: Plinto is MIT, and {@code THIRD-PARTY.md} lists exactly the libraries the
 * server jar bundles, at the versions it bundles. The bundled list is the runtime dependency list Maven writes
 * before the tests ({@code maven-dependency-plugin:list}, bound in pom.xml), so adding or upgrading a dependency
 * without checking and listing its licence fails the build.
 */
class ThirdPartyNoticeTests {

	private static final Path DEPENDENCY_LIST = Path.of("target/runtime-dependencies.txt");

	/**
	 * {@code   group:artifact:jar[:classifier]:version:scope -- module …}, as dependency:list writes it (ACCP has a
	 * platform classifier).
	 */
	private static final Pattern LISTED_DEPENDENCY = Pattern
		.compile("(?m)^\\s+([\\w.\\-]+):([\\w.\\-]+):jar:(?:[\\w.\\-]+:)?([\\w.\\-]+):(?:compile|runtime)\\b");

	/** {@code - `group:artifact` version}, as THIRD-PARTY.md lists it. */
	private static final Pattern NOTICE_ENTRY = Pattern.compile("(?m)^- `([\\w.\\-]+):([\\w.\\-]+)` ([\\w.\\-]+)$");

	@Test
	void thirdPartyNoticeWhenComparedWithBundledDependenciesThenListsExactlyThem() throws IOException {
		assertThat(DEPENDENCY_LIST).as("written by maven-dependency-plugin:list in generate-test-resources; "
			+ "run the tests through ./mvnw").exists();
		Set<String> bundled = entries(LISTED_DEPENDENCY, Files.readString(DEPENDENCY_LIST));
		Set<String> listed = entries(NOTICE_ENTRY, Files.readString(Path.of("THIRD-PARTY.md")));
		// The Spring Boot Maven plugin adds its jar-mode tools to BOOT-INF/lib when it packages the jar.
		String bootVersion = bundled.stream().filter(entry -> entry.startsWith("org.springframework.boot:spring-boot "))
			.findFirst().orElseThrow().substring("org.springframework.boot:spring-boot ".length());
		bundled.add("org.springframework.boot:spring-boot-jarmode-tools " + bootVersion);

		assertThat(bundled).as("the runtime dependency list").hasSizeGreaterThan(50);
		assertThat(listed)
			.as("THIRD-PARTY.md lists every bundled library with its version (add the missing ones under their licence, "
				+ "read from the artifact's POM) and nothing that is no longer bundled")
			.containsExactlyInAnyOrderElementsOf(bundled);
	}

	@Test
	void licenceWhenReadThenMitInTheRepositoryThePomTheReadmeAndTheJar() throws IOException {
		String licence = Files.readString(Path.of("LICENSE"));
		assertThat(licence).startsWith("MIT License")
			.contains("Copyright (c) 2026 The Plinto authors")
			.contains("THE SOFTWARE IS PROVIDED \"AS IS\"");
		assertThat(Files.readString(Path.of("pom.xml")))
			.containsPattern("<licenses>\\s*<license>\\s*<name>MIT</name>");
		assertThat(Files.readString(Path.of("README.md"))).contains("[MIT licence](LICENSE)").contains("THIRD-PARTY.md");
		assertThat(Path.of("target/classes/META-INF/LICENSE")).hasSameTextualContentAs(Path.of("LICENSE"));
		assertThat(Path.of("target/classes/META-INF/THIRD-PARTY.md")).exists();
	}

	@Test
	void thirdPartyNoticeWhenReadThenNamesTheBundledData() throws IOException {
		String notice = Files.readString(Path.of("THIRD-PARTY.md"));
		assertThat(notice).contains("common-passwords.NOTICE").contains("capacity/prices.json");
		assertThat(Path.of("src/main/resources/dev/plinto/account/common-passwords.NOTICE")).exists();
	}

	private static Set<String> entries(Pattern pattern, String text) {
		Set<String> entries = new TreeSet<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			entries.add(matcher.group(1) + ":" + matcher.group(2) + " " + matcher.group(3));
		}
		return entries;
	}
}
