package dev.plinto.cli;

import dev.plinto.token.SigningKey;
import dev.plinto.token.SigningKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plinto keys list|rotate|withdraw}: the signing keys (docs/operations.md, "Command line"). */
@Command(name = "keys", description = "Manage signing keys.", mixinStandardHelpOptions = true,
		subcommands = { KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Withdraw.class,
				HelpCommand.class })
final class KeysCommand {

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List signing keys: kid, algorithm, state and dates.")
	static final class ListKeys implements Callable<Integer> {

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				SigningKeys keys = context.getBean(SigningKeys.class);
				List<List<String>> rows = new ArrayList<>();
				rows.add(List.of("KID", "ALG", "STATE", "CREATED", "SIGNS FROM"));
				for (SigningKey k : keys.all()) {
					String state = keys.state(k).wireName();
					rows.add(List.of(k.kid(), String.valueOf(k.algorithm()), state, seconds(k.createdAt()),
							seconds(k.activatesAt())));
				}
				table(rows).forEach(System.out::println);
			}
			return 0;
		}
	}

	/** An instant to the second, as {@code 2026-12-07T00:08:42Z}: the same width in every row. */
	static String seconds(Instant instant) {
		return instant.truncatedTo(ChronoUnit.SECONDS).toString();
	}

	/** Rows as lines of left-aligned columns, each as wide as its widest cell plus two spaces. */
	static List<String> table(List<List<String>> rows) {
		int[] widths = new int[rows.get(0).size()];
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		List<String> lines = new ArrayList<>();
		for (List<String> row : rows) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < row.size(); i++) {
				line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
			}
			lines.add(line.toString());
		}
		return lines;
	}

	@Command(name = "rotate", mixinStandardHelpOptions = true, description = "Create the next signing key. It is published at once and signs "
			+ "after PLINTO_KEY_ACTIVATION_DELAY, unless --now.")
	static final class Rotate implements Callable<Integer> {

		@Option(names = "--now", description = "Sign with the new key immediately (for a compromised key); "
				+ "relying parties with a cached JWKS reject new tokens until they refetch it.")
		boolean now;

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
				SigningKey key = context.getBean(SigningKeys.class).rotate(now);
				System.out.println("Created signing key " + key.kid() + " (" + key.algorithm()
						+ "); published now, signs from " + key.activatesAt() + ".");
			}
			return 0;
		}
	}

	@Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw a compromised key at once: it leaves the JWKS and tokens "
			+ "it signed are refused. If it signs now, a new key replaces it first and signs at once.")
	static final class Withdraw implements Callable<Integer> {

		@Parameters(paramLabel = "KID", description = "The kid of the key, as `keys list` shows it.")
		String kid;

		@Override
		public Integer call() {
			try (ConfigurableApplicationContext context = PlintoCommand.context()) {
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
