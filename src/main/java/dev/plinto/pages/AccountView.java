package dev.plinto.pages;

import java.util.List;

/**
 * What the account page shows: the profile and the live sessions; part of the stable template contract.
 *
 * @param name the user's name, or an empty string
 * @param email the email address
 * @param emailVerified whether it is confirmed
 * @param sessions the live sessions, the current one first
 */
public record AccountView(String name, String email, boolean emailVerified, List<SessionRow> sessions) {

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
