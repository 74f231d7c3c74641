package dev.plinto.org;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of organizations' enterprise connections and email domains ({@code organization_connections},
 * {@code organization_domains}, V21). Secrets arrive sealed or hashed; this repository never sees them in clear.
 */
public interface ConnectionRepository {

	void insert(OrganizationConnection connection);

	/** Replaces the editable fields (name, enabled, protocol settings, mapping, default role) of a connection. */
	void update(OrganizationConnection connection);

	boolean delete(String organizationId, String connectionId);

	Optional<OrganizationConnection> findById(String connectionId);

	List<OrganizationConnection> findByOrganization(String organizationId);

	/** The connection whose SCIM token has this SHA-256 (hex) hash. */
	Optional<OrganizationConnection> findByScimTokenHash(String tokenHash);

	void setScimToken(String connectionId, String tokenHash, Instant at);

	void insertDomain(OrganizationDomain domain);

	Optional<OrganizationDomain> findDomain(String organizationId, String domain);

	List<OrganizationDomain> findDomains(String organizationId);

	/** The verified claim on a domain, whichever organization holds it. */
	Optional<OrganizationDomain> findVerifiedDomain(String domain);

	/**
	 * Marks a claim verified; false when another organization already holds the domain verified (the unique index
	 * on {@code verified_domain}) or the claim does not exist.
	 */
	boolean markDomainVerified(String organizationId, String domain, String verifiedBy, Instant at);

	void updateDomainRouting(String organizationId, String domain, String connectionId, boolean passwordsDisabled);

	boolean deleteDomain(String organizationId, String domain);
}
