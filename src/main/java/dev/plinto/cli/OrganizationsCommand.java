package dev.plinto.cli;

import dev.plinto.org.OrganizationDomain;
import dev.plinto.org.OrganizationDomains;
import dev.plinto.web.ApiException;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code plinto organizations …}: what the instance operator does for organizations that their admins cannot do
 * themselves. Today: verifying an organization's email domain without DNS (docs/federation.md, "Domains"), audited
 * with the actor {@code cli}.
 */
@Command(name = "organizations", mixinStandardHelpOptions = true,
		description = "Operator tasks for organizations: verify an email domain without DNS.",
		subcommands = { OrganizationsCommand.Domains.class, HelpCommand.class })
final class OrganizationsCommand {

	@Command(name = "domains", mixinStandardHelpOptions = true,
			description = "Organizations' email domains.",
			subcommands = { OrganizationsCommand.Verify.class, HelpCommand.class })
	static final class Domains {
	}

	@Command(name = "verify", mixinStandardHelpOptions = true,
			description = "Verify an email domain for an organization without a DNS TXT record (claims it first if the "
					+ "organization has not). Use it when you know the organization owns the domain; a domain another "
					+ "organization holds verified stays theirs.")
	static final class Verify implements Callable<Integer> {

		@Parameters(index = "0", paramLabel = "ORGANIZATION_ID", description = "The organization, e.g. org_…")
		String organizationId;

		@Parameters(index = "1", paramLabel = "DOMAIN", description = "The email domain, e.g. acme.com.")
		String domain;

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				try {
					OrganizationDomain d = context.getBean(OrganizationDomains.class)
						.verifyByOperator(organizationId, domain);
					System.out.println("Verified " + d.domain() + " for organization " + d.organizationId()
							+ " (verified by " + d.verifiedBy() + " at " + KeysCommand.seconds(d.verifiedAt()) + ").");
					return 0;
				}
				catch (ApiException e) {
					System.err.println(e.getMessage());
					return 1;
				}
			}
		}
	}
}
