package dev.plinto.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.plinto.ApiClient;
import dev.plinto.ApiTestSupport;
import dev.plinto.MutableClock;
import dev.plinto.TestClockConfiguration;
import dev.plinto.web.ClientInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the OpenID provider's tests: the real server on a fixed port (so the issuer, and with it the provider's
 * URLs, the sign-in redirects and the token's {@code iss}, name the address the test really uses), on a fresh H2
 * database, with cheap Argon2 and high rate limits. Clients are registered through {@link OidcClients}, users sign
 * up through the JSON API and sign in through the hosted sign-in page, as a browser would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1",
		"PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
		"PLINTO_RATE_LIMIT_REFRESH=100000/1m", "plinto.jobs.mail-poll=100", "plinto.jobs.revocation-poll=200",
		"PLINTO_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.0/8" })
@Import(TestClockConfiguration.class)
abstract class OidcTestSupport {

	static final String PASSWORD = ApiTestSupport.PASSWORD;

	static final String REDIRECT = "https://app.example/callback";

	static final String LOGOUT_REDIRECT = "https://app.example/signed-out";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The port of the application context the running test class uses (each context listens on its own). */
	private static volatile int port;

	/**
	 * A port of its own for each application context: Spring keeps contexts running between test classes, and a
	 * class with other properties (e.g. client registration switched on) gets a context of its own next to them.
	 */
	@DynamicPropertySource
	static void server(DynamicPropertyRegistry registry) {
		int free = freePort();
		registry.add("PLINTO_PORT", () -> free);
		registry.add("server.port", () -> free);
	}

	@org.springframework.beans.factory.annotation.Value("${server.port}")
	void serverPort(int serverPort) {
		port = serverPort;
	}

	@Autowired
	protected MutableClock clock;

	@Autowired
	protected OidcClients clients;

	protected ApiClient api;

	@BeforeEach
	void createClient() {
		api = new ApiClient(base());
	}

	static String base() {
		return "http://localhost:" + port;
	}

	/** A client registered for the tests: its id and, when confidential, its secret. */
	record Registered(String id, String secret) {
	}

	Registered confidential(boolean firstParty, String... scopes) {
		OidcClients.Created created = clients.create(new OidcClients.Spec("Test app " + UUID.randomUUID(),
				OidcClients.Type.CONFIDENTIAL, List.of(REDIRECT), List.of(LOGOUT_REDIRECT),
				Set.of("authorization_code", "refresh_token", "client_credentials"),
				scopes.length == 0 ? Set.of("openid", "profile", "email", "offline_access") : Set.of(scopes),
				firstParty, true, null, null, null), ClientInfo.none());
		return new Registered(created.client().clientId(), created.secret());
	}

	Registered publicClient() {
		OidcClients.Created created = clients.create(new OidcClients.Spec("Single-page app",
				OidcClients.Type.PUBLIC, List.of(REDIRECT), List.of(), Set.of("authorization_code"),
				Set.of("openid", "email"), true, true, null, null, null), ClientInfo.none());
		return new Registered(created.client().clientId(), null);
	}

	/** A new user (through the JSON API); returns email and user id. */
	record User(String email, String id) {
	}

