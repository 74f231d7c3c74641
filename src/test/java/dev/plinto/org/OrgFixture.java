package dev.plinto.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.account.MailCatcher;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Builds people, organizations and invitations through the real API, reading mailed links from GreenMail. */
final class OrgFixture {

	private final ApiClient api;

	private final MailCatcher mail;

	OrgFixture(ApiClient api, MailCatcher mail) {
		this.api = api;
		this.mail = mail;
	}

	/** A signed-up user with a verified email and a session. */
	record Person(String id, String email, String token, String refreshToken, String sessionId) {
	}

	static String newEmail() {
		return "user-" + UUID.randomUUID() + "@example.com";
	}

	Person person() {
		return person(newEmail());
	}

	Person person(String email) {
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", ApiTestSupport.PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		String token = MailCatcher.token(mail.awaitMessage(email, 1));
		ApiClient.Response confirmed = api.post("/v1/email-verification/confirm", Map.of("token", token));
		assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
		return new Person(r.json().get("user").get("id").asString(), email, r.text("access_token"),
				r.text("refresh_token"), r.text("session_id"));
	}

	/** Creates an organization owned by {@code owner}; returns its id. */
	String organization(Person owner) {
		ApiClient.Response r = api.post("/v1/organizations", Map.of("name", "Org " + UUID.randomUUID()),
				owner.token());
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r.text("id");
	}

	/** Invites {@code email} with a role; returns the invitation response. */
	ApiClient.Response invite(Person by, String organizationId, String email, String role) {
		return api.post("/v1/organizations/" + organizationId + "/invitations", Map.of("email", email, "role", role),
				by.token());
	}

	/** Invites {@code email} and returns the token of the mailed link. */
	String invitationToken(Person by, String organizationId, String email, String role) {
		int before = mail.messagesTo(email).size();
		ApiClient.Response invited = invite(by, organizationId, email, role);
		assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
		return mailedToken(email, before + 1);
	}

	/** The token of the {@code n}-th mail to {@code email}. */
	String mailedToken(String email, int n) {
		return MailCatcher.token(mail.awaitMessage(email, n));
	}

	/** Invites the person with a role and has them accept; they are then a member. */
	void addMember(Person owner, String organizationId, Person member, String role) {
		String token = invitationToken(owner, organizationId, member.email(), role);
		ApiClient.Response accepted = api.post("/v1/invitations/accept", Map.of("token", token), member.token());
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
	}

	static List<String> strings(JsonNode array) {
		return array == null || array.isNull() ? List.of()
				: java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
	}
}
