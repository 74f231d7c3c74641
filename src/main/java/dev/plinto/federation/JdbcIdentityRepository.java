package dev.plinto.federation;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Component
final class JdbcIdentityRepository implements IdentityRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	JdbcIdentityRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(LinkedIdentity i) {
		jdbc.sql("""
				insert into user_identities (id, user_id, provider, subject, email, email_verified, profile, created_at,
				last_used_at) values (:id, :user, :provider, :subject, :email, :verified, :profile, :created, :used)""")
			.param("id", i.id())
			.param("user", i.userId())
			.param("provider", i.provider())
			.param("subject", i.subject())
			.param("email", i.email())
			.param("verified", i.emailVerified())
			.param("profile", profileJson(i.profile()))
			.param("created", timestamp(i.createdAt()))
			.param("used", i.lastUsedAt() == null ? null : timestamp(i.lastUsedAt()))
			.update();
	}

	@Override
	public Optional<LinkedIdentity> find(String provider, String subject) {
		return jdbc.sql("select * from user_identities where provider = :provider and subject = :subject")
			.param("provider", provider)
			.param("subject", subject)
			.query(JdbcIdentityRepository::map)
			.optional();
	}

	@Override
	public List<LinkedIdentity> findByUser(String userId) {
		return jdbc.sql("select * from user_identities where user_id = :user order by created_at, id")
			.param("user", userId)
			.query(JdbcIdentityRepository::map)
			.list();
	}

	@Override
	public void used(String id, String email, boolean emailVerified, String profileJson, Instant at) {
		jdbc.sql("""
				update user_identities set email = :email, email_verified = :verified, profile = :profile,
				last_used_at = :at where id = :id""")
			.param("email", email)
			.param("verified", emailVerified)
			.param("profile", profileJson)
			.param("at", timestamp(at))
			.param("id", id)
			.update();
	}

	@Override
	public boolean delete(String userId, String id) {
		return jdbc.sql("delete from user_identities where id = :id and user_id = :user")
			.param("id", id)
			.param("user", userId)
			.update() == 1;
	}

	/** The profile as stored: a flat JSON object of short strings, within the column's 4096 characters. */
	static String profileJson(Map<String, String> profile) {
		Map<String, String> kept = new LinkedHashMap<>();
		profile.forEach((k, v) -> {
			if (v != null && !v.isBlank()) {
				kept.put(k, v.length() > 512 ? v.substring(0, 512) : v);
			}
		});
		String json = JSON.writeValueAsString(kept);
		return json.length() > 4096 ? "{}" : json;
	}

	private static LinkedIdentity map(ResultSet rs, int row) throws SQLException {
		Map<String, String> profile;
		try {
			profile = JSON.readValue(rs.getString("profile"), new TypeReference<Map<String, String>>() {
			});
		}
		catch (RuntimeException e) {
			profile = Map.of();
		}
		return new LinkedIdentity(rs.getString("id"), rs.getString("user_id"), rs.getString("provider"),
				rs.getString("subject"), rs.getString("email"), rs.getBoolean("email_verified"), profile,
				instant(rs, "created_at"), instant(rs, "last_used_at"));
	}
}
