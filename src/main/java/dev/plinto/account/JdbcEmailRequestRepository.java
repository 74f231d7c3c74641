package dev.plinto.account;

import dev.plinto.platform.SqlRows;
import dev.plinto.web.ClientInfo;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcEmailRequestRepository implements EmailRequestRepository {

	private final JdbcClient jdbc;

	JdbcEmailRequestRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void insert(EmailRequest request, Instant requestedAt) {
		jdbc.sql("""
				insert into email_requests (id, purpose, email, ip, user_agent, requested_at)
				values (:id, :purpose, :email, :ip, :ua, :at)""")
			.param("id", request.id())
			.param("purpose", request.purpose().name())
			.param("email", request.email())
			.param("ip", request.client().ip())
			.param("ua", request.client().userAgent())
			.param("at", SqlRows.timestamp(requestedAt))
			.update();
	}

	@Override
	public List<EmailRequest> findOldest(int limit) {
		return jdbc.sql("""
				select id, purpose, email, ip, user_agent from email_requests
				order by requested_at fetch first :limit rows only""")
			.param("limit", limit)
			.query((rs, i) -> new EmailRequest(rs.getString("id"),
					EmailRequestQueue.Purpose.valueOf(rs.getString("purpose")), rs.getString("email"),
					new ClientInfo(rs.getString("ip"), rs.getString("user_agent"))))
			.list();
	}

	@Override
	public boolean delete(String id) {
		return jdbc.sql("delete from email_requests where id = :id").param("id", id).update() > 0;
	}

	@Override
	public int deleteRequestedBefore(Instant before) {
		return jdbc.sql("delete from email_requests where requested_at < :before")
			.param("before", SqlRows.timestamp(before))
			.update();
	}
}
