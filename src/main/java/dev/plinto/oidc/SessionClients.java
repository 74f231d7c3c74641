package dev.plinto.oidc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which clients got an ID token in which Plinto session (table {@code oidc_session_client}): the clients a session's
 * end is told about by back-channel logout (OpenID Connect Back-Channel Logout 1.0 §2.7: "the OP sends a logout
 * token to each RP that had a session with it"). A row is written once per session and client, forgotten when the
 * session's logout has been sent, and removed by the hourly cleanup once no session could still be live.
 */
final class SessionClients {

	private final JdbcClient jdbc;

	private final Clock clock;

	SessionClients(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Remembers that the client (its registered id) got tokens in the session; once per pair. */
	void record(String sessionId, String registeredClientId) {
		try {
			jdbc.sql("""
					insert into oidc_session_client (session_id, registered_client_id, created_at)
					select :sid, :client, :now where not exists (
					    select 1 from oidc_session_client where session_id = :sid and registered_client_id = :client)""")
				.param("sid", sessionId)
				.param("client", registeredClientId)
				.param("now", Timestamp.from(clock.instant()))
				.update();
		}
		catch (DuplicateKeyException e) {
			// A concurrent exchange in the same session wrote it first.
		}
	}

	/** The registered ids of the clients that got tokens in the session. */
	List<String> clients(String sessionId) {
		return jdbc.sql("select registered_client_id from oidc_session_client where session_id = ?")
			.param(sessionId)
			.query(String.class)
			.list();
	}

	/** Forgets the session's clients (its logout has been sent). */
	void forget(String sessionId) {
		jdbc.sql("delete from oidc_session_client where session_id = ?").param(sessionId).update();
	}

	/** Forgets rows older than any session can live; returns how many. */
	int forgetBefore(Instant before) {
		return jdbc.sql("delete from oidc_session_client where created_at < ?").param(Timestamp.from(before)).update();
	}
}
