package dev.plinto.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import tools.jackson.databind.JsonNode;

/** Profile, password policy and change, security events, no account enumeration and hash upgrades. */
class AccountApiTests extends ApiTestSupport {

	private static final Pattern HASH_COUNT = Pattern
		.compile("(?m)^plinto_password_hash_seconds_count(?:\\{[^}]*})?\\s+(\\S+)$");

	@Autowired
	private JdbcClient jdbc;

	// --- password policy -------------------------------------------------------------------------------------

	@Test
	void signUpWhenPasswordHasSevenCharactersThenPasswordTooShort() {
		assertPolicyRefusal(newEmail(), "kq7vzp2", "password_too_short");
	}

	@Test
	void signUpWhenPasswordHasSevenCodePointsInFourteenCharsThenPasswordTooShort() {
		assertPolicyRefusal(newEmail(), "\uD83D\uDD12".repeat(7), "password_too_short");
	}

	@Test
	void signUpWhenPasswordHas8Or128CharactersThenCreated() {
		for (String password : List.of("kq7vzp2x", "k".repeat(127) + "q")) {
			ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password", password));
			assertThat(r.status()).as(password.length() + " characters: " + r).isEqualTo(201);
		}
	}

	@Test
	void signUpWhenPasswordHas129CharactersThenPasswordTooLong() {
		assertPolicyRefusal(newEmail(), "k".repeat(128) + "q", "password_too_long");
	}

	@Test
	void signUpWhenPasswordIsCommonThenPasswordTooCommonWhateverTheCase() {
		for (String password : List.of("password123", "iloveyou1", "qwertyuiop", "Sunshine1", "PASSWORD1")) {
			assertPolicyRefusal(newEmail(), password, "password_too_common");
		}
	}

	@Test
	void signUpWhenPasswordEqualsEmailThenPasswordMatchesEmail() {
		String email = newEmail();
		assertPolicyRefusal(email, email, "password_matches_email");
		assertPolicyRefusal(email, email.toUpperCase(), "password_matches_email");
	}

	@Test
	void signUpWhenEmailInvalidOrPasswordMissingThenValidationFailedListingTheFields() {
		ApiClient.Response badEmail = api.post("/v1/sign-up", ApiClient.map("email", "not-an-email", "password",
				PASSWORD));
		assertThat(badEmail.status()).isEqualTo(400);
		assertThat(badEmail.code()).isEqualTo("validation_failed");
		assertThat(fields(badEmail)).containsExactly("email");

		ApiClient.Response noPassword = api.post("/v1/sign-up", ApiClient.map("email", newEmail()));
		assertThat(noPassword.status()).isEqualTo(400);
		assertThat(noPassword.code()).isEqualTo("validation_failed");
		assertThat(fields(noPassword)).containsExactly("password");
		assertThat(noPassword.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void changePasswordWhenFieldMissingThenValidationFailedWithSnakeCaseFieldName() {
		String token = signUp(newEmail()).text("access_token");

		ApiClient.Response r = api.post("/v1/me/password", Map.of("current_password", PASSWORD), token);

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(fields(r)).containsExactly("new_password");
	}

	// --- profile --------------------------------------------------------------------------------------------

	@Test
	void getMeWhenSignedInThenTheAccount() {
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);

		ApiClient.Response me = api.get("/v1/me", signedUp.text("access_token"));

		assertThat(me.status()).isEqualTo(200);
		assertThat(me.text("id")).isEqualTo(signedUp.json().get("user").get("id").asString());
		assertThat(me.text("email")).isEqualTo(email);
		assertThat(me.json().get("email_verified").asBoolean()).isFalse();
		assertThat(me.text("name")).isNull();
		assertThat(Instant.parse(me.text("created_at"))).isNotNull();
		assertThat(me.json().has("password_hash")).isFalse();
	}

	@Test
	void getMeWhenNoTokenThenUnauthenticated() {
		ApiClient.Response r = api.get("/v1/me");
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("unauthenticated");
	}

	@Test
	void updateMeWhenNameGivenThenStoredAndBlankClearsIt() {
		String token = signUp(newEmail()).text("access_token");

		ApiClient.Response updated = api.patch("/v1/me", Map.of("name", "  Ada Lovelace "), token);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.text("name")).isEqualTo("Ada Lovelace");
		assertThat(api.get("/v1/me", token).text("name")).isEqualTo("Ada Lovelace");

		ApiClient.Response cleared = api.patch("/v1/me", Map.of("name", " "), token);
		assertThat(cleared.text("name")).isNull();
		assertThat(api.get("/v1/me", token).text("name")).isNull();
	}

