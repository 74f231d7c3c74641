package dev.plinto.admin;

import dev.plinto.web.ClientInfo;

/**
 * Who calls the Backend API or the admin dashboard, and where the call comes from. On the Backend API
 * {@code keyId} is the id of the API key the request was authenticated with ({@link AdminCallerResolver} fills it
 * in); on the dashboard it is the administrator's user id, {@code user} is true and {@code sessionId} names the
 * administrator's session. Everything either changes is audited with that id as the actor.
 */
public record AdminCaller(String keyId, ClientInfo client, boolean user, String sessionId) {

	/** A Backend API key. */
	public AdminCaller(String keyId, ClientInfo client) {
		this(keyId, client, false, null);
	}

	/** An administrator signed in to the dashboard, acting from their session. */
	public static AdminCaller administrator(String userId, String sessionId, ClientInfo client) {
		return new AdminCaller(userId, client, true, sessionId);
	}
}
