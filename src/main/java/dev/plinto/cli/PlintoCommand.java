package dev.plinto.cli;

import dev.plinto.platform.BuildInfo;
import dev.plinto.backup.BackupCommands;
import dev.plinto.capacity.CapacityCommand;
import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import dev.plinto.platform.InfrastructureConfiguration;
import dev.plinto.PlintoApplication;
import dev.plinto.token.SigningKey;
import dev.plinto.token.SigningKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.aot.AotDetector;
import org.springframework.core.SpringProperties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@code java -jar plinto.jar}: {@code serve} (the default), {@code migrate},
 * {@code keys list}, {@code keys rotate}, {@code master-key …}, {@code backup}, {@code restore}, {@code capacity} and
 * {@code config check}. Configuration always comes from the
 * {@code PLINTO_*} environment variables; a bad value ends the command with one sentence per problem and exit
 * code 2, never a stack trace.
 */
@Command(name = "plinto", mixinStandardHelpOptions = true, versionProvider = PlintoCommand.Version.class,
		description = "Self-hosted authentication server. Without a command, starts the server.",
		subcommands = { PlintoCommand.Serve.class, PlintoCommand.Migrate.class, PlintoCommand.Keys.class,
				PlintoCommand.ConfigCommand.class, BackupCommands.Backup.class, BackupCommands.Restore.class,
				CapacityCommand.class, MasterKeyCommand.class })
public final class PlintoCommand implements Callable<Integer> {

	static final int CONFIG_ERROR = 2;

	private static volatile boolean serving;

	/**
	 * Set while the build's {@code process-aot} step runs {@code serve}: Spring Boot ends that run with this
	 * exception once it has the bean definitions, and it must reach Spring's AOT processor unchanged.
	 */
	private static volatile SpringApplication.AbandonedRunException aotProcessing;

