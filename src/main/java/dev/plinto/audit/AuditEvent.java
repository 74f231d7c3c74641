package dev.plinto.audit;

import java.time.Instant;

/**
 * One entry of the audit log: what happened, when, to whom (or by whom, for organization changes: the acting
 * user), in which session, from where, in which organization if any, and who made the change when it was not the
 * user themselves ({@code actorId}: the id of the Backend API key, see {@link AuditLog#actingAs}).
 */
public record AuditEvent(String id, Type type, Instant occurredAt, String userId, String sessionId, String ip,
		String userAgent, String detail, String organizationId, String actorId) {

	/** An event the user (or nobody in particular) caused. */
	public AuditEvent(String id, Type type, Instant occurredAt, String userId, String sessionId, String ip,
			String userAgent, String detail, String organizationId) {
		this(id, type, occurredAt, userId, sessionId, ip, userAgent, detail, organizationId, null);
	}

	/** An event that belongs to no organization. */
	public AuditEvent(String id, Type type, Instant occurredAt, String userId, String sessionId, String ip,
			String userAgent, String detail) {
		this(id, type, occurredAt, userId, sessionId, ip, userAgent, detail, null);
	}

	/** Every kind of event the audit log records, with its stable name in the API (docs/api.md). */
	public enum Type {
		SIGN_UP("sign_up"), SIGN_IN_SUCCEEDED("sign_in.succeeded"), SIGN_IN_FAILED("sign_in.failed"),
		SIGN_IN_LOCKED("sign_in.locked"), SIGN_OUT("sign_out"), SESSION_REVOKED("session.revoked"),
		REFRESH_TOKEN_REUSED("refresh_token.reused"), PASSWORD_CHANGED("password.changed"),
		PASSWORD_RESET_REQUESTED("password_reset.requested"), PASSWORD_RESET("password_reset.completed"),
		EMAIL_VERIFIED("email.verified"), EMAIL_CHANGE_REQUESTED("email_change.requested"),
		EMAIL_CHANGED("email.changed"), ACCOUNT_DELETED("account.deleted"), PROFILE_UPDATED("profile.updated"), KEY_ROTATED("key.rotated"),
		KEY_WITHDRAWN("key.withdrawn"),
		BACKUP_CREATED("backup.created"), BACKUP_FAILED("backup.failed"), BACKUP_RESTORED("backup.restored"),
		MFA_FACTOR_ADDED("mfa.factor_added"), MFA_FACTOR_REMOVED("mfa.factor_removed"),
		RECOVERY_CODES_REGENERATED("mfa.recovery_codes_regenerated"), RECOVERY_CODE_USED("mfa.recovery_code_used"),
		MFA_SUCCEEDED("mfa.succeeded"), MFA_FAILED("mfa.failed"), PASSKEY_ADDED("passkey.added"),
		PASSKEY_REMOVED("passkey.removed"), PASSKEY_USED("passkey.used"),
		ORGANIZATION_CREATED("organization.created"), ORGANIZATION_UPDATED("organization.updated"),
		ORGANIZATION_DELETED("organization.deleted"), MEMBER_ADDED("organization.member.added"),
		MEMBER_ROLE_CHANGED("organization.member.role_changed"), MEMBER_REMOVED("organization.member.removed"),
		MEMBER_LEFT("organization.member.left"), ROLE_CREATED("organization.role.created"),
		ROLE_UPDATED("organization.role.updated"), ROLE_DELETED("organization.role.deleted"),
		INVITATION_CREATED("organization.invitation.created"), INVITATION_RESENT("organization.invitation.resent"),
		INVITATION_REVOKED("organization.invitation.revoked"),
		INVITATION_ACCEPTED("organization.invitation.accepted"),
		ACTIVE_ORGANIZATION_CHANGED("session.active_organization_changed"), USERS_IMPORTED("users.imported"),
		USERS_EXPORTED("users.exported"), DATA_EXPORTED("account.data_exported"),
		AUDIT_EXPORTED("audit.exported"),
		WEBHOOK_ENDPOINT_CREATED("webhook.endpoint_created"), WEBHOOK_ENDPOINT_UPDATED("webhook.endpoint_updated"),
		WEBHOOK_ENDPOINT_ENABLED("webhook.endpoint_enabled"), WEBHOOK_ENDPOINT_DISABLED("webhook.endpoint_disabled"),
		WEBHOOK_ENDPOINT_DELETED("webhook.endpoint_deleted"), WEBHOOK_SECRET_ROTATED("webhook.secret_rotated"),
		WEBHOOK_REPLAYED("webhook.replayed"), OIDC_CLIENT_CREATED("oidc.client.created"),
		OIDC_CLIENT_UPDATED("oidc.client.updated"), OIDC_CLIENT_SECRET_ROTATED("oidc.client.secret_rotated"),
		OIDC_CLIENT_DELETED("oidc.client.deleted"), OIDC_CONSENT_GRANTED("oidc.consent.granted"),
		OIDC_CONSENT_REVOKED("oidc.consent.revoked"),
		OIDC_SIGNED_IN("oidc.signed_in"), OIDC_TOKEN_EXCHANGED("oidc.token_exchanged"),
		SCIM_TOKEN_CREATED("scim.token_created"), SCIM_TOKEN_REVOKED("scim.token_revoked"),
		SCIM_USER_PROVISIONED("scim.user.provisioned"),
		SCIM_USER_UPDATED("scim.user.updated"), SCIM_USER_DEACTIVATED("scim.user.deactivated"),
		SCIM_USER_REACTIVATED("scim.user.reactivated"), SCIM_USER_DEPROVISIONED("scim.user.deprovisioned"),
		SCIM_GROUP_CREATED("scim.group.created"), SCIM_GROUP_UPDATED("scim.group.updated"),
		SCIM_GROUP_DELETED("scim.group.deleted"),
		API_KEY_CREATED("api_key.created"), API_KEY_ROTATED("api_key.rotated"), API_KEY_REVOKED("api_key.revoked"),
		USER_CREATED("user.created"), USER_UPDATED("user.updated"), USER_BANNED("user.banned"),
		USER_UNBANNED("user.unbanned"), USER_LOCKED("user.locked"), USER_UNLOCKED("user.unlocked"),
		MFA_RESET("mfa.reset"), USER_IMPERSONATED("user.impersonated"),
		// on the administrator's own account when they impersonate a user
		USER_IMPERSONATION_STARTED("user.impersonation_started"),
		CONNECTION_CREATED("organization.connection.created"), CONNECTION_UPDATED("organization.connection.updated"),
		CONNECTION_DELETED("organization.connection.deleted"), DOMAIN_CLAIMED("organization.domain.claimed"),
		DOMAIN_VERIFIED("organization.domain.verified"), DOMAIN_UPDATED("organization.domain.updated"),
		DOMAIN_DELETED("organization.domain.deleted"),
		IDENTITY_LINKED("identity.linked"), IDENTITY_UNLINKED("identity.unlinked"),
		// the admin dashboard's instance roles
		ADMIN_ROLE_GRANTED("admin.role_granted"), ADMIN_ROLE_REVOKED("admin.role_revoked"),
		// settings changed at run time (docs/admin.md, "Settings at run time")
		SETTINGS_CHANGED("settings.changed");

		private final String wireName;

		Type(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return wireName;
		}
	}
}
