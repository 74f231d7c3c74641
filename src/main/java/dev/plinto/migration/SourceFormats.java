package dev.plinto.migration;

import dev.plinto.crypto.LegacyHashes;
import dev.plinto.mfa.TotpSecrets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each source's record turned into an {@link ImportedUser}: which field holds what, how the source writes its
 * password hashes and second factors, and what it has that cannot come along. The formats and links to each
 * service's documentation are in docs/migration.md; the sample files in src/test/resources/migration show them.
 * What is malformed here (a hash in an unknown encoding, a missing email) refuses the record; whether a hash is
 * one Plinto verifies, and the email's form, are checked by the {@link Importer} for every source alike.
 */
final class SourceFormats {

	private SourceFormats() {
	}

	// ---- the generic format (docs/migration.md, "Generic JSON Lines")

	static SourceRecord generic(JsonNode n, long record, long line) {
		String externalId = firstText(n, "external_id", "id");
		String email = text(n, "email");
		List<ImportedUser.Membership> memberships = new ArrayList<>();
		JsonNode orgs = n.get("organizations");
		if (orgs != null && orgs.isArray()) {
			for (JsonNode o : orgs) {
				List<String> permissions = new ArrayList<>();
				JsonNode p = o.get("permissions");
				if (p != null && p.isArray()) {
					p.forEach(x -> permissions.add(x.asString()));
				}
				memberships.add(new ImportedUser.Membership(firstText(o, "external_id", "id"), text(o, "name"),
						text(o, "slug"), text(o, "role"), text(o, "role_name"), permissions));
			}
		}
		List<String> notCarried = new ArrayList<>();
		JsonNode nc = n.get("not_carried");
		if (nc != null && nc.isArray()) {
			nc.forEach(x -> notCarried.add(x.asString()));
		}
		Instant created;
		try {
			created = instant(n.get("created_at"));
		}
		catch (DateTimeParseException e) {
			return new SourceRecord.Refused(record, line, externalId, email, "created_at is not an ISO-8601 time");
		}
		return user(new ImportedUser(record, line, externalId, email, bool(n, "email_verified"), text(n, "name"),
				created, text(n, "password_hash"), json(n.get("metadata")), text(n, "totp_secret"), memberships,
				notCarried, false));
	}

	// ---- Clerk: dashboard CSV export

	static SourceRecord clerk(Map<String, String> row, long record, long line) {
		String id = blankToNull(row.get("id"));
		String email = blankToNull(row.get("primary_email_address"));
		String name = join(row.get("first_name"), row.get("last_name"));
		if (name == null) {
			name = blankToNull(row.get("username"));
		}
		Boolean verified = null;
		if (email != null) {
			verified = splitList(row.get("verified_email_addresses")).stream().anyMatch(email::equalsIgnoreCase);
		}
		String hash;
		try {
			hash = clerkHash(blankToNull(row.get("password_hasher")), blankToNull(row.get("password_digest")));
		}
		catch (IllegalArgumentException e) {
			return new SourceRecord.Refused(record, line, id, email, e.getMessage());
		}
		List<String> notCarried = new ArrayList<>();
		if (blankToNull(row.get("primary_phone_number")) != null) {
			notCarried.add("phone number (Plinto signs in with email)");
		}
		Map<String, String> meta = new LinkedHashMap<>();
		if (blankToNull(row.get("username")) != null) {
			meta.put("username", row.get("username"));
		}
		return user(new ImportedUser(record, line, id, email, verified, name, null, hash, metaJson(meta),
				blankToNull(row.get("totp_secret")), List.of(), notCarried, false));
	}

