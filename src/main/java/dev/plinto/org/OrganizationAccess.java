package dev.plinto.org;

import dev.plinto.web.ApiException;
import dev.plinto.web.ErrorCode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The one place that decides who may do what in an organization (OWASP Authorization Cheat Sheet: "Enforce
 * authorization checks on every request", "Deny by default"; OWASP API Security Top 10 2023, API1 "Broken Object
 * Level Authorization").
 * <p>
 * The caller's membership is loaded by organization id <em>and</em> user id, so a caller reaches an organization
 * only through their own membership row. A caller who is not a member gets 404 {@code not_found}, exactly as for
 * an organization that does not exist, so organization ids cannot be probed; a member who lacks a permission gets
 * 403 {@code forbidden} naming it. Nobody can grant what they do not hold: assigning a role, defining one, or
 * changing or removing a member requires the caller to hold every {@code org:*} permission of the roles involved
 * (no privilege escalation; OWASP Authorization Cheat Sheet, "Enforce least privileges").
 */
@Component
final class OrganizationAccess {

	/** The shape of ids Plinto issues; anything else cannot exist and is answered 404 before any query. */
	private static final Pattern ID = Pattern.compile("[a-z]{2,8}_[0-9a-z]{26}");

	private final OrganizationRepository organizations;

	OrganizationAccess(OrganizationRepository organizations) {
		this.organizations = organizations;
	}

	/** The caller, their membership, their role and that role's permissions in one organization. */
	record Access(String userId, Organization organization, Membership membership, Role role) {

		String organizationId() {
			return organization.id();
		}

		Set<String> permissions() {
			return new LinkedHashSet<>(role.permissions());
		}

		boolean has(String permission) {
			return role.permissions().contains(permission);
		}
	}

	/** The caller's access to an organization they belong to; 404 {@code not_found} otherwise. */
	Access member(String userId, String organizationId) {
		if (!plausibleId(organizationId)) {
			throw notFound();
		}
		Membership membership = organizations.findMembership(organizationId, userId).orElseThrow(
				OrganizationAccess::notFound);
		Organization organization = organizations.findById(organizationId).orElseThrow(OrganizationAccess::notFound);
		return new Access(userId, organization, membership, role(organizationId, membership.role()));
	}

	/**
	 * The organization for the operator (the Backend API, the admin dashboard), who reaches every organization
	 * without a membership; 404 {@code not_found} when none has this id.
	 */
	Organization operator(String organizationId) {
		if (!plausibleId(organizationId)) {
			throw operatorNotFound();
		}
		return organizations.findById(organizationId).orElseThrow(OrganizationAccess::operatorNotFound);
	}

	/** As {@link #member}, and the caller's role must hold {@code permission}; 403 {@code forbidden} otherwise. */
	Access require(String userId, String organizationId, String permission) {
		Access access = member(userId, organizationId);
		if (!access.has(permission)) {
			throw new ApiException(ErrorCode.FORBIDDEN, "Your role '" + access.role().key()
					+ "' lacks the permission " + permission + " that this needs.");
		}
		return access;
	}

	/**
	 * Refuses with 403 {@code forbidden} when {@code role} holds an {@code org:*} permission the caller lacks:
	 * {@code what} says what the caller tried, e.g. "grant the role 'owner'".
	 */
	void requireCovers(Access access, Role role, String what) {
		List<String> missing = role.orgPermissionsMissingFrom(access.permissions());
		if (!missing.isEmpty()) {
			throw new ApiException(ErrorCode.FORBIDDEN, "To " + what + " you need the permission " + missing.get(0)
					+ ", which your role '" + access.role().key() + "' lacks.");
		}
	}

	/** A built-in role, or a custom role of this organization; null when neither exists. */
	Role findRole(String organizationId, String key) {
		Role builtIn = Role.builtIn(key);
		if (builtIn != null) {
			return builtIn;
		}
		if (!Role.validKey(key)) {
			return null;
		}
		return organizations.findRole(organizationId, key).orElse(null);
	}

	/** The role with this key, or (should a role ever be missing) one without permissions: deny by default. */
	Role roleOrDenyAll(String organizationId, String key) {
		return role(organizationId, key);
	}

	private Role role(String organizationId, String key) {
		Role role = findRole(organizationId, key);
		if (role == null) {
			// cannot happen: a role in use cannot be deleted; deny by default if it ever does
			return new Role(key, key, null, List.of(), false, null, null);
		}
		return role;
	}

	static boolean plausibleId(String id) {
		return id != null && ID.matcher(id).matches();
	}

	static ApiException notFound() {
		return new ApiException(ErrorCode.NOT_FOUND,
				"No organization with this id exists among the organizations you belong to.");
	}

	private static ApiException operatorNotFound() {
		return new ApiException(ErrorCode.NOT_FOUND, "No organization with this id exists.");
	}
}
