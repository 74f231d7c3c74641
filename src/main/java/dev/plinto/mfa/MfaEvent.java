package dev.plinto.mfa;

/**
 * Published inside the transaction that enables or removes a second factor, so that webhooks record
 * {@code mfa.enabled}, {@code mfa.disabled}, {@code passkey.added} or {@code passkey.removed} in that same
 * transaction (docs/webhooks.md).
 *
 * @param kind what happened
 * @param userId the account
 * @param factor {@code totp} or {@code passkey}
 * @param passkey the passkey added or removed, as the API shows it; null for TOTP
 */
public record MfaEvent(Kind kind, String userId, String factor, PasskeyService.PasskeyView passkey) {

	public enum Kind { ENABLED, DISABLED, PASSKEY_ADDED, PASSKEY_REMOVED }
}
