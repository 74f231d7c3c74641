package dev.plinto.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.config.PlintoSettings;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.test.context.TestPropertySource;

/**
 * Signing-key rotation as relying parties see it through the JWKS: a new key is published before it signs, an
 * old key stays published until its last token has expired. Background jobs are off in this context so that
 * the scheduled rotation cannot race the rotations the tests make while they move the clock by weeks; the
 * issuer is set so that the discovery document shows it is taken from {@code PLINTO_ISSUER}.
 */
@TestPropertySource(properties = { "plinto.scheduling.enabled=false", "PLINTO_ISSUER=https://auth.example.test" })
class KeyRotationTests extends ApiTestSupport {

	private static final Duration ACTIVATION_DELAY = Duration.ofMinutes(10);

	/** Access-token lifetime (10 min) plus one minute of clock skew. */
	private static final Duration TOKEN_LIFETIME_WITH_SKEW = Duration.ofMinutes(11);

	@Autowired
	private SigningKeys keys;

	@Autowired
	private PlintoSettings settings;

	@Autowired
	private JdbcClient jdbc;

	@BeforeEach
	void settlePreviousRotations() {
		// Whatever an earlier test rotated has activated, and the keys it superseded are withdrawn.
		clock.advance(ACTIVATION_DELAY.plus(TOKEN_LIFETIME_WITH_SKEW).plusMinutes(1));
	}

	@Test
	void rotateWhenNotImmediateThenNewKeyPublishedAtOnceButSignsOnlyAfterActivationDelay() throws Exception {
		String email = newEmail();
		signUp(email);
		String oldKid = keys.active().kid();

		SigningKey next = keys.rotate(false);

		assertThat(next.kid()).isNotEqualTo(oldKid);
		assertThat(publishedKids()).contains(oldKid, next.kid());
		assertThat(ForgedTokens.kid(accessToken(email))).isEqualTo(oldKid);
		assertThat(jwksMaxAge()).as("a JWKS cached by a relying party is refetched before the new key signs")
			.isLessThanOrEqualTo(ACTIVATION_DELAY);

		clock.advance(ACTIVATION_DELAY.minusSeconds(1));
		String lastOldToken = accessToken(email);
		assertThat(ForgedTokens.kid(lastOldToken)).isEqualTo(oldKid);

		clock.advance(Duration.ofSeconds(1));
		String firstNewToken = accessToken(email);
		assertThat(ForgedTokens.kid(firstNewToken)).isEqualTo(next.kid());

		assertThat(api.get("/v1/me", firstNewToken).status()).isEqualTo(200);
		assertThat(api.get("/v1/me", lastOldToken).status()).as("token of the superseded key").isEqualTo(200);
		var relyingParty = IndependentVerifier.forJwks(api.base() + "/.well-known/jwks.json",
				SignatureAlgorithm.RS256, settings.issuer().toString(), settings.audience(), clock);
		assertThat(relyingParty.decode(firstNewToken).getSubject())
			.isEqualTo(relyingParty.decode(lastOldToken).getSubject());
	}

