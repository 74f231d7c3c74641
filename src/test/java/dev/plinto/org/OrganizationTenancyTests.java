package dev.plinto.org;

import dev.plinto.ApiTestSupport;
import dev.plinto.WithMailCatcher;
import org.junit.jupiter.api.Test;

/** A member of organization A can read, change or list nothing of organization B, on H2 (see TenancyScenario). */
class OrganizationTenancyTests extends ApiTestSupport implements WithMailCatcher {

	@Test
	void everyEndpointWhenOwnerOfAUsesOrganizationBThenNotFoundAndBUnchanged() {
		new TenancyScenario(api, new OrgFixture(api, MAIL)).run();
	}
}
