package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.crypto.PasswordHasher;
import dev.plinto.mfa.MfaSteps;
import dev.plinto.web.ClientInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The Backend API ({@code /v1/admin/…}) through the real server: keys, scopes, every users and sessions endpoint. */
class AdminApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private PasswordHasher hasher;

	private ApiKeys.WithSecret newKey(String... scopes) {
		return apiKeys.create("test " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none());
	}

	private String key(String... scopes) {
		return newKey(scopes).secret();
	}

	private static final String[] ALL = { "users:read", "users:write", "sessions:write", "audit:read" };

	/** A signed-up user: id, email, tokens. */
	private record Person(String id, String email, String token, String refreshToken) {
	}

	private Person person() {
		String email = newEmail();
		ApiClient.Response r = signUp(email);
		return new Person(r.json().get("user").get("id").asString(), email, r.text("access_token"),
				r.text("refresh_token"));
	}

	private long auditRows(String userId, String type, String actor) {
		return jdbc.sql("select count(*) from audit_events where user_id = :user and type = :type and actor_id = :actor")
			.param("user", userId)
			.param("type", type)
			.param("actor", actor)
			.query(Long.class)
			.single();
	}

	// --- authentication and scopes ---------------------------------------------------------------------------------

	@Test
	void adminRoutesWhenNoKeyThenUnauthenticatedWithBearerChallenge() {
		ApiClient.Response r = api.get("/v1/admin/users");
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("unauthenticated");
		assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
	}

	@Test
	void adminRoutesWhenSessionAccessTokenThenInvalidApiKey() {
		Person p = person();
		ApiClient.Response r = api.get("/v1/admin/users/" + p.id(), p.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_api_key");
		assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
	}

	@Test
	void adminRoutesWhenUnknownOrForgedKeyThenInvalidApiKey() {
		String real = key("users:read");
		for (String bad : List.of("sk_live_" + "A".repeat(43), real.substring(0, real.length() - 1) + "x", "nonsense")) {
			ApiClient.Response r = api.get("/v1/admin/users", bad);
			assertThat(r.status()).as(bad).isEqualTo(401);
			assertThat(r.code()).isEqualTo("invalid_api_key");
		}
	}

	@Test
	void apiKeyWhenUsedOnUserRoutesThenNotASession() {
		ApiClient.Response r = api.get("/v1/me", key(ALL));
		assertThat(r.status()).isEqualTo(401);
	}

	@Test
	void writesWhenKeyHasOnlyUsersReadThenInsufficientScope() {
		String readOnly = key("users:read");
		Person p = person();
		String user = "/v1/admin/users/" + p.id();
		List<ApiClient.Response> refused = new ArrayList<>();
		refused.add(api.post("/v1/admin/users", Map.of("email", newEmail()), readOnly));
		refused.add(api.patch(user, Map.of("name", "X"), readOnly));
		refused.add(api.delete(user, readOnly));
		for (String action : List.of("ban", "unban", "lock", "unlock", "mfa/reset")) {
			refused.add(api.post(user + "/" + action, "", readOnly));
		}
		refused.add(api.delete(user + "/sessions", readOnly));
		refused.add(api.delete("/v1/admin/sessions/ses_unknown", readOnly));
		refused.add(api.get(user + "/security-events", readOnly));
		for (ApiClient.Response r : refused) {
			assertThat(r.status()).as(r.toString()).isEqualTo(403);
			assertThat(r.code()).isEqualTo("insufficient_scope");
			assertThat(r.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"").contains("scope=\"");
		}
		assertThat(api.get(user, readOnly).status()).isEqualTo(200);
		assertThat(api.get(user, readOnly).json().get("email").asString()).isEqualTo(p.email());
		assertThat(api.get("/v1/me", p.token()).status()).as("nothing was changed").isEqualTo(200);
	}

	@Test
	void readsWhenKeyHasOnlyUsersWriteThenInsufficientScope() {
		String writeOnly = key("users:write");
		Person p = person();
		ApiClient.Response r = api.get("/v1/admin/users/" + p.id(), writeOnly);
		assertThat(r.status()).isEqualTo(403);
		assertThat(r.header("WWW-Authenticate")).contains("scope=\"users:read\"");
		assertThat(api.get("/v1/admin/users", writeOnly).status()).isEqualTo(403);
		assertThat(api.get("/v1/admin/users/" + p.id() + "/sessions", writeOnly).status()).isEqualTo(403);
	}

	@Test
	void keyWhenRevokedThenRefusedAtOnceEvenWhenRevokedByAnotherNode() {
		ApiKeys.WithSecret created = newKey("users:read");
		assertThat(api.get("/v1/admin/users", created.secret()).status()).isEqualTo(200);

		apiKeys.revoke(created.key().id(), ClientInfo.none());
		assertThat(api.get("/v1/admin/users", created.secret()).code()).isEqualTo("invalid_api_key");

		// Another node revokes by writing the row: no cache on this node keeps the key alive (ApiKeyRevocationNodesTests
		// runs two servers on one PostgreSQL database).
		ApiKeys.WithSecret other = newKey("users:read");
		assertThat(api.get("/v1/admin/users", other.secret()).status()).isEqualTo(200);
		jdbc.sql("update api_keys set revoked_at = created_at where id = :id").param("id", other.key().id()).update();
		assertThat(api.get("/v1/admin/users", other.secret()).code()).isEqualTo("invalid_api_key");
	}

	@Test
	void keyWhenExpiredThenRefused() {
		ApiKeys.WithSecret created = apiKeys.create("expiring", List.of("users:read"), Duration.ofHours(1), "test",
				ClientInfo.none());
		assertThat(api.get("/v1/admin/users", created.secret()).status()).isEqualTo(200);
		clock.advance(Duration.ofHours(1));
		ApiClient.Response r = api.get("/v1/admin/users", created.secret());
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_api_key");
		assertThat(apiKeys.get(created.key().id()).status(clock.instant())).isEqualTo("expired");
	}

	@Test
	void keyWhenRotatedThenOldSecretStopsAndNewOneWorks() {
		ApiKeys.WithSecret created = newKey("users:read");
		ApiKeys.WithSecret rotated = apiKeys.rotate(created.key().id(), ClientInfo.none());
		assertThat(rotated.secret()).startsWith("sk_live_").isNotEqualTo(created.secret());
		assertThat(rotated.key().id()).isEqualTo(created.key().id());
		assertThat(api.get("/v1/admin/users", created.secret()).code()).isEqualTo("invalid_api_key");
		assertThat(api.get("/v1/admin/users", rotated.secret()).status()).isEqualTo(200);
	}

	@Test
	void keyWhenCreatedThenStoredOnlyAsHashWithPrefixAndLastUse() {
		ApiKeys.WithSecret created = newKey("users:read");
		assertThat(created.secret()).matches("sk_live_[A-Za-z0-9_-]{43}");
		String stored = jdbc.sql("select token_hash from api_keys where id = :id").param("id", created.key().id())
			.query(String.class)
			.single();
		assertThat(stored).hasSize(64).doesNotContain(created.secret().substring(8));
		assertThat(created.key().prefix()).isEqualTo(created.secret().substring(0, 12));
		assertThat(apiKeys.get(created.key().id()).lastUsedAt()).isNull();
		api.get("/v1/admin/users", created.secret());
		assertThat(apiKeys.get(created.key().id()).lastUsedAt()).isNotNull();
	}

	// --- users -----------------------------------------------------------------------------------------------------

	@Test
	void createWhenPasswordThenUserCanSignInAndAuditCarriesKeyId() {
		ApiKeys.WithSecret k = newKey(ALL);
		String email = newEmail();
		ApiClient.Response created = api.post("/v1/admin/users", Map.of("email", email, "name", "Ada", "password",
				"amber lantern meadow 7", "email_verified", true, "public_metadata", Map.of("plan", "pro"),
				"private_metadata", Map.of("stripe", "cus_1")), k.secret());
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.header("Location")).isEqualTo("/v1/admin/users/" + created.text("id"));
		assertThat(created.json().get("email_verified").asBoolean()).isTrue();
		assertThat(created.json().get("private_metadata").get("stripe").asString()).isEqualTo("cus_1");
		ApiClient.Response signedIn = signIn(email, "amber lantern meadow 7");
		assertThat(signedIn.status()).isEqualTo(200);
		assertThat(ApiClient.claims(signedIn.text("access_token")).has("public_metadata"))
			.as("public metadata goes into tokens only with PLINTO_TOKEN_PUBLIC_METADATA=on").isFalse();
		assertThat(ApiClient.claims(refresh(signedIn.text("refresh_token")).text("access_token"))
			.has("public_metadata")).isFalse();
		assertThat(auditRows(created.text("id"), "USER_CREATED", k.key().id())).isEqualTo(1);
	}

	@Test
	void createWhenPasswordHashThenThatPasswordSignsIn() {
		String email = newEmail();
		ApiClient.Response created = api.post("/v1/admin/users", Map.of("email", email, "password_hash",
				hasher.hash("imported secret 123")), key(ALL));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(signIn(email, "imported secret 123").status()).isEqualTo(200);

		ApiClient.Response bad = api.post("/v1/admin/users", Map.of("email", newEmail(), "password_hash", "md5:abc"),
				key(ALL));
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("password_hash");
	}

	@Test
	void createWhenNoPasswordThenMailToChooseOneAndDuplicateRefused() {
		String email = newEmail();
		String k = key(ALL);
		ApiClient.Response created = api.post("/v1/admin/users", Map.of("email", email), k);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		String token = MailCatcher.token(MAIL.awaitMessage(email, 1));
		ApiClient.Response set = api.post("/v1/password-reset/confirm", Map.of("token", token, "new_password",
				"chosen by the user 9"));
		assertThat(set.status()).as(set.toString()).isIn(200, 204);
		assertThat(signIn(email, "chosen by the user 9").status()).isEqualTo(200);

		ApiClient.Response again = api.post("/v1/admin/users", Map.of("email", email), k);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("email_taken");
	}

	@Test
	void updateWhenFieldsSentThenChangedAndMetadataVisibleToUserExceptPrivate() {
		Person p = person();
		String k = key(ALL);
		String newEmail = newEmail();
		ApiClient.Response updated = api.patch("/v1/admin/users/" + p.id(), Map.of("name", "Grace", "email", newEmail,
				"email_verified", true, "public_metadata", Map.of("plan", "team"), "private_metadata",
				Map.of("note", "vip"), "unsafe_metadata", Map.of("theme", "dark")), k);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
		assertThat(updated.text("name")).isEqualTo("Grace");
		assertThat(updated.text("email")).isEqualTo(newEmail);
		assertThat(updated.json().get("email_verified").asBoolean()).isTrue();

		ApiClient.Response me = api.get("/v1/me", p.token());
		assertThat(me.json().get("public_metadata").get("plan").asString()).isEqualTo("team");
		assertThat(me.json().get("unsafe_metadata").get("theme").asString()).isEqualTo("dark");
		assertThat(me.json().has("private_metadata")).isFalse();
		assertThat(me.raw()).doesNotContain("vip");

		ApiClient.Response own = api.patch("/v1/me", Map.of("unsafe_metadata", Map.of("theme", "light")), p.token());
		assertThat(own.status()).as(own.toString()).isEqualTo(200);
		assertThat(own.json().get("unsafe_metadata").get("theme").asString()).isEqualTo("light");
		ApiClient.Response tooBig = api.patch("/v1/me", Map.of("unsafe_metadata", Map.of("x", "y".repeat(9000))),
				p.token());
		assertThat(tooBig.code()).isEqualTo("metadata_too_large");
		ApiClient.Response publicByUser = api.patch("/v1/me", Map.of("public_metadata", Map.of("plan", "free")),
				p.token());
		assertThat(publicByUser.status()).as("the user cannot write public metadata").isEqualTo(400);
		assertThat(api.get("/v1/admin/users/" + p.id(), k).json().get("public_metadata").get("plan").asString())
			.isEqualTo("team");
	}

	@Test
	void listWhenFilteredThenMatchesAndPagesWithCursor() {
		String k = key(ALL);
		String tag = UUID.randomUUID().toString().substring(0, 8);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(api.post("/v1/admin/users", Map.of("email", "find-" + tag + "-" + i + "@example.com", "name",
					"Findable " + tag), k).text("id"));
		}
		api.post("/v1/admin/users/" + ids.get(0) + "/ban", "", k);

		ApiClient.Response page1 = api.get("/v1/admin/users?query=" + tag + "&limit=2", k);
		assertThat(page1.status()).as(page1.toString()).isEqualTo(200);
		assertThat(page1.json().get("data")).hasSize(2);
		String cursor = page1.text("next_cursor");
		assertThat(cursor).isNotNull();
		ApiClient.Response page2 = api.get("/v1/admin/users?query=" + tag + "&limit=2&cursor=" + cursor, k);
		assertThat(page2.json().get("data")).hasSize(1);
		assertThat(page2.text("next_cursor")).isNull();

		ApiClient.Response banned = api.get("/v1/admin/users?query=" + tag + "&banned=true", k);
		assertThat(banned.json().get("data")).hasSize(1);
		assertThat(banned.json().get("data").get(0).get("id").asString()).isEqualTo(ids.get(0));
		ApiClient.Response byEmail = api.get("/v1/admin/users?email=FIND-" + tag + "-1@example.com", k);
		assertThat(byEmail.json().get("data")).hasSize(1);
		assertThat(api.get("/v1/admin/users?query=" + tag + "&has_mfa=true", k).json().get("data")).isEmpty();
		assertThat(api.get("/v1/admin/users?query=" + tag + "&created_after=" + clock.instant().plusSeconds(60), k)
			.json()
			.get("data")).isEmpty();
		assertThat(api.get("/v1/admin/users?query=" + tag + "&last_sign_in_after=2000-01-01T00:00:00Z", k).json()
			.get("data")).as("created by the operator, never signed in").isEmpty();
		ApiClient.Response bad = api.get("/v1/admin/users?created_after=yesterday", k);
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.code()).isEqualTo("validation_failed");
	}

	@Test
	void listWhenIdEmailOrNameFilterThenEachMatchesAsDocumentedAndCombinesWithTheOthers() {
		String k = key(ALL);
		String tag = UUID.randomUUID().toString().substring(0, 8);
		String hopper = api.post("/v1/admin/users", Map.of("email", "n-" + tag + "-0@example.com", "name",
				"Grace Hopper " + tag), k).text("id");
		String other = api.post("/v1/admin/users", Map.of("email", "grace-" + tag + "@example.com", "name",
				"Someone " + tag), k).text("id");
		String kelly = api.post("/v1/admin/users", Map.of("email", "n-" + tag + "-2@example.com", "name",
				"GRACE Kelly " + tag), k).text("id");
		api.post("/v1/admin/users/" + kelly + "/ban", "", k);

		assertThat(ids(api.get("/v1/admin/users?query=" + tag + "&name=grace", k)))
			.as("name matches part of the name in any case, never the email").containsExactlyInAnyOrder(kelly, hopper);
		assertThat(ids(api.get("/v1/admin/users?query=" + tag + "&name=grace&banned=false", k)))
			.containsExactly(hopper);
		assertThat(ids(api.get("/v1/admin/users?query=" + tag + "&name=grace&banned=true", k)))
			.containsExactly(kelly);
		assertThat(ids(api.get("/v1/admin/users?query=" + tag + "&name=%25", k))).as("a wildcard is a character")
			.isEmpty();

		assertThat(ids(api.get("/v1/admin/users?id=" + other, k))).containsExactly(other);
		assertThat(ids(api.get("/v1/admin/users?id=" + other + "&query=" + tag, k))).containsExactly(other);
		assertThat(ids(api.get("/v1/admin/users?id=" + other + "&name=grace", k))).isEmpty();
		assertThat(ids(api.get("/v1/admin/users?id=" + other.toUpperCase(), k))).as("an id is exact").isEmpty();
		assertThat(ids(api.get("/v1/admin/users?id=usr_unknown", k))).isEmpty();

		assertThat(ids(api.get("/v1/admin/users?email=Grace-" + tag + "@EXAMPLE.com", k))).containsExactly(other);
		assertThat(ids(api.get("/v1/admin/users?email=grace-" + tag + "@example.com&name=someone", k)))
			.containsExactly(other);
		assertThat(ids(api.get("/v1/admin/users?email=grace-" + tag + "@example.com&banned=true", k))).isEmpty();
		assertThat(ids(api.get("/v1/admin/users?email=grace-" + tag, k))).as("an email is whole").isEmpty();

		ApiClient.Response tooLong = api.get("/v1/admin/users?name=" + "a".repeat(321), k);
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.code()).isEqualTo("validation_failed");
		assertThat(tooLong.raw()).contains("\"name\"");
	}

	private static List<String> ids(ApiClient.Response list) {
		assertThat(list.status()).as(list.toString()).isEqualTo(200);
		List<String> ids = new ArrayList<>();
		list.json().get("data").forEach(u -> ids.add(u.get("id").asString()));
		return ids;
	}

	@Test
	void banWhenUserHasSessionsThenRevokedAndSignInRefreshRefusedUntilUnban() {
		Person p = person();
		ApiKeys.WithSecret k = newKey(ALL);
		ApiClient.Response banned = api.post("/v1/admin/users/" + p.id() + "/ban", "", k.secret());
		assertThat(banned.status()).as(banned.toString()).isEqualTo(200);
		assertThat(banned.json().get("banned").asBoolean()).isTrue();

		assertThat(api.get("/v1/me", p.token()).status()).as("access token stopped").isEqualTo(401);
		assertThat(refresh(p.refreshToken()).status()).as("refresh refused").isEqualTo(401);
		ApiClient.Response signIn = signIn(p.email(), PASSWORD);
		assertThat(signIn.status()).isEqualTo(403);
		assertThat(signIn.code()).isEqualTo("user_banned");
		ApiClient.Response wrong = signIn(p.email(), "not the password");
		assertThat(wrong.code()).as("a wrong password learns nothing of the ban").isEqualTo("invalid_credentials");
		assertThat(auditRows(p.id(), "USER_BANNED", k.key().id())).isEqualTo(1);
		assertThat(auditRows(p.id(), "SESSION_REVOKED", k.key().id())).isEqualTo(1);

		assertThat(api.post("/v1/admin/users/" + p.id() + "/unban", "", k.secret()).json().get("banned").asBoolean())
			.isFalse();
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void banWhenUserSignsInWithAnEmailedCodeThenUserBanned() {
		Person p = person();
		assertThat(api.post("/v1/admin/users/" + p.id() + "/ban", "", key(ALL)).status()).isEqualTo(200);
		String flowId = api.post("/v1/sign-in/email-code", Map.of("email", p.email())).text("flow_id");
		String code = MailCatcher.code(MAIL.awaitMessage(p.email(), 2));
		ApiClient.Response verified = api.post("/v1/sign-in/email-code/verify", Map.of("flow_id", flowId, "code",
				code));
		assertThat(verified.status()).as(verified.toString()).isEqualTo(403);
		assertThat(verified.code()).isEqualTo("user_banned");
		assertThat(verified.text("access_token")).isNull();
	}

	@Test
	void lockWhenSetThenSignInRefusedUntilUnlocked() {
		Person p = person();
		String k = key(ALL);
		ApiClient.Response locked = api.post("/v1/admin/users/" + p.id() + "/lock", "", k);
		assertThat(locked.status()).as(locked.toString()).isEqualTo(200);
		assertThat(locked.json().get("locked_until").isNull()).isFalse();
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(429);

		assertThat(api.post("/v1/admin/users/" + p.id() + "/unlock", "", k).json().get("locked_until").isNull())
			.isTrue();
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(200);

		ApiClient.Response brief = api.post("/v1/admin/users/" + p.id() + "/lock", Map.of("duration_seconds", 60), k);
		assertThat(brief.status()).isEqualTo(200);
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(429);
		clock.advance(Duration.ofSeconds(61));
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void resetMfaWhenTotpEnrolledThenRemoved() {
		Person p = person();
		MfaSteps.enrolTotp(api, p.token(), clock.instant());
		String k = key(ALL);
		assertThat(api.get("/v1/admin/users/" + p.id(), k).json().get("has_mfa").asBoolean()).isTrue();
		ApiClient.Response reset = api.post("/v1/admin/users/" + p.id() + "/mfa/reset", "", k);
		assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
		assertThat(reset.json().get("has_mfa").asBoolean()).isFalse();
		ApiClient.Response signIn = signIn(p.email(), PASSWORD);
		assertThat(signIn.text("access_token")).as("no second step any more").isNotNull();
	}

	@Test
	void deleteWhenUserExistsThenGoneAndAudited() {
		Person p = person();
		ApiKeys.WithSecret k = newKey(ALL);
		assertThat(api.delete("/v1/admin/users/" + p.id(), k.secret()).status()).isEqualTo(204);
		assertThat(api.get("/v1/admin/users/" + p.id(), k.secret()).status()).isEqualTo(404);
		assertThat(api.delete("/v1/admin/users/" + p.id(), k.secret()).status()).isEqualTo(404);
		assertThat(signIn(p.email(), PASSWORD).status()).isEqualTo(401);
		assertThat(auditRows(p.id(), "ACCOUNT_DELETED", k.key().id())).isEqualTo(1);
	}

	@Test
	void sessionsWhenListedAndRevokedThenTokensStop() {
		Person p = person();
		String second = signIn(p.email(), PASSWORD).text("access_token");
		String k = key(ALL);
		ApiClient.Response list = api.get("/v1/admin/users/" + p.id() + "/sessions", k);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("data")).hasSize(2);
		String first = ApiClient.claims(p.token()).get("sid").asString();

		assertThat(api.delete("/v1/admin/sessions/" + first, k).status()).isEqualTo(204);
		assertThat(api.get("/v1/me", p.token()).status()).isEqualTo(401);
		assertThat(api.get("/v1/me", second).status()).isEqualTo(200);
		assertThat(api.delete("/v1/admin/sessions/" + first, k).status()).isEqualTo(404);

		ApiClient.Response all = api.delete("/v1/admin/users/" + p.id() + "/sessions", k);
		assertThat(all.json().get("revoked").asInt()).isEqualTo(1);
		assertThat(api.get("/v1/me", second).status()).isEqualTo(401);
		assertThat(api.get("/v1/admin/users/" + p.id() + "/sessions", k).json().get("data")).isEmpty();
	}

	@Test
	void exportWhenUsersReadKeyThenTheUsersDataWithoutSecretsAndRecordedWithTheKey() {
		Person p = person();
		ApiKeys.WithSecret k = newKey("users:read");
		ApiClient.Response r = api.get("/v1/admin/users/" + p.id() + "/export", k.secret());
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.header("Cache-Control")).contains("no-store");
		assertThat(r.json().get("user").get("email").asString()).isEqualTo(p.email());
		assertThat(r.json().get("sessions")).hasSize(1);
		assertThat(r.raw()).doesNotContain("$argon2");
		assertThat(auditRows(p.id(), "DATA_EXPORTED", k.key().id())).isEqualTo(1);
		assertThat(api.get("/v1/admin/users/usr_unknown/export", k.secret()).status()).isEqualTo(404);
		assertThat(api.get("/v1/admin/users/" + p.id() + "/export", key("audit:read")).code())
			.isEqualTo("insufficient_scope");
	}

	@Test
	void impersonateWhenKeyHasScopeThenUserTokensCarryActorAndCannotReachBackendApi() {
		Person p = person();
		ApiKeys.WithSecret k = newKey("users:impersonate", "users:read", "audit:read");
		assertThat(api.post("/v1/admin/users/" + p.id() + "/impersonate", "", key("users:read", "users:write"))
			.code()).isEqualTo("insufficient_scope");

		ApiClient.Response as = api.post("/v1/admin/users/" + p.id() + "/impersonate", "", k.secret());
		assertThat(as.status()).as(as.toString()).isEqualTo(201);
		assertThat(as.header("Cache-Control")).contains("no-store");
		JsonNode claims = ApiClient.claims(as.text("access_token"));
		assertThat(claims.get("sub").asString()).isEqualTo(p.id());
		assertThat(claims.get("act").get("sub").asString()).isEqualTo(k.key().id());
		assertThat(api.get("/v1/me", as.text("access_token")).text("email")).isEqualTo(p.email());
		assertThat(api.get("/v1/admin/users/" + p.id(), as.text("access_token")).code()).isEqualTo("invalid_api_key");
		assertThat(ApiClient.claims(p.token()).has("act")).as("the user's own session is untouched").isFalse();
		// A sign-in of a moment ago, but not the user's own: nothing that outlives the hour, nor all the user's data.
		for (ApiClient.Response refused : java.util.List.of(
				api.post("/v1/me/passkeys/options", "", as.text("access_token")),
				api.post("/v1/me/mfa/totp", "", as.text("access_token")),
				api.get("/v1/me/export", as.text("access_token")))) {
			assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
			assertThat(refused.code()).isEqualTo("forbidden");
		}
		assertThat(api.post("/v1/me/passkeys/options", "", p.token()).status()).as("the user's own sign-in may")
			.isEqualTo(200);

		ApiClient.Response refreshed = refresh(as.text("refresh_token"));
		assertThat(ApiClient.claims(refreshed.text("access_token")).get("act").get("sub").asString())
			.isEqualTo(k.key().id());
		JsonNode sessions = api.get("/v1/admin/users/" + p.id() + "/sessions", k.secret()).json().get("data");
		assertThat(sessions).anySatisfy(s -> assertThat(s.get("impersonator").asString()).isEqualTo(k.key().id()));
		assertThat(auditRows(p.id(), "USER_IMPERSONATED", k.key().id())).isEqualTo(1);
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'USER_IMPERSONATION_STARTED' "
				+ "and (actor_id = :key or detail like :user)")
			.param("key", k.key().id())
			.param("user", "as " + p.id() + "%")
			.query(Long.class)
			.single()).as("a key has no account of its own: one event, on the user").isZero();
		assertThat(api.get("/v1/me/security-events", p.token()).json().get("data"))
			.anySatisfy(e -> assertThat(e.get("type").asString()).isEqualTo("user.impersonated"));

		clock.advance(AdminUsers.IMPERSONATION_LIFETIME);
		assertThat(refresh(refreshed.text("refresh_token")).status()).as("an hour at most").isEqualTo(401);
	}

	@Test
	void impersonateWhenAccountHasAnInstanceRoleThenForbiddenAndNoSession() {
		Person p = person();
		jdbc.sql("update users set instance_role = 'support' where id = :id").param("id", p.id()).update();

		ApiClient.Response refused = api.post("/v1/admin/users/" + p.id() + "/impersonate", "",
				key("users:impersonate"));

		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("forbidden");
		assertThat(jdbc.sql("select count(*) from sessions where user_id = :id and impersonator is not null")
			.param("id", p.id())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void organizationsWhenListedReadAndChangedThenPrivateMetadataStaysWithTheBackend() {
		Person owner = person();
		String name = "Admin Org " + UUID.randomUUID();
		String org = api.post("/v1/organizations", Map.of("name", name), owner.token()).text("id");
		ApiKeys.WithSecret k = newKey("organizations:read", "organizations:write");
		String readOnly = key("organizations:read");

		ApiClient.Response list = api.get("/v1/admin/organizations?query=" + name.replace(" ", "%20"), readOnly);
		assertThat(list.status()).as(list.toString()).isEqualTo(200);
		assertThat(list.json().get("data")).hasSize(1);
		assertThat(list.json().get("data").get(0).get("members_count").asInt()).isEqualTo(1);
		JsonNode members = api.get("/v1/admin/organizations/" + org + "/members", readOnly).json().get("data");
		assertThat(members.get(0).get("user_id").asString()).isEqualTo(owner.id());
		assertThat(members.get(0).get("role").asString()).isEqualTo("owner");

		ApiClient.Response refused = api.patch("/v1/admin/organizations/" + org, Map.of("name", "X"), readOnly);
		assertThat(refused.code()).isEqualTo("insufficient_scope");
		assertThat(api.get("/v1/admin/organizations", key("users:read")).code()).isEqualTo("insufficient_scope");

		ApiClient.Response changed = api.patch("/v1/admin/organizations/" + org, Map.of("public_metadata",
				Map.of("plan", "enterprise"), "private_metadata", Map.of("crm", "acc_42")), k.secret());
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
		assertThat(changed.json().get("private_metadata").get("crm").asString()).isEqualTo("acc_42");
		ApiClient.Response asMember = api.get("/v1/organizations/" + org, owner.token());
		assertThat(asMember.json().get("public_metadata").get("plan").asString()).isEqualTo("enterprise");
		assertThat(asMember.raw()).doesNotContain("acc_42");
		assertThat(jdbc.sql("""
				select count(*) from audit_events where organization_id = :org and type = 'ORGANIZATION_UPDATED'
				and actor_id = :actor""").param("org", org).param("actor", k.key().id()).query(Long.class).single())
			.isEqualTo(1);
		assertThat(api.get("/v1/admin/organizations/org_unknown", readOnly).status()).isEqualTo(404);
	}

	@Test
	void identitiesOrganizationsAndSecurityEventsWhenReadThenListed() {
		Person p = person();
		jdbc.sql("""
				insert into user_identities (id, user_id, provider, subject, email, email_verified, created_at)
				values (:id, :user, 'github', '4711', :email, true, current_timestamp)""")
			.param("id", "idn_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20))
			.param("user", p.id())
			.param("email", p.email())
			.update();
		String org = api.post("/v1/organizations", Map.of("name", "Acme"), p.token()).text("id");
		ApiKeys.WithSecret k = newKey(ALL);

		JsonNode identities = api.get("/v1/admin/users/" + p.id() + "/identities", k.secret()).json().get("data");
		assertThat(identities).hasSize(1);
		assertThat(identities.get(0).get("provider").asString()).isEqualTo("github");
		JsonNode orgs = api.get("/v1/admin/users/" + p.id() + "/organizations", k.secret()).json().get("data");
		assertThat(orgs).hasSize(1);
		assertThat(orgs.get(0).get("organization_id").asString()).isEqualTo(org);
		assertThat(orgs.get(0).get("role").asString()).isEqualTo("owner");

		clock.advance(Duration.ofSeconds(1));
		api.post("/v1/admin/users/" + p.id() + "/lock", "", k.secret());
		ApiClient.Response events = api.get("/v1/admin/users/" + p.id() + "/security-events", k.secret());
		assertThat(events.status()).isEqualTo(200);
		JsonNode newest = events.json().get("data").get(0);
		assertThat(newest.get("type").asString()).isEqualTo("user.locked");
		assertThat(newest.get("actor_id").asString()).isEqualTo(k.key().id());
		assertThat(api.get("/v1/admin/users/usr_unknown/identities", k.secret()).status()).isEqualTo(404);
	}
}
