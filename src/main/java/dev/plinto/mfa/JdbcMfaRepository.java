package dev.plinto.mfa;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import dev.plinto.crypto.SealedColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
final class JdbcMfaRepository implements MfaRepository {

	private final JdbcClient jdbc;

	/** The sealed TOTP secrets, for {@code plinto master-key rotate}; sealed with "totp:" + user id (MfaService). */
	static final SealedColumn SEALED = new SealedColumn("totp_factors", "user_id", "secret", "totp:");

	@Bean
	static SealedColumn totpSecrets() {
		return SEALED;
	}

	JdbcMfaRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean savePendingTotp(String userId, String sealedSecret, Instant at) {
		if (replacePending(userId, sealedSecret, at)) {
			return true;
		}
		if (findTotp(userId).isPresent()) {
			return false; // a confirmed authenticator
		}
		try {
			jdbc.sql("""
					insert into totp_factors (user_id, secret, created_at, confirmed_at, last_used_step)
					values (:user, :secret, :at, null, -1)""")
				.param("user", userId)
				.param("secret", sealedSecret)
				.param("at", timestamp(at))
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			// a concurrent enrolment inserted first: replace its secret if it is still pending
			return replacePending(userId, sealedSecret, at);
		}
	}

	private boolean replacePending(String userId, String sealedSecret, Instant at) {
		return jdbc.sql("""
				update totp_factors set secret = :secret, created_at = :at, last_used_step = -1
				where user_id = :user and confirmed_at is null""")
			.param("secret", sealedSecret)
			.param("at", timestamp(at))
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public Optional<TotpFactor> findTotp(String userId) {
		return jdbc.sql("select * from totp_factors where user_id = :user")
			.param("user", userId)
			.query(JdbcMfaRepository::map)
			.optional();
	}

	@Override
	public boolean confirmTotp(String userId, String sealedSecret, Instant at, long step) {
		return jdbc.sql("""
				update totp_factors set confirmed_at = :at, last_used_step = :step
				where user_id = :user and secret = :secret and confirmed_at is null""")
			.param("at", timestamp(at))
			.param("step", step)
			.param("user", userId)
			.param("secret", sealedSecret)
			.update() == 1;
	}

	@Override
	public boolean useTotpStep(String userId, long step) {
		return jdbc.sql("update totp_factors set last_used_step = :step where user_id = :user and last_used_step < :step")
			.param("step", step)
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public boolean deleteTotp(String userId) {
		return jdbc.sql("delete from totp_factors where user_id = :user").param("user", userId).update() == 1;
	}

	@Override
	public void replaceRecoveryCodes(String userId, List<String> hashes, Instant at) {
		// Lock the user row so that two concurrent regenerations cannot leave both sets behind.
		jdbc.sql("select id from users where id = :user for update").param("user", userId).query(String.class).list();
		deleteRecoveryCodes(userId);
		for (String hash : hashes) {
			jdbc.sql("insert into recovery_codes (code_hash, user_id, created_at) values (:hash, :user, :at)")
				.param("hash", hash)
				.param("user", userId)
				.param("at", timestamp(at))
				.update();
		}
	}

	@Override
	public boolean useRecoveryCode(String userId, String hash, Instant at) {
		return jdbc.sql("""
				update recovery_codes set used_at = :at
				where code_hash = :hash and user_id = :user and used_at is null""")
			.param("at", timestamp(at))
			.param("hash", hash)
			.param("user", userId)
			.update() == 1;
	}

	@Override
	public int countUnusedRecoveryCodes(String userId) {
		return jdbc.sql("select count(*) from recovery_codes where user_id = :user and used_at is null")
			.param("user", userId)
			.query(Integer.class)
			.single();
	}

	@Override
	public void deleteRecoveryCodes(String userId) {
		jdbc.sql("delete from recovery_codes where user_id = :user").param("user", userId).update();
	}

	private static TotpFactor map(ResultSet rs, int row) throws SQLException {
		return new TotpFactor(rs.getString("user_id"), rs.getString("secret"),
				instant(rs, "created_at"), instant(rs, "confirmed_at"), rs.getLong("last_used_step"));
	}

}
