package dev.plinto.migration;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.crypto.SecretBox;
import dev.plinto.mfa.TotpSecrets;
import dev.plinto.platform.SqlRows;
import dev.plinto.web.ClientInfo;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;

/**
 * {@code plinto export --format jsonl}: every user in the generic format {@code plinto import jsonl} reads
 * (docs/migration.md, "Generic JSON Lines"), one per line, in pages of users by id so memory stays at one page:
 * the profile, the password hash as stored (Argon2id PHC, or an imported hash not yet upgraded), the metadata from
 * the source, and the organizations with the user's role (a custom role with its name and permissions). TOTP
 * secrets are opened and written only when asked for; the command then encrypts the whole file like a backup, so
 * a secret never lies in clear on disk (OWASP Cryptographic Storage Cheat Sheet). An export is recorded in the
 * audit log (OWASP Logging Cheat Sheet, "Which events to log": data export).
 */
@Component
public final class Exporter {

	private final JdbcClient jdbc;

	private final SecretBox secrets;

	private final AuditLog audit;

	Exporter(JdbcClient jdbc, SecretBox secrets, AuditLog audit) {
		this.jdbc = jdbc;
		this.secrets = secrets;
		this.audit = audit;
	}

	private record Row(String id, String email, boolean emailVerified, String name, String passwordHash,
			Instant createdAt, String externalId, String metadata) {
	}

	private record Org(String userId, String orgId, String name, String slug, String role, String roleName,
			List<String> permissions) {
	}

	/** Writes every user to {@code out} (left open); returns how many. */
	public long write(OutputStream out, boolean includeSecrets, String destination) {
		long count = 0;
		try (JsonGenerator json = Readers.JSON.createGenerator(out, JsonEncoding.UTF8)) {
			String after = "";
			while (true) {
				List<Row> page = jdbc.sql("""
						select id, email, email_verified, name, password_hash, created_at, external_id, source_metadata
						from users where id > :after order by id fetch first 1000 rows only""")
					.param("after", after)
					.query((rs, n) -> new Row(rs.getString("id"), rs.getString("email"), rs.getBoolean("email_verified"),
							rs.getString("name"), rs.getString("password_hash"), SqlRows.instant(rs, "created_at"),
							rs.getString("external_id"), rs.getString("source_metadata")))
					.list();
				if (page.isEmpty()) {
					break;
				}
				List<String> ids = page.stream().map(Row::id).toList();
				Map<String, List<Org>> orgs = organizations(ids);
				Map<String, String> totp = includeSecrets ? totpSecrets(ids) : Map.of();
				for (Row r : page) {
					writeUser(json, r, orgs.getOrDefault(r.id(), List.of()), totp.get(r.id()));
					json.flush();
					out.write('\n');
					count++;
				}
				after = page.get(page.size() - 1).id();
			}
			json.flush();
		}
		catch (java.io.IOException e) {
			throw new ImportException("Cannot write the export: " + e.getMessage() + ".", e);
		}
		audit.record(AuditEvent.Type.USERS_EXPORTED, null, null, ClientInfo.none(), "plinto export " + destination
				+ ": " + count + " users" + (includeSecrets ? ", with TOTP secrets (encrypted file)" : ""));
		return count;
	}

	private void writeUser(JsonGenerator json, Row r, List<Org> orgs, String totp) {
		json.writeStartObject();
		json.writeStringProperty("id", r.id());
		if (r.externalId() != null) {
			json.writeStringProperty("external_id", r.externalId());
		}
		json.writeStringProperty("email", r.email());
		json.writeBooleanProperty("email_verified", r.emailVerified());
		if (r.name() != null) {
			json.writeStringProperty("name", r.name());
		}
		json.writeStringProperty("created_at", r.createdAt().toString());
		if (!r.passwordHash().startsWith("!")) {
			json.writeStringProperty("password_hash", r.passwordHash());
		}
		if (r.metadata() != null) {
			json.writeName("metadata");
			json.writeTree(Readers.JSON.readTree(r.metadata()));
		}
		if (totp != null) {
			json.writeStringProperty("totp_secret", totp);
		}
		if (!orgs.isEmpty()) {
			json.writeArrayPropertyStart("organizations");
			for (Org o : orgs) {
				json.writeStartObject();
				json.writeStringProperty("id", o.orgId());
				json.writeStringProperty("name", o.name());
				json.writeStringProperty("slug", o.slug());
				json.writeStringProperty("role", o.role());
				if (o.roleName() != null) {
					json.writeStringProperty("role_name", o.roleName());
					json.writeArrayPropertyStart("permissions");
					for (String p : o.permissions()) {
						json.writeString(p);
					}
					json.writeEndArray();
				}
				json.writeEndObject();
			}
			json.writeEndArray();
		}
		json.writeEndObject();
	}

	/** Each user's memberships; an organization is named by its source id when it was imported, else its own. */
	private Map<String, List<Org>> organizations(List<String> userIds) {
		Map<String, List<Org>> byUser = new HashMap<>();
		jdbc.sql("""
				select m.user_id, coalesce(o.external_id, o.id), o.name, o.slug, m.role_key, r.name, r.permissions
				from organization_memberships m join organizations o on o.id = m.organization_id
				left join organization_roles r on r.organization_id = m.organization_id and r.role_key = m.role_key
				where m.user_id in (:ids) order by o.slug""")
			.param("ids", userIds)
			.query((rs, n) -> new Org(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getString(5), rs.getString(6), rs.getString(7) == null ? List.of() : SqlRows.words(rs, "permissions")))
			.list()
			.forEach(o -> byUser.computeIfAbsent(o.userId(), k -> new ArrayList<>()).add(o));
		return byUser;
	}

	private Map<String, String> totpSecrets(List<String> userIds) {
		Map<String, String> secretsByUser = new HashMap<>();
		jdbc.sql("select user_id, secret from totp_factors where confirmed_at is not null and user_id in (:ids)")
			.param("ids", userIds)
			.query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.forEach(e -> secretsByUser.put(e.getKey(),
					secrets.open(e.getValue(), TotpSecrets.associatedData(e.getKey()))));
		return secretsByUser;
	}
}
