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
final class JdbcOneTimeTokenRepository implements OneTimeTokenRepository {

	private final JdbcClient jdbc;

	JdbcOneTimeTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(OneTimeToken t) {
		jdbc.sql("""
				insert into one_time_tokens (token_hash, purpose, user_id, email, created_at, expires_at)
				values (:hash, :purpose, :user, :email, :created, :expires)""")
			.param("hash", t.tokenHash())
			.param("purpose", t.purpose().name())
			.param("user", t.userId())
			.param("email", t.email())
			.param("created", timestamp(t.createdAt()))
			.param("expires", timestamp(t.expiresAt()))
			.update();
	}

	@Override
	public Optional<OneTimeToken> find(String tokenHash, Purpose purpose) {
		return jdbc.sql("select * from one_time_tokens where token_hash = :hash and purpose = :purpose")
			.param("hash", tokenHash)
			.param("purpose", purpose.name())
			.query(JdbcOneTimeTokenRepository::map)
			.optional();
	}

	@Override
	public boolean markUsed(String tokenHash, Instant at) {
		return jdbc.sql("update one_time_tokens set used_at = :at where token_hash = :hash and used_at is null")
			.param("at", timestamp(at))
			.param("hash", tokenHash)
			.update() == 1;
	}

	@Override
	public void invalidateAll(String userId, Purpose purpose, Instant at) {
		jdbc.sql("""
				update one_time_tokens set used_at = :at
				where user_id = :user and purpose = :purpose and used_at is null""")
			.param("at", timestamp(at))
			.param("user", userId)
			.param("purpose", purpose.name())
			.update();
	}

	@Override
	public int deleteExpired(Instant before) {
		return jdbc.sql("delete from one_time_tokens where expires_at < :before").param("before", timestamp(before)).update();
	}

	private static OneTimeToken map(ResultSet rs, int row) throws SQLException {
		return new OneTimeToken(rs.getString("token_hash"), Purpose.valueOf(rs.getString("purpose")),
				rs.getString("user_id"), rs.getString("email"), instant(rs, "created_at"),
				instant(rs, "expires_at"), instant(rs, "used_at"));
	}

}
