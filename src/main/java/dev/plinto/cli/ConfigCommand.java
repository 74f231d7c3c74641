package dev.plinto.cli;

import dev.plinto.config.PlintoSettings;
import dev.plinto.config.SettingsException;
import dev.plinto.platform.InfrastructureConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code plinto config check}: validates the settings and reaches each configured dependency. */
@Command(name = "config", description = "Inspect the configuration.", mixinStandardHelpOptions = true,
		subcommands = { ConfigCommand.Check.class, HelpCommand.class })
final class ConfigCommand {

	@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate every PLINTO_* variable and the connection to the database, "
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
					+ PlintoCommand.oneLine(PlintoCommand.rootCause(e)) + ").");
		}
		settings.redisUrl().ifPresent(uri -> {
			RedisClient client = RedisClient.create(uri.toString());
			try (StatefulRedisConnection<String, String> c = client.connect()) {
				c.setTimeout(Duration.ofSeconds(5));
				c.sync().ping();
			}
			catch (Exception e) {
				problems.add("PLINTO_REDIS_URL: cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + " ("
						+ PlintoCommand.oneLine(PlintoCommand.rootCause(e)) + ").");
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
				problems.add("PLINTO_SMTP_URL: cannot connect and log in to " + smtp + " (" + PlintoCommand.oneLine(PlintoCommand.rootCause(e))
						+ ").");
			}
		});
		return problems;
	}
}
