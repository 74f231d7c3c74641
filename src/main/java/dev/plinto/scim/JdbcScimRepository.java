package dev.plinto.scim;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcScimRepository implements ScimRepository {

	/** The columns a filter may name; nothing else is ever put into SQL text. */
	private static final Set<String> USER_COLUMNS = Set.of("user_id", "user_name_key", "external_id");

	private static final Set<String> GROUP_COLUMNS = Set.of("id", "display_name_key", "external_id");

	private final JdbcClient jdbc;

	JdbcScimRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	static String key(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	@Override
	public void insertUser(ScimUser u) {
		try {
			insertUserRow(u);
		}
		catch (DuplicateKeyException e) {
			throw ScimError.conflict("A user with this userName, or this account, already exists in this connection.");
		}
	}

	private void insertUserRow(ScimUser u) {
		jdbc.sql("""
				insert into scim_users (connection_id, user_id, user_name, user_name_key, external_id, active,
				created_account, attributes, version, created_at, updated_at) values (:conn, :user, :name, :key,
				:ext, :active, :created, :attributes, :version, :createdAt, :updatedAt)""")
			.param("conn", u.connectionId())
			.param("user", u.userId())
			.param("name", u.userName())
			.param("key", key(u.userName()))
			.param("ext", u.externalId())
			.param("active", u.active())
			.param("created", u.createdAccount())
			.param("attributes", u.attributes())
			.param("version", u.version())
			.param("createdAt", timestamp(u.createdAt()))
			.param("updatedAt", timestamp(u.updatedAt()))
			.update();
	}

	@Override
	public void updateUser(ScimUser u) {
		try {
			updateUserRow(u);
		}
		catch (DuplicateKeyException e) {
			throw ScimError.conflict("A user with this userName already exists in this connection.");
		}
	}

	private void updateUserRow(ScimUser u) {
		jdbc.sql("""
				update scim_users set user_name = :name, user_name_key = :key, external_id = :ext, active = :active,
				attributes = :attributes, version = :version, updated_at = :updatedAt
				where connection_id = :conn and user_id = :user""")
			.param("name", u.userName())
			.param("key", key(u.userName()))
			.param("ext", u.externalId())
			.param("active", u.active())
			.param("attributes", u.attributes())
			.param("version", u.version())
			.param("updatedAt", timestamp(u.updatedAt()))
			.param("conn", u.connectionId())
			.param("user", u.userId())
			.update();
	}

	@Override
	public boolean deleteUser(String connectionId, String userId) {
		return jdbc.sql("delete from scim_users where connection_id = :conn and user_id = :user")
			.param("conn", connectionId)
			.param("user", userId)
			.update() > 0;
	}

	@Override
	public Optional<ScimUser> findUser(String connectionId, String userId) {
		return jdbc.sql("select * from scim_users where connection_id = :conn and user_id = :user")
			.param("conn", connectionId)
			.param("user", userId)
			.query(JdbcScimRepository::user)
			.optional();
	}

	@Override
	public Optional<ScimUser> findUserByUserName(String connectionId, String userName) {
		return jdbc.sql("select * from scim_users where connection_id = :conn and user_name_key = :key")
			.param("conn", connectionId)
			.param("key", key(userName))
			.query(JdbcScimRepository::user)
			.optional();
	}

	@Override
	public List<ScimUser> findUsers(String connectionId, Match match, int offset, int limit) {
		return jdbc.sql("select * from scim_users where connection_id = :conn" + where(match, USER_COLUMNS)
				+ " order by created_at, user_id offset :offset rows fetch next :limit rows only")
			.param("conn", connectionId)
			.params(match == null ? java.util.Map.of() : java.util.Map.of("value", match.value()))
			.param("offset", offset)
			.param("limit", limit)
			.query(JdbcScimRepository::user)
			.list();
	}

	@Override
	public long countUsers(String connectionId, Match match) {
		return jdbc.sql("select count(*) from scim_users where connection_id = :conn" + where(match, USER_COLUMNS))
			.param("conn", connectionId)
			.params(match == null ? java.util.Map.of() : java.util.Map.of("value", match.value()))
			.query(Long.class)
			.single();
	}

	@Override
	public void insertGroup(ScimGroup g) {
		try {
			jdbc.sql("""
					insert into scim_groups (id, connection_id, display_name, display_name_key, external_id, version,
					created_at, updated_at) values (:id, :conn, :name, :key, :ext, :version, :createdAt, :updatedAt)""")
				.param("id", g.id())
				.param("conn", g.connectionId())
				.param("name", g.displayName())
				.param("key", key(g.displayName()))
				.param("ext", g.externalId())
				.param("version", g.version())
				.param("createdAt", timestamp(g.createdAt()))
				.param("updatedAt", timestamp(g.updatedAt()))
				.update();
		}
		catch (DuplicateKeyException e) {
			throw ScimError.conflict("This connection already has a group with this displayName.");
		}
	}

	@Override
	public void updateGroup(ScimGroup g) {
		try {
			jdbc.sql("""
					update scim_groups set display_name = :name, display_name_key = :key, external_id = :ext,
					version = :version, updated_at = :updatedAt where connection_id = :conn and id = :id""")
				.param("name", g.displayName())
				.param("key", key(g.displayName()))
				.param("ext", g.externalId())
				.param("version", g.version())
				.param("updatedAt", timestamp(g.updatedAt()))
				.param("conn", g.connectionId())
				.param("id", g.id())
				.update();
		}
		catch (DuplicateKeyException e) {
			throw ScimError.conflict("This connection already has a group with this displayName.");
		}
	}

	@Override
	public boolean deleteGroup(String connectionId, String groupId) {
		return jdbc.sql("delete from scim_groups where connection_id = :conn and id = :id")
			.param("conn", connectionId)
			.param("id", groupId)
			.update() > 0;
	}

	@Override
	public Optional<ScimGroup> findGroup(String connectionId, String groupId) {
		return jdbc.sql("select * from scim_groups where connection_id = :conn and id = :id")
			.param("conn", connectionId)
			.param("id", groupId)
			.query(JdbcScimRepository::group)
			.optional();
	}

	@Override
	public Optional<ScimGroup> findGroupByDisplayName(String connectionId, String displayName) {
		return jdbc.sql("select * from scim_groups where connection_id = :conn and display_name_key = :key")
			.param("conn", connectionId)
			.param("key", key(displayName))
			.query(JdbcScimRepository::group)
			.optional();
	}

	@Override
	public List<ScimGroup> findGroups(String connectionId, Match match, int offset, int limit) {
		return jdbc.sql("select * from scim_groups where connection_id = :conn" + where(match, GROUP_COLUMNS)
				+ " order by created_at, id offset :offset rows fetch next :limit rows only")
			.param("conn", connectionId)
			.params(match == null ? java.util.Map.of() : java.util.Map.of("value", match.value()))
			.param("offset", offset)
			.param("limit", limit)
			.query(JdbcScimRepository::group)
			.list();
	}

	@Override
	public long countGroups(String connectionId, Match match) {
		return jdbc.sql("select count(*) from scim_groups where connection_id = :conn" + where(match, GROUP_COLUMNS))
			.param("conn", connectionId)
			.params(match == null ? java.util.Map.of() : java.util.Map.of("value", match.value()))
			.query(Long.class)
			.single();
	}

	@Override
	public List<GroupMember> members(String groupId) {
		return jdbc.sql("""
				select m.user_id, u.user_name from scim_group_members m join scim_users u
				on u.connection_id = m.connection_id and u.user_id = m.user_id
				where m.group_id = :group order by u.user_name_key""")
			.param("group", groupId)
			.query((rs, n) -> new GroupMember(rs.getString("user_id"), rs.getString("user_name")))
			.list();
	}

	@Override
	public boolean addMember(String connectionId, String groupId, String userId) {
		long present = jdbc.sql("select count(*) from scim_group_members where group_id = :group and user_id = :user")
			.param("group", groupId)
			.param("user", userId)
			.query(Long.class)
			.single();
		if (present > 0) {
			return false;
		}
		try {
			jdbc.sql("insert into scim_group_members (group_id, connection_id, user_id) values (:group, :conn, :user)")
				.param("group", groupId)
				.param("conn", connectionId)
				.param("user", userId)
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			// the same member added by a concurrent request: already a member
			return false;
		}
	}

	@Override
	public boolean removeMember(String groupId, String userId) {
		return jdbc.sql("delete from scim_group_members where group_id = :group and user_id = :user")
			.param("group", groupId)
			.param("user", userId)
			.update() > 0;
	}

	@Override
	public List<ScimGroup> groupsOf(String connectionId, String userId) {
		return jdbc.sql("""
				select g.* from scim_groups g join scim_group_members m on m.group_id = g.id
				where m.connection_id = :conn and m.user_id = :user and g.connection_id = :conn
				order by g.display_name_key""")
			.param("conn", connectionId)
			.param("user", userId)
			.query(JdbcScimRepository::group)
			.list();
	}

	@Override
	public boolean deactivatedInOrganization(String organizationId, String userId) {
		return jdbc.sql("""
				select count(*) from scim_users u join organization_connections c on c.id = u.connection_id
				where c.organization_id = :org and u.user_id = :user and u.active = false""")
			.param("org", organizationId)
			.param("user", userId)
			.query(Long.class)
			.single() > 0;
	}

	private static String where(Match match, Set<String> columns) {
		if (match == null) {
			return "";
		}
		if (!columns.contains(match.column())) {
			throw new IllegalArgumentException("not a filterable column: " + match.column());
		}
		return " and " + match.column() + " = :value";
	}

	private static ScimUser user(ResultSet rs, int n) throws SQLException {
		return new ScimUser(rs.getString("connection_id"), rs.getString("user_id"), rs.getString("user_name"),
				rs.getString("external_id"), rs.getBoolean("active"), rs.getBoolean("created_account"),
				rs.getString("attributes"), rs.getLong("version"), instant(rs, "created_at"),
				instant(rs, "updated_at"));
	}

	private static ScimGroup group(ResultSet rs, int n) throws SQLException {
		return new ScimGroup(rs.getString("id"), rs.getString("connection_id"), rs.getString("display_name"),
				rs.getString("external_id"), rs.getLong("version"), instant(rs, "created_at"),
				instant(rs, "updated_at"));
	}
}
