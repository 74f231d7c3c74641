package dev.plinto.admin;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcOrganizationDirectory implements OrganizationDirectory {

	private final JdbcClient jdbc;

	JdbcOrganizationDirectory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<Row> search(String query, String id, Instant beforeTime, String beforeId, int limit) {
		StringBuilder sql = new StringBuilder("""
				select o.*, (select count(*) from organization_memberships m where m.organization_id = o.id)
				as members from organizations o where 1 = 1""");
		Map<String, Object> params = new LinkedHashMap<>();
		if (query != null && !query.isBlank()) {
			sql.append(" and (lower(o.name) like :q escape '\\' or o.slug like :q escape '\\')");
			params.put("q", "%" + query.strip().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
				.replace("_", "\\_") + "%");
		}
		if (id != null) {
			sql.append(" and o.id = :id");
			params.put("id", id);
		}
		if (beforeTime != null) {
			sql.append(" and (o.created_at < :beforeTime or (o.created_at = :beforeTime and o.id < :beforeId))");
			params.put("beforeTime", timestamp(beforeTime));
			params.put("beforeId", beforeId);
		}
		sql.append(" order by o.created_at desc, o.id desc fetch first :limit rows only");
		params.put("limit", limit);
		JdbcClient.StatementSpec statement = jdbc.sql(sql.toString());
		for (Map.Entry<String, Object> p : params.entrySet()) {
			statement = statement.param(p.getKey(), p.getValue());
		}
		return statement.query((rs, row) -> new Row(rs.getString("id"), rs.getString("name"), rs.getString("slug"),
				rs.getString("public_metadata"), rs.getString("private_metadata"), rs.getString("created_by"),
				instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("members")))
			.list();
	}

	@Override
	public List<MemberRow> members(String organizationId, String emailQuery, String afterUserId, int limit) {
		return jdbc.sql("""
				select m.user_id, u.email, u.name, m.role_key, m.created_at from organization_memberships m
				join users u on u.id = m.user_id
				where m.organization_id = :org and u.email like :pattern escape '\\' and m.user_id > :after
				order by m.user_id fetch first :limit rows only""")
			.param("org", organizationId)
			.param("pattern", emailQuery == null ? "%" : "%" + emailQuery.replace("\\", "\\\\")
				.replace("%", "\\%")
				.replace("_", "\\_") + "%")
			.param("after", afterUserId == null ? "" : afterUserId)
			.param("limit", limit)
			.query((rs, row) -> new MemberRow(rs.getString("user_id"), rs.getString("email"), rs.getString("name"),
					rs.getString("role_key"), instant(rs, "created_at")))
			.list();
	}
}
