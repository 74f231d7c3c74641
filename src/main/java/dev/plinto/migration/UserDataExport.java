package dev.plinto.migration;

import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.platform.SqlRows;
import dev.plinto.web.ClientInfo;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * A user's own data, for an access request under GDPR Art. 15 and a portable copy under Art. 20: the profile,
 * the metadata kept from an import, sessions, second factors (which, never their secrets), organizations and
 * roles, and every security event recorded for the user. Secrets are left out — the password hash, TOTP secret,
 * recovery codes and passkey keys authenticate the user and are not data about them to hand out over the API
 * (OWASP API Security Top 10 2023, API3 "Broken Object Property Level Authorization"). Each export is itself
 * recorded as a security event.
 */
@Component
public final class UserDataExport {

	/** Security events are read in pages of this many. */
	private static final int EVENT_PAGE = 500;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	UserDataExport(JdbcClient jdbc, AuditLog audit) {
		this.jdbc = jdbc;
		this.audit = audit;
	}

	public record Export(Instant exportedAt, Profile user, List<SessionView> sessions, Mfa mfa,
			List<MembershipView> organizations, List<EventView> securityEvents) {
	}

	public record Profile(String id, String email, boolean emailVerified, @Schema(nullable = true) String name,
			Instant createdAt, Instant updatedAt, @Schema(nullable = true) String externalId,
			@Schema(nullable = true) JsonNode sourceMetadata, boolean hasPassword) {
	}

	public record SessionView(String id, Instant createdAt, Instant lastActiveAt, Instant expiresAt,
			@Schema(nullable = true) Instant revokedAt, @Schema(nullable = true) String ip, @Schema(nullable = true) String userAgent) {
	}

	public record Mfa(boolean totpEnabled, int recoveryCodesRemaining, List<PasskeyView> passkeys) {
	}

	public record PasskeyView(String id, String name, Instant createdAt,
			@Schema(nullable = true) Instant lastUsedAt) {
	}

	public record MembershipView(String organizationId, String name, String slug, String role, Instant joinedAt) {
	}

	public record EventView(String id, String type, Instant occurredAt,
			@Schema(nullable = true) String sessionId, @Schema(nullable = true) String ip, @Schema(nullable = true) String userAgent) {
	}

	/** The user's data as of now; the export is recorded as {@code account.data_exported}. */
	public Export export(String userId, String sessionId, ClientInfo client, Instant now) {
		Map<String, Object> u = jdbc.sql("select * from users where id = :id").param("id", userId).query().singleRow();
		String metadata = (String) u.get("source_metadata");
		String hash = (String) u.get("password_hash");
		Profile profile = new Profile(userId, (String) u.get("email"), Boolean.TRUE.equals(u.get("email_verified")),
				(String) u.get("name"), instant(u.get("created_at")), instant(u.get("updated_at")),
				(String) u.get("external_id"), metadata == null ? null : Readers.JSON.readTree(metadata),
				hash != null && !hash.startsWith("!"));
		List<SessionView> sessions = jdbc.sql("""
				select id, created_at, last_active_at, expires_at, revoked_at, ip, user_agent from sessions
				where user_id = :id order by created_at desc""")
			.param("id", userId)
			.query((rs, n) -> new SessionView(rs.getString("id"), SqlRows.instant(rs, "created_at"),
					SqlRows.instant(rs, "last_active_at"), SqlRows.instant(rs, "expires_at"),
					SqlRows.instant(rs, "revoked_at"), rs.getString("ip"), rs.getString("user_agent")))
			.list();
		boolean totp = jdbc.sql("select count(*) from totp_factors where user_id = :id and confirmed_at is not null")
			.param("id", userId)
			.query(Long.class)
			.single() > 0;
		int codes = jdbc.sql("select count(*) from recovery_codes where user_id = :id and used_at is null")
			.param("id", userId)
			.query(Long.class)
			.single()
			.intValue();
		List<PasskeyView> passkeys = jdbc.sql("""
				select id, name, created_at, last_used_at from passkeys where user_id = :id order by created_at""")
			.param("id", userId)
			.query((rs, n) -> new PasskeyView(rs.getString("id"), rs.getString("name"),
					SqlRows.instant(rs, "created_at"), SqlRows.instant(rs, "last_used_at")))
			.list();
		List<MembershipView> orgs = jdbc.sql("""
				select o.id, o.name, o.slug, m.role_key, m.created_at from organization_memberships m
				join organizations o on o.id = m.organization_id where m.user_id = :id order by o.slug""")
			.param("id", userId)
			.query((rs, n) -> new MembershipView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					SqlRows.instant(rs, 5)))
			.list();
		audit.record(AuditEvent.Type.DATA_EXPORTED, userId, sessionId, client, null);
		List<EventView> events = new ArrayList<>();
		Instant beforeTime = null;
		String beforeId = null;
		while (true) {
			List<AuditEvent> page = audit.forUser(userId, beforeTime, beforeId, EVENT_PAGE);
			page.forEach(e -> events.add(new EventView(e.id(), e.type().wireName(), e.occurredAt(), e.sessionId(),
					e.ip(), e.userAgent())));
			if (page.size() < EVENT_PAGE) {
				break;
			}
			AuditEvent last = page.get(page.size() - 1);
			beforeTime = last.occurredAt();
			beforeId = last.id();
		}
		return new Export(now, profile, sessions, new Mfa(totp, codes, passkeys), orgs, events);
	}

	private static Instant instant(Object value) {
		if (value instanceof java.time.OffsetDateTime odt) {
			return odt.toInstant();
		}
		if (value instanceof java.sql.Timestamp ts) {
			return ts.toInstant();
		}
		return value instanceof Instant i ? i : null;
	}
}
