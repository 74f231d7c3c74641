package dev.plinto.admin;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcUserDirectory implements UserDirectory {

	private static final String LAST_SIGN_IN = """
			(select max(a.occurred_at) from audit_events a where a.user_id = u.id and a.type = 'SIGN_IN_SUCCEEDED')""";

	private static final String HAS_MFA = """
			(exists (select 1 from totp_factors t where t.user_id = u.id and t.confirmed_at is not null)
			or exists (select 1 from passkeys p where p.user_id = u.id))""";

	private final JdbcClient jdbc;

	JdbcUserDirectory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Row> search(UserQuery q, Instant beforeTime, String beforeId, int limit) {
		StringBuilder sql = new StringBuilder("select u.*, " + LAST_SIGN_IN + " as last_sign_in_at, case when "
				+ HAS_MFA + " then true else false end as has_mfa from users u where 1 = 1");
		Map<String, Object> params = new LinkedHashMap<>();
		if (q.query() != null && !q.query().isBlank()) {
			sql.append(" and (lower(u.email) like :q escape '\\' or lower(u.name) like :q escape '\\')");
			params.put("q", containing(q.query()));
		}
		if (q.id() != null) {
			sql.append(" and u.id = :id");
			params.put("id", q.id());
		}
		if (q.email() != null) {
			sql.append(" and u.email = :email");
			params.put("email", q.email());
		}
		if (q.name() != null && !q.name().isBlank()) {
			sql.append(" and lower(u.name) like :name escape '\\'");
			params.put("name", containing(q.name()));
		}
		if (q.createdAfter() != null) {
			sql.append(" and u.created_at >= :createdAfter");
			params.put("createdAfter", timestamp(q.createdAfter()));
		}
		if (q.createdBefore() != null) {
			sql.append(" and u.created_at < :createdBefore");
			params.put("createdBefore", timestamp(q.createdBefore()));
		}
		if (q.lastSignInAfter() != null) {
			sql.append(" and " + LAST_SIGN_IN + " >= :signInAfter");
			params.put("signInAfter", timestamp(q.lastSignInAfter()));
		}
		if (q.lastSignInBefore() != null) {
			sql.append(" and " + LAST_SIGN_IN + " < :signInBefore");
			params.put("signInBefore", timestamp(q.lastSignInBefore()));
		}
		if (q.banned() != null) {
			sql.append(q.banned() ? " and u.banned_at is not null" : " and u.banned_at is null");
		}
		if (q.hasMfa() != null) {
			sql.append(q.hasMfa() ? " and " : " and not ").append(HAS_MFA);
		}
		if (beforeTime != null) {
			sql.append(" and (u.created_at < :beforeTime or (u.created_at = :beforeTime and u.id < :beforeId))");
			params.put("beforeTime", timestamp(beforeTime));
			params.put("beforeId", beforeId);
		}
		sql.append(" order by u.created_at desc, u.id desc fetch first :limit rows only");
		params.put("limit", limit);
		JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
		for (Map.Entry<String, Object> p : params.entrySet()) {
			statement = statement.param(p.getKey(), p.getValue());
		}
		return statement.query(JdbcUserDirectory::map).list();
	}

	/** A LIKE pattern that finds {@code text} anywhere, case insensitive, its wildcards taken literally. */
	private static String containing(String text) {
		return "%" + text.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
			.replace("_", "\\_") + "%";
	}

	@Override
	public List<Identity> identities(String userId) {
		return jdbc.sql("""
				select id, provider, subject, email, email_verified, created_at, last_used_at from user_identities
				where user_id = :user order by created_at, id""")
			.param("user", userId)
			.query((rs, row) -> new Identity(rs.getString("id"), rs.getString("provider"), rs.getString("subject"),
					rs.getString("email"), rs.getBoolean("email_verified"), instant(rs, "created_at"),
					instant(rs, "last_used_at")))
			.list();
	}

	private static Row map(ResultSet rs, int row) throws SQLException {
		return new Row(rs.getString("id"), rs.getString("email"), rs.getBoolean("email_verified"), rs.getString("name"),
				instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "banned_at"),
				instant(rs, "last_sign_in_at"), rs.getBoolean("has_mfa"), rs.getString("public_metadata"),
				rs.getString("private_metadata"), rs.getString("unsafe_metadata"));
	}
}
