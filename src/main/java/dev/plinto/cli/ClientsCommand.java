package dev.plinto.cli;

import dev.plinto.oidc.OidcClients;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code plinto clients …}: the OpenID provider's registered clients (docs/oidc.md, "Clients"). Each sub-command is a
 * thin shell over {@link OidcClients}; a refused request prints the service's sentence and exits 1. A new secret is
 * printed once and exists nowhere else.
 */
@Command(name = "clients", mixinStandardHelpOptions = true,
		description = "Manage the OpenID provider's clients: create, list, show, update, rotate-secret, delete.",
		subcommands = { ClientsCommand.Create.class, ClientsCommand.ListClients.class, ClientsCommand.Show.class,
				ClientsCommand.Update.class, ClientsCommand.RotateSecret.class, ClientsCommand.Delete.class,
				HelpCommand.class })
final class ClientsCommand {

	/** Runs {@code action} with the service in the tools' context; a refused request prints its sentence. */
	private static int withClients(Function<OidcClients, Integer> action) {
		try (ConfigurableApplicationContext context = PlintoCommand.context()) {
			try {
				return action.apply(context.getBean(OidcClients.class));
			}
			catch (IllegalArgumentException e) {
				System.err.println(e.getMessage());
				return 1;
			}
		}
	}

	private static void print(OidcClients.Client c) {
		System.out.println(c.clientId() + "  " + c.type().name().toLowerCase(Locale.ROOT) + "  " + c.name());
		System.out.println("  grants: " + String.join(", ", c.grants()));
		System.out.println("  scopes: " + String.join(", ", c.scopes()));
		System.out.println("  redirect URIs: " + (c.redirectUris().isEmpty() ? "none" : String.join(", ",
				c.redirectUris())));
		System.out.println("  post-logout redirect URIs: " + (c.postLogoutRedirectUris().isEmpty() ? "none"
				: String.join(", ", c.postLogoutRedirectUris())));
		System.out.println("  authentication: " + c.authMethod() + (c.keys() == null ? ""
				: c.keys().jwksUri() != null ? " (keys from " + c.keys().jwksUri() + ")" : " (keys registered inline)"));
		System.out.println("  consent: " + (c.firstParty() ? "skipped (first-party)" : "asked"));
		System.out.println("  PKCE (S256): " + (c.requirePkce() ? "required" : "optional"));
		System.out.println("  token lifetimes: access " + c.accessTokenTtl().toSeconds() + " s, refresh "
				+ c.refreshTokenTtl().toSeconds() + " s");
		if (c.logoUri() != null) {
			System.out.println("  logo: " + c.logoUri());
		}
		System.out.println("  created: " + KeysCommand.seconds(c.createdAt()));
	}

	private static void printSessionOptions(OidcClients.SessionOptions options) {
		System.out.println("  back-channel logout: " + (options.backchannelLogoutUri() == null ? "none"
				: options.backchannelLogoutUri() + (options.backchannelLogoutSessionRequired() ? " (sid required)" : "")));
		System.out.println("  refresh tokens: " + (options.refreshWithoutOfflineAccess() ? "without offline_access too"
				: "with offline_access (OpenID Connect)"));
	}

	private static void printSecret(String secret) {
		System.out.println("Client secret (shown only this once; store it in the client's configuration): " + secret);
	}

	/** The options of {@code create} and {@code update}; in {@code update}, what is not given stays. */
	static class ClientOptions {

		@Option(names = "--name", description = "The name users see on the consent page.")
		String name;

		@Option(names = "--redirect-uri", paramLabel = "URI",
				description = "A redirect URI, compared exactly (repeat for several; in update: replaces them all).")
		List<String> redirectUris;

		@Option(names = "--post-logout-redirect-uri", paramLabel = "URI",
				description = "Where logout may return to (repeat for several; in update: replaces them all).")
		List<String> postLogoutRedirectUris;

		@Option(names = "--grants", split = ",", paramLabel = "GRANT",
				description = "authorization_code, refresh_token, client_credentials, device_code, token-exchange "
						+ "(default: authorization_code,refresh_token).")
		List<String> grants;

		@Option(names = "--scopes", split = ",", paramLabel = "SCOPE",
				description = "Allowed scopes (default with authorization_code or device_code: openid,profile,email).")
		List<String> scopes;

