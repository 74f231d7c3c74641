package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.session.SessionRepository;
import dev.plinto.web.ClientInfo;
import dev.plinto.webhook.WebhookService;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code DELETE /v1/me}: re-authentication, what goes and what stays, and a new account with the same email. */
class AccountDeletionApiTests extends ApiTestSupport implements WithMailCatcher {

	/** The tables whose rows of a user go with the account, and the column naming the user. */
	private static final Map<String, String> USER_TABLES = Map.of("users", "id", "sessions", "user_id",
			"one_time_tokens", "user_id", "sign_in_flows", "user_id", "totp_factors", "user_id", "recovery_codes",
			"user_id", "passkeys", "user_id", "webauthn_challenges", "user_id", "organization_memberships", "user_id");

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private SessionRepository sessions;

	@Autowired
	private WebhookService webhooks;

	private record SignedUp(String id, String email, String token, String refreshToken, String sessionId) {
	}

	private SignedUp signedUp() {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		return new SignedUp(r.json().get("user").get("id").asString(), email, r.text("access_token"),
				r.text("refresh_token"), r.text("session_id"));
	}

	private long rows(String table, String column, String userId) {
		return jdbc.sql("select count(*) from " + table + " where " + column + " = :id").param("id", userId)
			.query(Long.class)
			.single();
	}

