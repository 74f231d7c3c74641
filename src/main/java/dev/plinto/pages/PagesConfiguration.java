package dev.plinto.pages;

import dev.plinto.config.PlintoSettings;
import gg.jte.CodeResolver;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.resolve.DirectoryCodeResolver;
import gg.jte.resolve.ResourceCodeResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;

/**
 * The jte template engine of the pages (the jte Spring Boot starter's view resolver renders through it).
 * <p>
 * By default it uses the templates compiled at build time by {@code jte-maven-plugin}: nothing is parsed or compiled
 * at start or at request time. With {@code PLINTO_TEMPLATES_DIR}, templates are resolved file by file from that
 * directory first and from the shipped sources ({@code dev/plinto/pages/templates} in the jar) otherwise, and
 * compiled at start into a temporary directory, so a broken override stops the start with jte's message instead of
 * failing a user's request. Compiling needs a JDK ({@code javac}); on a JRE the start says so.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration {

	/** Where the template sources are inside the jar, for overrides to fall back to. */
	static final String SHIPPED = "dev/plinto/pages/templates";

	private static final Logger log = LoggerFactory.getLogger(PagesConfiguration.class);

	@Bean
	TemplateEngine templateEngine(PlintoSettings settings) {
		Path dir = settings.pages().templatesDir().orElse(null);
		if (dir == null) {
			return TemplateEngine.createPrecompiled(ContentType.Html);
		}
		if (ToolProvider.getSystemJavaCompiler() == null) {
			throw new IllegalStateException("PLINTO_TEMPLATES_DIR is set, but this Java runtime has no compiler: "
					+ "overriding templates are compiled at start and need a JDK (not a JRE).");
		}
		ClassLoader loader = PagesConfiguration.class.getClassLoader();
		CodeResolver overrides = new DirectoryCodeResolver(dir);
		CodeResolver shipped = new ResourceCodeResolver(SHIPPED, loader);
		CodeResolver layered = new CodeResolver() {
			@Override
			public String resolve(String name) {
				String own = overrides.resolve(name);
				return own != null ? own : shipped.resolve(name);
			}

			@Override
			public long getLastModified(String name) {
				return 0;
			}
		};
		Path classes;
		try {
			classes = Files.createTempDirectory("plinto-templates");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		TemplateEngine engine = TemplateEngine.create(layered, classes, ContentType.Html, loader);
		engine.setClassPath(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
		List<String> names = templates(dir);
		// Compiling an override also compiles the shipped templates it calls; the rest compile on first use.
		names.forEach(engine::prepareForRendering);
		log.info("Hosted pages: {} template(s) overridden from {}: {}", names.size(), dir, names);
		return engine;
	}

	/**
	 * The language of every request, for what is written below the controllers (the mails: {@code MailTemplates}):
	 * the pages' choice ({@code ?lang=}, the switcher's cookie) or {@code Accept-Language}, among the languages Plinto
	 * has, else English. Spring MVC puts it into {@code LocaleContextHolder} for the request.
	 */
	@Bean
	LocaleResolver localeResolver(PageContexts contexts) {
		return new LocaleResolver() {
			@Override
			public Locale resolveLocale(HttpServletRequest request) {
				return Locale.forLanguageTag(contexts.language(request));
			}

			@Override
			public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
				throw new UnsupportedOperationException("the language is chosen with ?lang= on a page");
			}
		};
	}

	private static List<String> templates(Path dir) {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(f -> f.toString().endsWith(".jte"))
				.map(f -> dir.relativize(f).toString().replace(File.separatorChar, '/'))
				.sorted()
				.toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException("PLINTO_TEMPLATES_DIR could not be read: " + dir, e);
		}
	}
}