	/**
	 * A Clerk digest in the form Plinto stores, by Clerk's {@code password_hasher}: bcrypt and Argon2 (PHC) and
	 * the Django PBKDF2 encodings as they are; {@code scrypt_firebase} as Clerk writes it,
	 * {@code hash$salt$signerKey$saltSeparator$rounds$memCost}; {@code sha256} and {@code md5} as unsalted hex.
	 */
	static String clerkHash(String hasher, String digest) {
		if (digest == null) {
			return null;
		}
		String h = hasher == null ? "" : hasher.toLowerCase(Locale.ROOT);
		switch (h) {
			case "bcrypt", "argon2i", "argon2id", "pbkdf2_sha256", "pbkdf2_sha256_django", "pbkdf2_sha1":
				return digest;
			case "scrypt_firebase": {
				String[] p = digest.split("\\$");
				if (p.length != 6) {
					throw new IllegalArgumentException("scrypt_firebase digest is not hash$salt$signer_key$"
							+ "salt_separator$rounds$mem_cost");
				}
				Base64.Decoder b64 = Base64.getDecoder();
				return LegacyHashes.firebaseScrypt(Integer.parseInt(p[5]), Integer.parseInt(p[4]), b64.decode(p[1]),
						b64.decode(p[3]), b64.decode(p[2]), b64.decode(p[0]));
			}
			case "sha256", "md5":
				return LegacyHashes.saltedDigest(h, true, new byte[0], HexFormat.of().parseHex(digest));
			default:
				throw new IllegalArgumentException("unsupported password hasher " + (hasher == null ? "(none)"
						: hasher));
		}
	}

	// ---- Auth0: bulk user export (NDJSON) and the password-hash export from support (NDJSON)

	static SourceRecord auth0(JsonNode n, long record, long line) {
		if (n.has("passwordHash") && n.has("_id")) {
			JsonNode oid = n.get("_id");
			String id = oid.isObject() ? text(oid, "$oid") : oid.asString();
			String externalId = id == null ? null : "auth0|" + id;
			return user(new ImportedUser(record, line, externalId, text(n, "email"), bool(n, "email_verified"), null,
					null, text(n, "passwordHash"), null, null, List.of(), List.of(), true));
		}
		String id = text(n, "user_id");
		List<String> notCarried = new ArrayList<>();
		JsonNode identities = n.get("identities");
		if (identities != null && identities.isArray()) {
			for (JsonNode identity : identities) {
				String provider = text(identity, "provider");
				if (provider != null && !provider.equals("auth0")) {
					notCarried.add("sign-in with " + provider + " (configure the same provider client in Plinto)");
				}
			}
		}
		ObjectNode meta = Readers.JSON.createObjectNode();
		copy(n, meta, "user_metadata");
		copy(n, meta, "app_metadata");
		copy(n, meta, "username");
		String name = text(n, "name");
		if (name == null) {
			name = join(text(n, "given_name"), text(n, "family_name"));
		}
		Instant created;
		try {
			created = instant(n.get("created_at"));
		}
		catch (DateTimeParseException e) {
			created = null;
		}
		return user(new ImportedUser(record, line, id, text(n, "email"), bool(n, "email_verified"), name, created,
				null, meta.isEmpty() ? null : meta.toString(), null, List.of(), notCarried, false));
	}

	// ---- Firebase: auth:export JSON

	/** The project's password hash parameters (Firebase console, Authentication, "Password hash parameters"). */
	record FirebaseParameters(byte[] signerKey, byte[] saltSeparator, int rounds, int memCost) {

		static FirebaseParameters of(Source.Options o) {
			if (o.firebaseSignerKey() == null) {
				return null;
			}
			Base64.Decoder b64 = Base64.getDecoder();
			try {
				return new FirebaseParameters(b64.decode(o.firebaseSignerKey()),
						b64.decode(o.firebaseSaltSeparator() == null ? "" : o.firebaseSaltSeparator()),
						o.firebaseRounds(), o.firebaseMemCost());
			}
			catch (IllegalArgumentException e) {
				throw new ImportException("The Firebase signer key or salt separator is not base64.");
			}
		}
	}

