package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.org.OrgFixture.Person;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Invitations mailed over real SMTP (GreenMail) and accepted by existing and new users. */
class InvitationApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	private OrgFixture fx;

	private Person owner;

	private String org;

	@BeforeEach
	void organization() {
		fx = new OrgFixture(api, MAIL);
		owner = fx.person();
		org = fx.organization(owner);
	}

	private ApiClient.Response accept(String token, String bearer) {
		return api.post("/v1/invitations/accept", Map.of("token", token), bearer);
	}

	@Test
	void inviteWhenCreatedThenMailCarriesSingleUseLinkAndOnlyItsHashIsStored() {
		String email = OrgFixture.newEmail();
		ApiClient.Response invited = fx.invite(owner, org, email.toUpperCase(), "admin");
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		assertThat(invited.text("id")).startsWith("inv_");
		assertThat(invited.text("email")).isEqualTo(email);
		assertThat(invited.text("role")).isEqualTo("admin");
		assertThat(invited.text("status")).isEqualTo("pending");
		assertThat(invited.text("invited_by")).isEqualTo(owner.id());
		assertThat(java.time.Instant.parse(invited.text("expires_at")))
			.isEqualTo(java.time.Instant.parse(invited.text("created_at")).plus(Duration.ofDays(7)));

		MimeMessage message = MAIL.awaitMessage(email, 1);
		String issuer = api.get("/.well-known/openid-configuration").text("issuer");
		assertThat(MailCatcher.link(message)).startsWith(issuer + "/accept-invitation?token=");
		assertThat(MailCatcher.text(message)).contains("7 days");
		String token = MailCatcher.token(message);
		assertThat(token).hasSizeGreaterThanOrEqualTo(43);
		String stored = jdbc.sql("select token_hash from organization_invitations where id = :id")
			.param("id", invited.text("id"))
			.query(String.class)
			.single();
		assertThat(stored).isEqualTo(dev.plinto.crypto.SecureTokens.hash(token)).isNotEqualTo(token);

		ApiClient.Response listed = api.get("/v1/organizations/" + org + "/invitations", owner.token());
		assertThat(listed.json().get("data").get(0).get("id").asString()).isEqualTo(invited.text("id"));
	}

	@Test
	void acceptWhenSignedInWithVerifiedMatchingEmailThenMemberWithRoleAndTokenSpent() {
		Person invitee = fx.person();
		String token = fx.invitationToken(owner, org, invitee.email(), "admin");

		ApiClient.Response accepted = accept(token, invitee.token());
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("organization").get("id").asString()).isEqualTo(org);
		assertThat(accepted.json().get("organization").get("role").asString()).isEqualTo("admin");
		assertThat(api.get("/v1/organizations/" + org, invitee.token()).text("role")).isEqualTo("admin");

		ApiClient.Response again = accept(token, invitee.token());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.code()).isEqualTo("invitation_used");
		assertThat(api.get("/v1/organizations/" + org + "/invitations", owner.token()).json().get("data").size())
			.as("an accepted invitation is no longer listed").isZero();
	}

	@Test
	void acceptWhenOtherAccountSignedInThenEmailMismatch() {
		Person invitee = fx.person();
		Person intruder = fx.person();
		String token = fx.invitationToken(owner, org, invitee.email(), "member");

		ApiClient.Response refused = accept(token, intruder.token());
		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("invitation_email_mismatch");
		assertThat(accept(token, invitee.token()).status()).as("the invitation is still open").isEqualTo(200);
	}

	@Test
	void acceptWhenEmailNotVerifiedThenEmailNotVerified() {
		String email = OrgFixture.newEmail();
		ApiClient.Response signedUp = signUp(email);
		MAIL.awaitMessage(email, 1); // the verification mail, left unused
		String token = fx.invitationToken(owner, org, email, "member");

		ApiClient.Response refused = accept(token, signedUp.text("access_token"));
		assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
		assertThat(refused.code()).isEqualTo("email_not_verified");
	}

	@Test
	void acceptWhenNoAccountThenSignsUpVerifiedMemberWithSession() {
		String email = OrgFixture.newEmail();
		String token = fx.invitationToken(owner, org, email, "member");

		ApiClient.Response missingPassword = api.post("/v1/invitations/accept", Map.of("token", token));
		assertThat(missingPassword.status()).isEqualTo(400);
		assertThat(missingPassword.code()).isEqualTo("validation_failed");
		ApiClient.Response weak = api.post("/v1/invitations/accept", Map.of("token", token, "password", "short"));
		assertThat(weak.code()).isEqualTo("password_too_short");

		ApiClient.Response joined = api.post("/v1/invitations/accept",
				Map.of("token", token, "password", PASSWORD, "name", "Grace"));
		assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
		assertThat(joined.header("Cache-Control")).isEqualTo("no-store");
		assertThat(joined.text("refresh_token")).isNotBlank();
		assertThat(joined.json().get("user").get("email").asString()).isEqualTo(email);
		assertThat(joined.json().get("user").get("email_verified").asBoolean()).isTrue();
		assertThat(joined.json().get("user").get("name").asString()).isEqualTo("Grace");
		assertThat(joined.json().get("organization").get("role").asString()).isEqualTo("member");

		ApiClient.Response mine = api.get("/v1/organizations", joined.text("access_token"));
		assertThat(mine.json().get("data").get(0).get("id").asString()).isEqualTo(org);
		assertThat(signIn(email, PASSWORD).status()).isEqualTo(200);
		ApiClient.Response reuse = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
		assertThat(reuse.code()).isEqualTo("invitation_used");
	}

	@Test
	void acceptWhenNoBearerButAccountExistsThenEmailTaken() {
		Person invitee = fx.person();
		String token = fx.invitationToken(owner, org, invitee.email(), "member");
		ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(409);
		assertThat(r.code()).isEqualTo("email_taken");
	}

	@Test
	void acceptWhenRevokedThenInvitationRevoked() {
		String email = OrgFixture.newEmail();
		String token = fx.invitationToken(owner, org, email, "member");
		String id = api.get("/v1/organizations/" + org + "/invitations", owner.token()).json().get("data").get(0)
			.get("id").asString();

		assertThat(api.delete("/v1/organizations/" + org + "/invitations/" + id, owner.token()).status())
			.isEqualTo(204);
		ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(410);
		assertThat(r.code()).isEqualTo("invitation_revoked");
		ApiClient.Response twice = api.delete("/v1/organizations/" + org + "/invitations/" + id, owner.token());
		assertThat(twice.code()).isEqualTo("invitation_not_pending");
	}

	@Test
	void acceptWhenExpiredThenInvitationExpiredAndResendIssuesNewLink() {
		String email = OrgFixture.newEmail();
		String token = fx.invitationToken(owner, org, email, "member");
		String id = api.get("/v1/organizations/" + org + "/invitations", owner.token()).json().get("data").get(0)
			.get("id").asString();
		clock.advance(Duration.ofDays(7).plusSeconds(1));
		try {
			String ownerToken = signIn(owner.email(), PASSWORD).text("access_token"); // the old one expired
			ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
			assertThat(r.status()).as(r.toString()).isEqualTo(410);
			assertThat(r.code()).isEqualTo("invitation_expired");
			assertThat(api.get("/v1/organizations/" + org + "/invitations", ownerToken).json().get("data").get(0)
				.get("status").asString()).isEqualTo("expired");

			ApiClient.Response resent = api.post("/v1/organizations/" + org + "/invitations/" + id + "/resend", "",
					ownerToken);
			assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
			assertThat(resent.text("status")).isEqualTo("pending");
			String fresh = fx.mailedToken(email, 2);
			assertThat(fresh).isNotEqualTo(token);
			assertThat(api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD)).code())
				.as("the old link stops working").isEqualTo("invalid_invitation");
			ApiClient.Response joined = api.post("/v1/invitations/accept", Map.of("token", fresh, "password", PASSWORD));
			assertThat(joined.status()).as(joined.toString()).isEqualTo(201);
		}
		finally {
			clock.advance(Duration.ofDays(7).plusSeconds(1).negated());
		}
	}

	@Test
	void acceptWhenUnknownOrMalformedTokenThenInvalidInvitation() {
		for (String token : new String[] { "Xq0kR2nq7mV0pNVtmPqxK1Oq3vYl4l0Qm2pFQmD5F1U", " " }) {
			ApiClient.Response r = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
			assertThat(r.status()).as(r.toString()).isEqualTo(token.isBlank() ? 400 : 400);
			assertThat(r.code()).isIn("invalid_invitation", "validation_failed");
		}
		ApiClient.Response unknown = api.post("/v1/invitations/accept",
				Map.of("token", "Xq0kR2nq7mV0pNVtmPqxK1Oq3vYl4l0Qm2pFQmD5F1U", "password", PASSWORD));
		assertThat(unknown.code()).isEqualTo("invalid_invitation");
	}

	@Test
	void acceptWhenInvalidBearerThenInvalidToken() {
		String token = fx.invitationToken(owner, org, OrgFixture.newEmail(), "member");
		ApiClient.Response r = accept(token, "not-a-jwt");
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_token");
	}

	@Test
	void inviteWhenAlreadyMemberOrPendingOrUnknownRoleThenClearCodes() {
		Person member = fx.person();
		fx.addMember(owner, org, member, "member");
		ApiClient.Response already = fx.invite(owner, org, member.email(), "member");
		assertThat(already.status()).isEqualTo(409);
		assertThat(already.code()).isEqualTo("already_member");

		String email = OrgFixture.newEmail();
		assertThat(fx.invite(owner, org, email, "member").status()).isEqualTo(201);
		ApiClient.Response pending = fx.invite(owner, org, email, "admin");
		assertThat(pending.status()).isEqualTo(409);
		assertThat(pending.code()).isEqualTo("invitation_pending");

		ApiClient.Response unknownRole = fx.invite(owner, org, OrgFixture.newEmail(), "wizard");
		assertThat(unknownRole.status()).isEqualTo(422);
		assertThat(unknownRole.code()).isEqualTo("unknown_role");
		ApiClient.Response badEmail = fx.invite(owner, org, "not-an-email", "member");
		assertThat(badEmail.code()).isEqualTo("validation_failed");
	}

	@Test
	void inviteWhenCustomRoleThenAcceptedMemberHoldsItAndRoleIsInUseWhilePending() {
		api.post("/v1/organizations/" + org + "/roles", Map.of("key", "support", "name", "Support", "permissions",
				java.util.List.of("app:tickets.read")), owner.token());
		String email = OrgFixture.newEmail();
		String token = fx.invitationToken(owner, org, email, "support");
		ApiClient.Response inUse = api.delete("/v1/organizations/" + org + "/roles/support", owner.token());
		assertThat(inUse.code()).as("a pending invitation holds the role").isEqualTo("role_in_use");

		ApiClient.Response joined = api.post("/v1/invitations/accept", Map.of("token", token, "password", PASSWORD));
		assertThat(joined.json().get("organization").get("role").asString()).isEqualTo("support");
		assertThat(OrgFixture.strings(joined.json().get("organization").get("permissions")))
			.containsExactly("app:tickets.read");
	}

	@Test
	void invitationsWhenChangedThenEachAuditedWithActingUser() {
		String email = OrgFixture.newEmail();
		String id = fx.invite(owner, org, email, "member").text("id");
		api.post("/v1/organizations/" + org + "/invitations/" + id + "/resend", "", owner.token());
		api.delete("/v1/organizations/" + org + "/invitations/" + id, owner.token());
		for (String type : new String[] { "INVITATION_CREATED", "INVITATION_RESENT", "INVITATION_REVOKED" }) {
			assertThat(jdbc.sql("select user_id from audit_events where organization_id = :org and type = :type")
				.param("org", org)
				.param("type", type)
				.query(String.class)
				.list()).as(type).containsExactly(owner.id());
		}
	}
}