	User user() {
		String email = "oidc-" + UUID.randomUUID() + "@example.com";
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD,
				"name", "Ada Lovelace"));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return new User(email, r.json().get("user").get("id").asString());
	}

	/** PKCE (RFC 7636): a verifier and its S256 challenge. */
	record Pkce(String verifier, String challenge) {

		static Pkce create() {
			String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
			try {
				byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
				return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
			}
			catch (java.security.NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
	}

	/** The authorization request URL (path and query) of the code flow with PKCE. */
	static String authorizeUrl(String clientId, String redirectUri, String scope, String state, String nonce,
			Pkce pkce) {
		StringBuilder url = new StringBuilder("/oauth2/authorize?response_type=code&client_id=").append(clientId)
			.append("&redirect_uri=").append(Browser.encode(redirectUri))
			.append("&scope=").append(Browser.encode(scope))
			.append("&state=").append(state)
			.append("&nonce=").append(nonce);
		if (pkce != null) {
			url.append("&code_challenge=").append(pkce.challenge()).append("&code_challenge_method=S256");
		}
		return url.toString();
	}

	/**
	 * Starts the authorization request in a signed-out browser, signs in on the page it is sent to, and returns the
	 * answer after following Plinto's own redirects (the redirect to the client, or the consent page).
	 */
	HttpResponse<String> authorizeWithSignIn(Browser browser, String authorizeUrl, String email) {
		HttpResponse<String> start = browser.get(authorizeUrl);
		assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
		assertThat(Browser.location(start)).startsWith("/sign-in?redirect_url=");
		HttpResponse<String> page = browser.get(Browser.location(start));
		assertThat(page.statusCode()).isEqualTo(200);
		String redirectUrl = Browser.param(Browser.location(start), "redirect_url");
		HttpResponse<String> signedIn = browser.post("/sign-in", Map.of("email", email, "password", PASSWORD,
				"redirect_url", redirectUrl));
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
		assertThat(Browser.location(signedIn)).isEqualTo(base() + authorizeUrl);
		return browser.follow(signedIn);
	}

	/** A post to the token endpoint (or introspection, revocation) with HTTP Basic client authentication. */
	Json tokenRequest(String path, Registered client, Map<String, ?> fields) {
		Browser rp = new Browser(base());
		HttpResponse<String> r = client.secret() == null ? rp.postRaw(path, fields)
				: rp.postRaw(path, fields, "Authorization", "Basic " + Base64.getEncoder()
					.encodeToString((Browser.encode(client.id()) + ":" + Browser.encode(client.secret()))
						.getBytes(StandardCharsets.UTF_8)));
		return new Json(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()), r);
	}

	/** An answer of a provider endpoint with its JSON body. */
	record Json(int status, JsonNode body, HttpResponse<String> raw) {

		String text(String field) {
			return body == null || body.get(field) == null ? null : body.get(field).asString();
		}

		@Override
		public String toString() {
			return status + " " + raw.body();
		}
	}

	/** The code of a redirect to the client, exchanged at the token endpoint with the verifier. */
	Json exchange(Registered client, String code, Pkce pkce) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("grant_type", "authorization_code");
		fields.put("code", code);
		fields.put("redirect_uri", REDIRECT);
		if (pkce != null) {
			fields.put("code_verifier", pkce.verifier());
		}
		if (client.secret() == null) {
			fields.put("client_id", client.id());
		}
		return tokenRequest("/oauth2/token", client, fields);
	}

	/** Verifies a JWT's signature against the published JWKS, as any relying party would; returns it. */
	SignedJWT verified(String token) throws Exception {
		SignedJWT jwt = SignedJWT.parse(token);
		JWKSet keys = JWKSet.parse(api.get("/.well-known/jwks.json").raw());
		JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).as("the token's kid is in the JWKS").isNotNull();
		JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
				key.getKeyType().getValue().equals("RSA") ? key.toRSAKey().toPublicKey()
						: key.getKeyType().getValue().equals("EC") ? key.toECKey().toPublicKey() : null);
		assertThat(jwt.verify(verifier)).as("signature verifies against the JWKS").isTrue();
		return jwt;
	}

	/**
	 * A free port from 18300-18399, this provider's range, or from the hundred ports starting at the system property
	 * {@code plinto.test.oidc-ports} when set.
	 */
	private static int freePort() {
		int from = Integer.getInteger("plinto.test.oidc-ports", 18300);
		for (int port = from; port < from + 100; port++) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind(new InetSocketAddress("0.0.0.0", port));
				return port;
			}
			catch (IOException e) {
				// taken, try the next one
			}
		}
		throw new IllegalStateException("no free port in " + from + "-" + (from + 99));
	}
}