	static SourceRecord firebase(JsonNode n, long record, long line, FirebaseParameters params) {
		String id = text(n, "localId");
		String email = text(n, "email");
		String hash = null;
		String passwordHash = text(n, "passwordHash");
		if (passwordHash != null) {
			if (params == null) {
				return new SourceRecord.Refused(record, line, id, email, "a password hash without the project's hash "
						+ "parameters (give --hash-key, --salt-separator, --rounds, --mem-cost)");
			}
			try {
				Base64.Decoder b64 = Base64.getDecoder();
				String salt = text(n, "salt");
				hash = LegacyHashes.firebaseScrypt(params.memCost(), params.rounds(),
						salt == null ? new byte[0] : b64.decode(salt), params.saltSeparator(), params.signerKey(),
						b64.decode(passwordHash));
			}
			catch (IllegalArgumentException e) {
				return new SourceRecord.Refused(record, line, id, email, "passwordHash or salt is not base64");
			}
		}
		List<String> notCarried = new ArrayList<>();
		JsonNode providers = n.get("providerUserInfo");
		if (providers != null && providers.isArray()) {
			for (JsonNode p : providers) {
				String provider = text(p, "providerId");
				if (provider != null && !provider.equals("password")) {
					notCarried.add("sign-in with " + provider + " (configure the same provider client in Plinto)");
				}
			}
		}
		if (n.has("mfaInfo")) {
			notCarried.add("SMS second factor (Plinto offers TOTP and passkeys; the user enrols again)");
		}
		String meta = null;
		String custom = text(n, "customAttributes");
		if (custom != null) {
			try {
				meta = Readers.JSON.readTree(custom).toString();
			}
			catch (JacksonException e) {
				notCarried.add("customAttributes (not valid JSON)");
			}
		}
		Instant created = null;
		String createdAt = text(n, "createdAt");
		if (createdAt != null && createdAt.matches("\\d{1,15}")) {
			created = Instant.ofEpochMilli(Long.parseLong(createdAt));
		}
		return user(new ImportedUser(record, line, id, email, bool(n, "emailVerified"), text(n, "displayName"),
				created, hash, meta, null, List.of(), notCarried, false));
	}

	// ---- Keycloak: realm export JSON

