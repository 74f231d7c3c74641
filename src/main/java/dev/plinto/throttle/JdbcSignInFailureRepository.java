package dev.plinto.throttle;

import dev.plinto.platform.SqlRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcSignInFailureRepository implements SignInFailureRepository {

	private final JdbcClient jdbc;

	JdbcSignInFailureRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<Failures> findForUpdate(String subject) {
		return jdbc.sql("""
				select failures, last_failure_at, locked_until from sign_in_failures where subject = :s for update""")
			.param("s", subject)
			.query(JdbcSignInFailureRepository::map)
			.optional();
	}

	@Override
	public void insert(String subject, Failures f) {
		jdbc.sql("""
				insert into sign_in_failures (subject, failures, last_failure_at, locked_until)
				values (:s, :f, :at, :until)""")
			.param("s", subject)
			.param("f", f.failures())
			.param("at", SqlRows.timestamp(f.lastFailureAt()))
			.param("until", SqlRows.timestamp(f.lockedUntil()))
			.update();
	}

	@Override
	public void update(String subject, Failures f) {
		jdbc.sql("""
				update sign_in_failures set failures = :f, last_failure_at = :at, locked_until = :until
				where subject = :s""")
			.param("f", f.failures())
			.param("at", SqlRows.timestamp(f.lastFailureAt()))
			.param("until", SqlRows.timestamp(f.lockedUntil()))
			.param("s", subject)
			.update();
	}

	@Override
	public Optional<Instant> findLockedUntil(String subject) {
		return jdbc.sql("select locked_until from sign_in_failures where subject = :s")
			.param("s", subject)
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class))
			.optional()
			.map(OffsetDateTime::toInstant);
	}

	@Override
	public void delete(String subject) {
		jdbc.sql("delete from sign_in_failures where subject = :s").param("s", subject).update();
	}

	@Override
	public int deleteStale(Instant lastFailureBefore, Instant now) {
		return jdbc.sql("""
				delete from sign_in_failures where last_failure_at < :start
				and (locked_until is null or locked_until < :now)""")
			.param("start", SqlRows.timestamp(lastFailureBefore))
			.param("now", SqlRows.timestamp(now))
			.update();
	}

	private static Failures map(ResultSet rs, int row) throws SQLException {
		return new Failures(rs.getInt("failures"), SqlRows.instant(rs, "last_failure_at"),
				SqlRows.instant(rs, "locked_until"));
	}

}
