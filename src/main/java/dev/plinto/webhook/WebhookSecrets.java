package dev.plinto.webhook;

import dev.plinto.crypto.SealedColumn;
import dev.plinto.crypto.SecretBox;
import dev.plinto.webhook.WebhookRepository.Endpoint;
import java.time.Instant;

/**
 * The endpoints' signing secrets, sealed with the master key ({@link SecretBox}: AES-256-GCM with the endpoint's id
 * as associated data, so a sealed secret cannot be moved to another endpoint). Both sealed columns are declared
 * so that {@code plinto master-key rotate} re-seals them.
 */
final class WebhookSecrets {

	static final SealedColumn CURRENT = new SealedColumn("webhook_endpoints", "id", "secret", "webhook_secret:");

	static final SealedColumn PREVIOUS = new SealedColumn("webhook_endpoints", "id", "previous_secret",
			"webhook_previous_secret:");

	private final SecretBox box;

	WebhookSecrets(SecretBox box) {
		this.box = box;
	}

	String sealCurrent(String endpointId, String secret) {
		return box.seal(secret, CURRENT.associatedData(endpointId));
	}

	String sealPrevious(String endpointId, String secret) {
		return box.seal(secret, PREVIOUS.associatedData(endpointId));
	}

	String openCurrent(Endpoint e) {
		return box.open(e.sealedSecret(), CURRENT.associatedData(e.id()));
	}

	/** The previous secret while its overlap lasts, else null. */
	String openPrevious(Endpoint e, Instant now) {
		if (e.sealedPreviousSecret() == null || e.previousSecretExpiresAt() == null
				|| !now.isBefore(e.previousSecretExpiresAt())) {
			return null;
		}
		return box.open(e.sealedPreviousSecret(), PREVIOUS.associatedData(e.id()));
	}
}
