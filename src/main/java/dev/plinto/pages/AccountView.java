package dev.plinto.pages;

import java.util.List;

/**
 * What the account page shows: the profile, two-step verification, the live sessions and the latest security
 * events; part of the stable template contract.
 *
 * @param name the user's name, or an empty string
 * @param email the email address
 * @param emailVerified whether it is confirmed
 * @param sessions the live sessions, the current one first
 * @param mfa the second factors
 * @param events the newest security events of the account, newest first
 */
public record AccountView(String name, String email, boolean emailVerified, List<SessionRow> sessions, Mfa mfa,
		List<EventRow> events) {

	/**
	 * The account's second factors.
	 *
	 * @param totpEnabled whether an authenticator app is set up
	 * @param passkeys how many passkeys the account has
	 * @param recoveryCodesRemaining how many unused recovery codes are left
	 * @param required whether this server requires a second factor ({@code PLINTO_MFA=required})
	 */
	public record Mfa(boolean totpEnabled, int passkeys, int recoveryCodesRemaining, boolean required) {
	}

	/**
	 * One security event.
	 *
	 * @param what the event as a sentence in the page's language
	 * @param when when it happened, ISO-8601 UTC to the minute
	 * @param ip the address it came from, or an empty string
	 * @param userAgent the browser or client, or an empty string
	 */
	public record EventRow(String what, String when, String ip, String userAgent) {
	}

	/**
	 * One live session.
	 *
	 * @param id the session id, posted to revoke it
	 * @param userAgent the browser or client that started it
	 * @param ip the address it was started from
	 * @param lastActive when it was last refreshed, ISO-8601 UTC to the minute
	 * @param current whether it is the session showing this page
	 */
	public record SessionRow(String id, String userAgent, String ip, String lastActive, boolean current) {
	}
}
