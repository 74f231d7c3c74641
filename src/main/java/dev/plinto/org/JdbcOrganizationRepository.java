package dev.plinto.org;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;
import static dev.plinto.platform.SqlRows.words;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcOrganizationRepository implements OrganizationRepository {

	private static final String OPEN = "accepted_at is null and revoked_at is null";

	private final JdbcClient jdbc;

	JdbcOrganizationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(Organization o) {
		jdbc.sql("""
				insert into organizations (id, name, slug, public_metadata, private_metadata, created_by, created_at,
				updated_at) values (:id, :name, :slug, :public, :private, :by, :created, :updated)""")
			.param("id", o.id())
			.param("name", o.name())
			.param("slug", o.slug())
			.param("public", o.publicMetadata())
			.param("private", o.privateMetadata())
			.param("by", o.createdBy())
			.param("created", timestamp(o.createdAt()))
			.param("updated", timestamp(o.updatedAt()))
			.update();
	}

	@Override
	public Optional<Organization> findById(String id) {
		return jdbc.sql("select * from organizations where id = :id")
			.param("id", id)
			.query(JdbcOrganizationRepository::organization)
			.optional();
	}

	@Override
	public boolean slugExists(String slug) {
		return jdbc.sql("select count(*) from organizations where slug = :slug")
			.param("slug", slug)
			.query(Long.class)
			.single() > 0;
	}

	@Override
	public void update(String id, String name, String slug, String publicMetadata, Instant at) {
		jdbc.sql("""
				update organizations set name = :name, slug = :slug, public_metadata = :public, updated_at = :at
				where id = :id""")
			.param("name", name)
			.param("slug", slug)
			.param("public", publicMetadata)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void updatePrivateMetadata(String id, String privateMetadata, Instant at) {
		jdbc.sql("update organizations set private_metadata = :private, updated_at = :at where id = :id")
			.param("private", privateMetadata)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void delete(String id) {
		jdbc.sql("delete from organizations where id = :id").param("id", id).update();
	}

	@Override
	public long countCreatedBy(String userId) {
		return jdbc.sql("select count(*) from organizations where created_by = :user")
			.param("user", userId)
			.query(Long.class)
			.single();
	}

	@Override
	public boolean lock(String id) {
		return !jdbc.sql("select id from organizations where id = :id for update")
			.param("id", id)
			.query(String.class)
			.list()
			.isEmpty();
	}

	@Override
	public void lockCreator(String userId) {
		jdbc.sql("select id from users where id = :id for update").param("id", userId).query(String.class).list();
	}

	@Override
	public List<Joined> findByMember(String userId, String afterSlug, int limit) {
		return jdbc.sql("""
				select o.*, m.role_key from organization_memberships m
				join organizations o on o.id = m.organization_id
				where m.user_id = :user and o.slug > :after order by o.slug fetch first :limit rows only""")
			.param("user", userId)
			.param("after", afterSlug == null ? "" : afterSlug)
			.param("limit", limit)
			.query((rs, i) -> new Joined(organization(rs, i), rs.getString("role_key")))
			.list();
	}

	@Override
	public void insertMembership(Membership m) {
		jdbc.sql("""
				insert into organization_memberships (organization_id, user_id, role_key, created_at, updated_at)
				values (:org, :user, :role, :created, :updated)""")
			.param("org", m.organizationId())
			.param("user", m.userId())
			.param("role", m.role())
			.param("created", timestamp(m.createdAt()))
			.param("updated", timestamp(m.updatedAt()))
			.update();
	}

	@Override
	public Optional<Membership> findMembership(String organizationId, String userId) {
		return jdbc.sql("select * from organization_memberships where organization_id = :org and user_id = :user")
			.param("org", organizationId)
			.param("user", userId)
			.query((rs, i) -> new Membership(rs.getString("organization_id"), rs.getString("user_id"),
					rs.getString("role_key"), instant(rs, "created_at"), instant(rs, "updated_at")))
			.optional();
	}

	@Override
	public void updateMembershipRole(String organizationId, String userId, String role, Instant at) {
		jdbc.sql("""
				update organization_memberships set role_key = :role, updated_at = :at
				where organization_id = :org and user_id = :user""")
			.param("role", role)
			.param("at", timestamp(at))
			.param("org", organizationId)
			.param("user", userId)
			.update();
	}

	@Override
	public boolean deleteMembership(String organizationId, String userId) {
		return jdbc.sql("delete from organization_memberships where organization_id = :org and user_id = :user")
			.param("org", organizationId)
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public long countMembers(String organizationId) {
		return jdbc.sql("select count(*) from organization_memberships where organization_id = :org")
			.param("org", organizationId)
			.query(Long.class)
			.single();
	}

	@Override
	public long countMembersWithRole(String organizationId, String role) {
		return jdbc.sql("select count(*) from organization_memberships where organization_id = :org and role_key = :role")
			.param("org", organizationId)
			.param("role", role)
			.query(Long.class)
			.single();
	}

	@Override
	public List<Member> findMembers(String organizationId, String emailQuery, String afterEmail, int limit) {
		String pattern = emailQuery == null ? "%" : "%" + escapeLike(emailQuery) + "%";
		return jdbc.sql("""
				select u.id, u.email, u.name, m.role_key, m.created_at from organization_memberships m
				join users u on u.id = m.user_id
				where m.organization_id = :org and u.email like :pattern escape '\\' and u.email > :after
				order by u.email fetch first :limit rows only""")
			.param("org", organizationId)
			.param("pattern", pattern)
			.param("after", afterEmail == null ? "" : afterEmail)
			.param("limit", limit)
			.query((rs, i) -> new Member(rs.getString("id"), rs.getString("email"), rs.getString("name"),
					rs.getString("role_key"), instant(rs, "created_at")))
			.list();
	}

	@Override
	public Optional<SlugAndRole> findSlugAndRole(String organizationId, String userId) {
		return jdbc.sql("""
				select o.slug, m.role_key from organization_memberships m join organizations o on o.id = m.organization_id
				where m.organization_id = :org and m.user_id = :user""")
			.param("org", organizationId)
			.param("user", userId)
			.query((rs, i) -> new SlugAndRole(rs.getString("slug"), rs.getString("role_key")))
			.optional();
	}

	@Override
	public Optional<Member> findMember(String organizationId, String userId) {
		return jdbc.sql("""
				select u.id, u.email, u.name, m.role_key, m.created_at from organization_memberships m
				join users u on u.id = m.user_id where m.organization_id = :org and m.user_id = :user""")
			.param("org", organizationId)
			.param("user", userId)
			.query((rs, i) -> new Member(rs.getString("id"), rs.getString("email"), rs.getString("name"),
					rs.getString("role_key"), instant(rs, "created_at")))
			.optional();
	}

	@Override
	public List<String> findMemberIds(String organizationId) {
		return jdbc.sql("select user_id from organization_memberships where organization_id = :org order by user_id")
			.param("org", organizationId)
			.query(String.class)
			.list();
	}

	@Override
	public void insertRole(String organizationId, Role r) {
		jdbc.sql("""
				insert into organization_roles (organization_id, role_key, name, description, permissions, created_at,
				updated_at) values (:org, :key, :name, :description, :permissions, :created, :updated)""")
			.param("org", organizationId)
			.param("key", r.key())
			.param("name", r.name())
			.param("description", r.description())
			.param("permissions", words(r.permissions()))
			.param("created", timestamp(r.createdAt()))
			.param("updated", timestamp(r.updatedAt()))
			.update();
	}

	@Override
	public Optional<Role> findRole(String organizationId, String key) {
		return jdbc.sql("select * from organization_roles where organization_id = :org and role_key = :key")
			.param("org", organizationId)
			.param("key", key)
			.query(JdbcOrganizationRepository::role)
			.optional();
	}

	@Override
	public List<Role> findRoles(String organizationId) {
		return jdbc.sql("select * from organization_roles where organization_id = :org order by role_key")
			.param("org", organizationId)
			.query(JdbcOrganizationRepository::role)
			.list();
	}

	@Override
	public long countRoles(String organizationId) {
		return jdbc.sql("select count(*) from organization_roles where organization_id = :org")
			.param("org", organizationId)
			.query(Long.class)
			.single();
	}

	@Override
	public void updateRole(String organizationId, Role r) {
		jdbc.sql("""
				update organization_roles set name = :name, description = :description, permissions = :permissions,
				updated_at = :updated where organization_id = :org and role_key = :key""")
			.param("name", r.name())
			.param("description", r.description())
			.param("permissions", words(r.permissions()))
			.param("updated", timestamp(r.updatedAt()))
			.param("org", organizationId)
			.param("key", r.key())
			.update();
	}

	@Override
	public boolean deleteRole(String organizationId, String key) {
		return jdbc.sql("delete from organization_roles where organization_id = :org and role_key = :key")
			.param("org", organizationId)
			.param("key", key)
			.update() == 1;
	}

	@Override
	public long countRoleHolders(String organizationId, String key) {
		return countMembersWithRole(organizationId, key) + jdbc.sql("select count(*) from organization_invitations "
				+ "where organization_id = :org and role_key = :key and " + OPEN)
			.param("org", organizationId)
			.param("key", key)
			.query(Long.class)
			.single();
	}

	@Override
	public void insertInvitation(Invitation i) {
		jdbc.sql("""
				insert into organization_invitations (id, organization_id, email, role_key, token_hash, invited_by,
				created_at, expires_at) values (:id, :org, :email, :role, :hash, :by, :created, :expires)""")
			.param("id", i.id())
			.param("org", i.organizationId())
			.param("email", i.email())
			.param("role", i.role())
			.param("hash", i.tokenHash())
			.param("by", i.invitedBy())
			.param("created", timestamp(i.createdAt()))
			.param("expires", timestamp(i.expiresAt()))
			.update();
	}

	@Override
	public Optional<Invitation> findInvitation(String organizationId, String id) {
		return jdbc.sql("select * from organization_invitations where organization_id = :org and id = :id")
			.param("org", organizationId)
			.param("id", id)
			.query(JdbcOrganizationRepository::invitation)
			.optional();
	}

	@Override
	public Optional<Invitation> findInvitationByTokenHash(String tokenHash) {
		return jdbc.sql("select * from organization_invitations where token_hash = :hash")
			.param("hash", tokenHash)
			.query(JdbcOrganizationRepository::invitation)
			.optional();
	}

	@Override
	public List<Invitation> findOpenInvitations(String organizationId) {
		return jdbc.sql("select * from organization_invitations where organization_id = :org and " + OPEN
				+ " order by created_at desc, id desc")
			.param("org", organizationId)
			.query(JdbcOrganizationRepository::invitation)
			.list();
	}

	@Override
	public List<Invitation> findPendingInvitationsFor(List<String> emails, Instant now) {
		if (emails.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select * from organization_invitations where email in (:emails) and expires_at > :now and "
				+ OPEN + " order by created_at desc, id desc")
			.param("emails", emails)
			.param("now", timestamp(now))
			.query(JdbcOrganizationRepository::invitation)
			.list();
	}

	@Override
	public boolean pendingInvitationExists(String organizationId, String email, Instant now) {
		return jdbc.sql("select count(*) from organization_invitations where organization_id = :org and email = :email "
				+ "and expires_at > :now and " + OPEN)
			.param("org", organizationId)
			.param("email", email)
			.param("now", timestamp(now))
			.query(Long.class)
			.single() > 0;
	}

	@Override
	public long countPendingInvitations(String organizationId, Instant now) {
		return jdbc.sql("select count(*) from organization_invitations where organization_id = :org "
				+ "and expires_at > :now and " + OPEN)
			.param("org", organizationId)
			.param("now", timestamp(now))
			.query(Long.class)
			.single();
	}

	@Override
	public boolean markInvitationAccepted(String id, String tokenHash, String userId, Instant at) {
		return jdbc.sql("update organization_invitations set accepted_at = :at, accepted_by = :user where id = :id and "
				+ "token_hash = :hash and expires_at > :at and " + OPEN)
			.param("at", timestamp(at))
			.param("user", userId)
			.param("id", id)
			.param("hash", tokenHash)
			.update() == 1;
	}

	@Override
	public boolean revokeInvitation(String organizationId, String id, Instant at) {
		return jdbc.sql("update organization_invitations set revoked_at = :at where organization_id = :org and id = :id "
				+ "and " + OPEN)
			.param("at", timestamp(at))
			.param("org", organizationId)
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean renewInvitation(String organizationId, String id, String tokenHash, Instant createdAt,
			Instant expiresAt) {
		return jdbc.sql("update organization_invitations set token_hash = :hash, created_at = :created, "
				+ "expires_at = :expires where organization_id = :org and id = :id and " + OPEN)
			.param("hash", tokenHash)
			.param("created", timestamp(createdAt))
			.param("expires", timestamp(expiresAt))
			.param("org", organizationId)
			.param("id", id)
			.update() == 1;
	}

	@Override
	public int deleteInvitationsEndedBefore(Instant before) {
		return jdbc.sql("delete from organization_invitations where expires_at < :before or accepted_at < :before "
				+ "or revoked_at < :before")
			.param("before", timestamp(before))
			.update();
	}

	/** Escapes the LIKE wildcards of a user's search text, with backslash as the escape character. */
	static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	private static Organization organization(ResultSet rs, int row) throws SQLException {
		return new Organization(rs.getString("id"), rs.getString("name"), rs.getString("slug"),
				rs.getString("public_metadata"), rs.getString("private_metadata"), rs.getString("created_by"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static Role role(ResultSet rs, int row) throws SQLException {
		return new Role(rs.getString("role_key"), rs.getString("name"), rs.getString("description"),
				words(rs, "permissions"), false, instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static Invitation invitation(ResultSet rs, int row) throws SQLException {
		return new Invitation(rs.getString("id"), rs.getString("organization_id"), rs.getString("email"),
				rs.getString("role_key"), rs.getString("token_hash"), rs.getString("invited_by"),
				instant(rs, "created_at"), instant(rs, "expires_at"), instant(rs, "accepted_at"),
				rs.getString("accepted_by"), instant(rs, "revoked_at"));
	}

}
