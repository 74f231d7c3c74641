package dev.plinto.org;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A role: a key and a set of permissions. The built-in roles {@code owner}, {@code admin} and {@code member} exist
 * in every organization; custom roles belong to one organization. Permissions are the {@code org:*} permissions
 * Plinto enforces, listed in {@link #ORG_PERMISSIONS}, and app-defined {@code app:<name>} permissions that Plinto
 * only carries into access tokens. Least privilege (OWASP Authorization Cheat Sheet, "Enforce least privileges"):
 * a member holds only the permissions of their role.
 */
public record Role(String key, String name, String description, List<String> permissions, boolean builtIn,
		Instant createdAt, Instant updatedAt) {

	public static final String MANAGE = "org:manage";

	public static final String DELETE = "org:delete";

	public static final String MEMBERS_READ = "org:members:read";

	public static final String MEMBERS_MANAGE = "org:members:manage";

	public static final String INVITATIONS_MANAGE = "org:invitations:manage";

	public static final String ROLES_MANAGE = "org:roles:manage";

	/** Enterprise connections and email domains (docs/federation.md). */
	public static final String CONNECTIONS_MANAGE = "org:connections:manage";

	/** Every permission Plinto enforces, in a stable order. */
	public static final List<String> ORG_PERMISSIONS = List.of(MANAGE, DELETE, MEMBERS_READ, MEMBERS_MANAGE,
			INVITATIONS_MANAGE, ROLES_MANAGE, CONNECTIONS_MANAGE);

	public static final String OWNER = "owner";

	public static final String ADMIN = "admin";

	public static final String MEMBER = "member";

	/** Role keys: lower-case letters, digits, single hyphens or underscores between them; at most 48. */
	public static final Pattern KEY = Pattern.compile("[a-z0-9]([_-]?[a-z0-9])*");

	public static final int KEY_MAX = 48;

	/** App permissions: {@code app:} then dot-, colon-, hyphen- or underscore-separated lower-case words. */
	public static final Pattern APP_PERMISSION = Pattern.compile("app:[a-z0-9]+([._:-][a-z0-9]+)*");

	public static final int PERMISSION_MAX = 100;

	public static final int PERMISSIONS_PER_ROLE_MAX = 50;

	private static final Map<String, Role> BUILT_IN = Map.of(
			OWNER, builtIn(OWNER, "Owner", "Full control, including deleting the organization.", ORG_PERMISSIONS),
			ADMIN, builtIn(ADMIN, "Admin", "Manages the organization, its members, invitations, roles, enterprise "
					+ "connections and domains.",
					List.of(MANAGE, MEMBERS_READ, MEMBERS_MANAGE, INVITATIONS_MANAGE, ROLES_MANAGE, CONNECTIONS_MANAGE)),
			MEMBER, builtIn(MEMBER, "Member", "Belongs to the organization and sees its members.",
					List.of(MEMBERS_READ)));

	private static Role builtIn(String key, String name, String description, List<String> permissions) {
		return new Role(key, name, description, permissions, true, null, null);
	}

	/** The built-in role with this key, or null. */
	public static Role builtIn(String key) {
		return BUILT_IN.get(key);
	}

	/** The built-in roles, owner first. */
	public static List<Role> builtInRoles() {
		return List.of(BUILT_IN.get(OWNER), BUILT_IN.get(ADMIN), BUILT_IN.get(MEMBER));
	}

	public static boolean isBuiltIn(String key) {
		return BUILT_IN.containsKey(key);
	}

	/** Whether a permission may appear in a role: a known {@code org:*} one or a well-formed {@code app:*} one. */
	public static boolean validPermission(String permission) {
		return permission != null && (ORG_PERMISSIONS.contains(permission)
				|| permission.length() <= PERMISSION_MAX && APP_PERMISSION.matcher(permission).matches());
	}

	public static boolean validKey(String key) {
		return key != null && key.length() <= KEY_MAX && KEY.matcher(key).matches();
	}

	/** The {@code org:*} permissions of this role that {@code held} lacks, in order. */
	public List<String> orgPermissionsMissingFrom(Set<String> held) {
		return permissions.stream().filter(ORG_PERMISSIONS::contains).filter(p -> !held.contains(p)).toList();
	}
}
