package dev.plinto.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.config.PlintoSettings;
import dev.plinto.crypto.SecureTokens;
import dev.plinto.org.ConnectionRepository;
import dev.plinto.org.OrganizationConnection;
import dev.plinto.web.ClientInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * SCIM Groups of one connection (RFC 7643 §4.2, RFC 7644 §3): create, read, list with {@code displayName eq} /
 * {@code externalId eq} filters, replace, patch (members added, removed or replaced; display name and external id
 * replaced; Okta's and Entra ID's shapes) and delete. A group's members can only be users of the same connection.
 * After each change the organization role of every member it touched is recomputed ({@link ScimRoles}), in the
 * same transaction, with the change's audit event.
 */
@Service
final class ScimGroups {

	static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

	/** At most this many members in one group's body. */
	static final int MAX_MEMBERS = 10_000;

	private final ScimRepository scim;

	private final ScimRoles roles;

	private final ConnectionRepository connections;

	private final AuditLog audit;

	private final TransactionOperations tx;

	private final Clock clock;

	private final PlintoSettings settings;

	ScimGroups(ScimRepository scim, ScimRoles roles, ConnectionRepository connections, AuditLog audit,
			TransactionOperations tx, Clock clock, PlintoSettings settings) {
		this.scim = scim;
		this.roles = roles;
		this.connections = connections;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.settings = settings;
	}

	ObjectNode create(String connectionId, ObjectNode body, ClientInfo client) {
		if (!ScimUsers.hasSchema(body, GROUP_SCHEMA)) {
			throw ScimError.badRequest(ScimError.INVALID_SYNTAX, "schemas must list " + GROUP_SCHEMA + ".");
		}
		String displayName = displayName(body);
		String externalId = ScimUsers.text(body, "externalId");
		Set<String> members = memberIds(body.get("members"));
		return tx.execute(status -> {
			OrganizationConnection connection = connection(connectionId);
			if (scim.findGroupByDisplayName(connectionId, displayName).isPresent()) {
				throw ScimError.conflict("This connection already has a group with this displayName.");
			}
			Instant now = clock.instant();
			ScimGroup group = new ScimGroup(SecureTokens.newId("grp"), connectionId, displayName, externalId, 1, now,
					now);
			scim.insertGroup(group);
			for (String userId : members) {
				addMember(connectionId, group.id(), userId);
			}
			resync(connection, members, client);
			audit.recordForOrganization(AuditEvent.Type.SCIM_GROUP_CREATED, null, null, client,
					connection.organizationId(), ScimRoles.via(connection) + ": group " + group.id() + " '"
							+ displayName + "'" + roleNote(connection, displayName));
			return resource(group, true);
		});
	}

	ObjectNode get(String connectionId, String groupId, boolean withMembers) {
		return resource(find(connectionId, groupId), withMembers);
	}

	ScimPage list(String connectionId, ScimRepository.Match match, int startIndex, int count, boolean withMembers) {
		long total = scim.countGroups(connectionId, match);
		List<ObjectNode> page = count == 0 ? List.of()
				: scim.findGroups(connectionId, match, startIndex - 1, count)
					.stream()
					.map(g -> resource(g, withMembers))
					.toList();
		return new ScimPage(total, startIndex, page);
	}

	ObjectNode replace(String connectionId, String groupId, ObjectNode body, ClientInfo client) {
		String displayName = displayName(body);
		String externalId = ScimUsers.text(body, "externalId");
		Set<String> members = memberIds(body.get("members"));
		return tx.execute(status -> {
			OrganizationConnection connection = connection(connectionId);
			ScimGroup current = find(connectionId, groupId);
			Set<String> touched = currentMembers(groupId);
			touched.addAll(members);
			for (String userId : currentMembers(groupId)) {
				if (!members.contains(userId)) {
					scim.removeMember(groupId, userId);
				}
			}
			for (String userId : members) {
				addMember(connectionId, groupId, userId);
			}
			ScimGroup updated = save(current, displayName, externalId);
			resync(connection, touched, client);
			audited(connection, updated, client);
			return resource(updated, true);
		});
	}

