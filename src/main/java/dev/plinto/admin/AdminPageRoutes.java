package dev.plinto.admin;

import java.util.List;

/** The paths of the admin dashboard (docs/admin.md), for its controllers and the pages' filter chain. */
public final class AdminPageRoutes {

	public static final String OVERVIEW = "/admin";

	public static final String USERS = "/admin/users";

	public static final String SYSTEM = "/admin/system";

	public static final String KEYS = "/admin/keys";

	public static final String AUDIT = "/admin/audit";

	public static final String WEBHOOKS = "/admin/webhooks";

	public static final String ORGANIZATIONS = "/admin/organizations";

	public static final String API_KEYS = "/admin/api-keys";

	public static final String CLIENTS = "/admin/clients";

	public static final String SETTINGS = "/admin/settings";

	/** The page the bootstrap link opens: any signed-in browser may open it (it checks the link's token). */
	public static final String BOOTSTRAP = "/admin/bootstrap";

	/** Every path pattern of the dashboard; the pages' filter chain owns them. */
	public static final List<String> PATTERNS = List.of(OVERVIEW, "/admin/**");

	/**
	 * The posts that need a sign-in within {@code PLINTO_REAUTHENTICATION_WINDOW} on top of the role: withdrawing a
	 * signing key, deleting a user, impersonating one, changing a user's email address (whoever holds the new address
	 * can reset the password), rotating or revoking a Backend API key, deleting an
	 * organization, rotating a webhook endpoint's secret (which shows the new one) or deleting the endpoint, giving an
	 * OIDC client a new secret or deleting one, and changing the settings at run time (OWASP Authentication Cheat
	 * Sheet, "Require Re-authentication for Sensitive Features").
	 */
	public static final List<String> RECENT_SIGN_IN = List.of(KEYS + "/withdraw", USERS + "/{id}/delete",
			USERS + "/{id}/impersonate", USERS + "/{id}/email", API_KEYS + "/{id}/rotate", API_KEYS + "/{id}/revoke",
			ORGANIZATIONS + "/{id}/delete", WEBHOOKS + "/{id}/rotate-secret", WEBHOOKS + "/{id}/delete",
			CLIENTS + "/{id}/rotate-secret", CLIENTS + "/{id}/delete", SETTINGS);

	private AdminPageRoutes() {
	}
}
