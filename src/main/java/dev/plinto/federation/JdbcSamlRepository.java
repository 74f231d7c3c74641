package dev.plinto.federation;

import static dev.plinto.platform.SqlRows.instant;
import static dev.plinto.platform.SqlRows.timestamp;

import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

@Component
class JdbcSamlRepository implements SamlRepository {

	private final JdbcClient jdbc;

	JdbcSamlRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<SpKey> findKey(String connectionId) {
		return jdbc.sql("select connection_id, certificate, private_key, created_at from saml_sp_keys "
				+ "where connection_id = :id")
			.param("id", connectionId)
			.query((rs, n) -> new SpKey(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
			.optional();
	}

	@Override
	public boolean insertKey(SpKey key) {
		try {
			jdbc.sql("insert into saml_sp_keys (connection_id, certificate, private_key, created_at) "
					+ "values (:id, :cert, :key, :at)")
				.param("id", key.connectionId())
				.param("cert", key.certificatePem())
				.param("key", key.sealedPrivateKey())
				.param("at", timestamp(key.createdAt()))
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	@Override
	public void insertRequest(PendingRequest r) {
		jdbc.sql("insert into saml_requests (id, connection_id, browser_hash, redirect_url, created_at, expires_at) "
				+ "values (:id, :connection, :browser, :redirect, :created, :expires)")
			.param("id", r.id())
			.param("connection", r.connectionId())
			.param("browser", r.browserHash())
			.param("redirect", r.redirectUrl())
			.param("created", timestamp(r.createdAt()))
			.param("expires", timestamp(r.expiresAt()))
			.update();
	}

	@Override
	@Transactional
	public Optional<PendingRequest> consumeRequest(String id) {
		Optional<PendingRequest> found = jdbc
			.sql("select id, connection_id, browser_hash, redirect_url, created_at, expires_at from saml_requests "
					+ "where id = :id")
			.param("id", id)
			.query((rs, n) -> new PendingRequest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					instant(rs, 5), instant(rs, 6)))
			.optional();
		// Only the caller whose delete removed the row may use it: two concurrent answers cannot both succeed.
		return found.filter(r -> jdbc.sql("delete from saml_requests where id = :id").param("id", id).update() == 1);
	}

	@Override
	public boolean rememberAssertion(String connectionId, String assertionId, Instant expiresAt) {
		try {
			jdbc.sql("insert into saml_assertions (connection_id, assertion_id, expires_at) "
					+ "values (:connection, :assertion, :expires)")
				.param("connection", connectionId)
				.param("assertion", assertionId)
				.param("expires", timestamp(expiresAt))
				.update();
			return true;
		}
		catch (DuplicateKeyException e) {
			return false;
		}
	}

	@Override
	public int purgeExpired(Instant now) {
		return jdbc.sql("delete from saml_requests where expires_at < :now").param("now", timestamp(now)).update()
				+ jdbc.sql("delete from saml_assertions where expires_at < :now")
					.param("now", timestamp(now))
					.update();
	}
}
