package dev.plinto.org;

/**
 * Whether an organization's identity provider has deactivated a user it provisions over SCIM (docs/federation.md,
 * "SCIM provisioning"). Implemented by {@code scim}; a feature that adds members on its own — a sign-in through one
 * of the organization's connections that joins the user to it — asks first, so that a user the identity provider
 * deactivated is not made a member again behind its back (OWASP Authorization Cheat Sheet, "Deny by default").
 */
public interface ProvisioningStatus {

	/** True when a SCIM connection of the organization provisions this user and has set them inactive. */
	boolean deactivated(String organizationId, String userId);
}
