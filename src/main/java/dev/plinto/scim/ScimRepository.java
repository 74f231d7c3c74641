package dev.plinto.scim;

import java.util.List;
import java.util.Optional;

/**
 * Storage of SCIM users and groups (V24). Every method takes the connection id and every query filters by it, so
 * one connection's token can never reach another connection's rows (OWASP API Security Top 10 2023, API1 "Broken
 * Object Level Authorization").
 */
interface ScimRepository {

	/** A filter {@code attribute eq value} on one of the columns SCIM filters may name; null: no filter. */
	record Match(String column, String value) {
	}

	void insertUser(ScimUser user);

	void updateUser(ScimUser user);

	boolean deleteUser(String connectionId, String userId);

	Optional<ScimUser> findUser(String connectionId, String userId);

	Optional<ScimUser> findUserByUserName(String connectionId, String userName);

	/** Users in creation order, from {@code offset}, at most {@code limit}. */
	List<ScimUser> findUsers(String connectionId, Match match, int offset, int limit);

	long countUsers(String connectionId, Match match);

	void insertGroup(ScimGroup group);

	void updateGroup(ScimGroup group);

	boolean deleteGroup(String connectionId, String groupId);

	Optional<ScimGroup> findGroup(String connectionId, String groupId);

	Optional<ScimGroup> findGroupByDisplayName(String connectionId, String displayName);

	List<ScimGroup> findGroups(String connectionId, Match match, int offset, int limit);

	long countGroups(String connectionId, Match match);

	/** A group member: the user's id and userName. */
	record GroupMember(String userId, String userName) {
	}

	List<GroupMember> members(String groupId);

	/** Adds a user of the same connection to the group; false when already a member. */
	boolean addMember(String connectionId, String groupId, String userId);

	boolean removeMember(String groupId, String userId);

	/** Whether a connection of the organization provisions the user and has deactivated them. */
	boolean deactivatedInOrganization(String organizationId, String userId);

	/** The groups the user belongs to, by display name. */
	List<ScimGroup> groupsOf(String connectionId, String userId);
}