	/**
	 * A PATCH: {@code add}/{@code remove}/{@code replace} of {@code members} (a list of {@code {"value": id}}, or
	 * one member by the path {@code members[value eq "id"]}), and {@code replace} of {@code displayName} and
	 * {@code externalId}, by path or in a path-less value (which Okta sends with the group's {@code id}).
	 */
	ObjectNode patch(String connectionId, String groupId, ObjectNode body, ClientInfo client) {
		PatchRequest patch = ScimPatches.request(body);
		return tx.execute(status -> {
			OrganizationConnection connection = connection(connectionId);
			ScimGroup current = find(connectionId, groupId);
			String displayName = current.displayName();
			String externalId = current.externalId();
			Set<String> touched = new LinkedHashSet<>();
			for (PatchOperation op : patch.getOperations()) {
				Path path = op.getPath();
				if (path == null || path.isRoot()) {
					if (op.getOpType() == PatchOpType.REMOVE || !(op.getJsonNode() instanceof ObjectNode value)) {
						throw ScimError.badRequest(ScimError.NO_TARGET, "A remove needs a path.");
					}
					if (value.has("displayName")) {
						displayName = displayName(value);
					}
					if (value.has("externalId")) {
						externalId = ScimUsers.text(value, "externalId");
					}
					if (value.has("members")) {
						touched.addAll(applyMembers(connectionId, groupId, op.getOpType(), memberIds(value.get("members"))));
					}
					continue;
				}
				String attribute = path.getElement(0).getAttribute();
				if (path.size() != 1) {
					throw ScimError.badRequest(ScimError.INVALID_PATH, "Groups take paths members, displayName "
							+ "and externalId.");
				}
				if (attribute.equalsIgnoreCase("members")) {
					Filter filter = path.getElement(0).getValueFilter();
					if (filter != null) {
						if (op.getOpType() != PatchOpType.REMOVE) {
							throw ScimError.badRequest(ScimError.INVALID_PATH, "A member filter is for remove only.");
						}
						String id = memberFilterValue(filter);
						if (scim.removeMember(groupId, id)) {
							touched.add(id);
						}
					}
					else if (op.getOpType() == PatchOpType.REMOVE) {
						touched.addAll(applyMembers(connectionId, groupId, PatchOpType.REPLACE, Set.of()));
					}
					else {
						touched.addAll(applyMembers(connectionId, groupId, op.getOpType(), memberIds(op.getJsonNode())));
					}
				}
				else if (attribute.equalsIgnoreCase("displayName") && op.getOpType() != PatchOpType.REMOVE) {
					ObjectNode holder = ScimResponses.object();
					holder.set("displayName", op.getJsonNode());
					displayName = displayName(holder);
				}
				else if (attribute.equalsIgnoreCase("externalId")) {
					if (op.getOpType() == PatchOpType.REMOVE) {
						externalId = null;
					}
					else {
						ObjectNode holder = ScimResponses.object();
						holder.set("externalId", op.getJsonNode());
						externalId = ScimUsers.text(holder, "externalId");
					}
				}
				else {
					throw ScimError.badRequest(ScimError.INVALID_PATH, "Groups take paths members, displayName and "
							+ "externalId; displayName cannot be removed.");
				}
			}
			boolean renamed = !displayName.equals(current.displayName());
			ScimGroup updated = save(current, displayName, externalId);
			if (renamed) {
				touched.addAll(currentMembers(groupId));
			}
			resync(connection, touched, client);
			audited(connection, updated, client);
			return resource(updated, true);
		});
	}

	void delete(String connectionId, String groupId, ClientInfo client) {
		tx.executeWithoutResult(status -> {
			OrganizationConnection connection = connection(connectionId);
			ScimGroup group = find(connectionId, groupId);
			Set<String> members = currentMembers(groupId);
			scim.deleteGroup(connectionId, groupId);
			resync(connection, members, client);
			audit.recordForOrganization(AuditEvent.Type.SCIM_GROUP_DELETED, null, null, client,
					connection.organizationId(), ScimRoles.via(connection) + ": group " + group.id() + " '"
							+ group.displayName() + "'");
		});
	}

	/** Adds (add), sets (replace) members; returns the users whose groups changed. */
	private Set<String> applyMembers(String connectionId, String groupId, PatchOpType op, Set<String> ids) {
		Set<String> touched = new LinkedHashSet<>();
		if (op == PatchOpType.REPLACE) {
			for (String userId : currentMembers(groupId)) {
				if (!ids.contains(userId) && scim.removeMember(groupId, userId)) {
					touched.add(userId);
				}
			}
		}
		for (String userId : ids) {
			if (addMember(connectionId, groupId, userId)) {
				touched.add(userId);
			}
		}
		return touched;
	}

