package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Client authentication and registration through the real server: {@code private_key_jwt} with keys registered
 * inline or by {@code jwks_uri} (RS256, PS256, ES256) at the token, introspection and revocation endpoints, and the
 * assertions it refuses (replayed, wrong audience, {@code alg: none}, HMAC, a foreign key, expired, without jti,
 * too long-lived); discovery of these methods; the refusal of request objects; and dynamic client registration with
 * its initial access token.
 */
// Its own server (registration switched on): closed after the class so the next one can take the port.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = { "PLINTO_OIDC_REGISTRATION=true",
		"PLINTO_OIDC_REGISTRATION_TOKEN=" + ClientAuthenticationTests.REGISTRATION_TOKEN })
class ClientAuthenticationTests extends OidcTestSupport {

	static final String REGISTRATION_TOKEN = "registration-token-0123456789-abcdefghijklmnop";

	private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	@Autowired
	private JdbcClient jdbc;

	@Test
	void privateKeyJwtWhenSignedByTheRegisteredKeyThenTokenIntrospectionAndRevocationAcceptIt() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
		String clientId = keyClient(new OidcClients.ClientKeys(null, new JWKSet(key.toPublicJWK()).toString()));

		String assertion = assertion(clientId, key, JWSAlgorithm.RS256, base() + "/oauth2/token", Duration.ofMinutes(1));
		Json token = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials", "scope",
				"reports.read"), clientId, assertion);
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		SignedJWT access = verified(token.text("access_token"));
		assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo(clientId);

		Json replayed = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials"), clientId, assertion);
		assertThat(replayed.status()).as("the same assertion twice: " + replayed).isEqualTo(401);
		assertThat(replayed.text("error")).isEqualTo("invalid_client");

		Json introspected = withAssertion("/oauth2/introspect", Map.of("token", token.text("access_token")), clientId,
				assertion(clientId, key, JWSAlgorithm.PS256, base(), Duration.ofMinutes(1)));
		assertThat(introspected.status()).as(introspected.toString()).isEqualTo(200);
		assertThat(introspected.body().get("active").asBoolean()).isTrue();

		Json revoked = withAssertion("/oauth2/revoke", Map.of("token", token.text("access_token")), clientId,
				assertion(clientId, key, JWSAlgorithm.RS256, base(), Duration.ofMinutes(1)));
		assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
		Json inactive = withAssertion("/oauth2/introspect", Map.of("token", token.text("access_token")), clientId,
				assertion(clientId, key, JWSAlgorithm.RS256, base(), Duration.ofMinutes(1)));
		assertThat(inactive.body().get("active").asBoolean()).isFalse();

		Json secret = tokenRequest("/oauth2/token", new Registered(clientId, "anything"),
				Map.of("grant_type", "client_credentials"));
		assertThat(secret.status()).as("a private_key_jwt client has no secret: " + secret).isEqualTo(401);
	}

	@Test
	void privateKeyJwtWhenKeysAreFetchedFromTheJwksUriThenAnEs256AssertionIsAccepted() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		HttpServer server = jwksServer(jwks);
		try {
			String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
			String clientId = keyClient(new OidcClients.ClientKeys(uri, null));
			Json token = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials"), clientId,
					assertion(clientId, key, JWSAlgorithm.ES256, base() + "/oauth2/token", Duration.ofMinutes(1)));
			assertThat(token.status()).as(token.toString()).isEqualTo(200);
		}
		finally {
			server.stop(0);
		}
	}

	@Test
	void privateKeyJwtWhenTheAssertionBreaksARuleThenInvalidClient() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
		RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
		String clientId = keyClient(new OidcClients.ClientKeys(null, new JWKSet(key.toPublicJWK()).toString()));
		String token = base() + "/oauth2/token";
		Map<String, String> refused = new LinkedHashMap<>();
		refused.put("audience of another server",
				assertion(clientId, key, JWSAlgorithm.RS256, "https://other.example", Duration.ofMinutes(1)));
		refused.put("audience of the introspection endpoint",
				assertion(clientId, key, JWSAlgorithm.RS256, base() + "/oauth2/introspect", Duration.ofMinutes(1)));
		refused.put("signed by another key", assertion(clientId, other, JWSAlgorithm.RS256, token, Duration.ofMinutes(1)));
		refused.put("expired", assertion(clientId, key, JWSAlgorithm.RS256, token, Duration.ofMinutes(-5)));
		refused.put("valid for two hours", assertion(clientId, key, JWSAlgorithm.RS256, token, Duration.ofHours(2)));
		refused.put("alg none", new PlainJWT(claims(clientId, clientId, token, Duration.ofMinutes(1), true))
			.serialize());
		SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
				claims(clientId, clientId, token, Duration.ofMinutes(1), true));
		hmac.sign(new MACSigner("a-shared-secret-of-at-least-256-bits-for-hs256"));
		refused.put("HS256", hmac.serialize());
		refused.put("without jti", sign(claims(clientId, clientId, token, Duration.ofMinutes(1), false), key,
				JWSAlgorithm.RS256));
		refused.put("another subject", sign(claims(clientId, "cli_someone_else", token, Duration.ofMinutes(1), true),
				key, JWSAlgorithm.RS256));
		for (Map.Entry<String, String> e : refused.entrySet()) {
			Json answer = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials"), clientId,
					e.getValue());
			assertThat(answer.status()).as(e.getKey() + ": " + answer).isEqualTo(401);
			assertThat(answer.text("error")).as(e.getKey()).isEqualTo("invalid_client");
		}
		Json fine = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials"), clientId,
				assertion(clientId, key, JWSAlgorithm.RS256, token, Duration.ofMinutes(1)));
		assertThat(fine.status()).as("a valid assertion still works: " + fine).isEqualTo(200);
	}

	@Test
	void registerKeysWhenUnsafeThenRefusedWithTheRule() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
		for (OidcClients.ClientKeys keys : List.of(new OidcClients.ClientKeys(null, new JWKSet(key).toString(false)),
				new OidcClients.ClientKeys("http://keys.example/jwks.json", null),
				new OidcClients.ClientKeys(null, "{\"keys\":[]}"), new OidcClients.ClientKeys(null, "not json"),
				new OidcClients.ClientKeys("https://keys.example/jwks.json", new JWKSet(key.toPublicJWK()).toString()),
				new OidcClients.ClientKeys(null, new JWKSet(new RSAKeyGenerator(1024, true).generate().toPublicJWK())
					.toString()))) {
			assertThatThrownBy(() -> keyClient(keys)).as(keys.toString()).isInstanceOf(IllegalArgumentException.class);
		}
	}

	@Test
	void discoveryWhenFetchedThenNamesTheClientAuthenticationMethodsAndNoRequestObjects() {
		for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
			JsonNode doc = api.get(path).json();
			assertThat(texts(doc.get("token_endpoint_auth_methods_supported"))).as(path)
				.containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
			for (String endpoint : List.of("introspection", "revocation")) {
				assertThat(texts(doc.get(endpoint + "_endpoint_auth_methods_supported"))).as(path)
					.containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt");
			}
			for (String endpoint : List.of("token", "introspection", "revocation")) {
				assertThat(texts(doc.get(endpoint + "_endpoint_auth_signing_alg_values_supported"))).as(path)
					.containsExactly("RS256", "ES256", "PS256");
			}
			assertThat(doc.get("request_parameter_supported").asBoolean()).isFalse();
			assertThat(doc.get("request_uri_parameter_supported").asBoolean()).isFalse();
			assertThat(doc.get("registration_endpoint").asString()).isEqualTo(base() + "/oauth2/register");
		}
	}

	@Test
	void authorizeWhenARequestObjectIsSentThenRequestNotSupportedToTheClient() throws Exception {
		Registered client = confidential(true);
		Pkce pkce = Pkce.create();
		PlainJWT unsigned = new PlainJWT(new JWTClaimsSet.Builder().claim("client_id", client.id())
			.claim("redirect_uri", "https://attacker.example/cb").build());
		Browser browser = new Browser(base());
		HttpResponse<String> r = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "st-r", "n", pkce)
				+ "&request=" + Browser.encode(unsigned.serialize()));
		assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
		String location = Browser.location(r);
		assertThat(location).startsWith(REDIRECT + "?error=request_not_supported");
		assertThat(Browser.param(location, "state")).isEqualTo("st-r");

		User user = user();
		browser.get("/sign-in");
		assertThat(browser.post("/sign-in", Map.of("email", user.email(), "password", PASSWORD)).statusCode())
			.isEqualTo(303);
		HttpResponse<String> byReference = browser.get(authorizeUrl(client.id(), REDIRECT, "openid", "st-u", "n", pkce)
				+ "&request_uri=" + Browser.encode("https://attacker.example/request.jwt"));
		assertThat(byReference.statusCode()).as("a request_uri that is no pushed request: " + byReference.body())
			.isEqualTo(400);
		assertThat(Browser.location(byReference)).as("no code, no redirect").isEmpty();
		assertThat(byReference.body()).contains("This sign-in request is incomplete or not valid.");
	}

	@Test
	void registrationWhenTheInitialAccessTokenIsMissingOrWrongThenInvalidToken() {
		Browser rp = new Browser(base());
		HttpResponse<String> none = rp.postJson("/oauth2/register", "{\"client_name\":\"X\"}");
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
		HttpResponse<String> wrong = rp.postJson("/oauth2/register", "{\"client_name\":\"X\"}", "Authorization",
				"Bearer " + REGISTRATION_TOKEN + "x");
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(wrong.body()).get("error").asString()).isEqualTo("invalid_token");
	}

	@Test
	void registrationWhenMetadataValidThenAClientWithASecretShownOnceThatWorks() {
		String name = "Registered app " + UUID.randomUUID();
		HttpResponse<String> r = register("{\"client_name\":\"" + name + "\",\"redirect_uris\":[\"" + REDIRECT
				+ "\"],\"grant_types\":[\"authorization_code\",\"refresh_token\",\"client_credentials\"],"
				+ "\"scope\":\"openid email reports.read\",\"token_endpoint_auth_method\":\"client_secret_post\"}");
		assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
		assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
		JsonNode body = JSON.readTree(r.body());
		String clientId = body.get("client_id").asString();
		String secret = body.get("client_secret").asString();
		assertThat(body.get("client_secret_expires_at").asLong()).isZero();
		assertThat(body.get("token_endpoint_auth_method").asString()).isEqualTo("client_secret_post");
		assertThat(texts(body.get("redirect_uris"))).containsExactly(REDIRECT);
		assertThat(body.get("scope").asString()).isEqualTo("email openid reports.read");
		OidcClients.Client stored = clients.find(clientId).orElseThrow();
		assertThat(stored.firstParty()).as("a registered client asks for consent").isFalse();
		assertThat(stored.requirePkce()).isTrue();
		String hash = jdbc.sql("select client_secret from oauth2_registered_client where client_id = ?")
			.param(clientId)
			.query(String.class)
			.single();
		assertThat(hash).startsWith("sha256$").doesNotContain(secret);
		Json token = tokenRequest("/oauth2/token", new Registered(clientId, secret), Map.of("grant_type",
				"client_credentials", "scope", "reports.read"));
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
		assertThat(jdbc.sql("select count(*) from audit_events where type = 'OIDC_CLIENT_CREATED' and detail like ?")
			.param(clientId + "%")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void registrationWhenPrivateKeyJwtThenNoSecretAndTheKeysAuthenticate() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("dcr-1").generate();
		HttpResponse<String> r = register("{\"client_name\":\"Key app\",\"grant_types\":[\"client_credentials\"],"
				+ "\"scope\":\"reports.read\",\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":"
				+ new JWKSet(key.toPublicJWK()) + "}");
		assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
		JsonNode body = JSON.readTree(r.body());
		assertThat(body.has("client_secret")).isFalse();
		assertThat(body.get("jwks").get("keys").get(0).get("kid").asString()).isEqualTo("dcr-1");
		String clientId = body.get("client_id").asString();
		Json token = withAssertion("/oauth2/token", Map.of("grant_type", "client_credentials"), clientId,
				assertion(clientId, key, JWSAlgorithm.RS256, base() + "/oauth2/token", Duration.ofMinutes(1)));
		assertThat(token.status()).as(token.toString()).isEqualTo(200);
	}

	@Test
	void registrationWhenMetadataBreaksTheRulesThenTheRfc7591Error() {
		Map<String, String> cases = Map.of(
				"{\"client_name\":\"X\",\"redirect_uris\":[\"http://app.example/cb\"]}", "invalid_redirect_uri",
				"{\"client_name\":\"X\",\"redirect_uris\":[\"https://app.example/cb#f\"]}", "invalid_redirect_uri",
				"{\"redirect_uris\":[\"https://app.example/cb\"]}", "invalid_client_metadata",
				"{\"client_name\":\"X\",\"redirect_uris\":[\"https://app.example/cb\"],\"grant_types\":[\"password\"]}",
				"invalid_client_metadata",
				"{\"client_name\":\"X\",\"redirect_uris\":[\"https://app.example/cb\"],\"response_types\":[\"token\"]}",
				"invalid_client_metadata",
				"{\"client_name\":\"X\",\"token_endpoint_auth_method\":\"client_secret_jwt\"}", "invalid_client_metadata",
				"{\"client_name\":\"X\",\"token_endpoint_auth_method\":\"private_key_jwt\","
						+ "\"grant_types\":[\"client_credentials\"]}", "invalid_client_metadata",
				"[1,2]", "invalid_client_metadata", "not json", "invalid_client_metadata");
		cases.forEach((body, error) -> {
			HttpResponse<String> r = register(body);
			assertThat(r.statusCode()).as(body + ": " + r.body()).isEqualTo(400);
			assertThat(JSON.readTree(r.body()).get("error").asString()).as(body).isEqualTo(error);
			assertThat(JSON.readTree(r.body()).get("error_description").asString()).as(body).isNotBlank();
		});
	}

	private HttpResponse<String> register(String body) {
		return new Browser(base()).postJson("/oauth2/register", body, "Authorization", "Bearer " + REGISTRATION_TOKEN);
	}

	private String keyClient(OidcClients.ClientKeys keys) {
		return clients.create(new OidcClients.Spec("Key app " + UUID.randomUUID(), OidcClients.Type.CONFIDENTIAL,
				List.of(), List.of(), Set.of("client_credentials"), Set.of("reports.read"), true, true, null, null, null,
				keys), ClientInfo.none()).client().clientId();
	}

	private Json withAssertion(String path, Map<String, String> fields, String clientId, String assertion) {
		Map<String, Object> form = new LinkedHashMap<>(fields);
		form.put("client_id", clientId);
		form.put("client_assertion_type", ASSERTION_TYPE);
		form.put("client_assertion", assertion);
		HttpResponse<String> r = new Browser(base()).postRaw(path, form);
		return new Json(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
	}

	private static JWTClaimsSet claims(String issuer, String subject, String audience, Duration lifetime,
			boolean jti) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer)
			.subject(subject)
			.audience(audience)
			.issueTime(Date.from(now.minusSeconds(1)))
			.expirationTime(Date.from(now.plus(lifetime)));
		if (jti) {
			claims.jwtID(UUID.randomUUID().toString());
		}
		return claims.build();
	}

	private static String assertion(String clientId, JWK key, JWSAlgorithm alg, String audience, Duration lifetime)
			throws Exception {
		return sign(claims(clientId, clientId, audience, lifetime, true), key, alg);
	}

	private static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm alg) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims);
		JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
		jwt.sign(signer);
		return jwt.serialize();
	}

	/** Serves a JWKS on loopback, on a port of 18500-18599. */
	private static HttpServer jwksServer(byte[] jwks) throws IOException {
		for (int port = 18500; port < 18600; port++) {
			try {
				HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
				server.createContext("/jwks.json", exchange -> {
					exchange.getResponseHeaders().add("Content-Type", "application/json");
					exchange.sendResponseHeaders(200, jwks.length);
					exchange.getResponseBody().write(jwks);
					exchange.close();
				});
				server.start();
				return server;
			}
			catch (java.net.BindException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in 18500-18599");
	}

	private static List<String> texts(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}
}