	static SourceRecord keycloak(JsonNode n, long record, long line, boolean groupsAsOrganizations) {
		String id = text(n, "id");
		String email = text(n, "email");
		String hash = null;
		String totp = null;
		List<String> notCarried = new ArrayList<>();
		JsonNode credentials = n.get("credentials");
		if (credentials != null && credentials.isArray()) {
			for (JsonNode c : credentials) {
				String type = text(c, "type");
				JsonNode secret = embeddedJson(c, "secretData");
				JsonNode data = embeddedJson(c, "credentialData");
				if ("password".equals(type)) {
					try {
						hash = keycloakPassword(secret, data);
					}
					catch (IllegalArgumentException e) {
						return new SourceRecord.Refused(record, line, id, email, e.getMessage());
					}
				}
				else if ("otp".equals(type)) {
					String subType = data == null ? null : text(data, "subType");
					boolean standard = data == null || ("totp".equals(subType) || subType == null)
							&& data.path("digits").asInt(6) == 6 && data.path("period").asInt(30) == 30
							&& "HmacSHA1".equals(data.path("algorithm").asString("HmacSHA1"));
					String value = secret == null ? null : text(secret, "value");
					if (standard && value != null) {
						// Keycloak keys HMAC with the secret's UTF-8 bytes and shows them base32-encoded in the QR code.
						totp = TotpSecrets.base32(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
					}
					else {
						notCarried.add("OTP credential other than TOTP/SHA-1/6 digits/30 s (the user enrols again)");
					}
				}
				else if ("webauthn".equals(type) || "webauthn-passwordless".equals(type)) {
					notCarried.add("passkey (bound to Keycloak's relying party id; the user registers it again)");
				}
			}
		}
		JsonNode federated = n.get("federatedIdentities");
		if (federated != null && federated.isArray()) {
			for (JsonNode f : federated) {
				notCarried.add("sign-in with " + text(f, "identityProvider")
						+ " (configure the same provider client in Plinto)");
			}
		}
		List<ImportedUser.Membership> memberships = new ArrayList<>();
		JsonNode groups = n.get("groups");
		if (groupsAsOrganizations && groups != null && groups.isArray()) {
			Map<String, String> roles = new LinkedHashMap<>();
			for (JsonNode g : groups) {
				String[] path = g.asString().replaceAll("^/+", "").split("/");
				if (path[0].isEmpty()) {
					continue;
				}
				String role = path.length > 1 ? path[1].toLowerCase(Locale.ROOT) : "member";
				roles.merge(path[0], role, SourceFormats::higherRole);
			}
			roles.forEach((group, role) -> memberships.add(new ImportedUser.Membership("keycloak-group:" + group,
					group, null, role, null, List.of())));
		}
		ObjectNode meta = Readers.JSON.createObjectNode();
		copy(n, meta, "username");
		copy(n, meta, "attributes");
		copy(n, meta, "realmRoles");
		JsonNode createdTs = n.get("createdTimestamp");
		Instant created = createdTs != null && createdTs.isNumber() ? Instant.ofEpochMilli(createdTs.asLong()) : null;
		return user(new ImportedUser(record, line, id, email, bool(n, "emailVerified"),
				join(text(n, "firstName"), text(n, "lastName")), created, hash, meta.isEmpty() ? null : meta.toString(),
				totp, memberships, notCarried, false));
	}

	/** Of two roles one user holds in the same group, the one with more rights. */
	private static String higherRole(String a, String b) {
		List<String> order = List.of("owner", "admin", "member");
		int ia = order.indexOf(a);
		int ib = order.indexOf(b);
		if (ia < 0) {
			return ib < 0 ? a : (ib < 2 ? b : a);
		}
		if (ib < 0) {
			return ia < 2 ? a : b;
		}
		return ia <= ib ? a : b;
	}

	/**
	 * A Keycloak password credential in the form Plinto stores: the PBKDF2 family with its iterations, salt and
	 * derived key; Argon2 (Keycloak 24+) as a PHC string from its additional parameters; bcrypt values as they are.
	 */
	static String keycloakPassword(JsonNode secret, JsonNode data) {
		if (secret == null || data == null) {
			throw new IllegalArgumentException("password credential without secretData or credentialData");
		}
		String algorithm = text(data, "algorithm");
		String value = text(secret, "value");
		String salt = text(secret, "salt");
		int iterations = data.path("hashIterations").asInt(-1);
		if (value == null || algorithm == null) {
			throw new IllegalArgumentException("password credential without value or algorithm");
		}
		Base64.Decoder b64 = Base64.getDecoder();
		try {
			switch (algorithm) {
				case "pbkdf2-sha256":
					return LegacyHashes.pbkdf2("sha256", iterations, b64.decode(salt), b64.decode(value));
				case "pbkdf2-sha512":
					return LegacyHashes.pbkdf2("sha512", iterations, b64.decode(salt), b64.decode(value));
				case "pbkdf2":
					return LegacyHashes.pbkdf2("sha1", iterations, b64.decode(salt), b64.decode(value));
				case "argon2": {
					JsonNode a = data.path("additionalParameters");
					String type = first(a, "type", "id");
					String version = first(a, "version", "1.3").equals("1.0") ? "16" : "19";
					Base64.Encoder e = Base64.getEncoder().withoutPadding();
					return "$argon2" + type + "$v=" + version + "$m=" + first(a, "memory", "7168") + ",t=" + iterations
							+ ",p=" + first(a, "parallelism", "1") + "$" + e.encodeToString(b64.decode(salt)) + "$"
							+ e.encodeToString(b64.decode(value));
				}
				case "bcrypt":
					return value;
				default:
					throw new IllegalArgumentException("unsupported password algorithm " + algorithm);
			}
		}
		catch (NullPointerException e) {
			throw new IllegalArgumentException("password credential without salt");
		}
	}

	private static String first(JsonNode params, String name, String fallback) {
		JsonNode v = params.get(name);
		if (v == null) {
			return fallback;
		}
		return v.isArray() ? (v.isEmpty() ? fallback : v.get(0).asString()) : v.asString();
	}

	// ---- Supabase: auth.users as JSON or CSV

	static SourceRecord supabase(JsonNode n, long record, long line) {
		Map<String, String> row = new LinkedHashMap<>();
		for (String field : List.of("id", "email", "encrypted_password", "email_confirmed_at", "created_at", "phone",
				"raw_user_meta_data", "raw_app_meta_data")) {
			JsonNode v = n.get(field);
			row.put(field, v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString());
		}
		return supabaseCsv(row, record, line);
	}

	static SourceRecord supabaseCsv(Map<String, String> row, long record, long line) {
		String id = blankToNull(row.get("id"));
		String email = blankToNull(row.get("email"));
		List<String> notCarried = new ArrayList<>();
		String appMeta = blankToNull(row.get("raw_app_meta_data"));
		ObjectNode meta = Readers.JSON.createObjectNode();
		String name = null;
		try {
			if (appMeta != null) {
				JsonNode app = Readers.JSON.readTree(appMeta);
				JsonNode providers = app.get("providers");
				if (providers != null && providers.isArray()) {
					for (JsonNode p : providers) {
						if (!p.asString().equals("email")) {
							notCarried.add("sign-in with " + p.asString()
									+ " (configure the same provider client in Plinto)");
						}
					}
				}
				meta.set("app_metadata", app);
			}
			String userMeta = blankToNull(row.get("raw_user_meta_data"));
			if (userMeta != null) {
				JsonNode u = Readers.JSON.readTree(userMeta);
				name = firstText(u, "full_name", "name");
				meta.set("user_metadata", u);
			}
		}
		catch (JacksonException e) {
			notCarried.add("metadata (not valid JSON)");
		}
		if (blankToNull(row.get("phone")) != null) {
			notCarried.add("phone number (Plinto signs in with email)");
		}
		Instant created;
		try {
			created = instant(blankToNull(row.get("created_at")));
		}
		catch (DateTimeParseException e) {
			created = null;
		}
		return user(new ImportedUser(record, line, id, email, blankToNull(row.get("email_confirmed_at")) != null, name,
				created, blankToNull(row.get("encrypted_password")), meta.isEmpty() ? null : meta.toString(), null,
				List.of(), notCarried, false));
	}

	// ---- shared helpers

	private static SourceRecord user(ImportedUser u) {
		return new SourceRecord.User(u);
	}

	static String text(JsonNode n, String field) {
		JsonNode v = n == null ? null : n.get(field);
		if (v == null || v.isNull() || v.isContainer()) {
			return null;
		}
		return blankToNull(v.asString());
	}

	private static String firstText(JsonNode n, String... fields) {
		for (String f : fields) {
			String v = text(n, f);
			if (v != null) {
				return v;
			}
		}
		return null;
	}

	private static Boolean bool(JsonNode n, String field) {
		JsonNode v = n.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		return v.isBoolean() ? v.asBoolean() : "true".equalsIgnoreCase(v.asString());
	}

	private static String json(JsonNode v) {
		return v == null || v.isNull() ? null : v.toString();
	}

	private static void copy(JsonNode from, ObjectNode to, String field) {
		JsonNode v = from.get(field);
		if (v != null && !v.isNull() && !(v.isContainer() && v.isEmpty())) {
			to.set(field, v);
		}
	}

	/** Keycloak keeps secretData and credentialData as JSON inside a string. */
	private static JsonNode embeddedJson(JsonNode n, String field) {
		JsonNode v = n.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		if (v.isObject()) {
			return v;
		}
		try {
			return Readers.JSON.readTree(v.asString());
		}
		catch (JacksonException e) {
			return null;
		}
	}

	/** ISO-8601 with an offset, or epoch milliseconds. */
	static Instant instant(JsonNode v) {
		if (v == null || v.isNull()) {
			return null;
		}
		if (v.isNumber()) {
			return Instant.ofEpochMilli(v.asLong());
		}
		return instant(blankToNull(v.asString()));
	}

	static Instant instant(String s) {
		if (s == null) {
			return null;
		}
		if (s.matches("\\d{1,15}")) {
			return Instant.ofEpochMilli(Long.parseLong(s));
		}
		String iso = s.trim().replace(' ', 'T');
		// PostgreSQL writes "+00" offsets without minutes.
		if (iso.matches(".*[+-]\\d\\d$")) {
			iso = iso + ":00";
		}
		return OffsetDateTime.parse(iso).toInstant();
	}

	private static String metaJson(Map<String, String> meta) {
		if (meta.isEmpty()) {
			return null;
		}
		ObjectNode o = Readers.JSON.createObjectNode();
		meta.forEach(o::put);
		return o.toString();
	}

	private static List<String> splitList(String s) {
		if (s == null || s.isBlank()) {
			return List.of();
		}
		return List.of(s.trim().split("\\s*[|,;]\\s*"));
	}

	private static String join(String first, String last) {
		String f = blankToNull(first);
		String l = blankToNull(last);
		if (f == null) {
			return l;
		}
		return l == null ? f : f + " " + l;
	}

	static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.trim();
	}
}
