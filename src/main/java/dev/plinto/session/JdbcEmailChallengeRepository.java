package dev.plinto.session;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcEmailChallengeRepository implements EmailChallengeRepository {

	private final JdbcClient jdbc;

	JdbcEmailChallengeRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(EmailChallenge c) {
		jdbc.sql("""
				insert into email_sign_in_challenges (flow_id, email, code_hash, attempts, browser_hash)
				values (:flow, :email, :code, :attempts, :browser)""")
			.param("flow", c.flowId())
			.param("email", c.email())
			.param("code", c.codeHash())
			.param("attempts", c.attempts())
			.param("browser", c.browserHash())
			.update();
	}

	@Override
	public Optional<EmailChallenge> find(String flowId) {
		return jdbc.sql("select * from email_sign_in_challenges where flow_id = :flow")
			.param("flow", flowId)
			.query((rs, row) -> new EmailChallenge(rs.getString("flow_id"), rs.getString("email"),
					rs.getString("code_hash"), rs.getInt("attempts"), rs.getString("browser_hash")))
			.optional();
	}

	@Override
	public boolean countAttempt(String flowId, int max) {
		return jdbc.sql("""
				update email_sign_in_challenges set attempts = attempts + 1
				where flow_id = :flow and attempts < :max""")
			.param("flow", flowId)
			.param("max", max)
			.update() == 1;
	}
}