	public static void main(String[] args) {
		int code;
		if (args.length == 0) {
			// serve, the default, needs no command-line model: building picocli's takes about 0.3 s of a start on
			// one CPU, as its classes predate Java 6 and the JDK's AOT cache cannot hold them.
			PrintWriter err = new PrintWriter(System.err, true);
			try {
				code = new Serve().call();
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
		return new Serve().call();
	}

	/** Starts the HTTP server; returns once it is ready, the server's threads keep the JVM alive. */
	@Command(name = "serve", description = "Start the server (the default command).")
	static final class Serve implements Callable<Integer> {

		@Override
		public Integer call() {
			PlintoSettings settings = PlintoSettings.fromEnvironment();
			checkAotMode();
			SpringApplication app = new SpringApplication(PlintoApplication.class);
			// The build generates the AOT initializer (used with -Dspring.aot.enabled=true) under this name.
			app.setMainApplicationClass(PlintoApplication.class);
			app.setDefaultProperties(springProperties(settings, true));
			app.run();
			serving = true;
			return 0;
		}
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


	@Command(name = "migrate", description = "Apply pending database migrations, then exit.")
	static final class Migrate implements Callable<Integer> {

		@Override
		public Integer call() {
			PlintoSettings settings = PlintoSettings.fromEnvironment();
			try (var dataSource = new com.zaxxer.hikari.HikariDataSource(InfrastructureConfiguration.hikari(settings))) {
				var result = Flyway.configure().dataSource(dataSource).load().migrate();
				System.out.println("Applied " + result.migrationsExecuted + " migration(s) to "
						+ settings.database().description() + "; schema version is now "
						+ (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion)
						+ ".");
			}
			return 0;
		}
	}

	@Command(name = "keys", description = "Manage signing keys.",
			subcommands = { Keys.ListKeys.class, Keys.Rotate.class, Keys.Withdraw.class })
	static final class Keys {

		@Command(name = "list", description = "List signing keys: kid, algorithm, state and dates.")
		static final class ListKeys implements Callable<Integer> {

			@Override
			public Integer call() {
				try (ConfigurableApplicationContext context = context()) {
					SigningKeys keys = context.getBean(SigningKeys.class);
					SigningKey active = keys.active();
					List<String> published = keys.published().stream().map(SigningKey::kid).toList();
					Instant now = context.getBean(java.time.Clock.class).instant();
					System.out.printf("%-32s %-6s %-9s %-25s %s%n", "KID", "ALG", "STATE", "CREATED", "SIGNS FROM");
					for (SigningKey k : keys.all()) {
						String state = k.kid().equals(active.kid()) ? "active"
								: k.activatesAt().isAfter(now) ? "next" : published.contains(k.kid()) ? "retiring"
										: "retired";
						System.out.printf("%-32s %-6s %-9s %-25s %s%n", k.kid(), k.algorithm(), state, k.createdAt(),
								k.activatesAt());
					}
				}
				return 0;
			}
		}

		@Command(name = "rotate", description = "Create the next signing key. It is published at once and signs "
				+ "after PLINTO_KEY_ACTIVATION_DELAY, unless --now.")
		static final class Rotate implements Callable<Integer> {

			@Option(names = "--now", description = "Sign with the new key immediately (for a compromised key); "
					+ "relying parties with a cached JWKS reject new tokens until they refetch it.")
			boolean now;

			@Override
			public Integer call() {
				try (ConfigurableApplicationContext context = context()) {
					SigningKey key = context.getBean(SigningKeys.class).rotate(now);
					System.out.println("Created signing key " + key.kid() + " (" + key.algorithm()
							+ "); published now, signs from " + key.activatesAt() + ".");
				}
				return 0;
			}
		}

		@Command(name = "withdraw", description = "Withdraw a compromised key at once: it leaves the JWKS and tokens "
				+ "it signed are refused. If it signs now, a new key replaces it first and signs at once.")
		static final class Withdraw implements Callable<Integer> {

			@Parameters(paramLabel = "KID", description = "The kid of the key, as `keys list` shows it.")
			String kid;

			@Override
			public Integer call() {
				try (ConfigurableApplicationContext context = context()) {
					SigningKeys.Withdrawal done;
					try {
						done = context.getBean(SigningKeys.class).withdraw(kid);
					}
					catch (IllegalArgumentException e) {
						System.err.println(e.getMessage());
						return 1;
					}
					System.out.println("Withdrew signing key " + done.withdrawn().kid() + ": it is no longer published "
							+ "and tokens it signed are refused (running nodes within 30 s).");
					if (done.replacement() != null) {
						System.out.println("Created signing key " + done.replacement().kid() + " ("
								+ done.replacement().algorithm() + "), which signs from now.");
					}
					System.out.println("Relying parties that cache the JWKS keep trusting the key until they refetch "
							+ "it; tell them to refetch now.");
				}
				return 0;
			}
		}
	}

	@Command(name = "config", description = "Inspect the configuration.", subcommands = ConfigCommand.Check.class)
	static final class ConfigCommand {

		@Command(name = "check", description = "Validate every PLINTO_* variable and the connection to the database, "
				+ "Redis and SMTP; exit 0 when all is well, 1 otherwise.")
		static final class Check implements Callable<Integer> {

			@Override
			public Integer call() {
				PlintoSettings settings;
				try {
					settings = PlintoSettings.fromEnvironment();
				}
				catch (SettingsException e) {
					e.problems().forEach(System.out::println);
					return 1;
				}
				List<String> problems = new ArrayList<>(checkConnections(settings));
				if (problems.isEmpty()) {
					System.out.println("Configuration is valid. Storage: " + settings.database().description()
							+ "; rate limits: " + (settings.redisUrl().isPresent() ? "Redis" : "in-process")
							+ "; mail: " + settings.smtp().map(Object::toString).orElse("log only") + ".");
					return 0;
				}
				problems.forEach(System.out::println);
				return 1;
			}
		}
	}

	/** Connectivity checks of {@code config check}: one sentence per dependency that cannot be reached. */
	static List<String> checkConnections(PlintoSettings settings) {
		List<String> problems = new ArrayList<>();
		PlintoSettings.Database db = settings.database();
		Properties props = new Properties();
		props.setProperty("user", db.username());
		props.setProperty("password", db.password());
		props.setProperty("connectTimeout", "5");
		DriverManager.setLoginTimeout(5);
		try (Connection c = DriverManager.getConnection(db.jdbcUrl(), props)) {
			if (!c.isValid(5)) {
				problems.add("PLINTO_DATABASE_URL: the database " + db.description() + " does not answer.");
			}
		}
		catch (Exception e) {
			problems.add("PLINTO_DATABASE_URL: cannot connect to " + db.description() + " ("
					+ oneLine(rootCause(e)) + ").");
		}
		settings.redisUrl().ifPresent(uri -> {
			RedisClient client = RedisClient.create(uri.toString());
			try (StatefulRedisConnection<String, String> c = client.connect()) {
				c.setTimeout(Duration.ofSeconds(5));
				c.sync().ping();
			}
			catch (Exception e) {
				problems.add("PLINTO_REDIS_URL: cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + " ("
						+ oneLine(rootCause(e)) + ").");
			}
			finally {
				client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			}
		});
		settings.smtp().ifPresent(smtp -> {
			try {
				InfrastructureConfiguration.smtpSender(smtp).testConnection();
			}
			catch (Exception e) {
				problems.add("PLINTO_SMTP_URL: cannot connect and log in to " + smtp + " (" + oneLine(rootCause(e))
						+ ").");
			}
		});
		return problems;
	}

	/** Spring properties derived from the settings (for {@code serve} and the command-line contexts). */
	static Map<String, Object> springProperties(PlintoSettings settings, boolean web) {
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
		if (!web) {
			p.put("plinto.scheduling.enabled", "false");
			p.put("logging.level.root", "warn");
			// Its "cancelling refresh attempt" warning repeats the failure the command reports in one sentence.
			p.put("logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext", "error");
		}
		return p;
	}

	static ConfigurableApplicationContext context() {
		// The build's AOT processing covers the server's context only; the tools' smaller context is always
		// built at run time, even when the launcher switched the AOT mode on for the JVM.
		SpringProperties.setProperty("spring.aot.enabled", "false");
		PlintoSettings settings = PlintoSettings.fromEnvironment();
		SpringApplication app = new SpringApplication(PlintoApplication.class);
		app.setWebApplicationType(WebApplicationType.NONE);
		app.setDefaultProperties(springProperties(settings, false));
		return app.run();
	}

	static void report(PrintWriter err, Throwable e) {
		Throwable root = rootCause(e);
		Matcher locked = root.getMessage() == null ? null : H2_LOCKED.matcher(root.getMessage());
		if (root instanceof SettingsException settings) {
			settings.problems().forEach(err::println);
		}
		else if (locked != null && locked.find()) {
			err.println("The embedded database " + locked.group(1) + " is in use by another process, most likely a "
					+ "running Plinto server: stop it first (on embedded storage one process at a time may open the "
					+ "database), or use PostgreSQL.");
		}
		else {
			err.println("Plinto could not start: " + oneLine(root) + ".");
		}
		err.flush();
	}

	/** H2's message when another process holds the database file (MVStore's file lock). */
	private static final Pattern H2_LOCKED = Pattern.compile("The file is locked: (\\S+)");

	static Throwable rootCause(Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t && !(t instanceof SettingsException)) {
			t = t.getCause();
		}
		return t;
	}

	private static String oneLine(Throwable t) {
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
