package dev.plinto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * Base of tests that drive the real server over HTTP on a random port, on a fresh in-memory H2 database per
 * Spring context, with a {@link MutableClock}. Argon2 runs with cheap parameters and per-IP limits are high so
 * tests from one loopback address do not trip them; tests of those features override the properties.
 * {@link PostgresApiTestSupport} runs the same server on PostgreSQL; {@link WithMailCatcher} adds SMTP delivery.
 * A class that sets no property of its own shares one server (one Spring context) with every other such class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1",
		"PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
		"PLINTO_RATE_LIMIT_PASSWORD_RESET=100000/1m", "PLINTO_RATE_LIMIT_VERIFICATION_MAIL=100000/1m",
		"PLINTO_RATE_LIMIT_REFRESH=100000/1m", "plinto.jobs.mail-poll=100", "plinto.jobs.revocation-poll=200",
		"PLINTO_RATE_LIMIT_INVITATIONS=100000/1m", "PLINTO_RATE_LIMIT_INVITATION_ACCEPT=100000/1m",
		"PLINTO_RATE_LIMIT_SIGN_IN_MAIL=100000/1m" })
@Import(TestClockConfiguration.class)
public abstract class ApiTestSupport {

	/** A fixed 32-byte test master key (base64). */
	public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE=";

	public static final String PASSWORD = "correct horse battery staple";

	@Value("${local.server.port}")
	protected int port;

	@Autowired
	protected MutableClock clock;

	protected ApiClient api;

	@BeforeEach
	void createClient() {
		api = new ApiClient("http://localhost:" + port);
	}

	/** A unique email for this test. */
	protected static String newEmail() {
		return "user-" + UUID.randomUUID() + "@example.com";
	}

	/** Signs up a new user with {@link #PASSWORD}; returns the 201 token response. */
	protected ApiClient.Response signUp(String email) {
		ApiClient.Response r = api.post("/v1/sign-up", ApiClient.map("email", email, "password", PASSWORD));
		assertThat(r.status()).as(r.toString()).isEqualTo(201);
		return r;
	}

	protected ApiClient.Response signIn(String email, String password) {
		return api.post("/v1/sign-in", ApiClient.map("email", email, "password", password));
	}

	protected ApiClient.Response refresh(String refreshToken) {
		return api.post("/v1/token/refresh", ApiClient.map("refresh_token", refreshToken));
	}

	/** A signed-up user's email and access token. */
	protected record Account(String email, String token) {
	}

	/** Signs up a new user with {@link #PASSWORD}. */
	protected Account account() {
		String email = newEmail();
		return new Account(email, signUp(email).text("access_token"));
	}
}
