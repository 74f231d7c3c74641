package dev.plinto.webhook;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue of event types, version 1 (docs/webhooks.md): each type's wire name is the {@code type} of the
 * payload. Within a version, payloads only gain fields; a change that removes or redefines a field gets a new type
 * name. {@code user.banned} and {@code user.unbanned} join the catalogue with the feature that causes them (the
 * admin API).
 */
public enum WebhookEventType {

	USER_CREATED("user.created"), USER_UPDATED("user.updated"), USER_DELETED("user.deleted"), EMAIL_VERIFIED("email.verified"),
	PASSWORD_CHANGED("password.changed"), SESSION_CREATED("session.created"), SESSION_REVOKED("session.revoked"),
	SESSION_REUSE_DETECTED("session.reuse_detected"), MFA_ENABLED("mfa.enabled"), MFA_DISABLED("mfa.disabled"),
	PASSKEY_ADDED("passkey.added"), PASSKEY_REMOVED("passkey.removed"),
	ORGANIZATION_CREATED("organization.created"), ORGANIZATION_UPDATED("organization.updated"),
	ORGANIZATION_DELETED("organization.deleted"), MEMBERSHIP_CREATED("membership.created"),
	MEMBERSHIP_UPDATED("membership.updated"), MEMBERSHIP_DELETED("membership.deleted"),
	INVITATION_CREATED("invitation.created"), INVITATION_ACCEPTED("invitation.accepted"),
	INVITATION_REVOKED("invitation.revoked"), KEY_ROTATED("key.rotated"), IDENTITY_LINKED("identity.linked"),
	IDENTITY_UNLINKED("identity.unlinked");

	private final String wireName;

	WebhookEventType(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return wireName;
	}

	/** The type with this wire name, such as {@code user.created}. */
	public static Optional<WebhookEventType> of(String wireName) {
		return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
	}
}
