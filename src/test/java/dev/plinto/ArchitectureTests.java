package dev.plinto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/**
 * The direction of dependencies between Plinto's packages (docs/architecture.md). Every package sits in a layer;
 * a class may use classes of its own package and of packages in lower layers only. Packages in the same layer do
 * not know each other. Cross-feature needs that point the other way go through a small interface the lower package
 * defines (as {@code session.SecondFactors}, implemented in {@code mfa}) or an application event (as
 * {@code account.PasswordChanged}, handled in {@code session}).
 * <p>
 * A new package needs a line in {@link #LAYERS} and a {@code package-info.java}; an import that points up or
 * sideways, or a cycle, fails this test with the offending class and line.
 */
class ArchitectureTests {

	/** Layer of each top-level package below {@code dev.plinto}, lowest first. */
	private static final Map<String, Integer> LAYERS = Map.ofEntries(
			// foundations
			Map.entry("config", 0),
			Map.entry("platform", 1), Map.entry("crypto", 1), Map.entry("web", 1),
			Map.entry("audit", 2), Map.entry("throttle", 2), Map.entry("mail", 2),
			// the identity core
			Map.entry("token", 3),
			Map.entry("account", 4),
			Map.entry("session", 5),
			Map.entry("mfa", 6), Map.entry("org", 6),
			// features above the identity core, and operations
			Map.entry("webhook", 7),
			Map.entry("backup", 7), Map.entry("capacity", 7), Map.entry("ops", 7),
			// features on the identity core
			Map.entry("pages", 7),
			// import and export: the identity core's data, in backup's encrypted container
			Map.entry("migration", 8),
			// the OpenID provider: on the hosted pages' browser sessions, sign-in and error pages
			Map.entry("oidc", 8),
			// social and enterprise sign-in on the hosted pages and organizations; SCIM provisioning of organizations
			Map.entry("federation", 8), Map.entry("scim", 8),
			// the Backend API and the admin dashboard: one set of services over every feature below
			Map.entry("admin", 9),
			// composition roots: the HTTP security chain and the command line
			Map.entry("security", 10), Map.entry("cli", 10));

	/** The application class in {@code dev.plinto} itself starts the command line, above every package. */
	private static final int ROOT_LAYER = 11;

	private static final JavaClasses PLINTO = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		// Spring AOT's generated bean definitions and proxies wire every package together by design.
		.withImportOption(location -> !location.contains("__") && !location.contains("$$SpringCGLIB"))
		.importPackages("dev.plinto");

	@Test
	void dependenciesWhenAnyClassOfPlintoThenPointDownwardOnly() {
		List<String> violations = PLINTO.stream()
			.flatMap(source -> source.getDirectDependenciesFromSelf().stream())
			.filter(ArchitectureTests::pointsUpOrSideways)
			.map(Dependency::getDescription)
			.distinct()
			.sorted()
			.toList();
		assertThat(violations).as("imports against the layers of ArchitectureTests.LAYERS").isEmpty();
	}

	@Test
	void packagesWhenComparedThenFreeOfCycles() {
		slices().matching("dev.plinto.(*)..").should().beFreeOfCycles().check(PLINTO);
	}

	@Test
	void packagesWhenListedThenEachHasALayerAndAPackageInfo() {
		TreeSet<String> packages = PLINTO.stream()
			.map(ArchitectureTests::feature)
			.flatMap(Optional::stream)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(packages).as("packages without a layer in ArchitectureTests.LAYERS")
			.allSatisfy(p -> assertThat(LAYERS).containsKey(p));
		assertThat(LAYERS.keySet()).as("layers of packages that do not exist").allSatisfy(p -> assertThat(packages)
			.contains(p));
		assertThat(packages).as("packages without a package-info.java saying what they own")
			.allSatisfy(p -> assertThat(Path.of("src/main/java/dev/plinto", p, "package-info.java"))
				.satisfies(file -> assertThat(Files.readString(file)).contains("package dev.plinto." + p)));
	}

	/**
	 * Controllers are package-private: HTTP stops at the controller, and no other feature calls one
	 * (ENGINEERING.md, "Layout").
	 */
	@Test
	void controllersWhenDeclaredThenPackagePrivate() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.areAnnotatedWith(Controller.class)
			.should()
			.notHaveModifier(JavaModifier.PUBLIC)
			.check(PLINTO);
	}

	private static boolean pointsUpOrSideways(Dependency dependency) {
		Optional<String> from = feature(dependency.getOriginClass());
		Optional<String> to = feature(dependency.getTargetClass());
		if (!dependency.getTargetClass().getPackageName().startsWith("dev.plinto") || from.equals(to)) {
			return false;
		}
		int fromLayer = from.map(p -> LAYERS.getOrDefault(p, -1)).orElse(ROOT_LAYER);
		int toLayer = to.map(p -> LAYERS.getOrDefault(p, Integer.MAX_VALUE)).orElse(ROOT_LAYER);
		return toLayer >= fromLayer;
	}

	/** The top-level package below {@code dev.plinto} of a class, empty for {@code dev.plinto} itself. */
	private static Optional<String> feature(JavaClass type) {
		String name = type.getPackageName();
		if (!name.startsWith("dev.plinto.")) {
			return Optional.empty();
		}
		String rest = name.substring("dev.plinto.".length());
		int dot = rest.indexOf('.');
		return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
	}
}
