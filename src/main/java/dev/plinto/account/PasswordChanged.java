package dev.plinto.account;

import dev.plinto.web.ClientInfo;

/**
 * Published inside the transaction that changes or resets a password, so that the sessions of the account end in
 * that same transaction (the session feature listens; OWASP Session Management Cheat Sheet, "Renew the session ID
 * after any privilege level change", and OWASP Forgot Password Cheat Sheet, "invalidate existing sessions").
 *
 * @param userId the account
 * @param keptSessionId the session that made the change and stays signed in, or {@code null} to end every session
 * @param reason the revocation reason recorded in the audit log: {@code password_changed} or {@code password_reset}
 * @param client who made the change
 */
public record PasswordChanged(String userId, String keptSessionId, String reason, ClientInfo client) {
}
