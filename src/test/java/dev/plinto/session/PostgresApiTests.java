package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.Concurrently;
import dev.plinto.PostgresApiTestSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * The API end to end on PostgreSQL (a fresh database, migrated by the server at start-up, dropped afterwards),
 * including the refresh race the issue requires to be tested with real concurrency on PostgreSQL.
 */
@TestPropertySource(properties = "PLINTO_REFRESH_REUSE_GRACE=0s")
class PostgresApiTests extends PostgresApiTestSupport {

	private String email;

	@BeforeEach
	void newUser() {
		email = newEmail();
	}

	private long usersInPostgres(String email) throws SQLException {
		try (Connection c = DriverManager.getConnection(postgres().jdbcUrl(), postgres().admin().username(),
				postgres().admin().password());
				PreparedStatement s = c.prepareStatement("select count(*) from users where email = ?")) {
			s.setString(1, email);
			try (ResultSet rs = s.executeQuery()) {
				rs.next();
				return rs.getLong(1);
			}
		}
	}

	@Test
	void signUpSignInRefreshSignOutWhenOnPostgresThenEachStepWorksAndEndedSessionNeverRefreshes()
			throws SQLException {
		ApiClient.Response signedUp = signUp(email);
		assertThat(usersInPostgres(email)).as("the account is stored in the PostgreSQL database").isEqualTo(1);

		ApiClient.Response signedIn = signIn(email, PASSWORD);
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.text("session_id")).startsWith("ses_").isNotEqualTo(signedUp.text("session_id"));

		ApiClient.Response me = api.get("/v1/me", signedIn.text("access_token"));
		assertThat(me.status()).as(me.toString()).isEqualTo(200);
		assertThat(me.text("email")).isEqualTo(email);
		assertThat(me.text("id")).isEqualTo(signedUp.json().get("user").get("id").asString());

		ApiClient.Response refreshed = refresh(signedIn.text("refresh_token"));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(refreshed.header("Cache-Control")).isEqualTo("no-store");
		assertThat(refreshed.text("session_id")).isEqualTo(signedIn.text("session_id"));
		assertThat(refreshed.text("refresh_token")).isNotEqualTo(signedIn.text("refresh_token"));
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(200);

		ApiClient.Response signedOut = api.post("/v1/sign-out", "", refreshed.text("access_token"));
		assertThat(signedOut.status()).as(signedOut.toString()).isEqualTo(204);

		ApiClient.Response refused = refresh(refreshed.text("refresh_token"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
		assertThat(refused.code()).isEqualTo("invalid_refresh_token");
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(401);

		// signing out ends only that session: the one from sign-up still refreshes
		assertThat(refresh(signedUp.text("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void refreshWhenRotatedOutTokenPresentedThenReusedEveryTimeAndSessionRevoked() {
		ApiClient.Response signedUp = signUp(email);
		ApiClient.Response rotated = refresh(signedUp.text("refresh_token"));
		assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);

		ApiClient.Response reused = refresh(signedUp.text("refresh_token"));

		assertThat(reused.status()).as(reused.toString()).isEqualTo(401);
		assertThat(reused.code()).isEqualTo("refresh_token_reused");
		ApiClient.Response again = refresh(signedUp.text("refresh_token"));
		assertThat(again.code()).as("a rotated-out token stays reuse once its session is revoked")
			.isEqualTo("refresh_token_reused");
		assertThat(refresh(rotated.text("refresh_token")).status()).isEqualTo(401);
		assertThat(api.get("/v1/me", rotated.text("access_token")).status()).isEqualTo(401);
	}

	/**
	 * The requirement: two (and more) concurrent refreshes with the same refresh token, exactly one
	 * succeeds. Real threads are released together by a latch, over many rounds; with no grace period every loser
	 * is answered {@code refresh_token_reused} and the session ends, so the winner's new tokens stop working too.
	 */
	@ParameterizedTest(name = "{0} threads")
	@ValueSource(ints = { 2, 8 })
	void refreshWhenSameTokenConcurrentlyThenExactlyOneSucceedsAndSessionRevoked(int threads) throws Exception {
		signUp(email);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			for (int round = 0; round < 20; round++) {
				ApiClient.Response session = signIn(email, PASSWORD);
				assertThat(session.status()).as(session.toString()).isEqualTo(200);
				String token = session.text("refresh_token");

				List<Callable<ApiClient.Response>> calls = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					calls.add(() -> refresh(token));
				}
				List<ApiClient.Response> responses = Concurrently.call(pool, calls);

				String described = "round " + round + ": " + responses;
				List<ApiClient.Response> won = responses.stream().filter(r -> r.status() == 200).toList();
				assertThat(won).as(described).hasSize(1);
				assertThat(responses).as(described)
					.filteredOn(r -> r.status() != 200)
					.hasSize(threads - 1)
					.allSatisfy(r -> {
						assertThat(r.status()).isEqualTo(401);
						assertThat(r.code()).isEqualTo("refresh_token_reused");
					});
				ApiClient.Response winner = won.get(0);
				assertThat(refresh(winner.text("refresh_token")).status()).as(described).isEqualTo(401);
				assertThat(api.get("/v1/me", winner.text("access_token")).status()).as(described).isEqualTo(401);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}
}
