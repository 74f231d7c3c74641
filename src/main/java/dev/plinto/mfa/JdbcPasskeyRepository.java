package dev.plinto.mfa;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;
import static dev.plinto.platform.SqlRows.words;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcPasskeyRepository implements PasskeyRepository {

	private final JdbcClient jdbc;

	JdbcPasskeyRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean insert(Passkey p) {
		try {
			jdbc.sql("""
					insert into passkeys (id, user_id, credential_id, attested_data, sign_count, transports, name,
					created_at, last_used_at)
					values (:id, :user, :credential, :data, :count, :transports, :name, :created, :used)""")
				.param("id", p.id())
				.param("user", p.userId())
				.param("credential", p.credentialId())
				.param("data", p.attestedData())
				.param("count", p.signCount())
				.param("transports", words(p.transports()))
				.param("name", p.name())
				.param("created", timestamp(p.createdAt()))
				.param("used", p.lastUsedAt() == null ? null : timestamp(p.lastUsedAt()))
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	@Override
	public List<Passkey> findByUser(String userId) {
		return jdbc.sql("select * from passkeys where user_id = :user order by created_at, id")
			.param("user", userId)
			.query(JdbcPasskeyRepository::map)
			.list();
	}

	@Override
	public Optional<Passkey> findByCredentialId(String credentialId) {
		return jdbc.sql("select * from passkeys where credential_id = :credential")
			.param("credential", credentialId)
			.query(JdbcPasskeyRepository::map)
			.optional();
	}

	@Override
	public int countByUser(String userId) {
		return jdbc.sql("select count(*) from passkeys where user_id = :user").param("user", userId)
			.query(Integer.class)
			.single();
	}

	@Override
	public boolean rename(String userId, String id, String name) {
		return jdbc.sql("update passkeys set name = :name where id = :id and user_id = :user")
			.param("name", name)
			.param("id", id)
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public boolean delete(String userId, String id) {
		return jdbc.sql("delete from passkeys where id = :id and user_id = :user")
			.param("id", id)
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public boolean recordUse(String id, long expectedCount, long newCount, Instant at) {
		return jdbc.sql("""
				update passkeys set sign_count = :count, last_used_at = :at where id = :id and sign_count = :expected""")
			.param("count", newCount)
			.param("at", timestamp(at))
			.param("id", id)
			.param("expected", expectedCount)
			.update() == 1;
	}

	@Override
	public void insertChallenge(Challenge c) {
		jdbc.sql("""
				insert into webauthn_challenges (challenge_hash, purpose, user_id, flow_id, created_at, expires_at)
				values (:hash, :purpose, :user, :flow, :created, :expires)""")
			.param("hash", c.hash())
			.param("purpose", c.purpose().name())
			.param("user", c.userId())
			.param("flow", c.flowId())
			.param("created", timestamp(c.createdAt()))
			.param("expires", timestamp(c.expiresAt()))
			.update();
	}

	@Override
	public Optional<Challenge> takeChallenge(String hash, Purpose purpose, Instant now) {
		Optional<Challenge> found = jdbc.sql("""
				select * from webauthn_challenges where challenge_hash = :hash and purpose = :purpose
				and expires_at > :now""")
			.param("hash", hash)
			.param("purpose", purpose.name())
			.param("now", timestamp(now))
			.query(JdbcPasskeyRepository::mapChallenge)
			.optional();
		// The delete decides: of two requests with the same challenge only one removes the row.
		if (found.isEmpty()
				|| jdbc.sql("delete from webauthn_challenges where challenge_hash = :hash").param("hash", hash)
					.update() != 1) {
			return Optional.empty();
		}
		return found;
	}

	@Override
	public int deleteExpiredChallenges(Instant before) {
		return jdbc.sql("delete from webauthn_challenges where expires_at < :before").param("before", timestamp(before))
			.update();
	}

	private static Passkey map(ResultSet rs, int row) throws SQLException {
		return new Passkey(rs.getString("id"), rs.getString("user_id"), rs.getString("credential_id"),
				rs.getString("attested_data"), rs.getLong("sign_count"), words(rs, "transports"),
				rs.getString("name"), instant(rs, "created_at"), instant(rs, "last_used_at"));
	}

	private static Challenge mapChallenge(ResultSet rs, int row) throws SQLException {
		return new Challenge(rs.getString("challenge_hash"), Purpose.valueOf(rs.getString("purpose")),
				rs.getString("user_id"), rs.getString("flow_id"), instant(rs, "created_at"), instant(rs, "expires_at"));
	}

}
