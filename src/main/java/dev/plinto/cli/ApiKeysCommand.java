package dev.plinto.cli;

import dev.plinto.admin.ApiKey;
import dev.plinto.admin.ApiKeyScope;
import dev.plinto.admin.ApiKeys;
import dev.plinto.web.ApiException;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plinto api-keys …}: the secret API keys of the Backend API (docs/admin.md). Each sub-command is a thin shell
 * over {@link ApiKeys}, like the admin dashboard; a key's secret is printed once, by {@code create} and
 * {@code rotate}, and never again. A refused request prints the service's sentence and exits 1.
 */
@Command(name = "api-keys", mixinStandardHelpOptions = true,
		description = "Manage the secret API keys of the Backend API: create, list, rotate, revoke.",
		subcommands = { ApiKeysCommand.Create.class, ApiKeysCommand.ListKeys.class, ApiKeysCommand.Rotate.class,
				ApiKeysCommand.Revoke.class, HelpCommand.class })
final class ApiKeysCommand {

	/** Who created a key from the command line, as lists show it. */
	static final String CREATED_BY = "cli";

	private static int withKeys(Function<ApiKeys, Integer> action) {
		try (ConfigurableApplicationContext context = PlintoCommand.context()) {
			try {
				return action.apply(context.getBean(ApiKeys.class));
			}
			catch (ApiException e) {
				System.err.println(e.getMessage());
				return 1;
			}
		}
	}

	private static void printSecret(ApiKeys.WithSecret created) {
		ApiKey key = created.key();
		System.out.println(key.id() + "  " + key.name() + "  scopes: " + String.join(" ", key.scopes())
				+ (key.expiresAt() == null ? "" : "  expires: " + KeysCommand.seconds(key.expiresAt())));
		System.out.println("API key (shown only this once; store it in your backend's secrets): " + created.secret());
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Create a key and print its secret once.")
	static final class Create implements Callable<Integer> {

		@Option(names = "--name", required = true, description = "What the key is for, e.g. billing-backend.")
		String name;

		@Option(names = "--scope", required = true, paramLabel = "SCOPE",
				description = "A scope the key holds; repeat for more. One of: ${COMPLETION-CANDIDATES}.",
				converter = ScopeConverter.class, completionCandidates = Scopes.class)
		List<String> scopes;

		@Option(names = "--expires-in", paramLabel = "DURATION", converter = ClientsCommand.DurationConverter.class,
				description = "How long the key lives, e.g. 90d (default: until revoked).")
		Duration expiresIn;

		@Override
		public Integer call() {
			return withKeys(keys -> {
				printSecret(keys.create(name, scopes, expiresIn, CREATED_BY, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "List keys, newest first: id, name, start of the key, status, scopes, last use, expiry.")
	static final class ListKeys implements Callable<Integer> {

		@Override
		public Integer call() {
			return withKeys(keys -> {
				Instant now = Clock.systemUTC().instant();
				List<List<String>> rows = new ArrayList<>();
				rows.add(List.of("ID", "NAME", "KEY", "STATUS", "SCOPES", "LAST USED", "EXPIRES"));
				for (ApiKey key : keys.list()) {
					rows.add(List.of(key.id(), key.name(), key.prefix() + "...", key.status(now),
							String.join(",", key.scopes()),
							key.lastUsedAt() == null ? "never" : KeysCommand.seconds(key.lastUsedAt()),
							key.expiresAt() == null ? "never" : KeysCommand.seconds(key.expiresAt())));
				}
				KeysCommand.table(rows).forEach(System.out::println);
				return 0;
			});
		}
	}

	@Command(name = "rotate", mixinStandardHelpOptions = true,
			description = "Give a key a new secret and print it once; the old secret stops working at once.")
	static final class Rotate implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The key, as `api-keys list` shows it.")
		String id;

		@Override
		public Integer call() {
			return withKeys(keys -> {
				printSecret(keys.rotate(id, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "revoke", mixinStandardHelpOptions = true,
			description = "Revoke a key; every node refuses it from the next request on.")
	static final class Revoke implements Callable<Integer> {

		@Parameters(paramLabel = "ID", description = "The key, as `api-keys list` shows it.")
		String id;

		@Override
		public Integer call() {
			return withKeys(keys -> {
				ApiKey key = keys.revoke(id, ClientInfo.none());
				System.out.println("Revoked " + key.id() + " (" + key.name() + ").");
				return 0;
			});
		}
	}

	/** A scope by name, refused with the list of scopes when unknown. */
	static final class ScopeConverter implements picocli.CommandLine.ITypeConverter<String> {

		@Override
		public String convert(String value) {
			return ApiKeyScope.of(value)
				.map(ApiKeyScope::wireName)
				.orElseThrow(() -> new picocli.CommandLine.TypeConversionException("'" + value
						+ "' is not a scope; use one of " + String.join(", ", new Scopes())));
		}
	}

	static final class Scopes extends ArrayList<String> {

		Scopes() {
			super(Arrays.stream(ApiKeyScope.values()).map(ApiKeyScope::wireName).toList());
		}
	}
}
