package dev.plinto.webhook;

import dev.plinto.account.AccountEvent;
import dev.plinto.account.IdentityEvent;
import dev.plinto.account.PasswordChanged;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.mfa.MfaEvent;
import dev.plinto.org.OrganizationEvent;
import dev.plinto.session.SessionEnded;
import dev.plinto.session.SessionStarted;
import dev.plinto.token.KeyRotated;
import dev.plinto.webhook.WebhookPayloads.Envelope;
import dev.plinto.webhook.WebhookPayloads.IdentityData;
import dev.plinto.webhook.WebhookPayloads.InvitationData;
import dev.plinto.webhook.WebhookPayloads.KeyData;
import dev.plinto.webhook.WebhookPayloads.MembershipData;
import dev.plinto.webhook.WebhookPayloads.MfaData;
import dev.plinto.webhook.WebhookPayloads.OrganizationData;
import dev.plinto.webhook.WebhookPayloads.PasskeyData;
import dev.plinto.webhook.WebhookPayloads.PasswordChangedData;
import dev.plinto.webhook.WebhookPayloads.SessionData;
import dev.plinto.webhook.WebhookPayloads.SessionRevokedData;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox (docs/webhooks.md, "Delivery"): listens synchronously to the identity features' events,
 * which they publish inside the transaction of the change, and writes the event and one delivery per interested
 * endpoint in that same transaction. A committed change therefore always has its event stored, and a change that
 * rolls back takes its event with it (the Transactional Outbox pattern; the delivery happens later, from the
 * stored rows, so a crash between commit and delivery loses nothing). Listening after commit instead would lose
 * the event when the node stops between the commit and the write.
 * <p>
 * An event no enabled endpoint wants is not stored: there is nobody to deliver it to.
 */
@Component
final class WebhookOutbox {

	private final WebhookRepository repository;

	private final JsonMapper json;

	private final Clock clock;

	WebhookOutbox(WebhookRepository repository, Clock clock) {
		this.repository = repository;
		this.json = WebhookJson.MAPPER;
		this.clock = clock;
	}

	@EventListener
	void account(AccountEvent event) {
		WebhookEventType type = switch (event.kind()) {
			case CREATED -> WebhookEventType.USER_CREATED;
			case UPDATED -> WebhookEventType.USER_UPDATED;
			case EMAIL_VERIFIED -> WebhookEventType.EMAIL_VERIFIED;
			case DELETED -> WebhookEventType.USER_DELETED;
		};
		write(type, event.user());
	}

	@EventListener
	void passwordChanged(PasswordChanged event) {
		write(WebhookEventType.PASSWORD_CHANGED, new PasswordChangedData(event.userId(), event.reason()));
	}

	@EventListener
	void sessionStarted(SessionStarted event) {
		write(WebhookEventType.SESSION_CREATED, SessionData.of(event.session()));
	}

	@EventListener
	void sessionEnded(SessionEnded event) {
		SessionRevokedData data = new SessionRevokedData(event.sessionId(), event.userId(), event.reason());
		write(WebhookEventType.SESSION_REVOKED, data);
		if (SessionEnded.REUSE_DETECTED.equals(event.reason())) {
			write(WebhookEventType.SESSION_REUSE_DETECTED, data);
		}
	}

	@EventListener
	void mfa(MfaEvent event) {
		switch (event.kind()) {
			case ENABLED -> write(WebhookEventType.MFA_ENABLED, new MfaData(event.userId(), event.factor()));
			case DISABLED -> write(WebhookEventType.MFA_DISABLED, new MfaData(event.userId(), event.factor()));
			case PASSKEY_ADDED -> write(WebhookEventType.PASSKEY_ADDED,
					PasskeyData.of(event.userId(), event.passkey()));
			case PASSKEY_REMOVED -> write(WebhookEventType.PASSKEY_REMOVED,
					PasskeyData.of(event.userId(), event.passkey()));
		}
	}

	@EventListener
	void organization(OrganizationEvent event) {
		Instant now = clock.instant();
		switch (event.kind()) {
			case ORGANIZATION_CREATED -> write(WebhookEventType.ORGANIZATION_CREATED, organizationData(event));
			case ORGANIZATION_UPDATED -> write(WebhookEventType.ORGANIZATION_UPDATED, organizationData(event));
			case ORGANIZATION_DELETED -> write(WebhookEventType.ORGANIZATION_DELETED, organizationData(event));
			case MEMBERSHIP_CREATED -> write(WebhookEventType.MEMBERSHIP_CREATED,
					MembershipData.of(event.membership()));
			case MEMBERSHIP_UPDATED -> write(WebhookEventType.MEMBERSHIP_UPDATED,
					MembershipData.of(event.membership()));
			case MEMBERSHIP_DELETED -> write(WebhookEventType.MEMBERSHIP_DELETED,
					MembershipData.of(event.membership()));
			case INVITATION_CREATED -> write(WebhookEventType.INVITATION_CREATED,
					InvitationData.of(event.invitation(), now));
			case INVITATION_ACCEPTED -> write(WebhookEventType.INVITATION_ACCEPTED,
					InvitationData.of(event.invitation(), now));
			case INVITATION_REVOKED -> write(WebhookEventType.INVITATION_REVOKED,
					InvitationData.of(event.invitation(), now));
		}
	}

	@EventListener
	void identity(IdentityEvent event) {
		IdentityData data = new IdentityData(event.identityId(), event.userId(), event.provider(), event.subject(),
				event.email(), event.emailVerified());
		write(event.kind() == IdentityEvent.Kind.LINKED ? WebhookEventType.IDENTITY_LINKED
				: WebhookEventType.IDENTITY_UNLINKED, data);
	}

	@EventListener
	void keyRotated(KeyRotated event) {
		write(WebhookEventType.KEY_ROTATED,
				new KeyData(event.kid(), event.algorithm(), event.activatesAt(), event.immediate()));
	}

	private OrganizationData organizationData(OrganizationEvent event) {
		JsonNode metadata = json.readTree(event.organization().publicMetadata());
		return OrganizationData.of(event.organization(), metadata);
	}

	/**
	 * Stores the event and its deliveries in the caller's transaction. The event's id ({@code msg_…}) is the
	 * {@code webhook-id} of every delivery of it, the same on each retry, so a receiver can drop duplicates
	 * (Standard Webhooks, "Idempotency").
	 */
	void write(WebhookEventType type, Object data) {
		List<String> endpoints = repository.findEnabledEndpoints()
			.stream()
			.filter(e -> e.wants(type.wireName()))
			.map(WebhookRepository.Endpoint::id)
			.toList();
		if (endpoints.isEmpty()) {
			return;
		}
		Instant now = clock.instant();
		String id = SecureTokens.newId("msg");
		String payload = json.writeValueAsString(new Envelope(id, type.wireName(), now, data));
		repository.insertEvent(id, type.wireName(), payload, now);
		repository.insertMessages(id, endpoints, now);
	}
}
