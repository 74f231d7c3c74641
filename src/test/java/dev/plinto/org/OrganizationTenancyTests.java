package dev.plinto.org;

import dev.plinto.ApiTestSupport;
import dev.plinto.account.MailCatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A member of organization A can read, change or list nothing of organization B, on H2 (see TenancyScenario). */
class OrganizationTenancyTests extends ApiTestSupport {

	private static final MailCatcher mail = new MailCatcher();

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("PLINTO_SMTP_URL", mail::smtpUrl);
	}

	@AfterAll
	static void stopMail() {
		mail.stop();
	}

	@Test
	void everyEndpointWhenOwnerOfAUsesOrganizationBThenNotFoundAndBUnchanged() {
		new TenancyScenario(api, new OrgFixture(api, mail)).run();
	}
}
