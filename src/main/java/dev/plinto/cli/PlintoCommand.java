package dev.plinto.cli;

import dev.plinto.backup.BackupCommands;
import dev.plinto.capacity.CapacityCommand;
import dev.plinto.config.LiveSettings;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import dev.plinto.platform.BuildInfo;
import dev.plinto.platform.ToolSupport;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.SpringProperties;
import org.springframework.core.env.MapPropertySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine;

/**
 * The root of the command line of {@code java -jar plinto.jar}: it lists the commands (each in its own class, the
 * backup and capacity commands in their features), starts {@code serve} when none is given, builds the Spring
 * context the tools share, and turns a failure into one sentence. Configuration always comes from the
 * {@code PLINTO_*} environment variables; a bad value ends the command with one sentence per problem and exit
 * code 2, never a stack trace.
 */
@Command(name = "plinto", mixinStandardHelpOptions = true, versionProvider = PlintoCommand.Version.class,
		description = "Self-hosted authentication server. Without a command, starts the server.",
		subcommands = { ServeCommand.class, MigrateCommand.class, KeysCommand.class, ConfigCommand.class,
				MasterKeyCommand.class, BackupCommands.Backup.class, BackupCommands.Restore.class,
				CapacityCommand.class, ImportCommand.class, ExportCommand.class, WebhooksCommand.class,
				ClientsCommand.class, ApiKeysCommand.class, OrganizationsCommand.class, DashboardAdminCommand.class, HelpCommand.class })
public final class PlintoCommand implements Callable<Integer> {

	static final int CONFIG_ERROR = 2;

	private static volatile boolean serving;

	/**
	 * Set while the build's {@code process-aot} step runs {@code serve}: Spring Boot ends that run with this
	 * exception once it has the bean definitions, and it must reach Spring's AOT processor unchanged.
	 */
	private static volatile SpringApplication.AbandonedRunException aotProcessing;

	/** The Spring Boot application class (in {@code dev.plinto}), which hands itself to the command line. */
	private static volatile Class<?> application;

	static Class<?> application() {
		if (application == null) {
			throw new IllegalStateException("the command line runs from the application's main method");
		}
		return application;
	}

	/** Marks the server as started: its threads keep the JVM alive, so {@link #main} does not exit. */
	static void serving() {
		serving = true;
	}

	/**
	 * Runs the command line for the given Spring Boot application class: the class's own {@code main} calls this,
	 * so that the commands start its context without depending on the package above them.
	 */
	public static void main(Class<?> applicationClass, String[] args) {
		application = applicationClass;
		int code;
		if (args.length == 0) {
			// serve, the default, needs no command-line model: building picocli's takes about 0.3 s of a start on
			// one CPU, as its classes predate Java 6 and the JDK's AOT cache cannot hold them.
			PrintWriter err = new PrintWriter(System.err, true);
			try {
				code = new ServeCommand().call();
			}
			catch (Exception e) {
				code = failed(e, err);
			}
		}
		else {
			CommandLine cli = new CommandLine(new PlintoCommand());
			cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
			code = cli.execute(args);
		}
		if (aotProcessing != null) {
			throw aotProcessing;
		}
		if (code != 0 || !serving) {
			System.exit(code);
		}
	}

	/** The exit code of a command that threw, after reporting it in one sentence (never a stack trace). */
	private static int failed(Exception e, PrintWriter err) {
		if (e instanceof SpringApplication.AbandonedRunException abandoned) {
			aotProcessing = abandoned;
			return 0;
		}
		report(err, e);
		return e instanceof SettingsException || rootCause(e) instanceof SettingsException ? CONFIG_ERROR : 1;
	}

	@Override
	public Integer call() {
		return new ServeCommand().call();
	}


	/** Spring Boot properties derived from the settings, for {@code serve}. */
	static Map<String, Object> springProperties(PlintoSettings settings) {
		Map<String, Object> p = new HashMap<>();
		p.put("server.port", settings.port());
		if (settings.logFormat() == PlintoSettings.LogFormat.JSON) {
			p.put("logging.structured.format.console", "ecs");
		}
		if (Runtime.version().feature() >= 21) {
			p.put("spring.threads.virtual.enabled", "true");
		}
		// Start-up failures are reported as one sentence by this command, not as a stack trace.
		p.put("logging.level.org.springframework.boot.SpringApplication", "off");
		p.put("logging.level.org.springframework.boot.diagnostics", "off");
		return p;
	}

	static ConfigurableApplicationContext context() {
		// The build's AOT processing covers the server's context only; the tools' smaller context is always
		// built at run time, even when the launcher switched the AOT mode on for the JVM.
		SpringProperties.setProperty("spring.aot.enabled", "false");
		// Settings problems are reported, one sentence each, before anything is built.
		PlintoSettings.fromEnvironment();
		ToolSupport.quietLogs();
		// A plain Spring context, not a Spring Boot application: a tool needs neither Boot's configuration files,
		// logging set-up and start-up listeners nor its background warm-up of the web stack, which on one or two
		// CPUs took longer than the tool's own work. Every bean is lazy: a command creates only what it asks for.
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		// Background jobs run in the server only.
		context.getEnvironment()
			.getPropertySources()
			.addLast(new MapPropertySource("plinto-tool", Map.of("plinto.scheduling.enabled", "false")));
		// Its "cancelling refresh attempt" warning would repeat the failure the command reports in one sentence.
		LoggingSystem.get(PlintoCommand.class.getClassLoader())
			.setLogLevel(AnnotationConfigApplicationContext.class.getName(), LogLevel.ERROR);
		context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor());
		context.register(ToolContext.class);
		// The environment's settings, not the overrides stored at run time (docs/admin.md, "Settings at run time"):
		// those are the server's policy for requests, none of the commands applies them, and a command may run
		// before the database has their table (it is migrated once the context is up, below).
		context.registerBean(LiveSettings.class, () -> LiveSettings.fixed(context.getBean(PlintoSettings.class)));
		context.refresh();
		try {
			ToolSchema.migrateIfBehind(context.getBean(DataSource.class));
		}
		catch (RuntimeException e) {
			context.close();
			throw e;
		}
		return context;
	}

	static void report(PrintWriter err, Throwable e) {
		Throwable root = rootCause(e);
		if (root instanceof SettingsException settings) {
			settings.problems().forEach(err::println);
		}
		else {
			err.println(ToolSupport.databaseInUse(e).orElseGet(() -> "Plinto could not start: " + oneLine(root) + "."));
		}
		err.flush();
	}

	static Throwable rootCause(Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t && !(t instanceof SettingsException)) {
			t = t.getCause();
		}
		return t;
	}

	static String oneLine(Throwable t) {
		String message = t.getMessage() == null ? t.getClass().getSimpleName()
				: t.getClass().getSimpleName() + ": " + t.getMessage();
		return message.replaceAll("\\s+", " ").trim();
	}

	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			return new String[] { "Plinto " + BuildInfo.version() };
		}
	}

}
