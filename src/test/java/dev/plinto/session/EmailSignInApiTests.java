package dev.plinto.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import dev.plinto.account.MailCatcher;
import dev.plinto.mfa.MfaSteps;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sign-in with an emailed code through the JSON API, the mail read from GreenMail: the code works once, for ten
 * minutes and five tries, the answer is the same for an address without an account, and a user with a second
 * factor gets the second step. (The default server: every method on, no sign-up by mail.)
 */
class EmailSignInApiTests extends ApiTestSupport implements WithMailCatcher {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void verifyCodeWhenCodeFromMailThenSignedInAndCodeSpent() {
		String email = newEmail();
		signUp(email);
		ApiClient.Response sent = api.post("/v1/sign-in/email-code", ApiClient.map("email", email));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		assertThat(sent.text("status")).isEqualTo("code_sent");
		MimeMessage mail = MAIL.awaitMessage(email, 2);
		String code = code(mail);

		ApiClient.Response signedIn = verify(sent.text("flow_id"), code);
		assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
		assertThat(signedIn.text("access_token")).isNotBlank();
		assertThat(ApiClient.claims(signedIn.text("access_token")).get("amr").toString()).contains("otp");
		assertThat(api.get("/v1/me", signedIn.text("access_token")).json().get("email_verified").asBoolean())
			.as("the code proved the address").isTrue();

		ApiClient.Response again = verify(sent.text("flow_id"), code);
		assertThat(again.status()).isEqualTo(401);
		assertThat(again.code()).isEqualTo("invalid_email_code");
	}

	@Test
	void codeWhenStoredThenOnlyItsHashIsKept() {
		String email = newEmail();
		signUp(email);
		String flowId = api.post("/v1/sign-in/email-code", ApiClient.map("email", email)).text("flow_id");
		String code = code(MAIL.awaitMessage(email, 2));
		String stored = jdbc.sql("select code_hash from email_sign_in_challenges where flow_id = :id")
			.param("id", flowId)
			.query(String.class)
			.single();
		assertThat(stored).hasSize(64).doesNotContain(code);
	}

	@Test
	void verifyCodeWhenFiveWrongCodesThenTheRightOneNoLongerWorks() {
		String email = newEmail();
		signUp(email);
		String flowId = api.post("/v1/sign-in/email-code", ApiClient.map("email", email)).text("flow_id");
		String code = code(MAIL.awaitMessage(email, 2));
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int i = 0; i < 5; i++) {
			ApiClient.Response r = verify(flowId, wrong);
			assertThat(r.status()).isEqualTo(401);
			assertThat(r.code()).isEqualTo("invalid_email_code");
		}
		ApiClient.Response dead = verify(flowId, code);
		assertThat(dead.status()).isEqualTo(401);
		assertThat(dead.code()).isEqualTo("invalid_email_code");
	}

	@Test
	void verifyCodeWhenTenMinutesPassedThenRefused() {
		String email = newEmail();
		signUp(email);
		String flowId = api.post("/v1/sign-in/email-code", ApiClient.map("email", email)).text("flow_id");
		String code = code(MAIL.awaitMessage(email, 2));
		clock.advance(Duration.ofMinutes(10).plusSeconds(1));

		ApiClient.Response r = verify(flowId, code);
		assertThat(r.status()).isEqualTo(401);
		assertThat(r.code()).isEqualTo("invalid_email_code");
	}

	@Test
	void sendCodeWhenAddressHasNoAccountThenSameAnswerNoMailAndNoCodeWorks() {
		String known = newEmail();
		signUp(known);
		String unknown = newEmail();
		ApiClient.Response forKnown = api.post("/v1/sign-in/email-code", ApiClient.map("email", known));
		ApiClient.Response forUnknown = api.post("/v1/sign-in/email-code", ApiClient.map("email", unknown));

		assertThat(forUnknown.status()).isEqualTo(forKnown.status()).isEqualTo(202);
		assertThat(forUnknown.json().properties().stream().map(e -> e.getKey()).toList())
			.isEqualTo(forKnown.json().properties().stream().map(e -> e.getKey()).toList());
		assertThat(forUnknown.headers().map().keySet()).isEqualTo(forKnown.headers().map().keySet());
		MAIL.awaitMessage(known, 2);
		assertThat(MAIL.messagesTo(unknown)).as("no mail to an address without account").isEmpty();
		ApiClient.Response guess = verify(forUnknown.text("flow_id"), "123456");
		assertThat(guess.code()).isEqualTo("invalid_email_code");
		assertThat(jdbc.sql("select count(*) from users where email = :e").param("e", unknown).query(Integer.class)
			.single()).as("no account is created while PLINTO_EMAIL_SIGN_UP is false").isZero();
	}

	@Test
	void verifyCodeWhenUserHasTotpThenMfaTokenInsteadOfSession() {
		String email = newEmail();
		String token = signUp(email).text("access_token");
		MfaSteps.Enrolled totp = MfaSteps.enrolTotp(api, token, clock.instant());
		String flowId = api.post("/v1/sign-in/email-code", ApiClient.map("email", email)).text("flow_id");
		String code = code(MAIL.awaitMessage(email, 2));

		ApiClient.Response first = verify(flowId, code);
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.text("status")).isEqualTo("mfa_required");
		assertThat(first.text("access_token")).isNull();
		clock.advance(Duration.ofSeconds(30));
		ApiClient.Response second = api.post("/v1/sign-in/mfa", ApiClient.map("mfa_token", first.text("mfa_token"),
				"factor", "totp", "code", MfaSteps.code(totp.secret(), clock.instant())));
		assertThat(second.status()).as(second.toString()).isEqualTo(200);
		assertThat(ApiClient.claims(second.text("access_token")).get("amr").toString()).contains("otp", "mfa");
	}

	@Test
	void sendCodeWhenAcceptLanguageIsGermanThenMailInGerman() {
		String email = newEmail();
		signUp(email);
		api.send(api.request("/v1/sign-in/email-code", null)
			.header("Content-Type", "application/json")
			.header("Accept-Language", "de-DE,de;q=0.9")
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}"))
			.build());
		MimeMessage mail = MAIL.awaitMessage(email, 2);
		assertThat(subject(mail)).isEqualTo("Ihr Anmeldecode für Plinto");
		assertThat(MailCatcher.text(mail)).contains("10 Minuten");
	}

	@Test
	void sendLinkWhenCalledByApiThenMailHasALinkToTheHostedPage() {
		String email = newEmail();
		signUp(email);
		ApiClient.Response sent = api.post("/v1/sign-in/email-link", ApiClient.map("email", email));
		assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
		assertThat(sent.text("status")).isEqualTo("link_sent");
		MimeMessage mail = MAIL.awaitMessage(email, 2);
		String issuer = api.get("/.well-known/openid-configuration").text("issuer");
		assertThat(MailCatcher.link(mail)).startsWith(issuer + "/sign-in/email-link?token=eml_");
		assertThat(subject(mail)).isEqualTo("Sign in to Plinto");
	}

	private ApiClient.Response verify(String flowId, String code) {
		return api.post("/v1/sign-in/email-code/verify", ApiClient.map("flow_id", flowId, "code", code));
	}

	static String code(MimeMessage mail) {
		return MailCatcher.code(mail);
	}

	static String subject(MimeMessage mail) {
		try {
			return mail.getSubject();
		}
		catch (jakarta.mail.MessagingException e) {
			throw new IllegalStateException(e);
		}
	}
}
