package dev.plinto.migration;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/** The services Plinto imports from, each with the file format that service exports (docs/migration.md). */
public enum Source {

	/** Plinto's own format (and what {@code plinto export} writes): JSON Lines, one user per line. */
	JSONL,
	/** Clerk's dashboard CSV export. */
	CLERK,
	/** Auth0's bulk user export (NDJSON) and the password-hash export Auth0 support provides (NDJSON). */
	AUTH0,
	/** {@code firebase auth:export --format=json}, with the project's password hash parameters. */
	FIREBASE,
	/** A Keycloak realm export (JSON) with its users. */
	KEYCLOAK,
	/** Supabase's {@code auth.users} table as CSV or as a JSON array. */
	SUPABASE;

	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * What the source-specific mappings need beyond the file: Firebase's project hash parameters (base64 signer
	 * key and salt separator, rounds, memory cost), and whether Keycloak groups become organizations.
	 */
	public record Options(String firebaseSignerKey, String firebaseSaltSeparator, int firebaseRounds,
			int firebaseMemCost, boolean keycloakGroupsAsOrganizations) {

		public static Options none() {
			return new Options(null, null, 0, 0, false);
		}
	}

	/** A reader of this source's format over the (decrypted) file contents; {@code file} names it (CSV or JSON). */
	SourceReader open(InputStream in, Path file, Options options) {
		return switch (this) {
			case JSONL -> Readers.jsonLines(in, SourceFormats::generic);
			case CLERK -> Readers.csv(in, SourceFormats::clerk);
			case AUTH0 -> Readers.jsonLines(in, SourceFormats::auth0);
			case FIREBASE -> {
				SourceFormats.FirebaseParameters params = SourceFormats.FirebaseParameters.of(options);
				yield Readers.jsonArray(in, "users", (node, record, line) -> SourceFormats.firebase(node, record,
						line, params));
			}
			case KEYCLOAK -> Readers.jsonArray(in, "users", (node, record, line) -> SourceFormats.keycloak(node,
					record, line, options.keycloakGroupsAsOrganizations()));
			case SUPABASE -> file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
					? Readers.csv(in, SourceFormats::supabaseCsv)
					: Readers.jsonArray(in, "users", SourceFormats::supabase);
		};
	}
}
