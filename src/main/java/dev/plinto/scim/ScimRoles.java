package dev.plinto.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.org.ProvisionedMemberships;
import dev.plinto.org.Role;
import dev.plinto.session.SessionService;
import dev.plinto.web.ClientInfo;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Turns a SCIM user's state into their membership of the connection's organization (docs/federation.md, "Groups
 * and roles", "Deactivation"):
 * <ul>
 * <li>An active user is a member with the role of their groups: a group gives the role its display name maps to
 * in the connection's {@code attribute_mapping} ({@code {"roles": {"<displayName>": "<role key>"}}}), else the
 * role whose key equals the display name (case-insensitively). Of several, the one with the most {@code org:*}
 * permissions wins (then the most permissions, then the smaller key). Without any, the connection's default role.
 * {@code owner} is never given and an owner's membership is never changed ({@link ProvisionedMemberships}).</li>
 * <li>An inactive or deleted user is no member, and all their sessions are revoked (OWASP Session Management Cheat
 * Sheet, "Session expiration": end sessions when the account's access is withdrawn).</li>
 * </ul>
 */
@Component
final class ScimRoles {

	private final ScimRepository scim;

	private final ProvisionedMemberships memberships;

	private final SessionService sessions;

	ScimRoles(ScimRepository scim, ProvisionedMemberships memberships, SessionService sessions) {
		this.scim = scim;
		this.memberships = memberships;
		this.sessions = sessions;
	}

	/** Brings the membership in line with the user's state, in the caller's transaction. */
	void sync(OrganizationConnection connection, ScimUser user, ClientInfo client) {
		if (user.active()) {
			memberships.ensure(connection.organizationId(), user.userId(), roleOf(connection, user.userId()),
					via(connection), client);
		}
		else {
			withdraw(connection, user.userId(), "scim_deactivated", client);
		}
	}

	/** Ends the membership (an owner's stays) and revokes every session of the user. */
	void withdraw(OrganizationConnection connection, String userId, String reason, ClientInfo client) {
		memberships.remove(connection.organizationId(), userId, via(connection), client);
		sessions.revokeAll(userId, null, reason, client);
	}

	/** The role the user's groups give, else the connection's default role, else {@code member}. */
	String roleOf(OrganizationConnection connection, String userId) {
		return scim.groupsOf(connection.id(), userId)
			.stream()
			.map(g -> mappedRole(connection, g.displayName()))
			.flatMap(Optional::stream)
			.max(Comparator.comparingInt((Role r) -> (int) r.permissions().stream()
				.filter(Role.ORG_PERMISSIONS::contains).count())
				.thenComparingInt(r -> r.permissions().size())
				.thenComparing(Role::key, Comparator.reverseOrder()))
			.map(Role::key)
			.or(() -> memberships.grantableRole(connection.organizationId(), connection.defaultRole()).map(Role::key))
			.orElse(Role.MEMBER);
	}

	/** The role a group's display name gives in this connection, if any. */
	Optional<Role> mappedRole(OrganizationConnection connection, String displayName) {
		JsonNode roles = roles(connection);
		if (roles != null) {
			JsonNode exact = roles.get(displayName);
			if (exact != null && exact.isTextual()) {
				return memberships.grantableRole(connection.organizationId(), exact.asText());
			}
			for (Iterator<Map.Entry<String, JsonNode>> it = roles.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> entry = it.next();
				if (entry.getKey().equalsIgnoreCase(displayName) && entry.getValue().isTextual()) {
					return memberships.grantableRole(connection.organizationId(), entry.getValue().asText());
				}
			}
		}
		String key = JdbcScimRepository.key(displayName);
		return Role.validKey(key) ? memberships.grantableRole(connection.organizationId(), key) : Optional.empty();
	}

	private static JsonNode roles(OrganizationConnection connection) {
		try {
			JsonNode mapping = ScimResponses.JSON.readTree(connection.attributeMapping());
			JsonNode roles = mapping == null ? null : mapping.get("roles");
			return roles != null && roles.isObject() ? roles : null;
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException e) {
			return null;
		}
	}

	static String via(OrganizationConnection connection) {
		return "SCIM, connection " + connection.id();
	}
}