	/** Adds a member, who must be a user of this connection: 400 {@code invalidValue} otherwise. */
	private boolean addMember(String connectionId, String groupId, String userId) {
		if (scim.findUser(connectionId, userId).isEmpty()) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, "No user with the id " + userId
					+ " exists in this connection; members must be provisioned users.");
		}
		return scim.addMember(connectionId, groupId, userId);
	}

	private void resync(OrganizationConnection connection, Set<String> userIds, ClientInfo client) {
		for (String userId : userIds) {
			scim.findUser(connection.id(), userId).ifPresent(user -> roles.sync(connection, user, client));
		}
	}

	private ScimGroup save(ScimGroup current, String displayName, String externalId) {
		if (!JdbcScimRepository.key(displayName).equals(JdbcScimRepository.key(current.displayName()))
				&& scim.findGroupByDisplayName(current.connectionId(), displayName).isPresent()) {
			throw ScimError.conflict("This connection already has a group with this displayName.");
		}
		ScimGroup updated = new ScimGroup(current.id(), current.connectionId(), displayName, externalId,
				current.version() + 1, current.createdAt(), clock.instant());
		scim.updateGroup(updated);
		return updated;
	}

	private void audited(OrganizationConnection connection, ScimGroup group, ClientInfo client) {
		audit.recordForOrganization(AuditEvent.Type.SCIM_GROUP_UPDATED, null, null, client,
				connection.organizationId(), ScimRoles.via(connection) + ": group " + group.id() + " '"
						+ group.displayName() + "'" + roleNote(connection, group.displayName()));
	}

	private String roleNote(OrganizationConnection connection, String displayName) {
		return roles.mappedRole(connection, displayName).map(r -> " gives role " + r.key()).orElse(" gives no role");
	}

	private Set<String> currentMembers(String groupId) {
		Set<String> ids = new LinkedHashSet<>();
		scim.members(groupId).forEach(m -> ids.add(m.userId()));
		return ids;
	}

	private ScimGroup find(String connectionId, String groupId) {
		return scim.findGroup(connectionId, groupId)
			.orElseThrow(() -> ScimError.notFound("This connection has no group with this id."));
	}

	private OrganizationConnection connection(String connectionId) {
		return connections.findById(connectionId)
			.orElseThrow(() -> ScimError.notFound("This connection no longer exists."));
	}

	private static String displayName(ObjectNode body) {
		String name = ScimUsers.text(body, "displayName");
		if (name == null || name.isBlank()) {
			throw ScimError.badRequest(ScimError.INVALID_VALUE, "displayName is required.");
		}
		return name.strip();
	}

	private static Set<String> memberIds(JsonNode members) {
		Set<String> ids = new LinkedHashSet<>();
		if (members == null || members.isNull()) {
			return ids;
		}
		if (!members.isArray()) {
			if (members.isObject()) {
				members = ScimResponses.object().arrayNode().add(members);
			}
			else {
				throw ScimError.badRequest(ScimError.INVALID_VALUE, "members must be a list of {\"value\": id}.");
			}
		}
		if (members.size() > MAX_MEMBERS) {
			throw ScimError.badRequest(ScimError.TOO_MANY, "At most " + MAX_MEMBERS + " members at once.");
		}
		for (JsonNode member : members) {
			if (!member.path("value").isTextual()) {
				throw ScimError.badRequest(ScimError.INVALID_VALUE, "Each member needs a value: the user's id.");
			}
			ids.add(member.path("value").asText());
		}
		return ids;
	}

	private static String memberFilterValue(Filter filter) {
		if (filter.getFilterType() == FilterType.EQUAL && filter.getAttributePath() != null
				&& filter.getAttributePath().size() == 1
				&& filter.getAttributePath().getElement(0).getAttribute().equalsIgnoreCase("value")
				&& filter.getComparisonValue() != null && filter.getComparisonValue().isTextual()) {
			return filter.getComparisonValue().asText();
		}
		throw ScimError.badRequest(ScimError.INVALID_FILTER, "Remove one member with members[value eq \"id\"].");
	}

	/** The Group resource as the client reads it (RFC 7643 §4.2), with or without its members. */
	private ObjectNode resource(ScimGroup group, boolean withMembers) {
		String base = ScimTokens.baseUrl(settings, group.connectionId());
		ObjectNode out = ScimResponses.object();
		out.putArray("schemas").add(GROUP_SCHEMA);
		out.put("id", group.id());
		out.put("displayName", group.displayName());
		if (group.externalId() != null) {
			out.put("externalId", group.externalId());
		}
		if (withMembers) {
			ArrayNode members = out.putArray("members");
			for (ScimRepository.GroupMember m : scim.members(group.id())) {
				members.addObject().put("value", m.userId()).put("display", m.userName())
					.put("$ref", base + "/Users/" + m.userId());
			}
		}
		out.set("meta", ScimUsers.meta("Group", base + "/Groups/" + group.id(), group.createdAt(),
				group.updatedAt(), group.version()));
		return out;
	}
}
