package dev.plinto.cli;

import dev.plinto.config.PlintoSettings;
import dev.plinto.platform.InfrastructureConfiguration;
import dev.plinto.platform.ToolSupport;
import java.util.concurrent.Callable;
import org.flywaydb.core.Flyway;
import picocli.CommandLine.Command;

/** {@code plinto migrate}: applies the Flyway migrations and exits, for deployments that migrate before start. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations, then exit.")
final class MigrateCommand implements Callable<Integer> {

	@Override
	public Integer call() {
		PlintoSettings settings = PlintoSettings.fromEnvironment();
		ToolSupport.quietLogs();
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
