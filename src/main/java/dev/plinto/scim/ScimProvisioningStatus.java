package dev.plinto.scim;

import dev.plinto.org.ProvisioningStatus;
import org.springframework.stereotype.Component;

/** {@link ProvisioningStatus} from the SCIM users of the organization's connections. */
@Component
final class ScimProvisioningStatus implements ProvisioningStatus {

	private final ScimRepository scim;

	ScimProvisioningStatus(ScimRepository scim) {
		this.scim = scim;
	}

	@Override
	public boolean deactivated(String organizationId, String userId) {
		return scim.deactivatedInOrganization(organizationId, userId);
	}
}