	@Test
	void oldKeyWhenTokenLifetimeAndSkewPassedSinceNewKeyActivatedThenWithdrawnAndItsTokensRefused() throws Exception {
		String email = newEmail();
		ApiClient.Response user = signUp(email);
		SigningKey old = keys.active();
		SigningKey next = keys.rotate(false);
		clock.advance(ACTIVATION_DELAY);
		assertThat(keys.active().kid()).isEqualTo(next.kid());

		clock.advance(TOKEN_LIFETIME_WITH_SKEW.minusSeconds(1));
		assertThat(publishedKids()).contains(old.kid(), next.kid());
		String stillPublished = ForgedTokens.signWith(old, ForgedTokens.claims(user, settings, clock).build());
		assertThat(api.get("/v1/me", stillPublished).status()).as("fresh token of the old key").isEqualTo(200);

		clock.advance(Duration.ofSeconds(1));
		assertThat(publishedKids()).contains(next.kid()).doesNotContain(old.kid());
		String withdrawn = ForgedTokens.signWith(old, ForgedTokens.claims(user, settings, clock).build());
		ApiClient.Response refused = api.get("/v1/me", withdrawn);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.code()).isEqualTo("invalid_token");
		assertThat(api.get("/v1/me", accessToken(email)).status()).isEqualTo(200);
	}

	@Test
	void rotateWhenImmediateThenNewTokensCarryTheNewKidAtOnceAndOldTokensStillWork() throws Exception {
		String email = newEmail();
		String before = signUp(email).text("access_token");
		String oldKid = keys.active().kid();

		SigningKey next = keys.rotate(true);
		String after = accessToken(email);

		assertThat(ForgedTokens.kid(before)).isEqualTo(oldKid);
		assertThat(ForgedTokens.kid(after)).isEqualTo(next.kid());
		assertThat(publishedKids()).contains(oldKid, next.kid());
		assertThat(api.get("/v1/me", after).status()).isEqualTo(200);
		assertThat(api.get("/v1/me", before).status()).isEqualTo(200);
	}

	@Test
	void rotateIfDueWhenRotationIntervalPassedThenRotatesAndNotBefore() throws Exception {
		SigningKey newest = keys.rotate(true);
		int count = keys.all().size();

		clock.advance(Duration.ofDays(30).minusSeconds(1));
		assertThat(keys.rotateIfDue()).isFalse();
		assertThat(keys.all()).hasSize(count);

		clock.advance(Duration.ofSeconds(1));
		assertThat(keys.rotateIfDue()).isTrue();

		List<SigningKey> all = keys.all();
		assertThat(all).hasSize(count + 1);
		SigningKey rotated = all.get(all.size() - 1);
		assertThat(rotated.kid()).isNotEqualTo(newest.kid());
		assertThat(publishedKids()).contains(rotated.kid(), newest.kid());
		assertThat(keys.active().kid()).as("the new key waits for the activation delay").isEqualTo(newest.kid());
		assertThat(keys.rotateIfDue()).as("just rotated").isFalse();
	}

	@Test
	void rotateWhenDoneThenKeyRotatedEventRecorded() {
		SigningKey next = keys.rotate(false);

		List<String> details = jdbc.sql("select detail from audit_events where type = 'KEY_ROTATED'")
			.query(String.class)
			.list();

		assertThat(details).anySatisfy(detail -> assertThat(detail).contains(next.kid()));
	}

	@Test
	void withdrawWhenActiveKeyThenReplacedAtOnceUnpublishedItsTokensRefusedAndSessionsRefresh() throws Exception {
		String email = newEmail();
		ApiClient.Response user = signUp(email);
		String before = user.text("access_token");
		SigningKey compromised = keys.active();

		SigningKeys.Withdrawal done = keys.withdraw(compromised.kid());

		assertThat(done.withdrawn().kid()).isEqualTo(compromised.kid());
		assertThat(done.replacement()).isNotNull();
		assertThat(keys.active().kid()).isEqualTo(done.replacement().kid());
		assertThat(publishedKids()).contains(done.replacement().kid()).doesNotContain(compromised.kid());
		assertThat(keys.all()).extracting(SigningKey::kid).doesNotContain(compromised.kid());
		ApiClient.Response refused = api.get("/v1/me", before);
		assertThat(refused.status()).isEqualTo(401);
		assertThat(refused.code()).isEqualTo("invalid_token");
		String forged = ForgedTokens.signWith(compromised, ForgedTokens.claims(user, settings, clock).build());
		assertThat(api.get("/v1/me", forged).status()).as("a token minted with the stolen key").isEqualTo(401);

		ApiClient.Response refreshed = api.post("/v1/token/refresh",
				ApiClient.map("refresh_token", user.text("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
		assertThat(ForgedTokens.kid(refreshed.text("access_token"))).isEqualTo(done.replacement().kid());
		assertThat(api.get("/v1/me", refreshed.text("access_token")).status()).isEqualTo(200);
		assertThat(jdbc.sql("select detail from audit_events where type = 'KEY_WITHDRAWN'").query(String.class).list())
			.anySatisfy(detail -> assertThat(detail).contains(compromised.kid(), done.replacement().kid()));
	}

	@Test
	void withdrawWhenUpcomingKeyThenOnlyItGoesAndTheActiveKeyKeepsSigning() throws Exception {
		SigningKey active = keys.active();
		SigningKey next = keys.rotate(false);

		SigningKeys.Withdrawal done = keys.withdraw(next.kid());

		assertThat(done.replacement()).isNull();
		assertThat(keys.active().kid()).isEqualTo(active.kid());
		assertThat(publishedKids()).contains(active.kid()).doesNotContain(next.kid());
	}

	@Test
	void withdrawWhenUnknownKidThenRefusedWithASentenceAndNothingChanges() {
		List<String> kids = keys.all().stream().map(SigningKey::kid).toList();

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.withdraw("key_unknown"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no signing key key_unknown");
		assertThat(keys.all()).extracting(SigningKey::kid).isEqualTo(kids);
	}

	@Test
	void discoveryWhenFetchedThenIssuerAndJwksUriOfTheConfiguredIssuer() {
		ApiClient.Response r = api.get("/.well-known/openid-configuration");

		assertThat(r.status()).isEqualTo(200);
		assertThat(r.text("issuer")).isEqualTo("https://auth.example.test");
		assertThat(r.text("jwks_uri")).isEqualTo("https://auth.example.test/.well-known/jwks.json");
	}

	private String accessToken(String email) {
		ApiClient.Response r = signIn(email, PASSWORD);
		assertThat(r.status()).as(r.toString()).isEqualTo(200);
		return r.text("access_token");
	}

	private Duration jwksMaxAge() {
		Matcher m = Pattern.compile("max-age=(\\d+)").matcher(api.get("/.well-known/jwks.json").header("Cache-Control"));
		assertThat(m.find()).isTrue();
		return Duration.ofSeconds(Long.parseLong(m.group(1)));
	}

	private List<String> publishedKids() throws Exception {
		ApiClient.Response r = api.get("/.well-known/jwks.json");
		assertThat(r.status()).isEqualTo(200);
		return JWKSet.parse(r.raw()).getKeys().stream().map(JWK::getKeyID).toList();
	}
}
