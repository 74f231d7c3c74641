package dev.plinto.account;

import dev.plinto.web.ClientInfo;

/**
 * The second factor a user re-authenticates with, besides the password, before deleting the account: implemented
 * by {@code mfa} (an authenticator code, or a recovery code). OWASP Authentication Cheat Sheet, "Require
 * Re-authentication for Sensitive Features"; OWASP Multifactor Authentication Cheat Sheet: a user with a second
 * factor proves it again for the most sensitive changes.
 */
public interface ReauthenticationFactor {

	/** Whether the user has a second factor to prove on re-authentication. */
	boolean required(String userId);

	/** Checks and spends a code of the user's factor; false when it is wrong or already used. */
	boolean verify(User user, String code, String sessionId, ClientInfo client);
}