	@Test
	void deleteWhenPasswordRightThen204AndEveryRowOfTheUserGoneAndTokensRefused() {
		SignedUp user = signedUp();
		Instant before = clock.instant();

		ApiClient.Response deleted = AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD), null);

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		USER_TABLES.forEach((table, column) -> assertThat(rows(table, column, user.id())).as(table).isZero());
		assertThat(rows("refresh_tokens", "session_id", user.sessionId())).isZero();
		ApiClient.Response me = api.get("/v1/me", user.token());
		assertThat(me.status()).isEqualTo(401);
		assertThat(me.code()).isEqualTo("invalid_token");
		assertThat(refresh(user.refreshToken()).status()).isEqualTo(401);
		assertThat(signIn(user.email(), PASSWORD).code()).isEqualTo("invalid_credentials");
		// other nodes learn that the session ended from the database, although its row is gone
		assertThat(sessions.findRevokedSince(before)).contains(user.sessionId());
	}

	@Test
	void deleteWhenDeletedThenAuditEventsKeptWithTheUserId() {
		SignedUp user = signedUp();

		AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD), null);

		List<String> types = jdbc.sql("select type from audit_events where user_id = :id").param("id", user.id())
			.query(String.class)
			.list();
		assertThat(types).contains("SIGN_UP", "SESSION_REVOKED", "ACCOUNT_DELETED");
	}

	@Test
	void deleteWhenDeletedThenNoticeMailedInTheRequestLanguage() throws Exception {
		SignedUp user = signedUp();

		AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD), "de-CH, en;q=0.5");

		MimeMessage notice = MAIL.awaitMessage(user.email(), 2);
		assertThat(notice.getSubject()).isEqualTo("Ihr Plinto-Konto wurde gelöscht");
		assertThat(MailCatcher.text(notice)).contains("Sie können sich jederzeit wieder");
	}

	@Test
	void deleteWhenPasswordWrongThen403AndAccountKept() {
		SignedUp user = signedUp();

		ApiClient.Response r = AccountSteps.deleteAccount(api, user.token(), Map.of("password", "not the password"),
				null);

		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("wrong_password");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
		assertThat(api.get("/v1/me", user.token()).status()).isEqualTo(200);
		assertThat(rows("users", "id", user.id())).isOne();
	}

	@Test
	void deleteWhenNoPasswordThen400ValidationFailed() {
		SignedUp user = signedUp();

		ApiClient.Response r = AccountSteps.deleteAccount(api, user.token(), Map.of(), null);

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(rows("users", "id", user.id())).isOne();
	}

	@Test
	void deleteWhenNoTokenThen401() {
		ApiClient.Response r = AccountSteps.deleteAccount(api, null, Map.of("password", PASSWORD), null);

		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("unauthenticated");
	}

	@Test
	void deleteWhenPasswordWrongTooOftenThenLockedOut() {
		SignedUp user = signedUp();
		ApiClient.Response last = null;
		for (int i = 0; i < 12 && (last == null || last.status() != 429); i++) {
			last = AccountSteps.deleteAccount(api, user.token(), Map.of("password", "wrong " + i), null);
		}

		assertThat(last.status()).isEqualTo(429);
		assertThat(last.header("Retry-After")).isNotNull();
		assertThat(rows("users", "id", user.id())).isOne();
	}

	@Test
	void deleteWhenTotpEnabledThenCodeRequiredWrongCodeRefusedAndCurrentCodeDeletes() {
		SignedUp user = signedUp();
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, user.token(), clock.instant());
		clock.advance(Duration.ofSeconds(30));

		ApiClient.Response without = AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD),
				null);
		ApiClient.Response wrong = AccountSteps.deleteAccount(api, user.token(),
				Map.of("password", PASSWORD, "code", "000000".equals(MfaSteps.code(enrolled.secret(),
						clock.instant())) ? "111111" : "000000"), null);
		assertThat(without.status()).isEqualTo(400);
		assertThat(without.code()).isEqualTo("mfa_code_required");
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.code()).isEqualTo("wrong_mfa_code");
		assertThat(rows("totp_factors", "user_id", user.id())).isOne();

		ApiClient.Response deleted = AccountSteps.deleteAccount(api, user.token(),
				Map.of("password", PASSWORD, "code", MfaSteps.code(enrolled.secret(), clock.instant())), null);

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
		assertThat(rows("totp_factors", "user_id", user.id())).isZero();
		assertThat(rows("recovery_codes", "user_id", user.id())).isZero();
	}

	@Test
	void deleteWhenTotpEnabledAndRecoveryCodeGivenThen204() {
		SignedUp user = signedUp();
		MfaSteps.Enrolled enrolled = MfaSteps.enrolTotp(api, user.token(), clock.instant());

		ApiClient.Response deleted = AccountSteps.deleteAccount(api, user.token(),
				Map.of("password", PASSWORD, "code", enrolled.recoveryCodes().get(0)), null);

		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
	}

	@Test
	void signUpWhenEmailOfADeletedAccountThenNewAccountWithTheSameEmail() {
		SignedUp user = signedUp();
		AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD), null);

		ApiClient.Response again = api.post("/v1/sign-up", ApiClient.map("email", user.email(), "password",
				"another fine passphrase"));

		assertThat(again.status()).as(again.toString()).isEqualTo(201);
		assertThat(again.json().get("user").get("id").asString()).isNotEqualTo(user.id());
		assertThat(api.get("/v1/me", again.text("access_token")).text("email")).isEqualTo(user.email());
		assertThat(signIn(user.email(), "another fine passphrase").status()).isEqualTo(200);
		assertThat(api.get("/v1/me", user.token()).status()).isEqualTo(401);
	}

	@Test
	void deleteWhenAWebhookEndpointWantsItThenUserDeletedEventStoredWithTheAccount() {
		WebhookService.WithSecret endpoint = webhooks.create("https://hooks.example.com/plinto", "deletion test",
				List.of("user.deleted", "session.revoked"), ClientInfo.none());
		try {
			SignedUp user = signedUp();

			AccountSteps.deleteAccount(api, user.token(), Map.of("password", PASSWORD), null);

			List<String> payloads = jdbc.sql("select payload from webhook_events where payload like :id")
				.param("id", "%" + user.id() + "%")
				.query(String.class)
				.list();
			assertThat(payloads).anySatisfy(p -> assertThat(p).contains("\"type\":\"user.deleted\"")
				.contains("\"email\":\"" + user.email() + "\""));
			assertThat(payloads).anySatisfy(p -> assertThat(p).contains("\"type\":\"session.revoked\"")
				.contains("account_deleted"));
		}
		finally {
			webhooks.delete(endpoint.endpoint().id(), ClientInfo.none());
		}
	}
}
