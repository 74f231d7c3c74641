package dev.plinto.admin;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a secret API key may do on the Backend API (docs/api.md, "Backend API"). A key holds only the scopes it was
 * created with and each route demands one (declared in {@code security.WebSecurityConfiguration}), so a key
 * handed to a reporting job cannot change users (OWASP API Security Top 10 2023, API5 "Broken Function Level
 * Authorization"; least privilege). Scopes do not imply each other: {@code users:write} does not read.
 */
public enum ApiKeyScope {
	USERS_READ("users:read"), USERS_WRITE("users:write"), USERS_IMPERSONATE("users:impersonate"),
	SESSIONS_WRITE("sessions:write"), ORGANIZATIONS_READ("organizations:read"),
	ORGANIZATIONS_WRITE("organizations:write"), AUDIT_READ("audit:read"), KEYS_READ("keys:read"),
	KEYS_WRITE("keys:write"), CLIENTS_READ("clients:read"), CLIENTS_WRITE("clients:write"),
	WEBHOOKS_READ("webhooks:read"), WEBHOOKS_WRITE("webhooks:write"), STATS_READ("stats:read"),
	SETTINGS_READ("settings:read"), SETTINGS_WRITE("settings:write");

	private final String wireName;

	ApiKeyScope(String wireName) {
		this.wireName = wireName;
	}

	/** The name in keys, requests and docs, e.g. {@code users:read}. */
	public String wireName() {
		return wireName;
	}

	/** The Spring Security authority a key with this scope holds, e.g. {@code SCOPE_users:read}. */
	public String authority() {
		return "SCOPE_" + wireName;
	}

	public static Optional<ApiKeyScope> of(String wireName) {
		String name = wireName == null ? "" : wireName.trim().toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
	}
}
