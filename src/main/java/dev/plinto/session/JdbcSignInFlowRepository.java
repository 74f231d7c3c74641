package dev.plinto.session;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;
import static dev.plinto.platform.SqlRows.words;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcSignInFlowRepository implements SignInFlowRepository {

	private final JdbcClient jdbc;

	JdbcSignInFlowRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(SignInFlow f) {
		jdbc.sql("""
				insert into sign_in_flows (id, type, strategy, state, user_id, amr, ip, user_agent, created_at,
				expires_at, completed_at)
				values (:id, :type, :strategy, :state, :user, :amr, :ip, :ua, :created, :expires, :completed)""")
			.param("id", f.id())
			.param("type", f.type().name())
			.param("strategy", f.strategy().name())
			.param("state", f.state().name())
			.param("user", f.userId())
			.param("amr", words(f.amr()))
			.param("ip", f.ip())
			.param("ua", f.userAgent())
			.param("created", timestamp(f.createdAt()))
			.param("expires", timestamp(f.expiresAt()))
			.param("completed", f.completedAt() == null ? null : timestamp(f.completedAt()))
			.update();
	}

	@Override
	public Optional<SignInFlow> findById(String id) {
		return jdbc.sql("select * from sign_in_flows where id = :id")
			.param("id", id)
			.query(JdbcSignInFlowRepository::map)
			.optional();
	}

	@Override
	public boolean transition(SignInFlow f, SignInFlow.State expected) {
		return jdbc.sql("""
				update sign_in_flows set state = :state, user_id = :user, amr = :amr, completed_at = :completed
				where id = :id and state = :expected""")
			.param("state", f.state().name())
			.param("user", f.userId())
			.param("amr", words(f.amr()))
			.param("completed", f.completedAt() == null ? null : timestamp(f.completedAt()))
			.param("id", f.id())
			.param("expected", expected.name())
			.update() == 1;
	}

	@Override
	public boolean transition(SignInFlow f, SignInFlow.State expected, String tokenHash) {
		return jdbc.sql("""
				update sign_in_flows set state = :state, user_id = :user, amr = :amr, completed_at = :completed,
				token_hash = :token, expires_at = :expires where id = :id and state = :expected""")
			.param("expires", timestamp(f.expiresAt()))
			.param("state", f.state().name())
			.param("user", f.userId())
			.param("amr", words(f.amr()))
			.param("completed", f.completedAt() == null ? null : timestamp(f.completedAt()))
			.param("token", tokenHash)
			.param("id", f.id())
			.param("expected", expected.name())
			.update() == 1;
	}

	@Override
	public Optional<SignInFlow> findByTokenHash(String tokenHash) {
		return jdbc.sql("select * from sign_in_flows where token_hash = :hash")
			.param("hash", tokenHash)
			.query(JdbcSignInFlowRepository::map)
			.optional();
	}

	@Override
	public int deleteExpired(Instant before) {
		return jdbc.sql("delete from sign_in_flows where expires_at < :before").param("before", timestamp(before)).update();
	}

	private static SignInFlow map(ResultSet rs, int row) throws SQLException {
		return new SignInFlow(rs.getString("id"), SignInFlow.Type.valueOf(rs.getString("type")),
				SignInFlow.Strategy.valueOf(rs.getString("strategy")), SignInFlow.State.valueOf(rs.getString("state")),
				rs.getString("user_id"), words(rs, "amr"),
				rs.getString("ip"), rs.getString("user_agent"), instant(rs, "created_at"), instant(rs, "expires_at"),
				instant(rs, "completed_at"));
	}

}
