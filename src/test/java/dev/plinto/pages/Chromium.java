package dev.plinto.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its {@code chromium-driver}, one fresh profile per browser. Without the
 * two packages the calling test is skipped with a notice; when {@code CI} is set it fails instead ({@code .ci/run}
 * installs them with apt-get). Screenshots go to {@code target/screenshots/}.
 */
public final class Chromium {

	public static final Path SCREENSHOTS = Path.of("target/screenshots");

	/** Desktop and mobile widths of the screenshots. */
	public static final Dimension DESKTOP = new Dimension(1280, 900);

	public static final Dimension MOBILE = new Dimension(390, 844);

	/** The browsers started without JavaScript: axe-core cannot run in them (WebDriver's scripts are off too). */
	private static final java.util.Set<ChromeDriver> WITHOUT_SCRIPT = java.util.Collections
		.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

	private Chromium() {
	}

	/** A new browser, with or without JavaScript; skips (fails under CI) when Chromium is not installed. */
	public static ChromeDriver start(boolean javaScript) {
		String browser = executable("chromium", "/usr/bin/chromium");
		String driver = executable("chromedriver", "/usr/bin/chromedriver");
		Path profile;
		try {
			profile = Files.createTempDirectory("plinto-chromium");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--lang=en-US", "--user-data-dir=" + profile);
		if (!javaScript) {
			options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
		}
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
			.usingAnyFreePort()
			.build();
		ChromeDriver chrome = new ChromeDriver(service, options);
		chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		chrome.manage().window().setSize(DESKTOP);
		if (!javaScript) {
			WITHOUT_SCRIPT.add(chrome);
		}
		return chrome;
	}

	/** Emulates {@code prefers-color-scheme} (DevTools Emulation domain). */
	static void colorScheme(ChromeDriver chrome, String scheme) {
		chrome.executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	/**
	 * Writes a screenshot of the current page to {@code target/screenshots/<name>.png}, and checks the page with
	 * axe-core first (at desktop width, in light and in dark: contrast differs; mobile screenshots repeat them). A
	 * browser without JavaScript cannot run axe-core; the same pages are checked by the tests that have it.
	 */
	public static Path screenshot(ChromeDriver chrome, String name) {
		if (!VARIANT.matcher(name).matches()) {
			return everyVariant(chrome, name);
		}
		if (!name.endsWith("-mobile") && !WITHOUT_SCRIPT.contains(chrome)) {
			assertAccessible(chrome, name);
		}
		try {
			Files.createDirectories(SCREENSHOTS);
			Path file = SCREENSHOTS.resolve(name + ".png");
			Files.write(file, chrome.getScreenshotAs(OutputType.BYTES));
			return file;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A screenshot name that already says its colour scheme and width. */
	private static final java.util.regex.Pattern VARIANT = java.util.regex.Pattern
		.compile(".*-(light|dark)-(desktop|mobile)");

	/**
	 * The current page in light and dark, at desktop and mobile width ({@code <name>-light-desktop.png}, …), each
	 * checked as {@link #screenshot} does; the window's size and colour scheme are restored afterwards.
	 */
	private static Path everyVariant(ChromeDriver chrome, String name) {
		Dimension size = chrome.manage().window().getSize();
		Path first = null;
		try {
			for (String scheme : new String[] { "light", "dark" }) {
				colorScheme(chrome, scheme);
				for (boolean mobile : new boolean[] { false, true }) {
					chrome.manage().window().setSize(mobile ? MOBILE : DESKTOP);
					Path file = screenshot(chrome, name + "-" + scheme + (mobile ? "-mobile" : "-desktop"));
					first = first == null ? file : first;
				}
			}
		}
		finally {
			chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
			chrome.manage().window().setSize(size);
		}
		return first;
	}

	/**
	 * The page has no serious or critical violation of WCAG 2.2 A and AA rules as Deque's axe-core finds them in the
	 * real browser (its script is injected by WebDriver, so the pages' CSP and a disabled JavaScript do not stop it).
	 */
	public static void assertAccessible(ChromeDriver chrome, String page) {
		Results results = new AxeBuilder().setTimeout(120)
			.withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"))
			.analyze(chrome);
		assertThat(results.isErrored()).as("axe-core ran on " + page + ": " + results.getErrorMessage()).isFalse();
		List<String> violations = results.getViolations()
			.stream()
			.filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact()))
			.map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
					+ rule.getNodes().stream().map(node -> String.valueOf(node.getTarget())).toList())
			.toList();
		assertThat(violations).as("serious or critical accessibility violations on " + page).isEmpty();
	}

	private static String executable(String name, String debianPath) {
		for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, name))) {
				return Path.of(entry, name).toString();
			}
		}
		if (Files.isExecutable(Path.of(debianPath))) {
			return debianPath;
		}
		if (System.getenv("CI") != null) {
			fail(name + " is not installed, but CI requires the browser tests to run (.ci/run installs chromium and "
					+ "chromium-driver with apt-get)");
		}
		System.err.println("NOTICE: browser tests skipped; install chromium and chromium-driver (Debian: apt-get "
				+ "install chromium chromium-driver) to run them.");
		Assumptions.abort("chromium or chromium-driver not installed");
		return null;
	}
}
