package dev.plinto.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.platform.DatabaseSettings;
import dev.plinto.web.ClientInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/admin/settings} through the real server: a change takes effect on the next request (MFA policy, sign-in
 * methods, a rate limit, the password minimum), is validated by the environment's parser, audited, and refused
 * without the scope. Its own server (the property below), so the settings it changes reach no other test.
 */
@TestPropertySource(properties = "PLINTO_PRIMARY_COLOR=#0a7d4f")
class RuntimeSettingsApiTests extends ApiTestSupport {

	@Autowired
	private ApiKeys apiKeys;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DatabaseSettings settings;

	@AfterEach
	void resetOverrides() {
		jdbc.sql("delete from runtime_settings").update();
		settings.reload();
	}

	private ApiKeys.WithSecret newKey(String... scopes) {
		return apiKeys.create("settings " + UUID.randomUUID(), List.of(scopes), null, "test", ClientInfo.none());
	}

	private String writer() {
		return newKey("settings:read", "settings:write").secret();
	}

	private ApiClient.Response change(String key, String... pairs) {
		Map<String, Object> body = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			body.put(pairs[i], pairs[i + 1]);
		}
		return api.patch("/v1/admin/settings", body, key);
	}

	private static JsonNode setting(ApiClient.Response r, String name) {
		for (JsonNode s : r.json().get("settings")) {
			if (s.get("name").asString().equals(name)) {
				return s;
			}
		}
		throw new AssertionError(name + " not in " + r);
	}

	@Test
	void changeWhenMfaSwitchedToRequiredThenNextSignInAsksForEnrolment() {
		Account user = account();
		assertThat(signIn(user.email(), PASSWORD).json().has("access_token")).isTrue();

		ApiClient.Response changed = change(writer(), "PLINTO_MFA", "required");
		assertThat(changed.status()).as(changed.toString()).isEqualTo(200);

		ApiClient.Response r = signIn(user.email(), PASSWORD);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		assertThat(r.text("status")).isEqualTo("mfa_enrollment_required");
		assertThat(r.json().has("access_token")).isFalse();
	}

	@Test
	void changeWhenPasswordRemovedFromSignInMethodsThenPasswordSignInRefusedUntilReset() {
		Account user = account();
		String key = writer();
		assertThat(change(key, "PLINTO_SIGN_IN_METHODS", "passkey,email_code").status()).isEqualTo(200);

		ApiClient.Response refused = signIn(user.email(), PASSWORD);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("sign_in_method_disabled");

		Map<String, Object> reset = new HashMap<>();
		reset.put("PLINTO_SIGN_IN_METHODS", null);
		ApiClient.Response back = api.patch("/v1/admin/settings", reset, key);
		assertThat(setting(back, "PLINTO_SIGN_IN_METHODS").get("source").asString()).isEqualTo("default");
		assertThat(signIn(user.email(), PASSWORD).status()).isEqualTo(200);
	}

	@Test
	void changeWhenSignInRateLoweredThenNextRequestsLimited() {
		Account user = account();
		assertThat(change(writer(), "PLINTO_RATE_LIMIT_SIGN_IN", "2/1h").status()).isEqualTo(200);
		assertThat(signIn(user.email(), PASSWORD).status()).isEqualTo(200);
		assertThat(signIn(user.email(), PASSWORD).status()).isEqualTo(200);
		ApiClient.Response limited = signIn(user.email(), PASSWORD);
		assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
		assertThat(limited.code()).isEqualTo("rate_limited");
		assertThat(limited.header("Retry-After")).isNotBlank();
	}

	@Test
	void changeWhenPasswordMinimumRaisedThenShorterPasswordRefusedOnSignUpAndPage() {
		assertThat(change(writer(), "PLINTO_PASSWORD_MIN_LENGTH", "24").status()).isEqualTo(200);
		ApiClient.Response refused = api.post("/v1/sign-up",
				ApiClient.map("email", newEmail(), "password", "amber lantern meadow 7"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
		assertThat(refused.code()).isEqualTo("password_too_short");
		assertThat(refused.raw()).contains("at least 24 characters");
		assertThat(api.post("/v1/sign-up", ApiClient.map("email", newEmail(), "password",
				"amber lantern meadow seven")).status()).isEqualTo(201);
		assertThat(api.get("/sign-up").raw()).contains("minlength=\"24\"");
	}

	@Test
	void listWhenOverriddenThenEffectiveEnvironmentAndDefaultValuesWithSource() {
		ApiKeys.WithSecret key = newKey("settings:read", "settings:write");
		ApiClient.Response r = change(key.secret(), "PLINTO_MFA", "required", "PLINTO_PRIMARY_COLOR", "#123456");
		assertThat(r.status()).as(r.toString()).isEqualTo(200);

		ApiClient.Response list = api.get("/v1/admin/settings", key.secret());
		assertThat(list.status()).isEqualTo(200);
		JsonNode mfa = setting(list, "PLINTO_MFA");
		assertThat(mfa.get("value").asString()).isEqualTo("required");
		assertThat(mfa.get("environment_value").asString()).isEqualTo("optional");
		assertThat(mfa.get("source").asString()).isEqualTo("database");
		assertThat(mfa.get("group").asString()).isEqualTo("mfa");
		assertThat(mfa.get("updated_by").asString()).isEqualTo(key.key().id());
		assertThat(mfa.get("updated_at").asString()).isNotBlank();
		JsonNode color = setting(list, "PLINTO_PRIMARY_COLOR");
		assertThat(color.get("value").asString()).isEqualTo("#123456");
		assertThat(color.get("environment_value").asString()).isEqualTo("#0a7d4f");
		JsonNode signIn = setting(list, "PLINTO_RATE_LIMIT_SIGN_IN");
		assertThat(signIn.get("source").asString()).isEqualTo("environment");
		assertThat(signIn.get("value").asString()).isEqualTo("100000/1m");
		assertThat(signIn.get("updated_at").isNull()).isTrue();
		JsonNode logo = setting(list, "PLINTO_LOGO_URL");
		assertThat(logo.get("source").asString()).isEqualTo("default");
		assertThat(logo.get("value").isNull()).isTrue();

		assertThat(api.get("/sign-in").raw()).as("the pages' theme follows the colour")
			.containsPattern("/assets/theme\\.[0-9a-f]{12}\\.css");
		String theme = api.get("/sign-in").raw().replaceAll("(?s).*(/assets/theme\\.[0-9a-f]{12}\\.css).*", "$1");
		assertThat(api.get(theme).raw()).contains("--primary:#123456");
	}

	@Test
	void changeWhenStoredThenAuditedWithKeyAsActorAndOldAndNewValues() {
		ApiKeys.WithSecret key = newKey("settings:write");
		assertThat(change(key.secret(), "PLINTO_MFA", "required", "PLINTO_LOCKOUT_THRESHOLD", "5").status())
			.isEqualTo(200);
		List<String> details = jdbc
			.sql("select detail from audit_events where type = 'SETTINGS_CHANGED' and actor_id = :actor")
			.param("actor", key.key().id())
			.query(String.class)
			.list();
		assertThat(details).singleElement().asString()
			.contains("PLINTO_MFA: optional → required")
			.contains("PLINTO_LOCKOUT_THRESHOLD: 10 → 5");

		assertThat(change(key.secret(), "PLINTO_MFA", "required").status()).as("no change").isEqualTo(200);
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'SETTINGS_CHANGED' and actor_id = :a")
			.param("a", key.key().id())
			.query(Long.class)
			.single()).as("an unchanged value is not audited").isEqualTo(1);
	}

	@Test
	void changeWhenValueInvalidThenParsersSentenceNamingTheVariableAndNothingStored() {
		String key = writer();
		ApiClient.Response r = change(key, "PLINTO_MFA", "required", "PLINTO_RATE_LIMIT_SIGN_UP", "lots");
		assertThat(r.status()).as(r.toString()).isEqualTo(400);
		assertThat(r.header("Content-Type")).startsWith("application/problem+json");
		assertThat(r.code()).isEqualTo("validation_failed");
		assertThat(r.text("detail")).isEqualTo(
				"PLINTO_RATE_LIMIT_SIGN_UP must be a count per duration such as 60/1m or 10/1h, not 'lots'.");
		assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("PLINTO_RATE_LIMIT_SIGN_UP");
		assertThat(r.json().get("errors").get(0).get("code").asString()).isEqualTo("invalid_value");
		assertThat(setting(api.get("/v1/admin/settings", key), "PLINTO_MFA").get("value").asString())
			.as("nothing of the refused change is stored").isEqualTo("optional");

		ApiClient.Response weak = change(key, "PLINTO_PASSWORD_MIN_LENGTH", "6");
		assertThat(weak.status()).isEqualTo(400);
		assertThat(weak.text("detail")).contains("PLINTO_PASSWORD_MIN_LENGTH must be a whole number from 8 to 64");
	}

	@Test
	void changeWhenVariableNotChangeableAtRunTimeThenRefusedNamingIt() {
		String key = writer();
		for (String name : List.of("PLINTO_MASTER_KEY", "PLINTO_DATABASE_URL", "PLINTO_SOMETHING")) {
			ApiClient.Response r = change(key, name, "x");
			assertThat(r.status()).as(name).isEqualTo(400);
			assertThat(r.code()).isEqualTo("validation_failed");
			assertThat(r.text("detail")).startsWith(name + " cannot be changed at run time");
			assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(name);
			assertThat(r.json().get("errors").get(0).get("code").asString()).isEqualTo("not_changeable");
		}
		assertThat(jdbc.sql("select count(*) from runtime_settings").query(Long.class).single()).isZero();
	}

	@Test
	void settingsWhenKeyLacksTheScopeThenInsufficientScope() {
		String readOnly = newKey("settings:read").secret();
		ApiClient.Response write = change(readOnly, "PLINTO_MFA", "required");
		assertThat(write.status()).as(write.toString()).isEqualTo(403);
		assertThat(write.code()).isEqualTo("insufficient_scope");
		assertThat(write.header("WWW-Authenticate")).contains("scope=\"settings:write\"");

		String writeOnly = newKey("settings:write").secret();
		ApiClient.Response read = api.get("/v1/admin/settings", writeOnly);
		assertThat(read.status()).isEqualTo(403);
		assertThat(read.header("WWW-Authenticate")).contains("scope=\"settings:read\"");

		String other = newKey("users:read", "users:write").secret();
		assertThat(api.get("/v1/admin/settings", other).status()).isEqualTo(403);
		assertThat(change(other, "PLINTO_MFA", "required").status()).isEqualTo(403);
		assertThat(api.get("/v1/admin/settings").status()).isEqualTo(401);
		assertThat(setting(api.get("/v1/admin/settings", readOnly), "PLINTO_MFA").get("value").asString())
			.as("nothing was changed").isEqualTo("optional");
	}
}
