package dev.plinto.account;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcUserRepository implements UserRepository {

	private final JdbcClient jdbc;

	JdbcUserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(User u) {
		jdbc.sql("""
				insert into users (id, email, email_verified, name, password_hash, created_at, updated_at)
				values (:id, :email, :verified, :name, :hash, :created, :updated)""")
			.param("id", u.id())
			.param("email", u.email())
			.param("verified", u.emailVerified())
			.param("name", u.name())
			.param("hash", u.passwordHash())
			.param("created", timestamp(u.createdAt()))
			.param("updated", timestamp(u.updatedAt()))
			.update();
	}

	@Override
	public Optional<User> findById(String id) {
		return jdbc.sql("select * from users where id = :id").param("id", id).query(JdbcUserRepository::map).optional();
	}

	@Override
	public Optional<User> findByEmail(String email) {
		return jdbc.sql("select * from users where email = :email")
			.param("email", email)
			.query(JdbcUserRepository::map)
			.optional();
	}

	@Override
	public void updateName(String id, String name, Instant at) {
		jdbc.sql("update users set name = :name, updated_at = :at where id = :id")
			.param("name", name)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void updatePasswordHash(String id, String hash, Instant at) {
		jdbc.sql("update users set password_hash = :hash, updated_at = :at where id = :id")
			.param("hash", hash)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void markEmailVerified(String id, Instant at) {
		jdbc.sql("update users set email_verified = true, updated_at = :at where id = :id")
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void updateEmail(String id, String email, Instant at) {
		jdbc.sql("update users set email = :email, email_verified = true, updated_at = :at where id = :id")
			.param("email", email)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void setEmailVerified(String id, boolean verified, Instant at) {
		jdbc.sql("update users set email_verified = :verified, updated_at = :at where id = :id")
			.param("verified", verified)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public void setBanned(String id, Instant bannedAt, Instant at) {
		jdbc.sql("update users set banned_at = :banned, updated_at = :at where id = :id")
			.param("banned", bannedAt == null ? null : timestamp(bannedAt))
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public Optional<Profile> findProfile(String id) {
		return jdbc.sql("select * from users where id = :id")
			.param("id", id)
			.query((rs, row) -> new Profile(map(rs, row), new UserMetadata(rs.getString("public_metadata"),
					rs.getString("private_metadata"), rs.getString("unsafe_metadata"))))
			.optional();
	}

	@Override
	public void updateMetadata(String id, String publicMetadata, String privateMetadata, String unsafeMetadata,
			Instant at) {
		jdbc.sql("""
				update users set public_metadata = coalesce(:public, public_metadata),
				private_metadata = coalesce(:private, private_metadata),
				unsafe_metadata = coalesce(:unsafe, unsafe_metadata), updated_at = :at where id = :id""")
			.param("public", publicMetadata, java.sql.Types.VARCHAR)
			.param("private", privateMetadata, java.sql.Types.VARCHAR)
			.param("unsafe", unsafeMetadata, java.sql.Types.VARCHAR)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public boolean lock(String id) {
		return !jdbc.sql("select id from users where id = :id for update").param("id", id).query(String.class)
			.list()
			.isEmpty();
	}

	@Override
	public void delete(String id) {
		jdbc.sql("delete from users where id = :id").param("id", id).update();
	}

	static User map(ResultSet rs, int row) throws SQLException {
		return new User(rs.getString("id"), rs.getString("email"), rs.getBoolean("email_verified"),
				rs.getString("name"), rs.getString("password_hash"), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "banned_at"));
	}

}
