package dev.plinto.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs deliveries as the Standard Webhooks specification says ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature} = {@code v1,} + base64 HMAC-SHA256 over {@code id.timestamp.body}), with the reference
 * Java library rather than our own HMAC code. During a secret rotation's overlap the signature header carries one
 * signature per secret, space-separated, so a receiver still configured with the old secret keeps verifying
 * (Standard Webhooks, "Signature scheme": several signatures for zero-downtime rotation).
 */
final class WebhookSigner {

	/** {@code whsec_} and the base64 of 32 random bytes: 256 bits, the HMAC-SHA256 key size (RFC 2104 §3). */
	static String newSecret() {
		return Webhook.SECRET_PREFIX + Base64.getEncoder().encodeToString(SecureTokens.randomBytes(32));
	}

	/** The headers of one delivery. */
	record Signed(String id, String timestamp, String signature) {
	}

	private WebhookSigner() {
	}

	/** Signs {@code body} with the current secret and, when given, the previous one too. */
	static Signed sign(String messageId, Instant at, String body, String secret, String previousSecret) {
		long timestamp = at.getEpochSecond();
		List<String> signatures = new ArrayList<>();
		try {
			signatures.add(new Webhook(secret).sign(messageId, timestamp, body));
			if (previousSecret != null) {
				signatures.add(new Webhook(previousSecret).sign(messageId, timestamp, body));
			}
		}
		catch (WebhookSigningException e) {
			throw new IllegalStateException("HMAC-SHA256 is not available", e);
		}
		return new Signed(messageId, Long.toString(timestamp), String.join(" ", signatures));
	}
}
