package dev.plinto.web;

/**
 * Who makes a request, for a controller: the signed-in user and the session of the access token, and where the call
 * comes from. For an anonymous call, {@code userId} and {@code sessionId} are null; an MFA enrolment token has a user
 * but no session. Controllers take it as a parameter; {@link CallerArgumentResolver} fills it in.
 */
public record Caller(String userId, String sessionId, ClientInfo client) {

	/** Whether a bearer token was presented and verified for this request. */
	public boolean signedIn() {
		return userId != null;
	}
}
