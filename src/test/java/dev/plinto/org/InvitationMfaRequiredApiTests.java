package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.crypto.SecureTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code PLINTO_MFA=required}, accepting an invitation as a new user creates the account and the membership
 * but, as at sign-up, answers an enrolment token instead of a session. The organization and invitation are
 * seeded in the database, since under this policy an owner needs an enrolled factor to get a session at all.
 */
@TestPropertySource(properties = "PLINTO_MFA=required")
class InvitationMfaRequiredApiTests extends ApiTestSupport {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void acceptWhenNewUserAndMfaRequiredThenMemberWithEnrollmentTokenAndNoSession() {
		String org = organization();
		String email = newEmail();
		String token = invitation(org, email);

		ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));

		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		assertThat(r.text("status")).isEqualTo("mfa_enrollment_required");
		assertThat(r.text("enrollment_token")).startsWith("enr_");
		assertThat(r.json().has("access_token")).isFalse();
		assertThat(r.json().get("organization").get("id").asString()).isEqualTo(org);
		String userId = r.json().get("user").get("id").asString();
		assertThat(jdbc.sql("select count(*) from organization_memberships where organization_id = :org and user_id = :u")
			.param("org", org)
			.param("u", userId)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(jdbc.sql("select count(*) from sessions where user_id = :u").param("u", userId).query(Long.class)
			.single()).as("no session before a second factor").isZero();
	}

	@Test
	void acceptWhenEnrollmentTokenAsBearerThenRefusedAndNoMembership() {
		String email = newEmail();
		ApiClient.Response first = api.post("/v1/invitations/accept",
				Map.of("token", invitation(organization(), email), "password", PASSWORD));
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		String enrollment = first.text("enrollment_token");
		String other = organization();

		ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", invitation(other, email)), enrollment);

		assertThat(r.status()).as(r.toString()).isEqualTo(403);
		assertThat(r.code()).isEqualTo("mfa_enrollment_required");
		assertThat(jdbc.sql("select count(*) from organization_memberships where organization_id = :org")
			.param("org", other)
			.query(Long.class)
			.single()).as("an enrolment token joins nothing").isZero();
	}

	@Test
	void invitationPageWhenNewUserAndMfaRequiredThenJoinedAndSentToSignInWithoutASession() throws Exception {
		String org = organization();
		String email = newEmail();
		String token = invitation(org, email);
		HttpClient http = HttpClient.newHttpClient();
		URI page = URI.create("http://localhost:" + port + "/accept-invitation?token="
				+ URLEncoder.encode(token, StandardCharsets.UTF_8));
		HttpResponse<String> form = http.send(HttpRequest.newBuilder(page).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
			.matcher(form.body());
		assertThat(csrf.find()).as(form.body()).isTrue();
		String cookies = String.join("; ", form.headers()
			.allValues("Set-Cookie")
			.stream()
			.map(c -> c.split(";", 2)[0])
			.toList());

		HttpResponse<String> joined = http.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/accept-invitation"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Cookie", cookies)
			.POST(HttpRequest.BodyPublishers.ofString("token="
					+ URLEncoder.encode(token, StandardCharsets.UTF_8) + "&password="
					+ URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
					+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
		assertThat(joined.body()).contains("you are a member of Acme", "Sign in to set up the second factor");
		assertThat(joined.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("plinto_refresh="));
		assertThat(jdbc.sql("select count(*) from organization_memberships where organization_id = :org")
			.param("org", org)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private String organization() {
		OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
		String org = SecureTokens.newId("org");
		jdbc.sql("""
				insert into organizations (id, name, slug, public_metadata, private_metadata, created_by, created_at,
				updated_at) values (:id, 'Acme', :slug, '{}', '{}', null, :now, :now)""")
			.param("id", org)
			.param("slug", "acme-" + org.substring(4, 12))
			.param("now", now)
			.update();
		return org;
	}

	private String invitation(String org, String email) {
		OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
		String token = SecureTokens.newSecret();
		jdbc.sql("""
				insert into organization_invitations (id, organization_id, email, role_key, token_hash, invited_by,
				created_at, expires_at) values (:id, :org, :email, 'member', :hash, null, :now, :expires)""")
			.param("id", SecureTokens.newId("inv"))
			.param("org", org)
			.param("email", email)
			.param("hash", SecureTokens.hash(token))
			.param("now", now)
			.param("expires", now.plus(Duration.ofDays(7)))
			.update();
		return token;
	}
}