	@Test
	void updateMeWhenNameAbsentOrNullThenUnchanged() {
		String token = signUp(newEmail()).text("access_token");
		assertThat(api.patch("/v1/me", Map.of("name", "Ada"), token).status()).isEqualTo(200);

		ApiClient.Response empty = api.patch("/v1/me", Map.of(), token);
		ApiClient.Response nul = api.patch("/v1/me", ApiClient.map("name", null), token);

		assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
		assertThat(empty.text("name")).isEqualTo("Ada");
		assertThat(nul.status()).as(nul.toString()).isEqualTo(200);
		assertThat(nul.text("name")).isEqualTo("Ada");
		assertThat(api.get("/v1/me", token).text("name")).isEqualTo("Ada");
	}

	@Test
	void updateMeWhenUnknownFieldThenValidationFailedNamingItAndNothingChanged() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		assertThat(api.patch("/v1/me", Map.of("name", "Ada"), token).status()).isEqualTo(200);

		ApiClient.Response r = api.patch("/v1/me", Map.of("email", "other@example.com", "name", "Eve"), token);

		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(fields(r)).containsExactly("email");
		assertThat(r.text("detail")).contains("email");
		ApiClient.Response me = api.get("/v1/me", token);
		assertThat(me.text("name")).isEqualTo("Ada");
		assertThat(me.text("email")).isEqualTo(email);
	}

	@Test
	void updateMeWhenNameTooLongThenValidationFailed() {
		String token = signUp(newEmail()).text("access_token");

		ApiClient.Response r = api.patch("/v1/me", Map.of("name", "n".repeat(201)), token);

		assertThat(r.status()).isEqualTo(400);
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(fields(r)).containsExactly("name");
	}

	// --- password change ------------------------------------------------------------------------------------

	@Test
	void changePasswordWhenCurrentPasswordWrongThenForbiddenAndPasswordUnchanged() {
		String email = newEmail();
		String token = signUp(email).text("access_token");

		ApiClient.Response r = api.post("/v1/me/password",
				Map.of("current_password", "not my password", "new_password", "a brand new secret phrase"), token);

		assertThat(r.status()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("wrong_password");
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(email, "a brand new secret phrase").status()).isEqualTo(401);
	}

	@Test
	void changePasswordWhenNewPasswordWeakThenPolicyErrorOnNewPassword() {
		String token = signUp(newEmail()).text("access_token");

		ApiClient.Response r = api.post("/v1/me/password",
				Map.of("current_password", PASSWORD, "new_password", "iloveyou1"), token);

		assertThat(r.status()).isEqualTo(422);
		assertThat(r.code()).isEqualTo("password_too_common");
		assertThat(fields(r)).containsExactly("new_password");
	}

	@Test
	void changePasswordWhenCurrentPasswordRightThenOtherSessionsRevokedAndCurrentKept() {
		String email = newEmail();
		ApiClient.Response current = signUp(email);
		ApiClient.Response other = signIn(email, PASSWORD);
		String next = "a brand new secret phrase";

		ApiClient.Response r = api.post("/v1/me/password", Map.of("current_password", PASSWORD, "new_password", next),
				current.text("access_token"));

		assertThat(r.status()).as(r.toString()).isEqualTo(204);
		assertThat(api.get("/v1/me", current.text("access_token")).status()).isEqualTo(200);
		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				Map.of("refresh_token", current.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		ApiClient.Response otherMe = api.get("/v1/me", other.text("access_token"));
		assertThat(otherMe.status()).isEqualTo(401);
		assertThat(otherMe.code()).isEqualTo("invalid_token");
		assertThat(api.post("/v1/token/refresh", Map.of("refresh_token", other.text("refresh_token"))).status())
			.isEqualTo(401);
		assertThat(signIn(email, PASSWORD).code()).isEqualTo("invalid_credentials");
		assertThat(signIn(email, next).status()).isEqualTo(200);
	}

	// --- security events ------------------------------------------------------------------------------------

	@Test
	void securityEventsWhenSeveralActionsThenNewestFirstWithClientDetails() {
		String email = newEmail();
		ApiClient.Response signedUp = signUp(email);
		String token = signedUp.text("access_token");
		clock.advance(Duration.ofSeconds(1));
		assertThat(signIn(email, "not my password").status()).isEqualTo(401);
		clock.advance(Duration.ofSeconds(1));
		assertThat(api.patch("/v1/me", Map.of("name", "Grace"), token).status()).isEqualTo(200);
		clock.advance(Duration.ofSeconds(1));
		ApiClient.Response signedIn = signIn(email, PASSWORD);

		ApiClient.Response r = api.get("/v1/me/security-events", token);

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		List<JsonNode> events = list(r.json().get("data"));
		assertThat(events).extracting(e -> e.get("type").asString())
			.hasSize(5)
			.startsWith("sign_in.succeeded", "profile.updated", "sign_in.failed");
		assertThat(events.subList(3, 5)).extracting(e -> e.get("type").asString())
			.containsExactlyInAnyOrder("sign_up", "sign_in.succeeded");
		for (int i = 1; i < events.size(); i++) {
			assertThat(Instant.parse(events.get(i - 1).get("occurred_at").asString()))
				.isAfterOrEqualTo(Instant.parse(events.get(i).get("occurred_at").asString()));
		}
		JsonNode newest = events.get(0);
		assertThat(newest.get("session_id").asString()).isEqualTo(signedIn.text("session_id"));
		assertThat(newest.get("ip").asString()).isNotBlank();
		assertThat(newest.get("user_agent").asString()).startsWith("Java-http-client");
		assertThat(r.text("next_cursor")).isNull();
	}

	@Test
	void securityEventsWhenPagedWithLimitAndCursorThenEveryEventOnceInOrder() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		for (int i = 0; i < 4; i++) {
			clock.advance(Duration.ofSeconds(1));
			assertThat(signIn(email, i % 2 == 0 ? "not my password" : PASSWORD).status()).isIn(200, 401);
		}
		List<String> all = ids(api.get("/v1/me/security-events?limit=100", token));
		assertThat(all).hasSize(6);

		List<String> paged = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			ApiClient.Response page = api.get("/v1/me/security-events?limit=2" + (cursor == null ? "" : "&cursor="
					+ cursor), token);
			assertThat(page.status()).as(page.toString()).isEqualTo(200);
			assertThat(page.json().get("data").size()).isLessThanOrEqualTo(2);
			paged.addAll(ids(page));
			cursor = page.text("next_cursor");
			pages++;
		}
		while (cursor != null && pages < 10);

		assertThat(pages).isEqualTo(3);
		assertThat(new HashSet<>(paged)).hasSize(paged.size());
		assertThat(paged).isEqualTo(all);
	}

	@Test
	void securityEventsWhenCursorOrLimitInvalidThenValidationFailed() {
		String token = signUp(newEmail()).text("access_token");
		for (String query : List.of("cursor=not-a-cursor!", "cursor=Zm9vYmFy", "limit=0", "limit=101", "limit=ten",
				"limit=", "limit=1.5")) {
			ApiClient.Response r = api.get("/v1/me/security-events?" + query, token);
			assertThat(r.status()).as(query + ": " + r).isEqualTo(400);
			assertThat(r.code()).as(query).isEqualTo("validation_failed");
		}
	}

	@Test
	void securityEventsWhenAnotherUserActedThenOnlyTheCallersEvents() {
		String alice = newEmail();
		String aliceToken = signUp(alice).text("access_token");
		assertThat(signIn(alice, "not my password").status()).isEqualTo(401);
		ApiClient.Response bob = signUp(newEmail());

		List<JsonNode> bobs = list(api.get("/v1/me/security-events", bob.text("access_token")).json().get("data"));
		List<String> alices = ids(api.get("/v1/me/security-events", aliceToken));

		assertThat(bobs).extracting(e -> e.get("type").asString())
			.containsExactlyInAnyOrder("sign_up", "sign_in.succeeded");
		assertThat(bobs).extracting(e -> e.get("id").asString()).doesNotContainAnyElementsOf(alices);
		assertThat(bobs).filteredOn(e -> e.get("type").asString().equals("sign_in.succeeded"))
			.extracting(e -> e.get("session_id").asString())
			.containsExactly(bob.text("session_id"));
	}

	// --- account enumeration and hashing -------------------------------------------------------------------

	@Test
	void signInWhenEmailUnknownThenSameAnswerAsWrongPasswordAndAHashIsComputed() {
		String email = newEmail();
		signUp(email);

		ApiClient.Response wrongPassword = signIn(email, "not my password");
		double before = hashCount();
		ApiClient.Response unknownEmail = signIn(newEmail(), "not my password");
		double after = hashCount();

		assertThat(unknownEmail.status()).isEqualTo(401).isEqualTo(wrongPassword.status());
		for (String field : List.of("type", "title", "status", "detail", "code")) {
			assertThat(unknownEmail.json().get(field)).as(field).isEqualTo(wrongPassword.json().get(field));
		}
		assertThat(unknownEmail.code()).isEqualTo("invalid_credentials");
		assertThat(unknownEmail.header("Content-Type")).isEqualTo(wrongPassword.header("Content-Type"));
		assertThat(unknownEmail.header("WWW-Authenticate")).isEqualTo(wrongPassword.header("WWW-Authenticate"));
		assertThat(after - before).as("password hashes computed for an unknown email").isGreaterThanOrEqualTo(1);
	}

	@Test
	void signInWhenHashHasOtherArgon2ParametersThenAcceptedAndRehashedWithConfiguredOnes() {
		String email = newEmail();
		String userId = signUp(email).json().get("user").get("id").asString();
		String legacy = new Argon2PasswordEncoder(16, 32, 1, 2048, 2).encode(PASSWORD);
		assertThat(legacy).startsWith("$argon2id$v=19$m=2048,t=2,p=1$");
		jdbc.sql("update users set password_hash = :hash where id = :id")
			.param("hash", legacy)
			.param("id", userId)
			.update();

		ApiClient.Response r = signIn(email, PASSWORD);

		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		String stored = jdbc.sql("select password_hash from users where id = :id")
			.param("id", userId)
			.query(String.class)
			.single();
		assertThat(stored).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").isNotEqualTo(legacy);
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(email, "not my password").status()).isEqualTo(401);
	}

	// --- helpers ----------------------------------------------------------------------------------------------

	private void assertPolicyRefusal(String email, String password, String code) {
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", password));
		assertThat(r.status()).as(password + ": " + r).isEqualTo(422);
		assertThat(r.code()).as(password).isEqualTo(code);
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		JsonNode errors = r.json().get("errors");
		assertThat(errors.size()).isEqualTo(1);
		assertThat(errors.get(0).get("field").asString()).isEqualTo("password");
		assertThat(errors.get(0).get("code").asString()).isEqualTo(code);
		assertThat(signIn(email, password).status()).as("no account was created").isEqualTo(401);
	}

	private static List<String> fields(ApiClient.Response r) {
		return list(r.json().get("errors")).stream().map(e -> e.get("field").asString()).distinct().toList();
	}

	private static List<String> ids(ApiClient.Response r) {
		return list(r.json().get("data")).stream().map(e -> e.get("id").asString()).toList();
	}

	private static List<JsonNode> list(JsonNode array) {
		List<JsonNode> out = new ArrayList<>();
		array.forEach(out::add);
		return out;
	}

	private double hashCount() {
		ApiClient.Response metrics = api.get("/metrics");
		assertThat(metrics.status()).isEqualTo(200);
		Matcher m = HASH_COUNT.matcher(metrics.raw());
		assertThat(m.find()).as("plinto_password_hash_seconds_count in /metrics").isTrue();
		return Double.parseDouble(m.group(1));
	}
}
