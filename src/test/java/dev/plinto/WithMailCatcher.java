package dev.plinto;

import dev.plinto.account.MailCatcher;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mixed into an API test class (on H2 or PostgreSQL) whose server delivers mail over SMTP. Every such class
 * delivers to the one {@link MailCatcher} of the test run, through the one property source below, so classes
 * that set no other property share one server and one Spring context. Tests tell their mails apart by
 * recipient: each test signs up its own addresses.
 */
public interface WithMailCatcher {

	/** The SMTP server every mail-sending test server delivers to. */
	MailCatcher MAIL = new MailCatcher();

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_SMTP_URL", MAIL::smtpUrl);
	}
}
