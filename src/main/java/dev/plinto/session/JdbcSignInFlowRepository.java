package dev.plinto.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
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
			.param("amr", String.join(" ", f.amr()))
			.param("ip", f.ip())
			.param("ua", f.userAgent())
			.param("created", ts(f.createdAt()))
			.param("expires", ts(f.expiresAt()))
			.param("completed", f.completedAt() == null ? null : ts(f.completedAt()))
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
			.param("amr", String.join(" ", f.amr()))
			.param("completed", f.completedAt() == null ? null : ts(f.completedAt()))
			.param("id", f.id())
			.param("expected", expected.name())
			.update() == 1;
	}

	@Override
	public boolean transition(SignInFlow f, SignInFlow.State expected, String tokenHash) {
		return jdbc.sql("""
				update sign_in_flows set state = :state, user_id = :user, amr = :amr, completed_at = :completed,
				token_hash = :token, expires_at = :expires where id = :id and state = :expected""")
			.param("expires", ts(f.expiresAt()))
			.param("state", f.state().name())
			.param("user", f.userId())
			.param("amr", String.join(" ", f.amr()))
			.param("completed", f.completedAt() == null ? null : ts(f.completedAt()))
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
		return jdbc.sql("delete from sign_in_flows where expires_at < :before").param("before", ts(before)).update();
	}

	private static SignInFlow map(ResultSet rs, int row) throws SQLException {
		OffsetDateTime completed = rs.getObject("completed_at", OffsetDateTime.class);
		String amr = rs.getString("amr");
		return new SignInFlow(rs.getString("id"), SignInFlow.Type.valueOf(rs.getString("type")),
				SignInFlow.Strategy.valueOf(rs.getString("strategy")), SignInFlow.State.valueOf(rs.getString("state")),
				rs.getString("user_id"), amr == null || amr.isBlank() ? List.of() : Arrays.asList(amr.split(" ")),
				rs.getString("ip"), rs.getString("user_agent"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
				completed == null ? null : completed.toInstant());
	}

	private static OffsetDateTime ts(Instant i) {
		return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
	}
}
