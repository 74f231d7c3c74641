package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.PostgresApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.session.SessionRepository;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Account deletion and email change on a fresh PostgreSQL database. */
class PostgresAccountDeletionApiTests extends PostgresApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private SessionRepository sessions;

	@Test
	void deleteWhenOnPostgresThenEveryRowGoneSessionsRememberedAndTheEmailFreeAgain() {
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);
		String userId = signedUp.json().get("user").get("id").asString();
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, signedUp.text("access_token"), clock.instant());
		Instant before = clock.instant();

		ApiClient.Response deleted = AccountSteps.deleteAccount(api, signedUp.text("access_token"),
				Map.of("password", PASSWORD, "code", enrolled.recoveryCodes().get(3)), null);

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		for (String table : new String[] { "sessions", "one_time_tokens", "totp_factors", "recovery_codes" }) {
			assertThat(jdbc.sql("select count(*) from " + table + " where user_id = :u").param("u", userId)
				.query(Long.class)
				.single()).as(table).isZero();
		}
		assertThat(sessions.findRevokedSince(before)).contains(signedUp.text("session_id"));
		assertThat(api.get("/v1/me", signedUp.text("access_token")).status()).isEqualTo(401);
		assertThat(signUp(email).json().get("user").get("id").asString()).isNotEqualTo(userId);
	}

	@Test
	void changeEmailWhenOnPostgresThenConfirmedAddressReplacesTheOldOne() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		MAIL.awaitMessage(email, 1);
		String next = newEmail();

		assertThat(AccountSteps.changeEmail(api, token, next, PASSWORD, "es").status()).isEqualTo(202);
		ApiClient.Response confirmed = api.post("/v1/email-verification/confirm",
				Map.of("token", MailCatcher.token(MAIL.awaitMessage(next, 1))));

		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		assertThat(api.get("/v1/me", token).text("email")).isEqualTo(next);
		assertThat(signIn(next, PASSWORD).status()).isEqualTo(200);
	}
}
