package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.plinto.audit.AuditEvent;
import dev.plinto.audit.AuditLog;
import dev.plinto.web.ClientInfo;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Token exchange (RFC 8693) through the real server: delegation (an actor token, and the {@code act} claim naming
 * the actor), impersonation (no actor), the audit event, and the refusals: a client not registered for the grant,
 * a subject token that is not a valid access token of this server.
 */
class OidcTokenExchangeTests extends OidcTestSupport {

	static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	@Autowired
	AuditLog audit;

	/** A back-end service that may exchange tokens, with its own client credentials. */
	Registered exchanger() {
		OidcClients.Created created = clients.create(new OidcClients.Spec("Orders API " + UUID.randomUUID(),
				OidcClients.Type.CONFIDENTIAL, List.of(), List.of(), Set.of("token-exchange", "client_credentials"),
				Set.of("openid", "profile", "email", "orders.read"), true, true, null, null, null), ClientInfo.none());
		return new Registered(created.client().clientId(), created.secret());
	}

	/** A user's access token from the code flow of a first-party app. */
	String userToken(User user) {
		Registered app = confidential(true);
		Pkce pkce = Pkce.create();
		HttpResponse<String> back = authorizeWithSignIn(new Browser(base()),
				authorizeUrl(app.id(), REDIRECT, "openid profile email", "s1", "n1", pkce), user.email());
		Json tokens = exchange(app, Browser.param(Browser.location(back), "code"), pkce);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens.text("access_token");
	}

	Json tokenExchange(Registered client, String subjectToken, String actorToken) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("grant_type", GRANT);
		fields.put("subject_token", subjectToken);
		fields.put("subject_token_type", ACCESS_TOKEN);
		if (actorToken != null) {
			fields.put("actor_token", actorToken);
			fields.put("actor_token_type", ACCESS_TOKEN);
		}
		return tokenRequest("/oauth2/token", client, fields);
	}

	@Test
	void exchangeWhenAnActorTokenIsGivenThenTheNewTokenIsTheSubjectsWithTheActorInAct() throws Exception {
		User user = user();
		String subject = userToken(user);
		Registered service = exchanger();
		Json own = tokenRequest("/oauth2/token", service, Map.of("grant_type", "client_credentials",
				"scope", "orders.read"));
		assertThat(own.status()).as(own.toString()).isEqualTo(200);

		Json exchanged = tokenExchange(service, subject, own.text("access_token"));
		assertThat(exchanged.status()).as(exchanged.toString()).isEqualTo(200);
		assertThat(exchanged.text("issued_token_type")).isEqualTo(ACCESS_TOKEN);
		assertThat(exchanged.text("token_type")).isEqualTo("Bearer");
		JWTClaimsSet claims = verified(exchanged.text("access_token")).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(user.id());
		assertThat(claims.getStringClaim("client_id")).isEqualTo(service.id());
		assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", service.id());
		assertThat(claims.getStringClaim("sid")).isEqualTo(verified(subject).getJWTClaimsSet().getStringClaim("sid"));

		List<AuditEvent> events = audit.forUser(user.id(), null, null, 50);
		assertThat(events).filteredOn(e -> e.type() == AuditEvent.Type.OIDC_TOKEN_EXCHANGED)
			.singleElement()
			.satisfies(e -> assertThat(e.detail()).isEqualTo(service.id() + ": " + service.id() + " acts for "
					+ user.id()));

		// The delegated token can be exchanged again by the next service: the actors nest (RFC 8693 §4.1).
		Registered next = exchanger();
		Json nextOwn = tokenRequest("/oauth2/token", next, Map.of("grant_type", "client_credentials"));
		Json chained = tokenExchange(next, exchanged.text("access_token"), nextOwn.text("access_token"));
		assertThat(chained.status()).as(chained.toString()).isEqualTo(200);
		JWTClaimsSet chainedClaims = verified(chained.text("access_token")).getJWTClaimsSet();
		assertThat(chainedClaims.getSubject()).isEqualTo(user.id());
		assertThat(chainedClaims.getJSONObjectClaim("act")).containsEntry("sub", next.id())
			.containsEntry("act", Map.of("sub", service.id()));
	}

	@Test
	void exchangeWhenNoActorTokenThenImpersonationWithoutAct() throws Exception {
		User user = user();
		Registered service = exchanger();
		Json exchanged = tokenExchange(service, userToken(user), null);
		assertThat(exchanged.status()).as(exchanged.toString()).isEqualTo(200);
		JWTClaimsSet claims = verified(exchanged.text("access_token")).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(user.id());
		assertThat(claims.getClaim("act")).isNull();
		assertThat(claims.getStringClaim("client_id")).isEqualTo(service.id());
		assertThat(audit.forUser(user.id(), null, null, 50))
			.filteredOn(e -> e.type() == AuditEvent.Type.OIDC_TOKEN_EXCHANGED)
			.singleElement()
			.satisfies(e -> assertThat(e.detail()).isEqualTo(service.id() + ": impersonates " + user.id()));
	}

	@Test
	void exchangeWhenTheClientIsNotRegisteredForItThenUnauthorizedClient() {
		User user = user();
		Registered app = confidential(true);
		Json refused = tokenExchange(app, userToken(user), null);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("unauthorized_client");
		assertThat(refused.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/json"));
	}

	@Test
	void exchangeWhenTheSubjectTokenIsNotAValidAccessTokenThenInvalidGrant() {
		Registered service = exchanger();
		Json garbage = tokenExchange(service, "not-a-token", null);
		assertThat(garbage.status()).as(garbage.toString()).isEqualTo(400);
		assertThat(garbage.text("error")).isEqualTo("invalid_grant");

		String token = userToken(user());
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
		Json forged = tokenExchange(service, tampered, null);
		assertThat(forged.text("error")).as(forged.toString()).isEqualTo("invalid_grant");
	}

	@Test
	void exchangeWhenTheSubjectsSessionEndedThenInvalidGrant() {
		User user = user();
		Registered app = confidential(true);
		Pkce pkce = Pkce.create();
		Browser browser = new Browser(base());
		HttpResponse<String> back = authorizeWithSignIn(browser,
				authorizeUrl(app.id(), REDIRECT, "openid profile", "s1", "n1", pkce), user.email());
		Json tokens = exchange(app, Browser.param(Browser.location(back), "code"), pkce);
		browser.get("/sign-out");
		assertThat(browser.post("/sign-out", Map.of()).statusCode()).isEqualTo(200);
		Json refused = tokenExchange(exchanger(), tokens.text("access_token"), null);
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.text("error")).isEqualTo("invalid_grant");
	}
}
