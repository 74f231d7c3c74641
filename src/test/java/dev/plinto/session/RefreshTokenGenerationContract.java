package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.crypto.SecureTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Refresh tokens bound to their session's generation, through the API, on the database of the implementing class
 * (H2 in {@link RefreshTokenGenerationTests}, PostgreSQL in {@link PostgresRefreshTokenGenerationTests}); both run
 * with no reuse grace, the default.
 */
interface RefreshTokenGenerationContract {

	ApiClient api();

	JdbcClient jdbc();

	Instant now();

	/** Signs up a new user; the 201 token response. */
	ApiClient.Response newSession();

	default ApiClient.Response refresh(String token) {
		return api().post("/v1/token/refresh", ApiClient.map("refresh_token", token));
	}

	/** The same token with a made-up MAC of the right length and alphabet. */
	static String withForgedMac(String token) {
		String mac = token.substring(token.lastIndexOf('.') + 1);
		String forged = SecureTokens.newSecret();
		assertThat(forged).hasSameSizeAs(mac).isNotEqualTo(mac);
		return token.substring(0, token.lastIndexOf('.') + 1) + forged;
	}

	private String revokeReason(String sessionId) {
		return jdbc().sql("select coalesce(revoke_reason, 'live') from sessions where id = :id")
			.param("id", sessionId)
			.query(String.class)
			.single();
	}

	private long reuseEvents(String sessionId) {
		return jdbc().sql("select count(*) from audit_events where type = 'REFRESH_TOKEN_REUSED' and session_id = :id")
			.param("id", sessionId)
			.query(Long.class)
			.single();
	}

	private long count(String sql, String sessionId) {
		return jdbc().sql(sql).param("id", sessionId).query(Long.class).single();
	}

	private static void assertInvalidRefreshToken(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_refresh_token");
	}

	@Test
	default void refreshWhenMacForgedThenInvalidAndTheSessionIntact() {
		ApiClient.Response first = newSession();
		String sessionId = first.text("session_id");
		ApiClient.Response second = refresh(first.text("refresh_token"));
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		String current = second.text("refresh_token");
		String[] parts = current.split("\\.");

		// the current generation, the previous one (which would be reuse if genuine), a later one, and the
		// generation of a token of another session with this session's id put in
		String otherSessionsToken = newSession().text("refresh_token");
		for (String forged : new String[] { withForgedMac(current), withForgedMac(first.text("refresh_token")),
				parts[0] + "." + (Long.parseLong(parts[1]) + 1) + "." + parts[2] + "." + parts[3],
				parts[0] + "." + (Long.parseLong(parts[1]) - 1) + "." + parts[2] + "." + parts[3],
				sessionId + otherSessionsToken.substring(otherSessionsToken.indexOf('.')) }) {
			assertInvalidRefreshToken(refresh(forged));
		}

		assertThat(revokeReason(sessionId)).isEqualTo("live");
		assertThat(reuseEvents(sessionId)).isZero();
		assertThat(api().get("/v1/me", second.text("access_token")).status()).isEqualTo(200);
		ApiClient.Response third = refresh(current);
		assertThat(third.status()).as("the genuine token still refreshes: %s", third).isEqualTo(200);
		assertThat(third.text("session_id")).isEqualTo(sessionId);
	}

	@Test
	default void refreshWhenOlderGenerationReplayedThenReusedAndTheSessionRevoked() {
		ApiClient.Response first = newSession();
		String sessionId = first.text("session_id");
		String latest = first.text("refresh_token");
		String secondGeneration = null;
		for (int i = 0; i < 3; i++) {
			ApiClient.Response r = refresh(latest);
			assertThat(r.status()).as(r.toString()).isEqualTo(200);
			latest = r.text("refresh_token");
			secondGeneration = i == 0 ? latest : secondGeneration;
		}

		ApiClient.Response replayed = refresh(secondGeneration);

		assertThat(replayed.status()).as(replayed.toString()).isEqualTo(401);
		assertThat(replayed.code()).isEqualTo("refresh_token_reused");
		assertThat(revokeReason(sessionId)).isEqualTo(SessionEnded.REUSE_DETECTED);
		assertThat(reuseEvents(sessionId)).isEqualTo(1);
		assertInvalidRefreshToken(refresh(latest));
		assertThat(refresh(first.text("refresh_token")).code()).as("still reuse, audited once")
			.isEqualTo("refresh_token_reused");
		assertThat(reuseEvents(sessionId)).isEqualTo(1);
	}