		@Option(names = "--first-party", negatable = true,
				description = "Skip the consent page: an app of the operator itself.")
		Boolean firstParty;

		@Option(names = "--pkce", negatable = true,
				description = "Require PKCE with S256 (default; always for public clients).")
		Boolean pkce;

		@Option(names = "--logo-uri", paramLabel = "URL", description = "An https logo for the consent page.")
		String logoUri;

		@Option(names = "--auth", paramLabel = "METHOD",
				description = "How a confidential client authenticates: client_secret (default; a secret is "
						+ "generated) or private_key_jwt (a JWT signed with its key; give --jwks-uri or --jwks-file).")
		String auth;

		@Option(names = "--jwks-uri", paramLabel = "URL",
				description = "With --auth private_key_jwt: where Plinto fetches the client's public keys (https).")
		String jwksUri;

		@Option(names = "--jwks-file", paramLabel = "FILE",
				description = "With --auth private_key_jwt: a file holding the client's public keys as a JWKS.")
		Path jwksFile;

		@Option(names = "--access-token-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
				description = "Access token lifetime, e.g. 5m (default 5m; 30s to 1d).")
		Duration accessTokenTtl;

		@Option(names = "--refresh-token-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
				description = "Refresh token lifetime, e.g. 30d (default 30d; 5m to 365d).")
		Duration refreshTokenTtl;

		@Option(names = "--backchannel-logout-uri", paramLabel = "URI",
				description = "Where a logout token is posted when a session the client got tokens in ends "
						+ "(https, or http on a loopback address; \"\" removes it).")
		String backchannelLogoutUri;

		@Option(names = "--backchannel-logout-session-required", negatable = true,
				description = "The client needs sid in logout tokens (Plinto always sends it).")
		Boolean backchannelLogoutSessionRequired;

		@Option(names = "--refresh-without-offline-access", negatable = true,
				description = "Issue refresh tokens to OpenID Connect sign-ins without the offline_access scope.")
		Boolean refreshWithoutOfflineAccess;

		/** The options as the service's changes: what is not given stays (update) or takes its default (create). */
		OidcClients.Changes changes(OidcClients.Client base) {
			return new OidcClients.Changes(name, redirectUris, postLogoutRedirectUris, set(grants), set(scopes),
					firstParty, pkce, logoUri, accessTokenTtl, refreshTokenTtl, keys(base), backchannelLogoutUri,
					backchannelLogoutSessionRequired, refreshWithoutOfflineAccess);
		}

		/** The keys of a private_key_jwt client as given; null to keep those registered, or for a secret. */
		private OidcClients.ClientKeys keys(OidcClients.Client base) {
			if (auth != null && !List.of("client_secret", "private_key_jwt").contains(auth)) {
				throw new IllegalArgumentException("--auth must be client_secret or private_key_jwt.");
			}
			boolean given = jwksUri != null || jwksFile != null;
			if ("client_secret".equals(auth)) {
				if (given) {
					throw new IllegalArgumentException("--jwks-uri and --jwks-file are for --auth private_key_jwt.");
				}
				if (base != null && base.keys() != null) {
					throw new IllegalArgumentException("Client " + base.clientId() + " authenticates with "
							+ "private_key_jwt; the way back to a secret is a new client.");
				}
				return null;
			}
			if (given) {
				if (auth == null && (base == null || base.keys() == null)) {
					throw new IllegalArgumentException("--jwks-uri and --jwks-file need --auth private_key_jwt.");
				}
				try {
					return new OidcClients.ClientKeys(jwksUri, jwksFile == null ? null : Files.readString(jwksFile));
				}
				catch (IOException e) {
					throw new IllegalArgumentException("Cannot read " + jwksFile + ": " + e.getMessage());
				}
			}
			if (base != null && base.keys() != null) {
				return null;
			}
			if ("private_key_jwt".equals(auth)) {
				throw new IllegalArgumentException("--auth private_key_jwt needs --jwks-uri URL or --jwks-file FILE.");
			}
			return null;
		}

