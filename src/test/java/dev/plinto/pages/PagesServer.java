package dev.plinto.pages;

import dev.plinto.ApiTestSupport;
import dev.plinto.TestClockConfiguration;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The server of the page tests: on a fixed port (registered by the test class, so the issuer names the address the
 * browser uses), an in-memory H2 database, cheap Argon2, high rate limits, email verification required and a brand.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
		"PLINTO_DATABASE_URL=jdbc:h2:mem:plinto-${random.uuid};DB_CLOSE_DELAY=-1",
		"PLINTO_MASTER_KEY=" + ApiTestSupport.MASTER_KEY, "PLINTO_DATA_DIR=target/test-data",
		"PLINTO_ARGON2_MEMORY_KIB=1024", "PLINTO_ARGON2_ITERATIONS=1",
		"PLINTO_RATE_LIMIT_SIGN_IN=100000/1m", "PLINTO_RATE_LIMIT_SIGN_UP=100000/1m",
		"PLINTO_RATE_LIMIT_PASSWORD_RESET=100000/1m", "PLINTO_RATE_LIMIT_VERIFICATION_MAIL=100000/1m",
		"PLINTO_RATE_LIMIT_REFRESH=100000/1m", "plinto.jobs.mail-poll=100", "plinto.jobs.revocation-poll=200",
		"PLINTO_RATE_LIMIT_SIGN_IN_MAIL=100000/1m",
		"PLINTO_EMAIL_VERIFICATION=required", "PLINTO_APP_NAME=Acme",
		"PLINTO_SUPPORT_EMAIL=help@acme.example", "PLINTO_TERMS_URL=https://acme.example/terms",
		"PLINTO_PRIVACY_URL=https://acme.example/privacy" })
@Import(TestClockConfiguration.class)
@interface PagesServer {
}
