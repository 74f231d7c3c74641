package dev.plinto.session;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;
import static dev.plinto.platform.SqlRows.words;

import dev.plinto.account.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcSessionRepository implements SessionRepository {

	private static final String LIVE = "revoked_at is null and expires_at > :now and last_active_at > :idle";

	private final JdbcClient jdbc;

	/**
	 * The refresh state's read: the session with its user in one statement, a refresh needs both and every statement
	 * is a round trip (sessions are deleted with their user, so the inner join loses nothing). The user's public
	 * metadata comes with it when PLINTO_TOKEN_PUBLIC_METADATA puts it in tokens: one more column of the same row (at
	 * most 8 KiB) rather than a second statement; without the setting it is not read. Built once, not per refresh.
	 */
	private final String refreshStateSql;

	@org.springframework.beans.factory.annotation.Autowired
	JdbcSessionRepository(JdbcClient jdbc, dev.plinto.config.PlintoSettings settings) {
		this(jdbc, settings.tokenPublicMetadata());
	}

	/** {@code publicMetadata}: whether the refresh state carries the user's public metadata (for its claim). */
	JdbcSessionRepository(JdbcClient jdbc, boolean publicMetadata) {
		this.jdbc = jdbc;
		this.refreshStateSql = """
				select s.*, u.email as user_email, u.email_verified as user_email_verified, u.name as user_name,
				u.password_hash as user_password_hash, u.created_at as user_created_at, u.updated_at as user_updated_at,
				%s as user_public_metadata
				from sessions s join users u on u.id = s.user_id where s.id = :id"""
			.formatted(publicMetadata ? "u.public_metadata" : "null");
	}

	@Override
	public void insert(Session s) {
		insert(s, null);
	}

	@Override
	public void insert(Session s, String sealedRefreshSecret) {
		jdbc.sql("""
				insert into sessions (id, user_id, flow_id, amr, ip, user_agent, created_at, last_active_at, expires_at,
				refresh_secret, generation, impersonator)
				values (:id, :user, :flow, :amr, :ip, :ua, :created, :active, :expires, :secret, :generation,
				:impersonator)""")
			.param("impersonator", s.impersonator(), java.sql.Types.VARCHAR)
			.param("secret", sealedRefreshSecret)
			.param("generation", sealedRefreshSecret == null ? 0L : 1L)
			.param("id", s.id())
			.param("user", s.userId())
			.param("flow", s.flowId())
			.param("amr", words(s.amr()))
			.param("ip", s.ip())
			.param("ua", s.userAgent())
			.param("created", timestamp(s.createdAt()))
			.param("active", timestamp(s.lastActiveAt()))
			.param("expires", timestamp(s.expiresAt()))
			.update();
	}

	@Override
	public Optional<RefreshState> findRefreshState(String sessionId) {
		return jdbc.sql(refreshStateSql)
			.param("id", sessionId)
			.query((rs, i) -> {
				Session session = map(rs, i);
				return new RefreshState(session, user(rs, session), rs.getString("refresh_secret"),
						rs.getLong("generation"), instant(rs, "rotated_at"), rs.getString("user_public_metadata"));
			})
			.optional();
	}

	@Override
	public boolean rotate(String sessionId, long generation, Instant at) {
		return jdbc.sql("""
				update sessions set generation = generation + 1, rotated_at = :at, last_active_at = :at
				where id = :id and generation = :generation and revoked_at is null""")
			.param("at", timestamp(at))
			.param("id", sessionId)
			.param("generation", generation)
			.update() == 1;
	}

	@Override
	public boolean upgradeRefresh(String sessionId, String sealedSecret, Instant at) {
		return jdbc.sql("""
				update sessions set refresh_secret = coalesce(refresh_secret, :secret), generation = generation + 1,
				rotated_at = :at, last_active_at = :at where id = :id and revoked_at is null""")
			.param("secret", sealedSecret)
			.param("at", timestamp(at))
			.param("id", sessionId)
			.update() == 1;
	}

	@Override
	public Optional<Session> findById(String id) {
		return jdbc.sql("select * from sessions where id = :id").param("id", id).query(JdbcSessionRepository::map)
			.optional();
	}

	@Override
	public List<Session> findLive(String userId, Instant now, Instant idleSince) {
		return jdbc.sql("select * from sessions where user_id = :user and " + LIVE + " order by created_at desc")
			.param("user", userId)
			.param("now", timestamp(now))
			.param("idle", timestamp(idleSince))
			.query(JdbcSessionRepository::map)
			.list();
	}

	@Override
	public void touch(String sessionId, Instant at) {
		jdbc.sql("update sessions set last_active_at = :at where id = :id")
			.param("at", timestamp(at))
			.param("id", sessionId)
			.update();
	}

	@Override
	public boolean revoke(String sessionId, Instant at, String reason) {
		return jdbc.sql("update sessions set revoked_at = :at, revoke_reason = :reason where id = :id and revoked_at is null")
			.param("at", timestamp(at))
			.param("reason", reason)
			.param("id", sessionId)
			.update() == 1;
	}

	@Override
	public List<String> revokeAllForUser(String userId, String keep, Instant at, String reason) {
		List<String> ids = jdbc.sql("select id from sessions where user_id = :user and revoked_at is null and id <> :keep")
			.param("user", userId)
			.param("keep", keep == null ? "" : keep)
			.query(String.class)
			.list();
		return ids.stream().filter(id -> revoke(id, at, reason)).toList();
	}

	@Override
	public List<String> findRevokedSince(Instant since) {
		return jdbc.sql("""
				select id from sessions where revoked_at >= :since
				union select session_id from ended_sessions where ended_at >= :since""")
			.param("since", timestamp(since))
			.query(String.class)
			.list();
	}

	@Override
	public long countLive(Instant now, Instant idleSince) {
		return jdbc.sql("select count(*) from sessions where " + LIVE)
			.param("now", timestamp(now))
			.param("idle", timestamp(idleSince))
			.query(Long.class)
			.single();
	}

	@Override
	public long countActiveUsersSince(Instant since) {
		return jdbc.sql("select count(distinct user_id) from sessions where last_active_at >= :since")
			.param("since", timestamp(since))
			.query(Long.class)
			.single();
	}

	@Override
	public void insertRefreshToken(String tokenHash, String sessionId, Instant at) {
		jdbc.sql("insert into refresh_tokens (token_hash, session_id, created_at) values (:hash, :session, :at)")
			.param("hash", tokenHash)
			.param("session", sessionId)
			.param("at", timestamp(at))
			.update();
	}

	@Override
	public Optional<RefreshTokenRecord> findRefreshToken(String tokenHash) {
		// The session's user comes with the same statement: a refresh needs all three, and every statement is a
		// round trip to the database (sessions are deleted with their user, so the inner join loses nothing).
		return jdbc.sql("""
				select s.*, r.token_hash, r.created_at as token_created_at, r.used_at as token_used_at,
				u.email as user_email, u.email_verified as user_email_verified, u.name as user_name,
				u.password_hash as user_password_hash, u.created_at as user_created_at, u.updated_at as user_updated_at
				from refresh_tokens r join sessions s on s.id = r.session_id join users u on u.id = s.user_id
				where r.token_hash = :hash""")
			.param("hash", tokenHash)
			.query((rs, i) -> {
				Session session = map(rs, i);
				return new RefreshTokenRecord(rs.getString("token_hash"), session, user(rs, session),
						instant(rs, "token_created_at"), instant(rs, "token_used_at"));
			})
			.optional();
	}

	@Override
	public boolean markRefreshTokenUsed(String tokenHash, Instant at) {
		return jdbc.sql("update refresh_tokens set used_at = :at where token_hash = :hash and used_at is null")
			.param("at", timestamp(at))
			.param("hash", tokenHash)
			.update() == 1;
	}

	@Override
	public void recordEnded(String userId, Instant at) {
		jdbc.sql("insert into ended_sessions (session_id, ended_at) select id, :at from sessions where user_id = :user")
			.param("at", timestamp(at))
			.param("user", userId)
			.update();
	}

	@Override
	public int deleteEndedBefore(Instant before, Instant idleBefore) {
		jdbc.sql("delete from ended_sessions where ended_at < :before").param("before", timestamp(before)).update();
		jdbc.sql("""
				delete from refresh_tokens where session_id in (select id from sessions
				where revoked_at < :before or expires_at < :before or last_active_at < :idle)""")
			.param("before", timestamp(before))
			.param("idle", timestamp(idleBefore))
			.update();
		return jdbc.sql("delete from sessions where revoked_at < :before or expires_at < :before or last_active_at < :idle")
			.param("before", timestamp(before))
			.param("idle", timestamp(idleBefore))
			.update();
	}

	@Override
	public boolean setActiveOrganization(String sessionId, String organizationId) {
		return jdbc.sql("update sessions set active_organization_id = :org where id = :id")
			.param("org", organizationId)
			.param("id", sessionId)
			.update() == 1;
	}

	@Override
	public void clearActiveOrganization(String userId, String organizationId) {
		if (userId == null) {
			jdbc.sql("update sessions set active_organization_id = null where active_organization_id = :org")
				.param("org", organizationId)
				.update();
			return;
		}
		jdbc.sql("update sessions set active_organization_id = null where user_id = :user and active_organization_id = :org")
			.param("user", userId)
			.param("org", organizationId)
			.update();
	}

	private static User user(ResultSet rs, Session session) throws SQLException {
		return new User(session.userId(), rs.getString("user_email"), rs.getBoolean("user_email_verified"),
				rs.getString("user_name"), rs.getString("user_password_hash"), instant(rs, "user_created_at"),
				instant(rs, "user_updated_at"));
	}

	static Session map(ResultSet rs, int row) throws SQLException {
		return new Session(rs.getString("id"), rs.getString("user_id"), rs.getString("flow_id"),
				words(rs, "amr"), rs.getString("ip"),
				rs.getString("user_agent"), instant(rs, "created_at"), instant(rs, "last_active_at"),
				instant(rs, "expires_at"), instant(rs, "revoked_at"),
				rs.getString("revoke_reason"), rs.getString("active_organization_id"), rs.getString("impersonator"));
	}

}
