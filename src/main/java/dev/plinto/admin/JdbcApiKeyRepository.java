package dev.plinto.admin;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import dev.plinto.platform.SqlRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcApiKeyRepository implements ApiKeyRepository {

	private final JdbcClient jdbc;

	JdbcApiKeyRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(ApiKey key, String tokenHash) {
		jdbc.sql("""
				insert into api_keys (id, name, prefix, token_hash, scopes, created_at, created_by, expires_at)
				values (:id, :name, :prefix, :hash, :scopes, :created, :by, :expires)""")
			.param("id", key.id())
			.param("name", key.name())
			.param("prefix", key.prefix())
			.param("hash", tokenHash)
			.param("scopes", SqlRows.words(key.scopes()))
			.param("created", timestamp(key.createdAt()))
			.param("by", key.createdBy())
			.param("expires", key.expiresAt() == null ? null : timestamp(key.expiresAt()))
			.update();
	}

	@Override
	public Optional<ApiKey> findByHash(String tokenHash) {
		return jdbc.sql("select * from api_keys where token_hash = :hash")
			.param("hash", tokenHash)
			.query(JdbcApiKeyRepository::map)
			.optional();
	}

	@Override
	public Optional<ApiKey> findById(String id) {
		return jdbc.sql("select * from api_keys where id = :id").param("id", id).query(JdbcApiKeyRepository::map)
			.optional();
	}

	@Override
	public List<ApiKey> findAll() {
		return jdbc.sql("select * from api_keys order by created_at desc, id desc")
			.query(JdbcApiKeyRepository::map)
			.list();
	}

	@Override
	public boolean replaceSecret(String id, String tokenHash, String prefix) {
		return jdbc.sql("""
				update api_keys set token_hash = :hash, prefix = :prefix, last_used_at = null
				where id = :id and revoked_at is null""")
			.param("hash", tokenHash)
			.param("prefix", prefix)
			.param("id", id)
			.update() == 1;
	}

	@Override
	public boolean revoke(String id, Instant at) {
		return jdbc.sql("update api_keys set revoked_at = :at where id = :id and revoked_at is null")
			.param("at", timestamp(at))
			.param("id", id)
			.update() == 1;
	}

	@Override
	public void touch(String id, Instant at, Instant notBefore) {
		jdbc.sql("""
				update api_keys set last_used_at = :at
				where id = :id and (last_used_at is null or last_used_at < :notBefore)""")
			.param("at", timestamp(at))
			.param("notBefore", timestamp(notBefore))
			.param("id", id)
			.update();
	}

	private static ApiKey map(ResultSet rs, int row) throws SQLException {
		return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
				SqlRows.words(rs, "scopes"), instant(rs, "created_at"), rs.getString("created_by"),
				instant(rs, "last_used_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"));
	}
}
