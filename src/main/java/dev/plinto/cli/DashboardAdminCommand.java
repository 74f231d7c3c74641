package dev.plinto.cli;

import dev.plinto.admin.DashboardRole;
import dev.plinto.admin.DashboardRoles;
import dev.plinto.web.ClientInfo;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plinto admin grant|revoke}: who may enter the admin dashboard (docs/admin.md). A thin shell over
 * {@link DashboardRoles}, which audits each change ({@code admin.role_granted}, {@code admin.role_revoked}) with
 * {@code cli} as the actor; an unknown email prints a sentence and exits 1.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
		description = "Give or take the admin dashboard's instance roles (admin, support, owner).",
		subcommands = { DashboardAdminCommand.Grant.class, DashboardAdminCommand.Revoke.class, HelpCommand.class })
final class DashboardAdminCommand {

	private static DashboardRoles roles(ConfigurableApplicationContext context) {
		return DashboardRoles.of(context.getBean(DataSource.class), context.getBean(PlatformTransactionManager.class));
	}

	@Command(name = "grant", mixinStandardHelpOptions = true,
			description = "Give the account of EMAIL an instance role (default admin). It must set up a second "
					+ "factor before its first dashboard page.")
	static final class Grant implements Callable<Integer> {

		@Parameters(paramLabel = "EMAIL", description = "The account's email address.")
		String email;

		@Option(names = "--role", paramLabel = "ROLE", defaultValue = "admin",
				description = "admin (everything), support (read-only) or owner (everything). Default: ${DEFAULT-VALUE}.")
		String role;

		@Override
		public Integer call() {
			Optional<DashboardRole> r = DashboardRole.of(role);
			if (r.isEmpty()) {
				System.err.println("--role must be admin, support or owner.");
				return 1;
			}
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				Optional<DashboardRoles.Change> change = roles(context).grant(email, r.get(), "cli", ClientInfo.none());
				if (change.isEmpty()) {
					System.err.println("No account has the email " + email + ".");
					return 1;
				}
				System.out.println(change.get().email() + " now has the instance role " + r.get().wireName()
						+ change.get().before().map(b -> " (was " + b.wireName() + ")").orElse("") + ".");
				return 0;
			}
		}
	}

	@Command(name = "revoke", mixinStandardHelpOptions = true,
			description = "Take the instance role from the account of EMAIL: its next dashboard page is refused.")
	static final class Revoke implements Callable<Integer> {

		@Parameters(paramLabel = "EMAIL", description = "The account's email address.")
		String email;

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				Optional<DashboardRoles.Change> change = roles(context).revoke(email, "cli", ClientInfo.none());
				if (change.isEmpty()) {
					System.err.println("No account has the email " + email + ".");
					return 1;
				}
				System.out.println(change.get().before().isEmpty() ? change.get().email() + " had no instance role."
						: change.get().email() + " no longer has the instance role "
								+ change.get().before().get().wireName() + ".");
				return 0;
			}
		}
	}
}
