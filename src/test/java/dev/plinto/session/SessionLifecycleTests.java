package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Sessions from sign-in to their end: refresh-token rotation and reuse detection, idle and absolute lifetimes,
 * sign-out, and the user's own list and revocation of sessions. Each way a session ends is checked from both
 * sides: its access token stops working and its refresh token never refreshes again.
 */
class SessionLifecycleTests extends ApiTestSupport {

	private static final Duration IDLE_TIMEOUT = Duration.ofDays(7);

	@Test
	void refreshWhenValidThenNewTokensForTheSameSession() {
		ApiClient.Response first = signUp(newEmail());

		ApiClient.Response second = refresh(first.text("refresh_token"));

		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(second.header("Cache-Control")).isEqualTo("no-store");
		assertThat(second.text("refresh_token")).isNotEqualTo(first.text("refresh_token"));
		assertThat(second.text("access_token")).isNotEqualTo(first.text("access_token"));
		assertThat(second.text("session_id")).isEqualTo(first.text("session_id"));
		assertThat(second.json().get("user").get("id").asString())
			.isEqualTo(first.json().get("user").get("id").asString());
		assertThat(api.get("/v1/me", second.text("access_token")).status()).isEqualTo(200);
		assertThat(refresh(second.text("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshWhenRotatedOutTokenPresentedAgainThenReuseRevokesTheWholeSession() {
		String email = newEmail();
		ApiClient.Response first = signUp(email);
		String sessionId = first.text("session_id");
		ApiClient.Response second = refresh(first.text("refresh_token"));
		assertThat(second.status()).isEqualTo(200);

		ApiClient.Response reused = refresh(first.text("refresh_token"));

		assertThat(reused.status()).isEqualTo(401);
		assertThat(reused.code()).isEqualTo("refresh_token_reused");
		assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
		assertInvalidToken(api.get("/v1/me", second.text("access_token")));
		assertInvalidRefreshToken(refresh(second.text("refresh_token")));
		String fresh = signIn(email, PASSWORD).text("access_token");
		assertThat(liveSessionIds(fresh)).doesNotContain(sessionId);
		assertThat(securityEvents(fresh)).anySatisfy(e -> {
			assertThat(e.get("type").asString()).isEqualTo("refresh_token.reused");
			assertThat(e.get("session_id").asString()).isEqualTo(sessionId);
		});
	}

	@Test
	void refreshWhenTokenUnknownThenInvalidRefreshToken() {
		assertInvalidRefreshToken(refresh("not-a-refresh-token-" + newEmail()));
	}

	@Test
	void refreshWhenIdleLongerThanIdleTimeoutThenRefusedButEachRefreshRestartsTheIdleTimer() {
		String email = newEmail();
		ApiClient.Response session = signUp(email);

		clock.advance(IDLE_TIMEOUT.minusSeconds(1));
		ApiClient.Response kept = refresh(session.text("refresh_token"));
		assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
		clock.advance(IDLE_TIMEOUT.minusSeconds(1));
		kept = refresh(kept.text("refresh_token"));
		assertThat(kept.status()).as("idle time counts from the last refresh").isEqualTo(200);

		clock.advance(IDLE_TIMEOUT.plusSeconds(1));

		assertInvalidRefreshToken(refresh(kept.text("refresh_token")));
		String fresh = signIn(email, PASSWORD).text("access_token");
		assertThat(liveSessionIds(fresh)).doesNotContain(session.text("session_id"));
	}

	@Test
	void refreshWhenMaxLifetimeReachedThenRefusedEvenIfRefreshedRegularly() {
		ApiClient.Response session = signUp(newEmail());
		String refreshToken = session.text("refresh_token");

		for (int day = 6; day <= 24; day += 6) {
			clock.advance(Duration.ofDays(6));
			ApiClient.Response r = refresh(refreshToken);
			assertThat(r.status()).as("refresh on day %d: %s", day, r).isEqualTo(200);
			refreshToken = r.text("refresh_token");
		}
		clock.advance(Duration.ofDays(6).minusSeconds(1));
		ApiClient.Response lastSecond = refresh(refreshToken);
		assertThat(lastSecond.status()).as("one second before day 30").isEqualTo(200);

		clock.advance(Duration.ofSeconds(1));

		assertInvalidRefreshToken(refresh(lastSecond.text("refresh_token")));
	}

	@Test
	void signOutWhenSignedInThenNoContentAndOnlyThatSessionEndsAtOnce() {
		String email = newEmail();
		ApiClient.Response a = signUp(email);
		ApiClient.Response b = signIn(email, PASSWORD);

		ApiClient.Response out = signOut(a.text("access_token"));

		assertThat(out.status()).isEqualTo(204);
		assertInvalidToken(api.get("/v1/me", a.text("access_token")));
		assertInvalidRefreshToken(refresh(a.text("refresh_token")));
		assertInvalidToken(signOut(a.text("access_token")));
		assertThat(api.get("/v1/me", b.text("access_token")).status()).isEqualTo(200);
		assertThat(refresh(b.text("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void listSessionsWhenSeveralThenLiveOnesWithCurrentFlagIpUserAgentAndTimes() {
		String email = newEmail();
		Instant aCreated = clock.instant();
		ApiClient.Response a = signUp(email);
		clock.advance(Duration.ofMinutes(3));
		Instant bCreated = clock.instant();
		ApiClient.Response b = signInWithUserAgent(email, "SessionLifecycleTests/1.0 (phone)");
		ApiClient.Response ended = signIn(email, PASSWORD);
		assertThat(signOut(ended.text("access_token")).status()).isEqualTo(204);
		signUp(newEmail());
		clock.advance(Duration.ofMinutes(3));
		Instant aRefreshed = clock.instant();
		assertThat(refresh(a.text("refresh_token")).status()).isEqualTo(200);

		ApiClient.Response list = api.get("/v1/me/sessions", b.text("access_token"));

		assertThat(list.status()).isEqualTo(200);
		List<JsonNode> sessions = new ArrayList<>();
		list.json().get("data").forEach(sessions::add);
		assertThat(sessions).extracting(s -> s.get("id").asString())
			.containsExactly(b.text("session_id"), a.text("session_id"));
		JsonNode current = sessions.get(0);
		assertThat(current.get("current").asBoolean()).isTrue();
		assertThat(current.get("ip").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(current.get("user_agent").asString()).isEqualTo("SessionLifecycleTests/1.0 (phone)");
		assertThat(Instant.parse(current.get("created_at").asString())).isEqualTo(bCreated);
		assertThat(Instant.parse(current.get("last_active_at").asString())).isEqualTo(bCreated);
		JsonNode other = sessions.get(1);
		assertThat(other.get("current").asBoolean()).isFalse();
		assertThat(other.get("ip").asString()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
		assertThat(other.get("user_agent").asString()).isNotBlank()
			.isNotEqualTo("SessionLifecycleTests/1.0 (phone)");
		assertThat(Instant.parse(other.get("created_at").asString())).isEqualTo(aCreated);
		assertThat(Instant.parse(other.get("last_active_at").asString())).isEqualTo(aRefreshed);
		assertThat(Instant.parse(other.get("expires_at").asString())).isEqualTo(aCreated.plus(Duration.ofDays(30)));
	}

	@Test
	void revokeSessionWhenOwnOtherSessionThenItEndsAndTheCurrentOneLives() {
		String email = newEmail();
		ApiClient.Response a = signUp(email);
		ApiClient.Response b = signIn(email, PASSWORD);

		ApiClient.Response revoked = api.delete("/v1/me/sessions/" + a.text("session_id"), b.text("access_token"));

		assertThat(revoked.status()).isEqualTo(204);
		assertInvalidToken(api.get("/v1/me", a.text("access_token")));
		assertInvalidRefreshToken(refresh(a.text("refresh_token")));
		assertThat(liveSessionIds(b.text("access_token"))).containsExactly(b.text("session_id"));
		assertThat(securityEvents(b.text("access_token")))
			.anySatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("session.revoked"));
		assertNotFound(api.delete("/v1/me/sessions/" + a.text("session_id"), b.text("access_token")));
	}

	@Test
	void revokeSessionWhenItAlreadyEndedByIdleTimeoutThenNotFound() {
		String email = newEmail();
		ApiClient.Response idle = signUp(email);
		clock.advance(IDLE_TIMEOUT.minusMinutes(1));
		ApiClient.Response current = signIn(email, PASSWORD);
		clock.advance(Duration.ofMinutes(2));
		assertThat(liveSessionIds(current.text("access_token"))).containsExactly(current.text("session_id"));

		assertNotFound(api.delete("/v1/me/sessions/" + idle.text("session_id"), current.text("access_token")));
	}

	@Test
	void revokeSessionWhenItBelongsToAnotherUserOrDoesNotExistThenNotFoundAndNothingEnds() {
		ApiClient.Response mine = signUp(newEmail());
		ApiClient.Response theirs = signUp(newEmail());

		assertNotFound(api.delete("/v1/me/sessions/" + theirs.text("session_id"), mine.text("access_token")));
		assertNotFound(api.delete("/v1/me/sessions/ses_doesnotexist0000000000000", mine.text("access_token")));

		assertThat(api.get("/v1/me", theirs.text("access_token")).status()).isEqualTo(200);
		assertThat(refresh(theirs.text("refresh_token")).status()).isEqualTo(200);
		assertThat(api.get("/v1/me", mine.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void revokeOtherSessionsWhenSignedInThriceThenAllButTheCurrentEnd() {
		String email = newEmail();
		ApiClient.Response a = signUp(email);
		ApiClient.Response b = signIn(email, PASSWORD);
		ApiClient.Response c = signIn(email, PASSWORD);
		ApiClient.Response stranger = signUp(newEmail());

		ApiClient.Response r = api.delete("/v1/me/sessions", b.text("access_token"));

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.json().get("revoked").asInt()).isEqualTo(2);
		for (ApiClient.Response ended : List.of(a, c)) {
			assertInvalidToken(api.get("/v1/me", ended.text("access_token")));
			assertInvalidRefreshToken(refresh(ended.text("refresh_token")));
		}
		assertThat(liveSessionIds(b.text("access_token"))).containsExactly(b.text("session_id"));
		assertThat(api.get("/v1/me", b.text("access_token")).status()).isEqualTo(200);
		assertThat(refresh(b.text("refresh_token")).status()).isEqualTo(200);
		assertThat(api.get("/v1/me", stranger.text("access_token")).status()).isEqualTo(200);
	}

	@Test
	void revokeOtherSessionsWhenOneAlreadyEndedByIdleTimeoutThenOnlyLiveOnesCounted() {
		String email = newEmail();
		signUp(email);
		clock.advance(IDLE_TIMEOUT.minusMinutes(1));
		ApiClient.Response current = signIn(email, PASSWORD);
		clock.advance(Duration.ofMinutes(2));
		ApiClient.Response other = signIn(email, PASSWORD);

		ApiClient.Response r = api.delete("/v1/me/sessions", current.text("access_token"));

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.json().get("revoked").asInt()).isEqualTo(1);
		assertInvalidToken(api.get("/v1/me", other.text("access_token")));
		assertThat(securityEvents(current.text("access_token")))
			.filteredOn(e -> e.get("type").asString().equals("session.revoked"))
			.hasSize(1);
	}

	private ApiClient.Response signOut(String accessToken) {
		return api.send(api.request("/v1/sign-out", accessToken).POST(HttpRequest.BodyPublishers.noBody()).build());
	}

	private ApiClient.Response signInWithUserAgent(String email, String userAgent) {
		ApiClient.Response r = api.send(api.request("/v1/sign-in", null)
			.header("Content-Type", "application/json")
			.header("User-Agent", userAgent)
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"))
			.build());
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r;
	}

	private List<String> liveSessionIds(String accessToken) {
		ApiClient.Response r = api.get("/v1/me/sessions", accessToken);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		r.json().get("data").forEach(s -> ids.add(s.get("id").asString()));
		return ids;
	}

	private List<JsonNode> securityEvents(String accessToken) {
		ApiClient.Response r = api.get("/v1/me/security-events?limit=100", accessToken);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		List<JsonNode> events = new ArrayList<>();
		r.json().get("data").forEach(events::add);
		return events;
	}

	private static void assertInvalidToken(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_token");
		assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
	}

	private static void assertInvalidRefreshToken(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_refresh_token");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	private static void assertNotFound(ApiClient.Response r) {
		assertThat(r.status()).as(r.toString()).isEqualTo(404);
		assertThat(r.code()).isEqualTo("not_found");
	}
}
