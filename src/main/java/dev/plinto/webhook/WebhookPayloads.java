package dev.plinto.webhook;

import dev.plinto.mfa.PasskeyService;
import dev.plinto.org.Invitation;
import dev.plinto.org.Membership;
import dev.plinto.org.Organization;
import dev.plinto.session.Session;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The {@code data} of each event type (docs/webhooks.md, "Catalogue"): the resource as the API returns it, never a
 * secret, a hash or private metadata. Serialized in snake_case; instants as ISO-8601 UTC.
 */
final class WebhookPayloads {

	private WebhookPayloads() {
	}

	/** The body every endpoint receives, the Standard Webhooks payload shape with the event's id beside it. */
	record Envelope(String id, String type, Instant timestamp, Object data) {
	}

	/** {@code password.changed}: {@code reason} is {@code password_changed} or {@code password_reset}. */
	record PasswordChangedData(String userId, String reason) {
	}

	/** {@code session.created}. */
	record SessionData(String id, String userId, List<String> amr, String ip, String userAgent, Instant createdAt,
			Instant expiresAt) {

		static SessionData of(Session s) {
			return new SessionData(s.id(), s.userId(), s.amr(), s.ip(), s.userAgent(), s.createdAt(), s.expiresAt());
		}
	}

	/** {@code session.revoked} and {@code session.reuse_detected}. */
	record SessionRevokedData(String id, String userId, String reason) {
	}

	/** {@code mfa.enabled} and {@code mfa.disabled}. */
	record MfaData(String userId, String factor) {
	}

	/**
	 * {@code identity.linked} and {@code identity.unlinked}: an account at an identity provider and the user it signs
	 * in to, as GET /v1/me/identities lists it (without the profile).
	 */
	record IdentityData(String id, String userId, String provider, String subject, String email,
			boolean emailVerified) {
	}

	/** {@code passkey.added} and {@code passkey.removed}: the passkey as the API lists it. */
	record PasskeyData(String id, String userId, String name, String credentialId, List<String> transports,
			Instant createdAt, Instant lastUsedAt) {

		static PasskeyData of(String userId, PasskeyService.PasskeyView p) {
			return new PasskeyData(p.id(), userId, p.name(), p.credentialId(), p.transports(), p.createdAt(),
					p.lastUsedAt());
		}
	}

	/** {@code organization.*}: the organization with its public metadata (private metadata stays out). */
	record OrganizationData(String id, String name, String slug, JsonNode publicMetadata, String createdBy,
			Instant createdAt, Instant updatedAt) {

		static OrganizationData of(Organization o, JsonNode publicMetadata) {
			return new OrganizationData(o.id(), o.name(), o.slug(), publicMetadata, o.createdBy(), o.createdAt(),
					o.updatedAt());
		}
	}

	/** {@code membership.*}. */
	record MembershipData(String organizationId, String userId, String role, Instant createdAt, Instant updatedAt) {

		static MembershipData of(Membership m) {
			return new MembershipData(m.organizationId(), m.userId(), m.role(), m.createdAt(), m.updatedAt());
		}
	}

	/** {@code invitation.*}: without the link's token (only its hash is stored anyway). */
	record InvitationData(String id, String organizationId, String email, String role, String status,
			String invitedBy, Instant createdAt, Instant expiresAt, String acceptedBy) {

		static InvitationData of(Invitation i, Instant now) {
			return new InvitationData(i.id(), i.organizationId(), i.email(), i.role(), i.status(now), i.invitedBy(),
					i.createdAt(), i.expiresAt(), i.acceptedBy());
		}
	}

	/** {@code key.rotated}. */
	record KeyData(String kid, String alg, Instant activatesAt, boolean immediate) {
	}
}