	/**
	 * A session started before refresh tokens carried a generation: no secret, generation 0, and a refresh token
	 * of the earlier form (256 random bits) known by its hash in refresh_tokens.
	 */
	@Test
	default void refreshWhenTokenOfTheEarlierFormThenRefreshesOnceIntoTheCurrentFormAndItsReuseIsDetected() {
		ApiClient.Response started = newSession();
		String sessionId = started.text("session_id");
		jdbc().sql("update sessions set refresh_secret = null, generation = 0 where id = :id").param("id", sessionId)
			.update();
		jdbc().sql("delete from refresh_tokens where session_id = :id").param("id", sessionId).update();
		String earlier = SecureTokens.newSecret();
		jdbc().sql("insert into refresh_tokens (token_hash, session_id, created_at) values (:hash, :id, :at)")
			.param("hash", SecureTokens.hash(earlier))
			.param("id", sessionId)
			.param("at", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
			.update();
		assertInvalidRefreshToken(refresh(started.text("refresh_token")));

		ApiClient.Response upgraded = refresh(earlier);

		assertThat(upgraded.status()).as(upgraded.toString()).isEqualTo(200);
		assertThat(upgraded.text("session_id")).isEqualTo(sessionId);
		assertThat(upgraded.text("refresh_token")).startsWith(sessionId + ".1.");
		assertThat(count("select count(*) from sessions where id = :id and refresh_secret is not null", sessionId))
			.isEqualTo(1);
		ApiClient.Response next = refresh(upgraded.text("refresh_token"));
		assertThat(next.status()).as(next.toString()).isEqualTo(200);
		assertThat(next.text("refresh_token")).startsWith(sessionId + ".2.");

		ApiClient.Response reused = refresh(earlier);
		assertThat(reused.code()).as(reused.toString()).isEqualTo("refresh_token_reused");
		assertThat(revokeReason(sessionId)).isEqualTo(SessionEnded.REUSE_DETECTED);
		assertInvalidRefreshToken(refresh(next.text("refresh_token")));
	}

	@Test
	default void refreshWhenRepeatedManyTimesThenTheRowsOfTheSessionStayTheSame() {
		ApiClient.Response first = newSession();
		String sessionId = first.text("session_id");
		String token = refresh(first.text("refresh_token")).text("refresh_token");
		assertThat(count("select count(*) from refresh_tokens where session_id = :id", sessionId))
			.as("nothing is stored per refresh token").isZero();
		assertThat(count("select count(*) from sessions where id = :id", sessionId)).isEqualTo(1);

		for (int i = 0; i < 50; i++) {
			ApiClient.Response r = refresh(token);
			assertThat(r.status()).as(r.toString()).isEqualTo(200);
			token = r.text("refresh_token");
		}

		assertThat(count("select count(*) from refresh_tokens where session_id = :id", sessionId)).isZero();
		assertThat(count("select count(*) from sessions where id = :id", sessionId)).isEqualTo(1);
		assertThat(count("select generation from sessions where id = :id", sessionId)).isEqualTo(52);
		assertThat(token).startsWith(sessionId + ".52.");
	}

	/**
	 * The previous release also wrote the SHA-256 hash of each refresh token it issued to refresh_tokens, with its
	 * generation. During a rolling upgrade such a row changes nothing here: the session's generation decides, so the
	 * token refreshes once and is reuse after that.
	 */
	@Test
	default void refreshWhenThePreviousReleaseStoredACopyOfTheTokenThenTheGenerationDecides() {
		ApiClient.Response first = newSession();
		String sessionId = first.text("session_id");
		String token = first.text("refresh_token");
		jdbc().sql("""
				insert into refresh_tokens (token_hash, session_id, created_at, generation)
				values (:hash, :id, :at, 1)""")
			.param("hash", SecureTokens.hash(token))
			.param("id", sessionId)
			.param("at", OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))
			.update();

		ApiClient.Response refreshed = refresh(token);
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(refreshed.text("refresh_token")).startsWith(sessionId + ".2.");
		assertThat(refresh(refreshed.text("refresh_token")).status()).isEqualTo(200);

		ApiClient.Response reused = refresh(token);
		assertThat(reused.code()).as(reused.toString()).isEqualTo("refresh_token_reused");
		assertThat(revokeReason(sessionId)).isEqualTo(SessionEnded.REUSE_DETECTED);
	}
}