		private static Set<String> set(List<String> values) {
			return values == null ? null : new LinkedHashSet<>(values);
		}
	}

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "Register a client and print its id (and, for a confidential client, its secret, once).")
	static final class Create extends ClientOptions implements Callable<Integer> {

		@Option(names = "--type", defaultValue = "confidential", paramLabel = "TYPE",
				description = "confidential (a server that keeps a secret) or public (a single-page or native app; "
						+ "PKCE, no secret). Default: ${DEFAULT-VALUE}.")
		String type;

		@Override
		public Integer call() {
			OidcClients.Type kind;
			try {
				kind = OidcClients.Type.valueOf(type.toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException e) {
				System.err.println("--type must be confidential or public.");
				return 1;
			}
			return withClients(clients -> {
				OidcClients.Created created = clients.create(kind, changes(null), ClientInfo.none());
				print(created.client());
				printSessionOptions(clients.sessionOptions(created.client().clientId()));
				if (created.secret() != null) {
					printSecret(created.secret());
				}
				return 0;
			});
		}
	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List clients: id, type, grants, name.")
	static final class ListClients implements Callable<Integer> {

		@Override
		public Integer call() {
			return withClients(clients -> {
				List<List<String>> rows = new ArrayList<>();
				rows.add(List.of("CLIENT ID", "TYPE", "GRANTS", "NAME"));
				for (OidcClients.Client c : clients.list()) {
					rows.add(List.of(c.clientId(), c.type().name().toLowerCase(Locale.ROOT),
							String.join(",", c.grants()), c.name()));
				}
				KeysCommand.table(rows).forEach(System.out::println);
				return 0;
			});
		}
	}

	@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one client's settings.")
	static final class Show implements Callable<Integer> {

		@Parameters(paramLabel = "CLIENT_ID", description = "The client, as `clients list` shows it.")
		String clientId;

		@Override
		public Integer call() {
			return withClients(clients -> {
				OidcClients.Details details = clients.details(clientId);
				print(details.client());
				printSessionOptions(details.session());
				return 0;
			});
		}
	}

	@Command(name = "update", mixinStandardHelpOptions = true,
			description = "Change a client's settings; what is not given stays. The type does not change; the secret "
					+ "stays unless --auth private_key_jwt replaces it with keys.")
	static final class Update extends ClientOptions implements Callable<Integer> {

		@Parameters(paramLabel = "CLIENT_ID", description = "The client, as `clients list` shows it.")
		String clientId;

		@Override
		public Integer call() {
			return withClients(clients -> {
				OidcClients.Client existing = clients.find(clientId)
					.orElseThrow(() -> new IllegalArgumentException("There is no client " + clientId
							+ "; `plinto clients list` shows them."));
				OidcClients.Details changed = clients.change(clientId, changes(existing), ClientInfo.none());
				print(changed.client());
				printSessionOptions(changed.session());
				return 0;
			});
		}
	}

	@Command(name = "rotate-secret", mixinStandardHelpOptions = true,
			description = "Give a confidential client a new secret; the old one stops working at once.")
	static final class RotateSecret implements Callable<Integer> {

		@Parameters(paramLabel = "CLIENT_ID", description = "The client.")
		String clientId;

		@Override
		public Integer call() {
			return withClients(clients -> {
				printSecret(clients.rotateSecret(clientId, ClientInfo.none()));
				return 0;
			});
		}
	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete a client with its authorizations (its tokens stop working) and its consents.")
	static final class Delete implements Callable<Integer> {

		@Parameters(paramLabel = "CLIENT_ID", description = "The client.")
		String clientId;

		@Override
		public Integer call() {
			return withClients(clients -> {
				clients.delete(clientId, ClientInfo.none());
				System.out.println("Deleted client " + clientId + ".");
				return 0;
			});
		}
	}

	/** Durations as 30s, 5m, 12h or 30d. */
	static final class DurationConverter implements ITypeConverter<Duration> {

		private static final Pattern FORM = Pattern.compile("(\\d{1,6})([smhd])");

		@Override
		public Duration convert(String value) {
			Matcher m = FORM.matcher(value.trim());
			if (!m.matches()) {
				throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 5m, 12h or 30d");
			}
			long n = Long.parseLong(m.group(1));
			return switch (m.group(2)) {
				case "s" -> Duration.ofSeconds(n);
				case "m" -> Duration.ofMinutes(n);
				case "h" -> Duration.ofHours(n);
				default -> Duration.ofDays(n);
			};
		}
	}
}
